"""The API clients' screens and menu item in the Wagtail admin."""

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from birge.core.permission_policies import AccessMenuItem

from . import admin_views
from .access import API_CLIENT_MANAGE


@hooks.register("register_admin_urls")
def register_api_admin_urls() -> list[Any]:
    return [
        path("api-clients/", admin_views.client_list, name="api_client_list"),
        path("api-clients/new/", admin_views.client_create, name="api_client_create"),
        path("api-clients/<int:client_id>/", admin_views.client_detail, name="api_client_detail"),
        path(
            "api-clients/<int:client_id>/revoke/",
            admin_views.client_revoke,
            name="api_client_revoke",
        ),
        path(
            "api-clients/<int:client_id>/new-key/",
            admin_views.client_key_rotate,
            name="api_client_key_rotate",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_api_clients_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("API clients"),
        reverse("api_client_list"),
        icon_name="code",
        order=920,
        action=API_CLIENT_MANAGE,
    )
