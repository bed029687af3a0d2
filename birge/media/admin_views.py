"""The desk's staff screens: the inbox on the hours clock, one request (route, answer), the
outlets' accreditation, the targets and the figures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birge.core.access import StaffRequest, can, ensure_can, filter_by_agency_scope
from birge.core.models import Agency

from .access import (
    ANSWER_APPROVE,
    FIGURES_VIEW,
    OUTLET_ACCREDIT,
    REQUEST_ANSWER,
    REQUEST_ROUTE,
    REQUEST_VIEW,
    TARGETS_EDIT,
)
from .models import MediaRequest, Outlet, RequestKind
from .selectors import media_figures, media_inbox, media_request_get_for
from .services import (
    media_request_answer,
    media_request_route,
    outlet_decide,
    target_hours,
    targets_set,
)


def inbox(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, REQUEST_VIEW)
    answered = request.GET.get("answered") == "1"
    return render(
        request,
        "media/admin/inbox.html",
        {
            "page_title": _("Media requests"),
            "header_icon": "mail",
            "requests": media_inbox(user=request.user, answered=answered)[:200],
            "answered": answered,
            "now": timezone.now(),
        },
    )


def detail(request: StaffRequest, request_id: int) -> HttpResponse:
    item = media_request_get_for(request.user, REQUEST_VIEW, request_id)
    user = request.user
    if request.method == "POST":
        try:
            if request.POST.get("action") == "route":
                ensure_can(user, REQUEST_ROUTE)
                agency = Agency.objects.filter(pk=request.POST.get("agency") or 0).first()
                if agency is None:
                    raise ValidationError(_("Choose from the list."))
                media_request_route(coordinator=user, request=item, agency=agency)
                messages.success(request, _("Sent to %(agency)s.") % {"agency": agency.name})
            elif request.POST.get("action") == "answer":
                media_request_answer(
                    officer=user, request=item, answer=request.POST.get("answer", "")
                )
                messages.success(request, _("The answer is sent."))
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("media_admin_detail", request_id=item.pk)
    return render(
        request,
        "media/admin/detail.html",
        {
            "page_title": _("Media request from %(outlet)s") % {"outlet": item.outlet.name},
            "header_icon": "mail",
            "item": item,
            "events": item.events.select_related("actor", "agency"),
            "can_route": can(user, REQUEST_ROUTE) and item.status != "answered",
            "agencies": Agency.objects.filter(is_active=True).exclude(
                kind=Agency.Kind.VOLUNTEER_HEADQUARTERS
            ),
            "can_answer": item.agency is not None
            and item.status == MediaRequest.Status.WITH_AGENCY
            and can(user, REQUEST_ANSWER, agency=item.agency),
            "can_approve": item.agency is not None
            and item.status == MediaRequest.Status.PENDING_APPROVAL
            and can(user, ANSWER_APPROVE, agency=item.agency),
            "now": timezone.now(),
        },
    )


def outlets(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, OUTLET_ACCREDIT)
    return render(
        request,
        "media/admin/outlets.html",
        {
            "page_title": _("Accreditation"),
            "header_icon": "group",
            "outlets": Outlet.objects.prefetch_related("members").order_by("status", "name"),
            "decisions": [
                (value, label) for value, label in Outlet.Status.choices if value != "applied"
            ],
        },
    )


@require_POST
def outlet_act(request: StaffRequest, outlet_id: int) -> HttpResponse:
    ensure_can(request.user, OUTLET_ACCREDIT)
    outlet = Outlet.objects.filter(pk=outlet_id).first()
    if outlet is None:
        raise Http404
    try:
        outlet_decide(
            coordinator=request.user,
            outlet=outlet,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            language=(request.LANGUAGE_CODE or "kk")[:2],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{outlet.name}: {outlet.get_status_display()}")
    return redirect("media_admin_outlets")


def targets(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, TARGETS_EDIT)
    if request.method == "POST":
        try:
            hours = {kind: int(request.POST.get(kind) or 0) for kind in RequestKind.values}
            targets_set(coordinator=request.user, hours=hours)
        except ValueError:
            messages.error(request, _("A target is from 1 to %(max)s hours.") % {"max": 720})
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The targets are saved."))
        return redirect("media_admin_targets")
    return render(
        request,
        "media/admin/targets.html",
        {
            "page_title": _("Response targets"),
            "header_icon": "time",
            "rows": [(kind, label, target_hours(kind)) for kind, label in RequestKind.choices],
        },
    )


def figures(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, FIGURES_VIEW)
    agencies = filter_by_agency_scope(
        request.user, FIGURES_VIEW, Agency.objects.all(), agency_field="pk"
    )
    return render(
        request,
        "media/admin/figures.html",
        {
            "page_title": _("Rapid-response figures"),
            "header_icon": "table",
            "figures": media_figures(agencies=agencies),
        },
    )
