"""Public pages: ask, similar answers, the private tracking page, the FAQ, agency figures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from birge.core.models import Agency
from birge.core.ratelimit import RateLimit, rate_limited

from .clock import ClockState, clock_state, crisis_due_at
from .forms import AppealForm, ClarificationForm, FaqSearchForm, ReasonForm
from .models import Appeal
from .notify import tracking_path
from .selectors import (
    agency_performance,
    agency_performance_many,
    appeal_get_by_code,
    appeal_get_by_token,
    appeal_public_events,
    appeal_published_answer,
    crisis_target_hours,
    faq_search,
    faq_similar,
)
from .services import appeal_clarify, appeal_complain, appeal_rate, appeal_reopen, appeal_submit

ASK_LIMIT = RateLimit(scope="appeals-ask", limit=10, window_seconds=3600)
FOLLOW_UP_LIMIT = RateLimit(scope="appeals-follow-up", limit=20, window_seconds=3600)
FAQ_PAGE_SIZE = 20
FOLLOW_UP_ACTIONS = {"rate", "clarify", "reopen", "complain"}
SIMILAR_ACTION = "similar"


def _language() -> str:
    return (get_language() or "kk")[:2]


# What a citizen types here is personal: no shared cache, and no browser cache, keeps it.
private_page = cache_control(private=True, no_store=True)


@private_page
def ask(request: HttpRequest) -> HttpResponse:
    # The no-JavaScript "Check for similar questions" button posts the form with this action
    # (ask.html): a GET would put the name, e-mail and phone in the address, the history and the
    # logs. Checking submits nothing, so it does not count against the ask limit.
    if request.method == "POST" and request.POST.get("action") == SIMILAR_ACTION:
        return _ask_similar(request)
    return _ask_submit(request)


def _ask_similar(request: HttpRequest) -> HttpResponse:
    """The form as the citizen filled it in (bar the file), with the answers like its text."""
    typed = {
        name: request.POST[name]
        for name in AppealForm.base_fields
        if name != "attachment" and name in request.POST
    }
    text = typed.get("text", "")[:2000]
    similar = faq_similar(text=text, language=_language()) if text.strip() else []
    return render(
        request,
        "appeals/ask.html",
        {"form": AppealForm(initial=typed), "similar": similar, "checked": bool(text.strip())},
    )


@rate_limited(ASK_LIMIT)
def _ask_submit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AppealForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appeal = appeal_submit(
                    kind=data["kind"],
                    text=data["text"],
                    topic=data["topic"],
                    region=data["region"],
                    language=_language(),
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"],
                    consent=data["consent"],
                    channel=Appeal.Channel.WEB,
                    attachment=data["attachment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(f"{tracking_path(appeal)}?new=1")
    else:
        form = AppealForm()
    return render(
        request,
        "appeals/ask.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@private_page
@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """The "may already have an answer" fragment the form fetches while the citizen types."""
    text = request.GET.get("text", "")[:2000]
    entries = faq_similar(text=text, language=_language()) if len(text) >= 10 else []
    return render(request, "appeals/_similar.html", {"similar": entries, "checked": bool(text)})


@private_page
def track(request: HttpRequest, code: str, token: str) -> HttpResponse:
    appeal = appeal_get_by_token(code=code, token=token)
    state = clock_state(appeal)
    answer = appeal_published_answer(appeal) if appeal.status == Appeal.Status.ANSWERED else None
    return render(
        request,
        "appeals/track.html",
        {
            "appeal": appeal,
            "is_new": request.GET.get("new") == "1",
            "tracking_link": request.build_absolute_uri(tracking_path(appeal)),
            "events": appeal_public_events(appeal),
            "answer": answer,
            "clock_state": state,
            "clock_label": ClockState.LABELS[state],
            "crisis_due_at": crisis_due_at(appeal, crisis_target_hours(appeal)),
            "extensions": appeal.extensions.order_by("at"),
            "clarification_form": ClarificationForm(),
            "reason_form": ReasonForm(),
        },
    )


@private_page
@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    """Status by tracking code alone (read out by the contact centre): no text, no answer."""
    code = request.GET.get("code", "").strip()[:16]
    appeal = appeal_get_by_code(code) if code else None
    state = clock_state(appeal) if appeal else None
    return render(
        request,
        "appeals/track_lookup.html",
        {
            "code": code,
            "appeal": appeal,
            "clock_label": ClockState.LABELS[state] if state else "",
        },
        status=404 if code and appeal is None else 200,
    )


def _follow_up(request: HttpRequest, code: str, token: str, action: str) -> HttpResponse:
    appeal = appeal_get_by_token(code=code, token=token)
    try:
        if action == "rate":
            appeal_rate(appeal=appeal, helpful=request.POST.get("helpful") == "yes")
            messages.success(request, _("Thank you for your rating."))
        elif action == "clarify":
            form = ClarificationForm(request.POST)
            if not form.is_valid():
                raise ValidationError(list(form.errors["text"]))
            appeal_clarify(appeal=appeal, text=form.cleaned_data["text"])
            messages.success(request, _("Your clarification was sent to the agency."))
        else:
            reason_form = ReasonForm(request.POST)
            if not reason_form.is_valid():
                raise ValidationError(list(reason_form.errors["reason"]))
            if action == "reopen":
                appeal_reopen(appeal=appeal, reason=reason_form.cleaned_data["reason"])
                messages.success(request, _("Your appeal is open again with the agency."))
            else:
                appeal_complain(appeal=appeal, reason=reason_form.cleaned_data["reason"])
                messages.success(request, _("Your complaint is registered."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(tracking_path(appeal))


@require_POST
@rate_limited(FOLLOW_UP_LIMIT)
def track_action(request: HttpRequest, code: str, token: str, action: str) -> HttpResponse:
    if action not in FOLLOW_UP_ACTIONS:
        raise Http404
    return _follow_up(request, code, token, action)


@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    form = FaqSearchForm(request.GET or None)
    query, topic_slug = "", ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        topic_slug = form.cleaned_data["topic"].slug if form.cleaned_data["topic"] else ""
    entries = faq_search(language=_language(), query=query, topic_slug=topic_slug)
    page = Paginator(entries, FAQ_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "appeals/faq.html", {"form": form, "page": page, "query": query})


@require_GET
def agency_figures_list(request: HttpRequest) -> HttpResponse:
    agencies = list(Agency.objects.filter(is_active=True).order_by("name_en"))
    return render(
        request,
        "appeals/agency_performance_list.html",
        {"rows": agency_performance_many(agencies)},
    )


@require_GET
def agency_figures(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=slug, is_active=True)
    return render(
        request, "appeals/agency_performance.html", {"figures": agency_performance(agency)}
    )
