"""The access matrix: role x agency x action, deny unless a rule allows."""

import itertools
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from birge.core.access import (
    AGENCY_EDIT,
    ANY,
    AUDIT_VIEW,
    Action,
    action_register,
    actions_registered,
    agency_get_for,
    agency_ids_in_scope,
    can,
    ensure_can,
    filter_by_agency_scope,
)
from birge.core.models import Agency, StaffRole

from .factories import AgencyFactory, UserFactory, staff_member

pytestmark = pytest.mark.django_db

Role = StaffRole.Role

# What each role may do, and where: "any" agency, "own" agency (and bodies under it), or nothing.
EXPECTED: dict[str, dict[str, str]] = {
    "core.audit.view": {Role.COORDINATOR: "any", Role.ADMINISTRATOR: "any"},
    "core.audit.export": {Role.COORDINATOR: "any", Role.ADMINISTRATOR: "any"},
    "core.agency.view_staff": {
        Role.COORDINATOR: "any",
        Role.ADMINISTRATOR: "any",
        Role.AGENCY_HEAD: "own",
    },
    "core.agency.edit": {Role.ADMINISTRATOR: "any", Role.AGENCY_HEAD: "own"},
    "core.staff.manage": {Role.ADMINISTRATOR: "any"},
    "core.emergency_contacts.edit": {Role.ADMINISTRATOR: "any"},
    "workdays.calendar.edit": {Role.ADMINISTRATOR: "any"},
    "api.client.manage": {Role.ADMINISTRATOR: "any"},
    "appeals.appeal.view": {
        Role.COORDINATOR: "any",
        Role.AGENCY_OFFICER: "own",
        Role.AGENCY_HEAD: "own",
    },
    "appeals.appeal.route": {Role.COORDINATOR: "any"},
    "appeals.routing_rule.edit": {Role.COORDINATOR: "any"},
    "appeals.crisis_target.edit": {Role.COORDINATOR: "any"},
    "appeals.appeal.redirect": {
        Role.COORDINATOR: "any",
        Role.AGENCY_OFFICER: "own",
        Role.AGENCY_HEAD: "own",
    },
    "appeals.appeal.answer": {Role.AGENCY_OFFICER: "own", Role.AGENCY_HEAD: "own"},
    "appeals.appeal.merge": {
        Role.COORDINATOR: "any",
        Role.AGENCY_OFFICER: "own",
        Role.AGENCY_HEAD: "own",
    },
    "appeals.answer.approve": {Role.AGENCY_HEAD: "own"},
    "appeals.deadline.extend": {Role.AGENCY_HEAD: "own"},
    "appeals.faq.publish": {Role.AGENCY_OFFICER: "own", Role.AGENCY_HEAD: "own"},
    "appeals.statistics.view": {
        Role.COORDINATOR: "any",
        Role.ANALYST: "any",
        Role.AGENCY_HEAD: "own",
    },
    "claims.report.view": {Role.FACT_CHECKER: "any", Role.COORDINATOR: "any"},
    "claims.claim.edit": {Role.FACT_CHECKER: "any"},
    "claims.verdict.approve": {Role.FACT_CHECKER: "any"},
    "claims.claim.publish": {Role.FACT_CHECKER: "any"},
    "claims.thresholds.edit": {Role.FACT_CHECKER: "any"},
    "stats.release.import": {Role.COORDINATOR: "any"},
    "portal.page.edit": {Role.EDITOR: "own", Role.AGENCY_HEAD: "own", Role.COORDINATOR: "any"},
    "portal.page.publish": {Role.EDITOR: "own", Role.AGENCY_HEAD: "own", Role.COORDINATOR: "any"},
    "portal.page.approve": {Role.AGENCY_HEAD: "own", Role.COORDINATOR: "any"},
    "portal.section.edit": {Role.COORDINATOR: "any"},
    "portal.urgent.publish": {Role.COORDINATOR: "any"},
    "portal.approval_settings.edit": {Role.COORDINATOR: "any", Role.ADMINISTRATOR: "any"},
    "channels.publication.view": {Role.COORDINATOR: "any", Role.ADMINISTRATOR: "any"},
    "channels.publication.create": {Role.COORDINATOR: "any"},
    "channels.publication.approve": {Role.COORDINATOR: "any"},
    "channels.delivery.retry": {Role.COORDINATOR: "any"},
    # Aid: an operator acts for their headquarters and those under it (ADR 0020).
    "aid.request.view": {Role.COORDINATOR: "any", Role.AID_OPERATOR: "own"},
    "aid.request.triage": {Role.COORDINATOR: "any", Role.AID_OPERATOR: "own"},
    "aid.request.take_call": {Role.COORDINATOR: "any", Role.AID_OPERATOR: "own"},
    "aid.volunteer.verify": {Role.COORDINATOR: "any", Role.AID_OPERATOR: "own"},
    "aid.partner.manage": {Role.COORDINATOR: "any", Role.AID_OPERATOR: "own"},
    "aid.ledger.record": {Role.AID_OPERATOR: "own"},
    "aid.ledger.view": {Role.COORDINATOR: "any", Role.AID_OPERATOR: "own", Role.ANALYST: "any"},
    "media.outlet.accredit": {Role.COORDINATOR: "any"},
    "media.targets.edit": {Role.COORDINATOR: "any"},
    "media.request.view": {
        Role.COORDINATOR: "any",
        Role.AGENCY_OFFICER: "own",
        Role.AGENCY_HEAD: "own",
    },
    "media.request.route": {Role.COORDINATOR: "any"},
    "media.request.answer": {Role.AGENCY_OFFICER: "own", Role.AGENCY_HEAD: "own"},
    "media.answer.approve": {Role.AGENCY_HEAD: "own"},
    "media.figures.view": {Role.COORDINATOR: "any", Role.ANALYST: "any", Role.AGENCY_HEAD: "own"},
}
TARGETS = ("own", "child", "other")


ACTIONS = actions_registered()


def test_the_matrix_covers_every_rule() -> None:
    # Every app's ready() has declared its actions by the time a request can arrive.
    assert set(EXPECTED) == set(ACTIONS)
    for name, grants in EXPECTED.items():
        assert {role: scope.value for role, scope in ACTIONS[name].grants.items()} == grants


@pytest.mark.parametrize(
    ("role", "action", "target"),
    list(itertools.product(list(Role), sorted(EXPECTED), TARGETS)),
)
def test_access_matrix(role: str, action: str, target: str) -> None:
    # given: a ministry with a committee under it, and an unrelated ministry
    ministry = AgencyFactory()
    committee = AgencyFactory(parent=ministry, kind=Agency.Kind.COMMITTEE)
    other = AgencyFactory()
    global_role = role in StaffRole.GLOBAL_ROLES
    user = staff_member(role, None if global_role else ministry)
    agency = {"own": ministry, "child": committee, "other": other}[target]
    # when
    allowed = can(user, ACTIONS[action], agency=agency)
    # then
    grant = EXPECTED[action].get(role)
    expected = grant == "any" or (grant == "own" and target in {"own", "child"})
    assert allowed is expected
    if expected:
        assert agency_get_for(user, ACTIONS[action], agency.pk) == agency
    else:
        with pytest.raises(Http404):
            agency_get_for(user, ACTIONS[action], agency.pk)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_people_without_a_role_are_denied(action: str) -> None:
    agency = AgencyFactory()
    for user in (UserFactory(), UserFactory(is_superuser=True)):
        assert not can(user, ACTIONS[action], agency=agency)
        with pytest.raises(PermissionDenied):
            ensure_can(user, ACTIONS[action])


def test_a_misspelt_action_fails_loudly_instead_of_denying() -> None:
    admin = staff_member(Role.ADMINISTRATOR)
    with pytest.raises((TypeError, ImproperlyConfigured)):
        can(admin, "core.audit.veiw")  # mypy refuses this line outside the tests


def test_an_action_is_declared_once_with_known_roles() -> None:
    with pytest.raises(ImproperlyConfigured):
        action_register("core.audit.view", {Role.ADMINISTRATOR: ANY})
    with pytest.raises(ImproperlyConfigured):
        action_register("core.test.bad_role", {"chief": ANY})  # type: ignore[dict-item]
    assert isinstance(AUDIT_VIEW, Action)


def test_inactive_staff_lose_every_right() -> None:
    admin = staff_member(Role.ADMINISTRATOR, is_active=False)
    assert not can(admin, AUDIT_VIEW)


def test_querysets_narrow_to_the_scope() -> None:
    ministry, other = AgencyFactory(), AgencyFactory()
    committee = AgencyFactory(parent=ministry)
    head = staff_member(Role.AGENCY_HEAD, ministry)
    scoped = filter_by_agency_scope(head, AGENCY_EDIT, Agency.objects.all(), agency_field="id")
    assert set(scoped) == {ministry, committee}
    assert other not in scoped


def test_the_scope_is_computed_once_per_request_with_one_query_for_the_tree(
    django_assert_num_queries: Any,
) -> None:
    # given: a head of a ministry with three levels of bodies under it
    ministry = AgencyFactory()
    committee = AgencyFactory(parent=ministry)
    department = AgencyFactory(parent=committee)
    AgencyFactory(parent=department)
    head = staff_member(Role.AGENCY_HEAD, ministry)
    head = type(head).objects.get(pk=head.pk)  # a fresh user object, as a request has
    # when: the roles and the tree are read once, then every check is answered from memory
    with django_assert_num_queries(2):
        scope = agency_ids_in_scope(head, AGENCY_EDIT)
        for _ in range(10):
            assert can(head, AGENCY_EDIT, agency=department)
    # then
    assert scope is not None
    assert len(scope) == 4
