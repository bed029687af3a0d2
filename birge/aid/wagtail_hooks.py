"""The aid screens and menu items in the staff admin."""

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from birge.core.permission_policies import AccessMenuItem

from . import admin_views
from .access import PARTNER_MANAGE, REQUEST_TAKE_CALL, REQUEST_VIEW, VOLUNTEER_VERIFY


@hooks.register("register_admin_urls")
def register_aid_admin_urls() -> list[Any]:
    return [
        path("aid/", admin_views.queue, name="aid_admin_queue"),
        path("aid/call/", admin_views.take_call, name="aid_admin_take_call"),
        path("aid/volunteers/", admin_views.volunteers, name="aid_admin_volunteers"),
        path(
            "aid/volunteers/<int:volunteer_id>/check/",
            admin_views.volunteer_check,
            name="aid_admin_volunteer_check",
        ),
        path("aid/ledger/<int:campaign_id>/", admin_views.ledger, name="aid_admin_ledger"),
        path("aid/partners/", admin_views.partners, name="aid_admin_partners"),
        path("aid/<int:request_id>/", admin_views.detail, name="aid_admin_detail"),
        path("aid/<int:request_id>/<slug:action>/", admin_views.act, name="aid_admin_act"),
    ]


@hooks.register("register_admin_menu_item")
def register_queue_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Help requests"),
        reverse("aid_admin_queue"),
        icon_name="group",
        order=260,
        action=REQUEST_VIEW,
    )


@hooks.register("register_admin_menu_item")
def register_call_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Take a help call"),
        reverse("aid_admin_take_call"),
        icon_name="mobile-alt",
        order=261,
        action=REQUEST_TAKE_CALL,
    )


@hooks.register("register_admin_menu_item")
def register_volunteers_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Volunteers"),
        reverse("aid_admin_volunteers"),
        icon_name="user",
        order=262,
        action=VOLUNTEER_VERIFY,
    )


@hooks.register("register_admin_menu_item")
def register_partners_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Partners"),
        reverse("aid_admin_partners"),
        icon_name="site",
        order=263,
        action=PARTNER_MANAGE,
    )
