"""Who may write, publish and approve portal statements, and the portal's Wagtail permissions.

Wagtail decides page permissions from `GroupPagePermission` rows; here they are derived from
`access.py` instead, so roles and agencies decide, as everywhere else:
- `AccessPagePermissionPolicy` gives the tree-wide Wagtail permissions a role could use on some
  agency's pages (the explorer, the menus, choosers);
- `PortalPagePermissionTester` narrows them on each statement to its issuing agency, and holds
  back "publish" from editors of an agency whose statements its head approves.
"""

from types import SimpleNamespace
from typing import Any

from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from birge.core.access import ANY, OWN, Action, Role, Visitor, action_register, agency_ids_in_scope

PAGE_EDIT = action_register(
    "portal.page.edit",
    {Role.EDITOR: OWN, Role.AGENCY_HEAD: OWN, Role.COORDINATOR: ANY},
)
# Editors publish only where the agency does not ask for its head's approval (page_publish_allowed).
PAGE_PUBLISH = action_register(
    "portal.page.publish",
    {Role.EDITOR: OWN, Role.AGENCY_HEAD: OWN, Role.COORDINATOR: ANY},
)
PAGE_APPROVE = action_register(
    "portal.page.approve", {Role.AGENCY_HEAD: OWN, Role.COORDINATOR: ANY}
)
# The home page and the sections: the portal's structure.
SECTION_EDIT = action_register("portal.section.edit", {Role.COORDINATOR: ANY})
# Publish an urgent notice in one step, and raise or lower the banner.
URGENT_PUBLISH = action_register("portal.urgent.publish", {Role.COORDINATOR: ANY})
APPROVAL_SETTINGS_EDIT = action_register(
    "portal.approval_settings.edit", {Role.COORDINATOR: ANY, Role.ADMINISTRATOR: ANY}
)


def in_scope(user: Visitor, action: Action, agency_id: int | None) -> bool:
    scope = agency_ids_in_scope(user, action)
    return scope is None or (agency_id is not None and agency_id in scope)


def approval_rules() -> dict[int, bool]:
    """Each agency's stored choice; an agency without one follows `APPROVAL_DEFAULT`. One query."""
    from .models import AgencyPortalSettings

    return dict(AgencyPortalSettings.objects.values_list("agency_id", "approval_required"))


def approval_required(agency_id: int | None, rules: dict[int, bool]) -> bool:
    from .models import AgencyPortalSettings

    if agency_id is None:
        return True
    return rules.get(agency_id, AgencyPortalSettings.APPROVAL_DEFAULT)


def page_publish_allowed(user: "Visitor | None", *, agency_id: int | None) -> bool:
    """Whether `user` may publish a statement of the agency without anyone's approval."""
    if user is None:
        return False
    if in_scope(user, PAGE_APPROVE, agency_id):
        return True
    if not in_scope(user, PAGE_PUBLISH, agency_id):
        return False
    # Asked once per page row in the admin's listings: the rules are read once per request.
    rules: dict[int, bool] | None = getattr(user, "_birge_approval_rules", None)
    if rules is None:
        rules = approval_rules()
        setattr(user, "_birge_approval_rules", rules)  # noqa: B010 - memo on the request's user
    return not approval_required(agency_id, rules)


def page_approve_allowed(user: Visitor, *, agency_id: int | None) -> bool:
    return in_scope(user, PAGE_APPROVE, agency_id)


def _grant(page: Page, codename: str) -> SimpleNamespace:
    # Stands in for a GroupPagePermission row: Wagtail reads `.page` and `.permission.codename`.
    return SimpleNamespace(page=page, permission=SimpleNamespace(codename=codename))


class AccessPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permissions, from the roles `access.py` grants, over the whole tree."""

    def get_all_permissions_for_user(self, user: Any) -> list[SimpleNamespace]:
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return []
        cached: list[SimpleNamespace] | None = getattr(user, "_birge_page_grants", None)
        if cached is None:
            cached = self._grants_for(user)
            setattr(user, "_birge_page_grants", cached)  # noqa: B010 - memo on the request's user
        return cached

    def _grants_for(self, user: Any) -> list[SimpleNamespace]:
        root = Page.get_first_root_node()
        if root is None:
            return []
        codenames: set[str] = set()
        if any(
            agency_ids_in_scope(user, action) != frozenset() for action in (PAGE_EDIT, SECTION_EDIT)
        ):
            codenames |= {"add_page", "change_page"}
        if (
            agency_ids_in_scope(user, PAGE_PUBLISH) != frozenset()
            or agency_ids_in_scope(user, PAGE_APPROVE) != frozenset()
        ):
            codenames |= {"publish_page", "lock_page", "unlock_page"}
        return [_grant(root, codename) for codename in sorted(codenames)]

    def users_with_any_permission(self, actions: Any, include_superusers: bool = True) -> Any:
        from django.contrib.auth import get_user_model

        roles = set()
        for action in (PAGE_EDIT, PAGE_PUBLISH, PAGE_APPROVE, SECTION_EDIT):
            roles |= set(action.grants)
        users = get_user_model().objects.filter(is_active=True, staff_roles__role__in=roles)
        return users.distinct()


class PortalPagePermissionTester(PagePermissionTester):
    """On one statement: what the user may do given its issuing agency."""

    def __init__(self, user: Any, page: Any) -> None:
        super().__init__(user, page)
        if not user.is_active or user.is_superuser:
            return
        agency_id = getattr(page, "agency_id", None)
        permissions: set[str] = set()
        if in_scope(user, PAGE_EDIT, agency_id):
            permissions |= {"add", "change"}
        if page_publish_allowed(user, agency_id=agency_id):
            permissions |= {"publish", "lock", "unlock"}
        self.permissions = permissions


class SectionPermissionTester(PagePermissionTester):
    """On the home page and the sections: coordinators change them; editors add statements."""

    def __init__(self, user: Any, page: Any) -> None:
        super().__init__(user, page)
        if not user.is_active or user.is_superuser:
            return
        permissions: set[str] = set()
        if agency_ids_in_scope(user, PAGE_EDIT) != frozenset():
            permissions.add("add")
        # "publish" here lets a new statement be published as it is created; whether this user
        # may publish for the agency chosen in the form is checked by the form itself.
        if any(
            agency_ids_in_scope(user, action) != frozenset()
            for action in (PAGE_PUBLISH, PAGE_APPROVE)
        ):
            permissions.add("publish")
        if in_scope(user, SECTION_EDIT, None):
            permissions |= {"add", "change", "publish"}
        self.permissions = permissions
