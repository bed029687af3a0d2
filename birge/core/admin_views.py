"""Staff screens inside the Wagtail admin: second factor, audit log and its exports."""

import secrets

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import AUDIT_EXPORT, STAFF_MANAGE, StaffRequest, can, ensure_can
from .files import private_file_response
from .forms import (
    AuditFilterForm,
    StaffMemberForm,
    StaffReauthenticationForm,
    StaffRoleForm,
    TotpConfirmForm,
)
from .models import AuditExport, StaffRole
from .selectors import (
    audit_entry_list,
    audit_export_get_for,
    audit_export_list_for,
    staff_member_get,
    staff_member_list,
)
from .services import (
    audit_export_request,
    staff_backup_codes_issue,
    staff_member_create,
    staff_role_grant,
    staff_role_revoke,
    staff_second_factor_reset,
    staff_totp_confirm,
    staff_totp_reset,
)

AUDIT_PAGE_SIZE = 50


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg: str = image.to_string(encoding="unicode")
    return svg


def two_factor(request: StaffRequest) -> HttpResponse:
    user = request.user
    device = TOTPDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = staff_totp_reset(user=user)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if staff_totp_confirm(user=user, token=form.cleaned_data["code"]):
            messages.success(request, _("Your authenticator app is confirmed."))
            return redirect("core_two_factor")
        form.add_error("code", _("The code did not match. Check the time on your phone."))
    context = {
        "page_title": _("Two-factor sign-in"),
        "header_icon": "key",
        "device": device,
        "form": form,
        "qr_svg": None if device.confirmed else _qr_svg(device.config_url),
        "secret": None if device.confirmed else device.key,
    }
    return render(request, "core/admin/two_factor.html", context)


def two_factor_backup_codes(request: StaffRequest) -> HttpResponse:
    # New codes are a second factor: whoever holds the open session must also know the password
    # and hold the authenticator (or a current backup code).
    form = StaffReauthenticationForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = staff_backup_codes_issue(actor=request.user, user=request.user)
        return render(
            request,
            "core/admin/backup_codes.html",
            {"page_title": _("New backup codes"), "header_icon": "key", "codes": codes},
        )
    return render(
        request,
        "core/admin/backup_codes_confirm.html",
        {"page_title": _("New backup codes"), "header_icon": "key", "form": form},
    )


def audit_log(request: StaffRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entry_list(user=request.user, **filters).select_related("agency")
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("p"))
    context = {
        "page_title": _("Audit log"),
        "header_icon": "history",
        "form": form,
        "page": page,
        "can_export": can(request.user, AUDIT_EXPORT),
        "exports": audit_export_list_for(user=request.user)
        if can(request.user, AUDIT_EXPORT)
        else [],
    }
    return render(request, "core/admin/audit_log.html", context)


@require_POST
def audit_export_create(request: StaffRequest) -> HttpResponse:
    form = AuditFilterForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("__all__", [])))
        return redirect("core_audit_log")
    export = audit_export_request(
        actor=request.user,
        date_from=form.cleaned_data.get("date_from"),
        date_to=form.cleaned_data.get("date_to"),
    )
    return redirect("core_audit_export", export_id=export.pk)


def audit_export_status(request: StaffRequest, export_id: int) -> HttpResponse:
    export = audit_export_get_for(user=request.user, export_id=export_id)
    if export is None:
        raise Http404
    finished = export.status in (AuditExport.Status.DONE, AuditExport.Status.FAILED)
    return render(
        request,
        "core/admin/audit_export.html",
        {
            "page_title": _("Audit log export"),
            "header_icon": "download",
            "export": export,
            "finished": finished,
        },
    )


def audit_export_download(request: StaffRequest, export_id: int) -> HttpResponseBase:
    export = audit_export_get_for(user=request.user, export_id=export_id)
    if export is None or export.status != AuditExport.Status.DONE or not export.file:
        raise Http404
    return private_file_response(export.file, download_name=f"audit-export-{export.pk}.csv")


def staff_list(request: StaffRequest) -> HttpResponse:
    members = staff_member_list(user=request.user)
    return render(
        request,
        "core/admin/staff_list.html",
        {"page_title": _("Staff accounts"), "header_icon": "group", "members": members},
    )


def staff_create(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, STAFF_MANAGE)
    form = StaffMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = secrets.token_urlsafe(12)
        member, codes = staff_member_create(
            actor=request.user,
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=password,
            role=form.cleaned_data["role"],
            agency=form.cleaned_data["agency"],
        )
        return render(
            request,
            "core/admin/staff_credentials.html",
            {
                "page_title": _("Staff account created"),
                "header_icon": "key",
                "member": member,
                "password": password,
                "codes": codes,
            },
        )
    return render(
        request,
        "core/admin/staff_form.html",
        {"page_title": _("New staff account"), "header_icon": "user", "form": form},
    )


def staff_detail(request: StaffRequest, member_id: int) -> HttpResponse:
    member = staff_member_get(user=request.user, member_id=member_id)
    form = StaffRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_role_grant(
                actor=request.user,
                user=member,
                role=form.cleaned_data["role"],
                agency=form.cleaned_data["agency"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Role granted."))
            return redirect("core_staff_detail", member_id=member.pk)
    return render(
        request,
        "core/admin/staff_detail.html",
        {
            "page_title": member.get_username(),
            "header_icon": "user",
            "member": member,
            "form": form,
        },
    )


@require_POST
def staff_role_remove(request: StaffRequest, member_id: int, role_id: int) -> HttpResponse:
    member = staff_member_get(user=request.user, member_id=member_id)
    staff_role = get_object_or_404(StaffRole, pk=role_id, user=member)
    staff_role_revoke(actor=request.user, staff_role=staff_role)
    messages.success(request, _("Role removed."))
    return redirect("core_staff_detail", member_id=member.pk)


@require_POST
def staff_second_factor_renew(request: StaffRequest, member_id: int) -> HttpResponse:
    member = staff_member_get(user=request.user, member_id=member_id)
    codes = staff_second_factor_reset(actor=request.user, user=member)
    return render(
        request,
        "core/admin/staff_credentials.html",
        {
            "page_title": _("New second factor"),
            "header_icon": "key",
            "member": member,
            "password": None,
            "codes": codes,
        },
    )
