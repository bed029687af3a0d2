"""The portal in the Wagtail admin: page permissions from access.py, the urgent-notice screen,
the banner, the agencies' approval settings, and the statements missing a translation."""

from typing import Any

from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from birge.core.permission_policies import AccessMenuItem

from . import admin_views
from .access import (
    APPROVAL_SETTINGS_EDIT,
    PAGE_EDIT,
    URGENT_PUBLISH,
    AccessPagePermissionPolicy,
    in_scope,
)
from .models import PortalPage

register_permission_policy(Page, AccessPagePermissionPolicy())


class TranslateButton(Button):
    """Posts to the translate view: it creates a draft, so it is never a plain link."""

    template_name = "portal/admin/translate_button.html"


@hooks.register("register_admin_urls")
def register_portal_admin_urls() -> list[Any]:
    return [
        path("portal/urgent/", admin_views.urgent_notice, name="portal_urgent_notice"),
        path("portal/banner/lower/", admin_views.banner_lower_view, name="portal_banner_lower"),
        path("portal/translations/", admin_views.missing_translations, name="portal_translations"),
        path("portal/approval/", admin_views.approval_settings, name="portal_approval_settings"),
        path(
            "portal/translate/<int:page_id>/<str:language>/",
            admin_views.statement_translate_view,
            name="portal_translate",
        ),
    ]


@hooks.register("register_page_header_buttons")
def translate_buttons(page: Any, user: Any, view_name: str, next_url: str | None = None) -> Any:
    """ "Translate into …" for each language the statement is not yet written in."""
    specific = page.specific_deferred
    if not isinstance(specific, PortalPage) or not in_scope(user, PAGE_EDIT, specific.agency_id):
        return
    present = set(
        Page.objects.filter(translation_key=page.translation_key).values_list(
            "locale__language_code", flat=True
        )
    )
    for priority, (code, _name) in enumerate(settings.LANGUAGES, start=80):
        if code not in present:
            yield TranslateButton(
                label=_("Translate into %(language)s")
                % {"language": get_language_info(code)["name_translated"]},
                url=reverse("portal_translate", args=[page.pk, code]),
                icon_name="globe",
                priority=priority,
            )


@hooks.register("register_admin_menu_item")
def register_urgent_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Urgent notice"),
        reverse("portal_urgent_notice"),
        icon_name="warning",
        order=150,
        action=URGENT_PUBLISH,
    )


@hooks.register("register_admin_menu_item")
def register_translations_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Missing translations"),
        reverse("portal_translations"),
        icon_name="globe",
        order=160,
        action=PAGE_EDIT,
    )


@hooks.register("register_settings_menu_item")
def register_approval_settings_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Approval of statements"),
        reverse("portal_approval_settings"),
        icon_name="tasks",
        action=APPROVAL_SETTINGS_EDIT,
    )
