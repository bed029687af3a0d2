"""The core domain's screens and menu items in the Wagtail admin."""

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from . import admin_views
from .access import can
from .models import EmergencyContact


@hooks.register("register_admin_urls")
def register_core_admin_urls() -> list[Any]:
    return [
        path("two-factor/", admin_views.two_factor, name="core_two_factor"),
        path(
            "two-factor/backup-codes/",
            admin_views.two_factor_backup_codes,
            name="core_two_factor_backup_codes",
        ),
        path("staff/", admin_views.staff_list, name="core_staff_list"),
        path("staff/new/", admin_views.staff_create, name="core_staff_create"),
        path("staff/<int:member_id>/", admin_views.staff_detail, name="core_staff_detail"),
        path(
            "staff/<int:member_id>/roles/<int:role_id>/remove/",
            admin_views.staff_role_remove,
            name="core_staff_role_remove",
        ),
        path(
            "staff/<int:member_id>/second-factor/",
            admin_views.staff_second_factor_renew,
            name="core_staff_second_factor",
        ),
        path("audit/", admin_views.audit_log, name="core_audit_log"),
        path("audit/exports/", admin_views.audit_export_create, name="core_audit_export_create"),
        path(
            "audit/exports/<int:export_id>/",
            admin_views.audit_export_status,
            name="core_audit_export",
        ),
        path(
            "audit/exports/<int:export_id>/download/",
            admin_views.audit_export_download,
            name="core_audit_export_download",
        ),
    ]


class AuditMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return can(request.user, "core.audit.view")


@hooks.register("register_admin_menu_item")
def register_audit_menu_item() -> MenuItem:
    return AuditMenuItem(_("Audit log"), reverse("core_audit_log"), icon_name="history", order=900)


class StaffMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return can(request.user, "core.staff.manage")


@hooks.register("register_admin_menu_item")
def register_staff_menu_item() -> MenuItem:
    return StaffMenuItem(
        _("Staff accounts"), reverse("core_staff_list"), icon_name="group", order=910
    )


@hooks.register("register_admin_menu_item")
def register_two_factor_menu_item() -> MenuItem:
    return MenuItem(_("Two-factor sign-in"), reverse("core_two_factor"), icon_name="key", order=990)


register_snippet(EmergencyContact)
