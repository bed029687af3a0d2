"""The agency desk: inbox, one appeal and its actions, attachment, FAQ preparation."""

import datetime as dt
import posixpath
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birge.core.access import Action, StaffRequest, can, ensure_can
from birge.core.files import private_file_response
from birge.core.models import Agency

from ..access import (
    ANSWER_APPROVE,
    APPEAL_ANSWER,
    APPEAL_MERGE,
    APPEAL_REDIRECT,
    APPEAL_ROUTE,
    APPEAL_VIEW,
    DEADLINE_EXTEND,
    FAQ_PUBLISH,
)
from ..clock import ClockState, clock_state, crisis_due_at, redirect_allowed_until
from ..forms import (
    AgencyChoiceForm,
    AnswerForm,
    AnswerUpdateForm,
    ClarificationRequestForm,
    ExtendForm,
    FaqPrepareForm,
    InboxFilterForm,
    MergeForm,
)
from ..models import AnswerTemplate, Appeal
from ..selectors import (
    appeal_get_for,
    appeal_inbox,
    appeal_pending_answer,
    appeal_published_answer,
    appeal_returned_answers,
    crisis_target_hours,
    crisis_targets,
)
from ..services import (
    answer_approve,
    answer_return,
    answer_update,
    appeal_answer,
    appeal_extend,
    appeal_mark_not_competent,
    appeal_merge,
    appeal_redirect,
    appeal_request_clarification,
    faq_publish,
)
from ..similarity import merge_candidate_ids

PAGE_SIZE = 50


def inbox(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, APPEAL_VIEW)
    form = InboxFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "status": Appeal.Status(data["status"]) if data["status"] else None,
            "topic_id": data["topic"].pk if data["topic"] else None,
            "region_id": data["region"].pk if data["region"] else None,
            "due_before": timezone.make_aware(dt.datetime.combine(data["due_before"], dt.time.max))
            if data["due_before"]
            else None,
        }
    page = Paginator(appeal_inbox(user=request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    now = timezone.now()
    targets = crisis_targets()
    rows = [
        (appeal, clock_state(appeal, now), _crisis_missed(appeal, targets, now)) for appeal in page
    ]
    return render(
        request,
        "appeals/admin/inbox.html",
        {
            "page_title": _("Appeals inbox"),
            "header_icon": "mail",
            "form": form,
            "page": page,
            "rows": rows,
            "labels": ClockState.LABELS,
        },
    )


def _crisis_missed(appeal: Appeal, targets: dict[int, int], now: dt.datetime) -> bool:
    """Past the topic's crisis target without an answer (computed, like the legal states)."""
    hours = targets.get(appeal.topic_id) if appeal.topic_id else None
    due = crisis_due_at(appeal, hours)
    return due is not None and appeal.status != Appeal.Status.ANSWERED and now > due


def detail(request: StaffRequest, appeal_id: int) -> HttpResponse:
    appeal = appeal_get_for(request.user, APPEAL_VIEW, appeal_id)
    user = request.user
    agency = appeal.agency
    answer = appeal_pending_answer(appeal)
    published = appeal_published_answer(appeal)
    returned = list(appeal_returned_answers(appeal))
    # The officer reworks the answer the head sent back rather than starting over.
    redo = returned[0] if returned and answer is None else None
    candidates = (
        list(
            Appeal.objects.filter(pk__in=merge_candidate_ids(appeal), canonical__isnull=True)
            .filter(agency=agency)
            .exclude(status=Appeal.Status.ANSWERED)
            .exclude(pk=appeal.pk)
        )
        if agency is not None and appeal.status != Appeal.Status.ANSWERED
        else []
    )
    templates = AnswerTemplate.objects.filter(Q(agency__isnull=True) | Q(agency=agency))
    context = {
        "page_title": _("Appeal %(code)s") % {"code": appeal.tracking_code},
        "header_icon": "mail",
        "appeal": appeal,
        "events": appeal.events.select_related("actor", "agency").order_by("at", "id"),
        "clock_state": clock_state(appeal),
        "labels": ClockState.LABELS,
        "crisis_due_at": crisis_due_at(appeal, crisis_target_hours(appeal)),
        "can_route": can(user, APPEAL_ROUTE),
        "agencies": Agency.objects.filter(is_active=True).order_by("name_en")
        if can(user, APPEAL_ROUTE)
        else [],
        "pending_answer": answer,
        "published_answer": published,
        "returned_answers": returned,
        "answer_form": AnswerForm(
            initial={
                "language": redo.language,
                "kind": redo.kind,
                "legal_ground": redo.legal_ground,
                "text": redo.text,
            }
            if redo
            else {"language": appeal.language, "kind": "full"}
        ),
        "templates": templates,
        "redirect_form": AgencyChoiceForm(),
        "clarify_form": ClarificationRequestForm(),
        "extend_form": ExtendForm(),
        "merge_form": MergeForm(),
        "update_form": AnswerUpdateForm(),
        "merge_candidates": candidates,
        "redirect_until": redirect_allowed_until(appeal.assigned_at)
        if appeal.assigned_at
        else None,
        "can_answer": agency is not None and can(user, APPEAL_ANSWER, agency=agency),
        "can_approve": agency is not None and can(user, ANSWER_APPROVE, agency=agency),
        "can_extend": agency is not None and can(user, DEADLINE_EXTEND, agency=agency),
        "can_redirect": agency is not None and can(user, APPEAL_REDIRECT, agency=agency),
        "can_publish": agency is not None and can(user, FAQ_PUBLISH, agency=agency),
        "can_merge": agency is not None and can(user, APPEAL_MERGE, agency=agency),
    }
    return render(request, "appeals/admin/detail.html", context)


def attachment(request: StaffRequest, appeal_id: int) -> HttpResponseBase:
    appeal = appeal_get_for(request.user, APPEAL_VIEW, appeal_id)
    if not appeal.attachment:
        raise Http404
    extension = posixpath.splitext(appeal.attachment.name or "")[1]
    return private_file_response(
        appeal.attachment, download_name=f"appeal-{appeal.tracking_code}{extension}"
    )


def _act_answer(request: StaffRequest, appeal: Appeal) -> str:
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
    data = form.cleaned_data
    answer = appeal_answer(
        officer=request.user,
        appeal=appeal,
        kind=data["kind"],
        text=data["text"],
        language=data["language"],
        legal_ground=data["legal_ground"],
    )
    if answer.published_at:
        return _("The answer is sent to the citizen.")
    return _("The answer waits for the head's approval.")


def _act_approve(request: StaffRequest, appeal: Appeal) -> str:
    answer = appeal_pending_answer(appeal)
    if answer is None:
        raise ValidationError(_("No answer is waiting for approval."))
    answer_approve(head=request.user, answer=answer)
    return _("Approved: the answer is sent to the citizen.")


def _act_return(request: StaffRequest, appeal: Appeal) -> str:
    answer = appeal_pending_answer(appeal)
    if answer is None:
        raise ValidationError(_("No answer is waiting for approval."))
    answer_return(head=request.user, answer=answer, note=request.POST.get("note", ""))
    return _("The answer is returned to the officer.")


def _act_redirect(request: StaffRequest, appeal: Appeal) -> str:
    form = AgencyChoiceForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose an agency."))
    appeal_redirect(
        actor=request.user,
        appeal=appeal,
        agency=form.cleaned_data["agency"],
        reason=form.cleaned_data["reason"],
    )
    return _("Redirected.")


def _act_not_competent(request: StaffRequest, appeal: Appeal) -> str:
    appeal_mark_not_competent(
        actor=request.user, appeal=appeal, reason=request.POST.get("reason", "")
    )
    return _("Returned to the coordinators as not within your competence.")


def _act_clarify(request: StaffRequest, appeal: Appeal) -> str:
    appeal_request_clarification(
        officer=request.user, appeal=appeal, question=request.POST.get("question", "")
    )
    return _("The citizen is asked to clarify; the clock is paused.")


def _act_extend(request: StaffRequest, appeal: Appeal) -> str:
    form = ExtendForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Give a new date and a reason."))
    new_due = timezone.make_aware(
        dt.datetime.combine(form.cleaned_data["new_due_date"], dt.time(18))
    )
    appeal_extend(
        head=request.user, appeal=appeal, new_due_at=new_due, reason=form.cleaned_data["reason"]
    )
    return _("The term is extended; the citizen is told.")


def _act_merge(request: StaffRequest, appeal: Appeal) -> str:
    code = request.POST.get("canonical_code", "").strip().upper()
    canonical = Appeal.objects.filter(tracking_code=code).first()
    if canonical is None:
        raise ValidationError(_("No appeal has this tracking code."))
    canonical = appeal_get_for(request.user, APPEAL_MERGE, canonical.pk)
    appeal_merge(actor=request.user, appeal=appeal, canonical=canonical)
    return _("Merged: the main question's answer will reach this citizen too.")


def _act_update(request: StaffRequest, appeal: Appeal) -> str:
    form = AnswerUpdateForm(request.POST)
    answer = appeal.answers.published().filter(outdated_at__isnull=True).first()
    if not form.is_valid() or answer is None:
        raise ValidationError(_("Write the updated answer."))
    answer_update(
        officer=request.user,
        answer=answer,
        text=form.cleaned_data["text"],
        faq_answer_text=form.cleaned_data["faq_answer_text"],
    )
    return _("The answer is updated; everyone who asked is told.")


ACTIONS: dict[str, tuple[Action, Callable[[StaffRequest, Appeal], str]]] = {
    "answer": (APPEAL_ANSWER, _act_answer),
    "approve": (ANSWER_APPROVE, _act_approve),
    "return": (ANSWER_APPROVE, _act_return),
    "redirect": (APPEAL_REDIRECT, _act_redirect),
    "not-competent": (APPEAL_REDIRECT, _act_not_competent),
    "clarify": (APPEAL_ANSWER, _act_clarify),
    "extend": (DEADLINE_EXTEND, _act_extend),
    "merge": (APPEAL_MERGE, _act_merge),
    "update": (APPEAL_ANSWER, _act_update),
}


@require_POST
def act(request: StaffRequest, appeal_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    permission, handler = ACTIONS[action]
    appeal = appeal_get_for(request.user, permission, appeal_id)
    try:
        messages.success(request, handler(request, appeal))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("appeals_admin_detail", appeal_id=appeal.pk)


def faq_prepare(request: StaffRequest, appeal_id: int) -> HttpResponse:
    from birge.redaction.detect import (
        personal_data_find,
        personal_data_highlight,
        personal_data_mask,
    )

    appeal = appeal_get_for(request.user, FAQ_PUBLISH, appeal_id)
    answer = appeal_published_answer(appeal)
    if answer is None or appeal.canonical_id is not None:
        raise Http404
    language = answer.language
    if request.method == "POST":
        form = FaqPrepareForm(request.POST)
        if form.is_valid():
            try:
                faq_publish(
                    officer=request.user,
                    answer=answer,
                    question=form.cleaned_data["question"],
                    answer_text=form.cleaned_data["answer_text"],
                    language=form.cleaned_data["language"],
                    topic=form.cleaned_data["topic"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Published in the FAQ."))
                return redirect("appeals_admin_detail", appeal_id=appeal.pk)
    else:
        form = FaqPrepareForm(
            initial={
                "question": personal_data_mask(appeal.text, language=language),
                "answer_text": personal_data_mask(answer.text, language=language),
                "topic": appeal.topic,
                "language": language,
            }
        )
    question_findings = personal_data_find(appeal.text, language=language)
    answer_findings = personal_data_find(answer.text, language=language)
    return render(
        request,
        "appeals/admin/faq_prepare.html",
        {
            "page_title": _("Prepare the FAQ entry"),
            "header_icon": "help",
            "appeal": appeal,
            "form": form,
            "question_highlighted": personal_data_highlight(appeal.text, question_findings),
            "answer_highlighted": personal_data_highlight(answer.text, answer_findings),
            "findings_count": len(question_findings) + len(answer_findings),
        },
    )
