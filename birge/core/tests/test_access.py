"""The access matrix: role x agency x action, deny unless a rule allows."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from birge.core.access import RULES, agency_get_for, can, ensure_can, filter_by_agency_scope
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
}
TARGETS = ("own", "child", "other")


def test_the_matrix_covers_every_rule() -> None:
    assert set(EXPECTED) == set(RULES)


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
    allowed = can(user, action, agency=agency)
    # then
    grant = EXPECTED[action].get(role)
    expected = grant == "any" or (grant == "own" and target in {"own", "child"})
    assert allowed is expected
    if expected:
        assert agency_get_for(user, action, agency.pk) == agency
    else:
        with pytest.raises(Http404):
            agency_get_for(user, action, agency.pk)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_people_without_a_role_are_denied(action: str) -> None:
    agency = AgencyFactory()
    for user in (UserFactory(), UserFactory(is_superuser=True)):
        assert not can(user, action, agency=agency)
        with pytest.raises(PermissionDenied):
            ensure_can(user, action)


def test_an_unknown_action_is_denied_even_to_administrators() -> None:
    admin = staff_member(Role.ADMINISTRATOR)
    assert not can(admin, "core.nonexistent")


def test_inactive_staff_lose_every_right() -> None:
    admin = staff_member(Role.ADMINISTRATOR, is_active=False)
    assert not can(admin, "core.audit.view")


def test_querysets_narrow_to_the_scope() -> None:
    ministry, other = AgencyFactory(), AgencyFactory()
    committee = AgencyFactory(parent=ministry)
    head = staff_member(Role.AGENCY_HEAD, ministry)
    scoped = filter_by_agency_scope(
        head, "core.agency.edit", Agency.objects.all(), agency_field="id"
    )
    assert set(scoped) == {ministry, committee}
    assert other not in scoped
