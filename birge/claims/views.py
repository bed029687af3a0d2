"""Public pages of the rumour registry: the list of checked claims, a claim, check a rumour."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from birge.core.ratelimit import RateLimit, rate_limited

from .forms import CheckForm, ClaimFilterForm
from .jsonld import claim_review, script_json
from .models import Verdict
from .selectors import claim_public_get, claim_public_list, claim_public_updates
from .services import rumour_check, rumour_send_for_check

PAGE_SIZE = 20
CHECK_LIMIT = RateLimit(scope="claims-check", limit=20, window_seconds=600)


def claim_list(request: HttpRequest) -> HttpResponse:
    form = ClaimFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    claims = claim_public_list(
        verdict=Verdict(filters["verdict"]) if filters.get("verdict") else None,
        topic=filters["topic"].slug if filters.get("topic") else "",
        language=filters.get("language") or "",
    )
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "claims/claim_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = claim_public_get(claim_id=claim_id)
    language = (get_language() or "kk")[:2]
    row = claim.translation_in(language)
    review = claim_review(claim=claim, url=request.build_absolute_uri(request.path))
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "translation": row,
            "fallback": row is not None and row.language != language,
            "updates": claim_public_updates(claim=claim),
            "claim_review": mark_safe(script_json(review)),  # noqa: S308 - escaped by script_json
        },
    )


@rate_limited(CHECK_LIMIT)
def claim_check(request: HttpRequest) -> HttpResponse:
    form = CheckForm(request.POST or None)
    outcome = None
    if request.method == "POST" and form.is_valid() and request.POST.get("send") == "1":
        # "None of these is my message": straight to the fact-checkers' queue.
        outcome = rumour_send_for_check(
            text=form.cleaned_data["text"],
            answer_language=(get_language() or "kk")[:2],
            region=form.cleaned_data.get("region"),
        )
    elif request.method == "POST" and form.is_valid():
        outcome = rumour_check(
            text=form.cleaned_data["text"],
            language=None,
            answer_language=(get_language() or "kk")[:2],
            region=form.cleaned_data.get("region"),
        )
    status = 422 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "claims/check.html",
        {"form": form, "outcome": outcome, "page_language": (get_language() or "kk")[:2]},
        status=status,
    )
