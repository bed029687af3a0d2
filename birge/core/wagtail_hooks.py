"""The core domain's screens and menu items in the Wagtail admin."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import QuerySet
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Collection, Task, Workflow
from wagtail.permissions import register_permission_policy

from . import admin_views
from .access import AUDIT_VIEW, EMERGENCY_CONTACTS_EDIT, STAFF_MANAGE
from .models import EmergencyContact
from .permission_policies import AccessMenuItem, AccessPermissionPolicy
from .services import EMERGENCY_CONTACT_FIELDS, emergency_contact_delete, emergency_contact_save


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


@hooks.register("register_admin_menu_item")
def register_audit_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Audit log"),
        reverse("core_audit_log"),
        icon_name="history",
        order=900,
        action=AUDIT_VIEW,
    )


@hooks.register("register_admin_menu_item")
def register_staff_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Staff accounts"),
        reverse("core_staff_list"),
        icon_name="group",
        order=910,
        action=STAFF_MANAGE,
    )


@hooks.register("register_admin_menu_item")
def register_two_factor_menu_item() -> MenuItem:
    return MenuItem(_("Two-factor sign-in"), reverse("core_two_factor"), icon_name="key", order=990)


# Staff accounts are created, changed and closed only at /admin/staff/, by audited services
# (`staff_member_create` and the rest); Wagtail's own user and group screens and their bulk
# actions deny everyone, superusers included (a policy with no actions mapped denies all).
register_permission_policy(get_user_model(), AccessPermissionPolicy(get_user_model()))
register_permission_policy(Group, AccessPermissionPolicy(Group))
# Collections are not used yet (every image and document lives in the root collection) and
# Wagtail writes no log entry when one is added, so their management screens stay closed.
register_permission_policy(Collection, AccessPermissionPolicy(Collection))
# Moderation workflows are not used yet, and Wagtail logs nothing when one is disabled.
register_permission_policy(Workflow, AccessPermissionPolicy(Workflow))
register_permission_policy(Task, AccessPermissionPolicy(Task))
register_permission_policy(
    EmergencyContact, AccessPermissionPolicy(EmergencyContact, default=EMERGENCY_CONTACTS_EDIT)
)


def _contact_values(view: Any) -> dict[str, Any]:
    return {name: view.form.cleaned_data[name] for name in EMERGENCY_CONTACT_FIELDS}


class EmergencyContactCreateView(generic.CreateView):
    def save_instance(self) -> EmergencyContact:
        return emergency_contact_save(
            actor=self.request.user, contact=None, **_contact_values(self)
        )


class EmergencyContactEditView(generic.EditView):
    def save_instance(self) -> EmergencyContact:
        # The form has already copied its values onto self.object; the service is handed the
        # stored row so the audit entry names what changed.
        stored = EmergencyContact.objects.get(pk=self.object.pk)
        return emergency_contact_save(
            actor=self.request.user, contact=stored, **_contact_values(self)
        )


class EmergencyContactDeleteView(generic.DeleteView):
    def delete_action(self) -> None:
        emergency_contact_delete(actor=self.request.user, contact=self.object)


class EmergencyContactViewSet(ModelViewSet):
    model = EmergencyContact
    icon = "mobile-alt"
    menu_label = _("Emergency numbers")
    menu_order = 860
    add_to_admin_menu = True
    copy_view_enabled = False
    add_view_class = EmergencyContactCreateView
    edit_view_class = EmergencyContactEditView
    delete_view_class = EmergencyContactDeleteView
    form_fields = list(EMERGENCY_CONTACT_FIELDS)
    list_display = ["number", "name", "sort_order"]
    search_backend_name = None
    ordering = ["sort_order", "number"]

    def get_permissions_to_register(self) -> QuerySet[Permission]:
        # Django model permissions play no part here: access.py decides.
        return Permission.objects.none()


@hooks.register("register_admin_viewset")
def register_emergency_contact_viewset() -> EmergencyContactViewSet:
    return EmergencyContactViewSet("emergency_contacts")
