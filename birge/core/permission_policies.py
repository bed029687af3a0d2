"""Wagtail's permission checks answered by `access.py`, for every snippet, page type and menu item.

Wagtail asks a model's permission policy whether a user may "add", "change", "delete",
"view", "publish"… Each domain maps those Wagtail actions onto its own access actions, so
Django's model permissions play no part and `access.py` stays the only place access is decided.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.base import BasePermissionPolicy

from .access import Action, StaffUser, Visitor, can


class AccessPermissionPolicy(BasePermissionPolicy):
    """Grant a Wagtail action when `access.py` grants the access action it maps to.

    `actions` maps Wagtail's action names to access actions; `default` answers the rest
    (None: deny what is not mapped).
    """

    def __init__(
        self,
        model: type[Model],
        *,
        default: Action | None = None,
        actions: Mapping[str, Action] | None = None,
    ) -> None:
        super().__init__(model)
        self.default = default
        self.actions = dict(actions or {})

    def _action_for(self, wagtail_action: str) -> Action | None:
        return self.actions.get(wagtail_action, self.default)

    def user_has_permission(self, user: Visitor, action: str) -> bool:
        access_action = self._action_for(action)
        return access_action is not None and can(user, access_action)

    def user_has_any_permission(self, user: Visitor, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet[StaffUser]:
        roles = set()
        for action in actions:
            access_action = self._action_for(action)
            if access_action is not None:
                roles |= set(access_action.grants)
        return (
            get_user_model().objects.filter(is_active=True, staff_roles__role__in=roles).distinct()
        )


class AccessMenuItem(MenuItem):
    """An admin menu item shown to those `access.py` lets perform `action`."""

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action

    def is_shown(self, request: HttpRequest) -> bool:
        return can(request.user, self.action)
