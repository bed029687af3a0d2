"""The desk's public side: accreditation, members' sign-in, a member's requests and answers."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from birge.core.email_links import sign_in_link_page
from birge.core.ratelimit import RateLimit, rate_limited

from .forms import MediaRequestForm, OutletApplyForm, SignInForm
from .models import Member, RequestKind
from .selectors import member_request_get, member_requests
from .services import (
    media_request_submit,
    member_sign_in,
    member_sign_in_send,
    outlet_apply,
    target_hours,
)

APPLY_LIMIT = RateLimit(scope="media-apply", limit=10, window_seconds=3600)
SESSION_MEMBER = "media_member_id"
private_page = cache_control(private=True, no_store=True)


def _language() -> str:
    return (get_language() or "kk")[:2]


@private_page
@rate_limited(APPLY_LIMIT)
def index(request: HttpRequest) -> HttpResponse:
    """How accreditation works, and the application form."""
    form = OutletApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outlet = outlet_apply(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "media/applied.html", {"outlet": outlet})
    return render(
        request,
        "media/index.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@private_page
@rate_limited(APPLY_LIMIT)
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member_sign_in_send(email=form.cleaned_data["email"], language=_language())
        return render(request, "media/sign_in_sent.html", {"email": form.cleaned_data["email"]})
    return render(
        request,
        "media/sign_in.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@private_page
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    return sign_in_link_page(
        request,
        token,
        sign_in=lambda value: member_sign_in(token=value),
        session_key=SESSION_MEMBER,
        home="media:desk",
        retry="media:sign_in",
        template="media/sign_in_confirm.html",
    )


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The signed-in member of an accredited outlet as the view's second argument."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member_id = request.session.get(SESSION_MEMBER)
        member = (
            Member.objects.select_related("outlet").filter(pk=member_id).first()
            if member_id
            else None
        )
        if member is None or not member.outlet.is_accredited:
            request.session.pop(SESSION_MEMBER, None)
            return redirect("media:sign_in")
        return view(request, member, *args, **kwargs)

    return private_page(wrapped)


@member_required
def desk(request: HttpRequest, member: Member) -> HttpResponse:
    form = MediaRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = media_request_submit(
                member=member,
                kind=form.cleaned_data["kind"],
                question=form.cleaned_data["question"],
                agency=form.cleaned_data["agency"],
                language=_language(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Registered; the answer is due within %(hours)s hours.")
                % {"hours": item.target_hours},
            )
            return redirect("media:request", request_id=item.pk)
    return render(
        request,
        "media/desk.html",
        {
            "member": member,
            "form": form,
            "requests": member_requests(member)[:100],
            "targets": [(label, target_hours(kind)) for kind, label in RequestKind.choices],
        },
        status=400 if request.method == "POST" else 200,
    )


@member_required
def request_detail(request: HttpRequest, member: Member, request_id: int) -> HttpResponse:
    item = member_request_get(member, request_id)
    return render(request, "media/request.html", {"member": member, "item": item})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_MEMBER, None)
    return redirect("media:index")
