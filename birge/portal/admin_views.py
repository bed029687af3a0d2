"""Staff screens of the portal: the one-step urgent notice, the banner, approval settings and
the statements that miss a translation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from birge.core.access import StaffRequest, ensure_can
from birge.core.models import Agency

from .access import APPROVAL_SETTINGS_EDIT, PAGE_EDIT, URGENT_PUBLISH, in_scope
from .forms import UrgentNoticeForm
from .models import PortalPage
from .selectors import approval_settings_list, banner_current, missing_translation_list
from .services import (
    approval_required_set,
    banner_lower,
    statement_translate,
    urgent_notice_publish,
)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part.strip())}</p>" for part in text.split("\n\n") if part.strip())


def urgent_notice(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, URGENT_PUBLISH)
    form = UrgentNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = urgent_notice_publish(
                actor=request.user,
                language=data["language"],
                agency=data["agency"],
                title=data["title"],
                summary=data["summary"],
                body=_paragraphs(data["body"]),
                source=data["source"],
                banner_texts={code: data[f"banner_{code}"] for code in ("kk", "ru", "en")},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The notice is published and the banner is up."))
            return redirect("wagtailadmin_pages:edit", article.pk)
    return render(
        request,
        "portal/admin/urgent_notice.html",
        {
            "page_title": _("Urgent notice"),
            "header_icon": "warning",
            "form": form,
            "banner": banner_current(),
        },
    )


@require_POST
def banner_lower_view(request: StaffRequest) -> HttpResponse:
    if banner_lower(actor=request.user) is not None:
        messages.success(request, _("The banner is lowered."))
    return redirect("portal_urgent_notice")


def missing_translations(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, PAGE_EDIT)
    return render(
        request,
        "portal/admin/missing_translations.html",
        {
            "page_title": _("Missing translations"),
            "header_icon": "globe",
            "rows": missing_translation_list(user=request.user),
        },
    )


def approval_settings(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, APPROVAL_SETTINGS_EDIT)
    if request.method == "POST":
        agency = (
            Agency.objects.filter(pk=request.POST.get("agency", "")).first()
            if request.POST.get("agency", "").isdigit()
            else None
        )
        if agency is None:
            messages.error(request, _("Choose an agency."))
        else:
            approval_required_set(
                actor=request.user, agency=agency, required=request.POST.get("required") == "1"
            )
            messages.success(request, _("Saved."))
        return redirect("portal_approval_settings")
    return render(
        request,
        "portal/admin/approval_settings.html",
        {
            "page_title": _("Approval of statements"),
            "header_icon": "tasks",
            "rows": approval_settings_list(),
        },
    )


@require_POST
def statement_translate_view(request: StaffRequest, page_id: int, language: str) -> HttpResponse:
    page = Page.objects.filter(pk=page_id).specific().first()
    if not isinstance(page, PortalPage) or not in_scope(request.user, PAGE_EDIT, page.agency_id):
        raise Http404
    try:
        draft = statement_translate(actor=request.user, page=page, language=language)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return redirect("wagtailadmin_pages:edit", draft.pk)
