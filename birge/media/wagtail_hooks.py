"""The rapid-response desk's screens and menu items in the staff admin."""

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from birge.core.permission_policies import AccessMenuItem

from . import admin_views
from .access import FIGURES_VIEW, OUTLET_ACCREDIT, REQUEST_VIEW


@hooks.register("register_admin_urls")
def register_media_admin_urls() -> list[Any]:
    return [
        path("press/", admin_views.inbox, name="media_admin_inbox"),
        path("press/outlets/", admin_views.outlets, name="media_admin_outlets"),
        path(
            "press/outlets/<int:outlet_id>/", admin_views.outlet_act, name="media_admin_outlet_act"
        ),
        path("press/targets/", admin_views.targets, name="media_admin_targets"),
        path("press/figures/", admin_views.figures, name="media_admin_figures"),
        path("press/<int:request_id>/", admin_views.detail, name="media_admin_detail"),
    ]


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Media requests"),
        reverse("media_admin_inbox"),
        icon_name="mail",
        order=270,
        action=REQUEST_VIEW,
    )


@hooks.register("register_admin_menu_item")
def register_outlets_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Accreditation"),
        reverse("media_admin_outlets"),
        icon_name="group",
        order=271,
        action=OUTLET_ACCREDIT,
    )


@hooks.register("register_admin_menu_item")
def register_figures_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Rapid-response figures"),
        reverse("media_admin_figures"),
        icon_name="table",
        order=272,
        action=FIGURES_VIEW,
    )
