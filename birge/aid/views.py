"""Public aid pages: how to ask, the request form and its private page, volunteering (sign-up,
sign-in by e-mail link, the volunteer's own page and tasks) and each campaign's fund report."""

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from birge.core.email_links import sign_in_link_page
from birge.core.ratelimit import RateLimit, rate_limited

from .forms import DeliverForm, HelpRequestForm, SignInForm, VolunteerForm
from .models import HelpRequest, Volunteer
from .selectors import (
    campaign_by_slug,
    campaigns_public,
    campaigns_taking_requests,
    fund_report,
    help_request_by_token,
    task_contact_visible,
    volunteer_hours,
    volunteer_task_get,
    volunteer_tasks_offered,
    volunteer_tasks_taken,
)
from .services import (
    help_request_submit,
    task_accept,
    task_decline,
    task_deliver,
    task_release,
    volunteer_register,
    volunteer_sign_in,
    volunteer_sign_in_send,
)

ASK_LIMIT = RateLimit(scope="aid-ask", limit=10, window_seconds=3600)
VOLUNTEER_LIMIT = RateLimit(scope="aid-volunteer", limit=10, window_seconds=3600)
SESSION_VOLUNTEER = "aid_volunteer_id"
# What a family or a volunteer types or sees here is personal: no shared cache, no browser cache.
private_page = cache_control(private=True, no_store=True)


def _language() -> str:
    return (get_language() or "kk")[:2]


def _tracking_path(request: HelpRequest) -> str:
    return reverse(
        "aid:track", kwargs={"code": request.tracking_code, "token": request.tracking_token}
    )


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "aid/index.html",
        {"open_campaigns": campaigns_taking_requests(), "campaigns": campaigns_public()},
    )


@private_page
@rate_limited(ASK_LIMIT)
def ask(request: HttpRequest) -> HttpResponse:
    campaigns = campaigns_taking_requests()
    form = HelpRequestForm(
        request.POST or None,
        campaigns=campaigns,
        initial={"campaign": request.GET.get("campaign")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            help_request = help_request_submit(
                campaign=form.cleaned_data["campaign"],
                region=form.cleaned_data["region"],
                help_kind=form.cleaned_data["help_kind"],
                household=form.household(),
                consent=form.cleaned_data["consent"],
                language=_language(),
                channel=HelpRequest.Channel.WEB,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{_tracking_path(help_request)}?new=1")
    return render(
        request,
        "aid/ask.html",
        {"form": form, "campaigns": campaigns},
        status=400 if request.method == "POST" else 200,
    )


@private_page
def track(request: HttpRequest, code: str, token: str) -> HttpResponse:
    help_request = help_request_by_token(code=code, token=token)
    return render(
        request,
        "aid/track.html",
        {
            "help_request": help_request,
            "is_new": request.GET.get("new") == "1",
            "tracking_link": request.build_absolute_uri(_tracking_path(help_request)),
            "events": help_request.events.filter(is_public=True).order_by("at", "id"),
            "delivery_code": help_request.delivery_code() if not help_request.is_closed else "",
        },
    )


@private_page
@rate_limited(VOLUNTEER_LIMIT)
def volunteer_join(request: HttpRequest) -> HttpResponse:
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            volunteer = volunteer_register(
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                region=data["region"],
                skills=data["skills"],
                languages=data["languages"],
                availability=data["availability"],
                consent=data["consent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            volunteer_sign_in_send(email=volunteer.email, language=_language())
            return render(request, "aid/volunteer_joined.html", {"volunteer": volunteer})
    return render(
        request,
        "aid/volunteer_join.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@private_page
@rate_limited(VOLUNTEER_LIMIT)
def volunteer_sign_in_request(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        volunteer_sign_in_send(email=form.cleaned_data["email"], language=_language())
        return render(request, "aid/sign_in_sent.html", {"email": form.cleaned_data["email"]})
    return render(
        request,
        "aid/sign_in.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@private_page
def volunteer_sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    return sign_in_link_page(
        request,
        token,
        sign_in=lambda value: volunteer_sign_in(token=value),
        session_key=SESSION_VOLUNTEER,
        home="aid:volunteer_home",
        retry="aid:volunteer_sign_in",
        template="aid/sign_in_confirm.html",
    )


def volunteer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The signed-in volunteer as the view's second argument; the sign-in page otherwise."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer_id = request.session.get(SESSION_VOLUNTEER)
        volunteer = Volunteer.objects.filter(pk=volunteer_id).first() if volunteer_id else None
        if volunteer is None or volunteer.status == Volunteer.Status.SUSPENDED:
            request.session.pop(SESSION_VOLUNTEER, None)
            return redirect("aid:volunteer_sign_in")
        return view(request, volunteer, *args, **kwargs)

    return private_page(wrapped)


@volunteer_required
def volunteer_home(request: HttpRequest, volunteer: Volunteer) -> HttpResponse:
    verified = volunteer.status == Volunteer.Status.VERIFIED
    return render(
        request,
        "aid/volunteer_home.html",
        {
            "volunteer": volunteer,
            "verified": verified,
            "offered": list(volunteer_tasks_offered(volunteer)[:50]) if verified else [],
            "taken": list(volunteer_tasks_taken(volunteer).order_by("-assigned_at")[:50]),
            "hours": volunteer_hours(volunteer),
        },
    )


@volunteer_required
def volunteer_task(request: HttpRequest, volunteer: Volunteer, request_id: int) -> HttpResponse:
    help_request = volunteer_task_get(volunteer, request_id)
    form = DeliverForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                task_accept(volunteer=volunteer, request=help_request)
                messages.success(request, _("The task is yours: the address and phone are below."))
            elif action == "decline":
                task_decline(volunteer=volunteer, request=help_request)
                messages.success(request, _("You declined the task."))
                return redirect("aid:volunteer_home")
            elif action == "release":
                task_release(
                    volunteer=volunteer, request=help_request, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("You gave the task back to the headquarters."))
                return redirect("aid:volunteer_home")
            elif action == "deliver":
                form = DeliverForm(request.POST)
                if form.is_valid():
                    task_deliver(
                        volunteer=volunteer,
                        request=help_request,
                        code=form.cleaned_data["code"],
                        hours=form.cleaned_data["hours"],
                    )
                    messages.success(request, _("Delivered. Thank you!"))
                    return redirect("aid:volunteer_home")
                status = 400
            else:
                raise Http404
        except ValidationError as error:
            if hasattr(error, "error_dict") and action == "deliver":
                form.add_error(None, error)
            else:
                for message in error.messages:
                    messages.error(request, message)
            status = 400
        if status == 200:
            return redirect("aid:volunteer_task", request_id=help_request.pk)
    return render(
        request,
        "aid/volunteer_task.html",
        {
            "volunteer": volunteer,
            "task": help_request,
            "contact_visible": task_contact_visible(volunteer, help_request),
            "form": form,
        },
        status=status,
    )


@require_POST
def volunteer_sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_VOLUNTEER, None)
    return redirect("aid:index")


@cache_control(public=True, max_age=60)
def report(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_by_slug(slug)
    data = fund_report(campaign)
    if request.GET.get("format") == "csv":
        return _report_csv(data)
    return render(request, "aid/report.html", {"campaign": campaign, "report": data})


def _report_csv(data: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{data.campaign.slug}-report.csv"'
    writer = csv.writer(response)
    writer.writerow(["region", "month", "families_helped"])
    for name, cells, _total in data.regions:
        for month, cell in sorted(cells.items()):
            writer.writerow([name, month.strftime("%Y-%m"), cell.shown])
    writer.writerow([])
    writer.writerow(["month", "raised_kzt", "spent_kzt"])
    for month, raised, spent in data.money_by_month:
        writer.writerow([month.strftime("%Y-%m"), raised, spent])
    return response
