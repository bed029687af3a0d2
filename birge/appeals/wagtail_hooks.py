"""The appeals desk's screens and menu items in the Wagtail admin."""

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from birge.core.permission_policies import AccessMenuItem

from . import admin_views
from .access import (
    APPEAL_ANSWER,
    APPEAL_ROUTE,
    APPEAL_VIEW,
    ROUTING_RULE_EDIT,
    STATISTICS_VIEW,
)


@hooks.register("register_admin_urls")
def register_appeals_admin_urls() -> list[Any]:
    return [
        path("appeals/", admin_views.inbox, name="appeals_admin_inbox"),
        path("appeals/triage/", admin_views.triage, name="appeals_admin_triage"),
        path("appeals/routing/", admin_views.routing, name="appeals_admin_routing"),
        path("appeals/templates/", admin_views.templates, name="appeals_admin_templates"),
        path("appeals/statistics/", admin_views.statistics, name="appeals_admin_statistics"),
        path("appeals/<int:appeal_id>/", admin_views.detail, name="appeals_admin_detail"),
        path(
            "appeals/<int:appeal_id>/attachment/",
            admin_views.attachment,
            name="appeals_admin_attachment",
        ),
        path("appeals/<int:appeal_id>/route/", admin_views.route, name="appeals_admin_route"),
        path("appeals/<int:appeal_id>/faq/", admin_views.faq_prepare, name="appeals_admin_faq"),
        path("appeals/<int:appeal_id>/<slug:action>/", admin_views.act, name="appeals_admin_act"),
    ]


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Appeals"),
        reverse("appeals_admin_inbox"),
        icon_name="mail",
        order=200,
        action=APPEAL_VIEW,
    )


@hooks.register("register_admin_menu_item")
def register_triage_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Triage queue"),
        reverse("appeals_admin_triage"),
        icon_name="list-ul",
        order=201,
        action=APPEAL_ROUTE,
    )


@hooks.register("register_admin_menu_item")
def register_routing_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Routing rules"),
        reverse("appeals_admin_routing"),
        icon_name="cogs",
        order=202,
        action=ROUTING_RULE_EDIT,
    )


@hooks.register("register_admin_menu_item")
def register_templates_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Answer templates"),
        reverse("appeals_admin_templates"),
        icon_name="doc-full",
        order=203,
        action=APPEAL_ANSWER,
    )


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Appeals figures"),
        reverse("appeals_admin_statistics"),
        icon_name="table",
        order=204,
        action=STATISTICS_VIEW,
    )
