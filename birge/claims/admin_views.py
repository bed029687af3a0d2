"""The fact-checkers' desk inside the Wagtail admin: the queue of report clusters, claims and
their verdict workflow, the matching thresholds. Every screen asks birge.core.access."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birge.core.access import StaffRequest, can, ensure_can

from . import services
from .access import CLAIM_EDIT, CLAIM_PUBLISH, THRESHOLDS_EDIT, VERDICT_APPROVE
from .forms import (
    AttachForm,
    ClaimForm,
    EvidenceForm,
    ThresholdsForm,
    TranslationForm,
    VerdictForm,
)
from .models import Claim, Evidence, MatchingThresholds, Verdict
from .selectors import claim_desk_get, claim_desk_list, cluster_get_for, cluster_queue

PAGE_SIZE = 50


def _errors(request: StaffRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def queue(request: StaffRequest) -> HttpResponse:
    rows = cluster_queue(user=request.user)
    return render(
        request,
        "claims/admin/queue.html",
        {
            "page_title": _("Rumour reports"),
            "header_icon": "warning",
            "rows": rows,
            "claims": Claim.objects.order_by("-id")[:200],
            "can_edit": can(request.user, CLAIM_EDIT),
        },
    )


@require_POST
def cluster_attach(request: StaffRequest, cluster_id: int) -> HttpResponse:
    cluster = cluster_get_for(user=request.user, cluster_id=cluster_id)
    form = AttachForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the claim to attach the reports to."))
        return redirect("claims_queue")
    try:
        services.cluster_attach(
            actor=request.user, cluster=cluster, claim=form.cleaned_data["claim"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The reports are attached to the claim."))
    return redirect("claims_queue")


@require_POST
def cluster_claim_start(request: StaffRequest, cluster_id: int) -> HttpResponse:
    cluster = cluster_get_for(user=request.user, cluster_id=cluster_id)
    try:
        claim = services.cluster_claim_start(actor=request.user, cluster=cluster)
    except ValidationError as error:
        _errors(request, error)
        return redirect("claims_queue")
    messages.success(request, _("A new claim is started from the reports."))
    return redirect("claims_claim", claim_id=claim.pk)


@require_POST
def cluster_dismiss(request: StaffRequest, cluster_id: int) -> HttpResponse:
    cluster = cluster_get_for(user=request.user, cluster_id=cluster_id)
    services.cluster_dismiss(actor=request.user, cluster=cluster)
    messages.success(request, _("The cluster is taken off the queue."))
    return redirect("claims_queue")


@require_POST
def queue_regroup(request: StaffRequest) -> HttpResponse:
    services.queue_regroup_request(actor=request.user)
    messages.success(request, _("The queue is being regrouped; reload the page in a minute."))
    return redirect("claims_queue")


def claim_list(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in Claim.Status.values else ""
    claims = claim_desk_list(user=request.user, status=Claim.Status(status) if status else None)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("p"))
    return render(
        request,
        "claims/admin/claim_list.html",
        {
            "page_title": _("Claims"),
            "header_icon": "doc-full",
            "page": page,
            "statuses": Claim.Status.choices,
            "status": status,
            "can_edit": can(request.user, CLAIM_EDIT),
        },
    )


def claim_new(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, CLAIM_EDIT)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("note")
        try:
            claim = services.claim_create(actor=request.user, **data)
        except ValidationError as error:
            _errors(request, error)
        else:
            return redirect("claims_claim", claim_id=claim.pk)
    return render(
        request,
        "claims/admin/claim_new.html",
        {"page_title": _("New claim"), "header_icon": "doc-full", "form": form},
    )


def claim_edit(request: StaffRequest, claim_id: int) -> HttpResponse:
    """The claim's workspace: fields, translations, evidence, verdict and the workflow steps."""
    claim = claim_desk_get(user=request.user, claim_id=claim_id)
    user = request.user
    form = ClaimForm(initial=ClaimForm.initial_for(claim))
    if request.method == "POST":
        ensure_can(user, CLAIM_EDIT)
        form = ClaimForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            note = data.pop("note")
            try:
                services.claim_edit(actor=user, claim=claim, note=note, **data)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("The claim is saved."))
                return redirect("claims_claim", claim_id=claim.pk)
    translations = {row.language: row for row in claim.translations.all()}
    translation_forms = [
        TranslationForm(
            prefix=code,
            initial={
                "language": code,
                "wording": translations[code].wording if code in translations else "",
                "explanation": translations[code].explanation if code in translations else "",
            },
        )
        for code in ("kk", "ru", "en")
    ]
    awaiting_approval = claim.status == Claim.Status.VERDICT_DRAFTED or bool(
        claim.is_public and claim.verdict_pending
    )
    return render(
        request,
        "claims/admin/claim_edit.html",
        {
            "page_title": _("Claim %(id)s") % {"id": claim.pk},
            "header_icon": "doc-full",
            "claim": claim,
            "form": form,
            "translation_forms": translation_forms,
            "evidence_form": EvidenceForm(),
            "verdict_form": VerdictForm(initial={"verdict": claim.verdict or None}),
            "can_edit": can(user, CLAIM_EDIT),
            "can_approve": can(user, VERDICT_APPROVE)
            and awaiting_approval
            and claim.verdict_author_id != user.pk,
            "own_draft": awaiting_approval and claim.verdict_author_id == user.pk,
            "can_publish": can(user, CLAIM_PUBLISH) and claim.status == Claim.Status.APPROVED,
            "reports": claim.reports.order_by("-count")[:20],
        },
    )


def _claim_action(
    request: StaffRequest, claim_id: int, action: Callable[[Claim], Any], success: str
) -> HttpResponse:
    claim = claim_desk_get(user=request.user, claim_id=claim_id)
    try:
        action(claim)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, success)
    return redirect("claims_claim", claim_id=claim.pk)


@require_POST
def translation_save(request: StaffRequest, claim_id: int, language: str) -> HttpResponse:
    form = TranslationForm(request.POST, prefix=language)
    if not form.is_valid() or form.cleaned_data["language"] != language:
        messages.error(request, _("Write the wording in this language."))
        return redirect("claims_claim", claim_id=claim_id)
    data = form.cleaned_data
    return _claim_action(
        request,
        claim_id,
        lambda claim: services.claim_translation_set(
            actor=request.user,
            claim=claim,
            language=language,
            wording=data["wording"],
            explanation=data["explanation"],
            note=data["note"],
        ),
        _("The translation is saved."),
    )


@require_POST
def evidence_add(request: StaffRequest, claim_id: int) -> HttpResponse:
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("claims_claim", claim_id=claim_id)
    data = form.cleaned_data
    return _claim_action(
        request,
        claim_id,
        lambda claim: services.claim_evidence_add(
            actor=request.user,
            claim=claim,
            kind=data["kind"],
            title=data["title"],
            url=data["url"],
            date_=data["date"],
            note=data["note"],
        ),
        _("The evidence is added."),
    )


@require_POST
def evidence_remove(request: StaffRequest, claim_id: int, evidence_id: int) -> HttpResponse:
    claim = claim_desk_get(user=request.user, claim_id=claim_id)
    evidence = Evidence.objects.filter(claim=claim, pk=evidence_id).first()
    if evidence is None:
        return redirect("claims_claim", claim_id=claim.pk)
    try:
        services.claim_evidence_remove(
            actor=request.user, evidence=evidence, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect("claims_claim", claim_id=claim.pk)


@require_POST
def verdict_draft(request: StaffRequest, claim_id: int) -> HttpResponse:
    form = VerdictForm(request.POST)
    valid = form.is_valid()
    # The form admits only the verdicts' values; without one the service says what is missing.
    verdict = Verdict(form.cleaned_data["verdict"]) if valid else None
    note = form.cleaned_data["note"] if valid else ""
    return _claim_action(
        request,
        claim_id,
        lambda claim: services.claim_verdict_draft(
            actor=request.user, claim=claim, verdict=verdict, note=note
        ),
        _("The verdict is submitted for approval by another fact-checker."),
    )


@require_POST
def verdict_approve(request: StaffRequest, claim_id: int) -> HttpResponse:
    return _claim_action(
        request,
        claim_id,
        lambda claim: services.claim_verdict_approve(actor=request.user, claim=claim),
        _("The verdict is approved."),
    )


@require_POST
def claim_publish(request: StaffRequest, claim_id: int) -> HttpResponse:
    return _claim_action(
        request,
        claim_id,
        lambda claim: services.claim_publish(actor=request.user, claim=claim),
        _("The claim is published."),
    )


def thresholds(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, THRESHOLDS_EDIT)
    current = MatchingThresholds.current()
    form = ThresholdsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.thresholds_set(
                actor=request.user,
                same_claim=form.cleaned_data["same_claim"],
                maybe_related=form.cleaned_data["maybe_related"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The thresholds are saved."))
            return redirect("claims_thresholds")
    return render(
        request,
        "claims/admin/thresholds.html",
        {"page_title": _("Matching thresholds"), "header_icon": "cog", "form": form},
    )
