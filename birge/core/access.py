"""Who may do what: the single place access is decided, deny by default.

Each action names the roles that may perform it and over which agencies: `ANY` (every agency)
or `OWN` (the staff member's agency and the bodies under it). Views, the API, tasks and the
bot ask here; none filters by permission on its own. An object outside the caller's scope
answers 404, so its existence is not revealed.
"""

from collections.abc import Iterable
from enum import Enum
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .models import Agency, StaffRole

Role = StaffRole.Role


class Scope(Enum):
    ANY = "any"
    OWN = "own"


ANY, OWN = Scope.ANY, Scope.OWN
M = TypeVar("M", bound=Model)

RULES: dict[str, dict[str, Scope]] = {
    "core.audit.view": {Role.COORDINATOR: ANY, Role.ADMINISTRATOR: ANY},
    "core.audit.export": {Role.COORDINATOR: ANY, Role.ADMINISTRATOR: ANY},
    "core.agency.view_staff": {
        Role.COORDINATOR: ANY,
        Role.ADMINISTRATOR: ANY,
        Role.AGENCY_HEAD: OWN,
    },
    "core.agency.edit": {Role.ADMINISTRATOR: ANY, Role.AGENCY_HEAD: OWN},
    "core.staff.manage": {Role.ADMINISTRATOR: ANY},
    "core.emergency_contacts.edit": {Role.ADMINISTRATOR: ANY},
    # --- working-day calendar ---
    "workdays.calendar.edit": {Role.ADMINISTRATOR: ANY},
    # --- citizens' questions and appeals ---
    "appeals.appeal.view": {
        Role.COORDINATOR: ANY,
        Role.AGENCY_OFFICER: OWN,
        Role.AGENCY_HEAD: OWN,
    },
    "appeals.appeal.route": {Role.COORDINATOR: ANY},
    "appeals.routing_rule.edit": {Role.COORDINATOR: ANY},
    "appeals.crisis_target.edit": {Role.COORDINATOR: ANY},
    "appeals.appeal.redirect": {
        Role.COORDINATOR: ANY,
        Role.AGENCY_OFFICER: OWN,
        Role.AGENCY_HEAD: OWN,
    },
    "appeals.appeal.answer": {Role.AGENCY_OFFICER: OWN, Role.AGENCY_HEAD: OWN},
    "appeals.appeal.merge": {
        Role.COORDINATOR: ANY,
        Role.AGENCY_OFFICER: OWN,
        Role.AGENCY_HEAD: OWN,
    },
    "appeals.answer.approve": {Role.AGENCY_HEAD: OWN},
    "appeals.deadline.extend": {Role.AGENCY_HEAD: OWN},
    "appeals.faq.publish": {Role.AGENCY_OFFICER: OWN, Role.AGENCY_HEAD: OWN},
    "appeals.statistics.view": {
        Role.COORDINATOR: ANY,
        Role.ANALYST: ANY,
        Role.AGENCY_HEAD: OWN,
    },
    # --- rumour registry ---
    "claims.report.view": {Role.FACT_CHECKER: ANY, Role.COORDINATOR: ANY},
    "claims.claim.edit": {Role.FACT_CHECKER: ANY},
    "claims.verdict.approve": {Role.FACT_CHECKER: ANY},
    "claims.claim.publish": {Role.FACT_CHECKER: ANY},
    "claims.thresholds.edit": {Role.FACT_CHECKER: ANY},
}


def staff_roles_of(user: Any) -> list[StaffRole]:
    """The user's roles, loaded once per request object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[StaffRole] | None = getattr(user, "_birge_staff_roles", None)
    if cached is None:
        cached = list(user.staff_roles.select_related("agency"))
        user._birge_staff_roles = cached
    return cached


def is_staff_member(user: Any) -> bool:
    return bool(staff_roles_of(user))


def _agency_with_descendants(agency_ids: Iterable[int]) -> set[int]:
    found = set(agency_ids)
    frontier = set(found)
    while frontier:
        children = set(Agency.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        frontier = children - found
        found |= frontier
    return found


def agency_ids_in_scope(user: Any, action: str) -> set[int] | None:
    """Agencies over which `user` may perform `action`: None means every agency, empty none."""
    grants = RULES.get(action, {})
    own: set[int] = set()
    for staff_role in staff_roles_of(user):
        scope = grants.get(staff_role.role)
        if scope is ANY:
            return None
        if scope is OWN and staff_role.agency_id is not None:
            own.add(staff_role.agency_id)
    return _agency_with_descendants(own) if own else set()


def can(user: Any, action: str, *, agency: Agency | None = None) -> bool:
    """Whether `user` may perform `action` (on an object of `agency`, when given)."""
    if action not in RULES:
        return False
    scope = agency_ids_in_scope(user, action)
    if scope is None:
        return True
    if agency is None:
        return bool(scope)
    return agency.pk in scope


def ensure_can(user: Any, action: str) -> None:
    """Raise PermissionDenied unless `user` may perform `action` on some agency's objects."""
    if not can(user, action):
        raise PermissionDenied


def filter_by_agency_scope(
    user: Any, action: str, queryset: QuerySet[M], *, agency_field: str = "agency"
) -> QuerySet[M]:
    """Narrow `queryset` to objects whose agency lies in the user's scope for `action`."""
    scope = agency_ids_in_scope(user, action)
    if scope is None:
        return queryset
    return queryset.filter(**{f"{agency_field}__in": scope})


def agency_get_for(user: Any, action: str, agency_id: int) -> Agency:
    """The agency, if `user` may perform `action` on it; 404 otherwise."""
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not can(user, action, agency=agency):
        raise Http404
    return agency
