"""The working-calendar screens in the Wagtail admin, for administrators only.

Access is decided by `birge.core.access` (`workdays.calendar.edit`), not by Django model
permissions, and every save and delete goes through the calendar's services, which audit the
write and make deadlines follow the new calendar.
"""

from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from birge.core.permission_policies import AccessPermissionPolicy

from .access import CALENDAR_EDIT
from .models import WorkdayException
from .services import workday_exception_delete, workday_exception_save

# Every action on the calendar (view, add, change, delete) is `workdays.calendar.edit`.
register_permission_policy(
    WorkdayException, AccessPermissionPolicy(WorkdayException, default=CALENDAR_EDIT)
)


def _save(view: Any, exception: WorkdayException | None) -> WorkdayException:
    data = view.form.cleaned_data
    return workday_exception_save(
        actor=view.request.user,
        exception=exception,
        day=data["date"],
        kind=data["kind"],
        name_kk=data["name_kk"],
        name_ru=data["name_ru"],
        name_en=data["name_en"],
        source=data["source"],
    )


class WorkdayExceptionCreateView(generic.CreateView):
    def save_instance(self) -> WorkdayException:
        return _save(self, None)


class WorkdayExceptionEditView(generic.EditView):
    def save_instance(self) -> WorkdayException:
        # The form has already copied its values onto self.object; the service is handed the
        # stored row so the audit entry names what changed.
        return _save(self, WorkdayException.objects.get(pk=self.object.pk))


class WorkdayExceptionDeleteView(generic.DeleteView):
    def delete_action(self) -> None:
        workday_exception_delete(actor=self.request.user, exception=self.object)


class WorkdayExceptionViewSet(ModelViewSet):
    model = WorkdayException
    icon = "date"
    menu_label = _("Working calendar")
    menu_order = 850
    add_to_admin_menu = True
    copy_view_enabled = False
    add_view_class = WorkdayExceptionCreateView
    edit_view_class = WorkdayExceptionEditView
    delete_view_class = WorkdayExceptionDeleteView
    form_fields = ["date", "kind", "name_kk", "name_ru", "name_en", "source"]
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind", "date"]
    search_fields = ["name_kk", "name_ru", "name_en", "source"]
    search_backend_name = None
    ordering = ["-date"]
    list_per_page = 100

    def get_permissions_to_register(self) -> QuerySet[Permission]:
        # Django model permissions play no part here: access.py decides.
        return Permission.objects.none()


@hooks.register("register_admin_viewset")
def register_workday_calendar_viewset() -> WorkdayExceptionViewSet:
    return WorkdayExceptionViewSet("workday_calendar")
