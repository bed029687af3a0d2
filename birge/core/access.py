"""Who may do what: the single place access is decided, deny by default.

Each app declares its actions in its own `access.py` with `action_register`, naming the roles
that may perform each and over which agencies: `ANY` (every agency) or `OWN` (the staff
member's agency and the bodies under it); the app's `ready()` imports that module, so every
rule is known before the first request. An action is an `Action` object, never a string:
a misspelt name fails at import (or in mypy), instead of quietly denying.

Views, the API, tasks and the bot ask here; none filters by permission on its own. An object
outside the caller's scope answers 404, so its existence is not revealed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from .models import Agency, StaffRole

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    StaffUser: TypeAlias = User
else:
    StaffUser: TypeAlias = Any  # the concrete user model is known only once apps are loaded
# Whoever is on the other end of a request: a signed-in user or an anonymous visitor.
Visitor: TypeAlias = "StaffUser | AnonymousUser"


class StaffRequest(HttpRequest):
    """A request to a staff view under /admin/: Wagtail lets only a signed-in user through."""

    user: StaffUser


Role = StaffRole.Role
M = TypeVar("M", bound=Model)


class Scope(Enum):
    ANY = "any"
    OWN = "own"


ANY, OWN = Scope.ANY, Scope.OWN


@dataclass(frozen=True)
class Action:
    """Something a staff member does, and which roles may do it over which agencies."""

    name: str
    grants: Mapping[str, Scope] = field(compare=False)

    def __str__(self) -> str:
        return self.name


_ACTIONS: dict[str, Action] = {}


def action_register(name: str, grants: Mapping[Role, Scope]) -> Action:
    """Declare an action; a second declaration of the same name is a programming error."""
    if name in _ACTIONS:
        raise ImproperlyConfigured(f"The access action {name!r} is declared twice.")
    unknown = [role for role in grants if role not in Role.values]
    if unknown:
        raise ImproperlyConfigured(f"The access action {name!r} names unknown roles {unknown}.")
    action = Action(name=name, grants=MappingProxyType({str(k): v for k, v in grants.items()}))
    _ACTIONS[name] = action
    return action


def actions_registered() -> dict[str, Action]:
    """Every declared action by name (for the access matrix test and the admin)."""
    return dict(_ACTIONS)


def staff_roles_of(user: Visitor) -> list[StaffRole]:
    """The user's roles, loaded once per request object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[StaffRole] | None = getattr(user, "_birge_staff_roles", None)
    if cached is None:
        cached = list(user.staff_roles.select_related("agency"))
        setattr(user, "_birge_staff_roles", cached)  # noqa: B010 - memo on the request's user
    return cached


def is_staff_member(user: Visitor) -> bool:
    return bool(staff_roles_of(user))


def _agency_tree() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for agency_id, parent_id in Agency.objects.values_list("id", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(agency_id)
    return children


def _with_descendants(user: Visitor, agency_ids: Iterable[int]) -> frozenset[int]:
    # One query for the whole tree per request (the user object lives as long as the request),
    # instead of one query per level per check.
    tree: dict[int, list[int]] | None = getattr(user, "_birge_agency_tree", None)
    if tree is None:
        tree = _agency_tree()
        setattr(user, "_birge_agency_tree", tree)  # noqa: B010 - memo on the request's user
    found = set(agency_ids)
    frontier = list(found)
    while frontier:
        for child in tree.get(frontier.pop(), ()):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return frozenset(found)


def _checked(action: Action) -> Action:
    if not isinstance(action, Action):
        raise TypeError(f"Access is asked with an Action, not {type(action).__name__}.")
    return action


def agency_ids_in_scope(user: Visitor, action: Action) -> frozenset[int] | None:
    """Agencies over which `user` may perform `action`: None means every agency, empty none."""
    action = _checked(action)
    grants = action.grants
    memo: dict[str, frozenset[int] | None] | None = getattr(user, "_birge_scopes", None)
    if memo is None:
        memo = {}
        if getattr(user, "is_authenticated", False):
            setattr(user, "_birge_scopes", memo)  # noqa: B010 - memo on the request's user
    if action.name in memo:
        return memo[action.name]
    scope: frozenset[int] | None
    own: set[int] = set()
    for staff_role in staff_roles_of(user):
        grant = grants.get(staff_role.role)
        if grant is ANY:
            memo[action.name] = None
            return None
        if grant is OWN and staff_role.agency_id is not None:
            own.add(staff_role.agency_id)
    scope = _with_descendants(user, own) if own else frozenset()
    memo[action.name] = scope
    return scope


def can(user: Visitor, action: Action, *, agency: Agency | None = None) -> bool:
    """Whether `user` may perform `action` (on an object of `agency`, when given)."""
    scope = agency_ids_in_scope(user, action)
    if scope is None:
        return True
    if agency is None:
        return bool(scope)
    return agency.pk in scope


def ensure_can(user: Visitor, action: Action) -> None:
    """Raise PermissionDenied unless `user` may perform `action` on some agency's objects."""
    if not can(user, action):
        raise PermissionDenied


def ensure_can_on(user: Visitor, action: Action, *, agency_id: int | None) -> None:
    """404 unless `user` may perform `action` on an object held by `agency_id`.

    An object no agency holds yet (an appeal in triage, say) needs an all-agency grant.
    Every `*_get_for` lookup ends here, so the rule is the same for every entry point.
    """
    scope = agency_ids_in_scope(user, action)
    if scope is None:
        return
    if agency_id is None or agency_id not in scope:
        raise Http404


def filter_by_agency_scope(
    user: Visitor, action: Action, queryset: QuerySet[M], *, agency_field: str = "agency"
) -> QuerySet[M]:
    """Narrow `queryset` to objects whose agency lies in the user's scope for `action`."""
    scope = agency_ids_in_scope(user, action)
    if scope is None:
        return queryset
    return queryset.filter(**{f"{agency_field}__in": scope})


def agency_get_for(user: Visitor, action: Action, agency_id: int) -> Agency:
    """The agency, if `user` may perform `action` on it; 404 otherwise."""
    ensure_can_on(user, action, agency_id=agency_id)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    return agency


# --- the core domain's own actions --------------------------------------------------------------
AUDIT_VIEW = action_register("core.audit.view", {Role.COORDINATOR: ANY, Role.ADMINISTRATOR: ANY})
AUDIT_EXPORT = action_register(
    "core.audit.export", {Role.COORDINATOR: ANY, Role.ADMINISTRATOR: ANY}
)
AGENCY_VIEW_STAFF = action_register(
    "core.agency.view_staff",
    {Role.COORDINATOR: ANY, Role.ADMINISTRATOR: ANY, Role.AGENCY_HEAD: OWN},
)
AGENCY_EDIT = action_register("core.agency.edit", {Role.ADMINISTRATOR: ANY, Role.AGENCY_HEAD: OWN})
STAFF_MANAGE = action_register("core.staff.manage", {Role.ADMINISTRATOR: ANY})
EMERGENCY_CONTACTS_EDIT = action_register("core.emergency_contacts.edit", {Role.ADMINISTRATOR: ANY})
