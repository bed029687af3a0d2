"""The agency's work on an appeal: clarification, extension, answer, approval, merge."""

from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.core.access import Action, StaffUser, can
from birge.core.audit import audit_log
from birge.core.text import text_clean

from ..access import ANSWER_APPROVE, APPEAL_ANSWER, APPEAL_MERGE, DEADLINE_EXTEND, appeal_ensure
from ..clock import term_shift_after_pause
from ..models import AgencyAppealSettings, Answer, Appeal, AppealEvent, Extension
from ..tasks import appeal_answered_notify_task, appeal_extended_notify_task


def _ensure(actor: StaffUser, action: Action, appeal: Appeal) -> None:
    appeal_ensure(actor, action, appeal)


def answers_need_approval(appeal: Appeal) -> bool:
    if appeal.agency_id is None:
        return False
    return AgencyAppealSettings.objects.filter(
        agency_id=appeal.agency_id, answers_need_approval=True
    ).exists()


@transaction.atomic
def appeal_answer(
    *,
    officer: StaffUser,
    appeal: Appeal,
    kind: Answer.Kind,
    text: str,
    language: str = "",
    legal_ground: str = "",
) -> Answer:
    """Record the agency's answer; published at once, or after the head's approval where the
    agency requires it."""
    _ensure(officer, APPEAL_ANSWER, appeal)
    # Two officers answering at once: the second waits for the first and sees its answer.
    appeal.status = (
        Appeal.objects.select_for_update().values_list("status", flat=True).get(pk=appeal.pk)
    )
    if appeal.status in (Appeal.Status.ANSWERED, Appeal.Status.PENDING_APPROVAL):
        raise ValidationError(_("This appeal already has an answer."))
    if appeal.canonical_id is not None:
        raise ValidationError(_("This question is merged; answer the main question."))
    answer = Answer(
        appeal=appeal,
        kind=kind,
        text=text,
        language=language or appeal.language,
        legal_ground=legal_ground,
        author=officer,
        agency=appeal.agency,
    )
    answer.full_clean()
    answer.save()
    needs_approval = answers_need_approval(appeal) and not can(
        officer, ANSWER_APPROVE, agency=appeal.agency
    )
    if needs_approval:
        appeal.status = Appeal.Status.PENDING_APPROVAL
        appeal.save(update_fields=["status"])
        AppealEvent.objects.create(
            appeal=appeal,
            kind=AppealEvent.Kind.ANSWER_SUBMITTED,
            agency=appeal.agency,
            actor=officer,
            is_public=False,
        )
        audit_log(
            actor=officer, action="appeals.answer.submitted", target=answer, agency=appeal.agency
        )
    else:
        answer.approved_by = officer
        answer.approved_at = timezone.now()
        _publish(answer, actor=officer)
    return answer


@transaction.atomic
def answer_approve(*, head: StaffUser, answer: Answer) -> Answer:
    """The agency head approves a submitted answer; it reaches the citizen, once."""
    appeal = answer.appeal
    _ensure(head, ANSWER_APPROVE, appeal)
    _lock_pending(answer)
    answer.approved_by = head
    answer.approved_at = timezone.now()
    _publish(answer, actor=head)
    return answer


@transaction.atomic
def answer_return(*, head: StaffUser, answer: Answer, note: str) -> Appeal:
    """The head sends a submitted answer back to the officer with a note; the answer stays on
    record as returned, never reaches the citizen, and the appeal is open for a new answer."""
    appeal = answer.appeal
    _ensure(head, ANSWER_APPROVE, appeal)
    if not note.strip():
        raise ValidationError({"note": _("Say what the officer should change.")})
    _lock_pending(answer)
    answer.returned_by = head
    answer.returned_at = timezone.now()
    answer.return_note = note.strip()
    answer.full_clean()
    answer.save(update_fields=["returned_by", "returned_at", "return_note"])
    appeal.status = Appeal.Status.IN_PROGRESS
    appeal.save(update_fields=["status"])
    # A kind of its own would need a migration of the choices; "reopened" off the citizen's
    # page says what happened to the appeal, and the note says why.
    AppealEvent.objects.create(
        appeal=appeal,
        kind=AppealEvent.Kind.REOPENED,
        agency=appeal.agency,
        actor=head,
        is_public=False,
        note=answer.return_note,
    )
    audit_log(actor=head, action="appeals.answer.returned", target=answer, agency=appeal.agency)
    return appeal


def _lock_pending(answer: Answer) -> None:
    """Lock the appeal and re-read the answer under the lock: of two heads acting at once, the
    second waits for the first to commit and finds the answer no longer pending."""
    appeal = answer.appeal
    appeal.status = (
        Appeal.objects.select_for_update().values_list("status", flat=True).get(pk=appeal.pk)
    )
    answer.refresh_from_db(fields=["published_at", "returned_at"])
    if (
        appeal.status != Appeal.Status.PENDING_APPROVAL
        or answer.published_at is not None
        or answer.returned_at is not None
    ):
        raise ValidationError(_("This answer is not waiting for approval."))


def _publish(answer: Answer, *, actor: StaffUser) -> None:
    """Publish `answer`: it answers its appeal and every duplicate still waiting."""
    now = timezone.now()
    answer.published_at = now
    answer.save()
    targets = [answer.appeal, *answer.appeal.duplicates.exclude(status=Appeal.Status.ANSWERED)]
    for appeal in targets:
        _answered(appeal, answer=answer, actor=actor, at=now)


def _answered(appeal: Appeal, *, answer: Answer, actor: StaffUser, at: datetime) -> None:
    """The one way an appeal becomes answered, by its own answer or a merge under an answered
    question: the clock stops, event and audit entry, the citizen told after commit."""
    within_term = appeal.due_at is None or at <= appeal.due_at
    appeal.status = Appeal.Status.ANSWERED
    appeal.answered_at = at
    appeal.paused_at = None
    if appeal.first_answered_at is None:
        appeal.first_answered_at = at
    appeal.save(update_fields=["status", "answered_at", "first_answered_at", "paused_at"])
    AppealEvent.objects.create(
        appeal=appeal,
        at=at,
        kind=AppealEvent.Kind.ANSWERED,
        agency=answer.agency,
        actor=actor,
        note="within_term" if within_term else "late",
    )
    audit_log(
        actor=actor,
        action="appeals.appeal.answered",
        target=appeal,
        agency=answer.agency,
        summary=f"answer {answer.pk}: {answer.kind}",
    )
    appeal_id = appeal.pk
    transaction.on_commit(partial(appeal_answered_notify_task.enqueue, appeal_id=appeal_id))


@transaction.atomic
def appeal_request_clarification(*, officer: StaffUser, appeal: Appeal, question: str) -> Appeal:
    """Ask the citizen for details; the clock pauses until they answer on the tracking page."""
    _ensure(officer, APPEAL_ANSWER, appeal)
    if not question.strip():
        raise ValidationError({"question": _("Write what you need to know.")})
    if appeal.status != Appeal.Status.IN_PROGRESS:
        raise ValidationError(_("Only an appeal in progress can be paused."))
    appeal.status = Appeal.Status.AWAITING_CLARIFICATION
    appeal.paused_at = timezone.now()
    appeal.save(update_fields=["status", "paused_at"])
    AppealEvent.objects.create(
        appeal=appeal,
        kind=AppealEvent.Kind.CLARIFICATION_REQUESTED,
        agency=appeal.agency,
        actor=officer,
        note=question,
    )
    audit_log(
        actor=officer,
        action="appeals.appeal.clarification_requested",
        target=appeal,
        agency=appeal.agency,
    )
    return appeal


@transaction.atomic
def appeal_clarify(*, appeal: Appeal, text: str) -> Appeal:
    """The citizen's clarification: the clock resumes, moved on by the working days it waited."""
    if appeal.status != Appeal.Status.AWAITING_CLARIFICATION or appeal.paused_at is None:
        raise ValidationError(_("No clarification was asked for."))
    text = text_clean(text)
    if not text:
        raise ValidationError({"text": _("Write your clarification.")})
    now = timezone.now()
    term = term_shift_after_pause(appeal, now)
    appeal.due_at, appeal.term_limit_at = term.due_at, term.limit_at
    appeal.paused_at = None
    appeal.status = Appeal.Status.IN_PROGRESS
    appeal.save(update_fields=["due_at", "term_limit_at", "paused_at", "status"])
    AppealEvent.objects.create(
        appeal=appeal, kind=AppealEvent.Kind.CLARIFIED, agency=appeal.agency, note=text
    )
    audit_log(actor=None, action="appeals.appeal.clarified", target=appeal, agency=appeal.agency)
    return appeal


@transaction.atomic
def appeal_extend(
    *, head: StaffUser, appeal: Appeal, new_due_at: datetime, reason: str
) -> Extension:
    """The agency head extends the term, with a reason, up to 2 months in all; the citizen is
    told on the tracking page and by e-mail."""
    _ensure(head, DEADLINE_EXTEND, appeal)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if appeal.status == Appeal.Status.ANSWERED or appeal.due_at is None:
        raise ValidationError(_("This appeal's term cannot be extended."))
    if new_due_at <= appeal.due_at:
        raise ValidationError({"new_due_at": _("The new date must be later than the current one.")})
    if appeal.term_limit_at and new_due_at > appeal.term_limit_at:
        raise ValidationError(
            {"new_due_at": _("The term can be extended by at most 2 months in all.")}
        )
    extension = Extension(
        appeal=appeal,
        by=head,
        previous_due_at=appeal.due_at,
        new_due_at=new_due_at,
        reason=reason,
    )
    extension.full_clean()
    extension.save()
    appeal.due_at = new_due_at
    appeal.save(update_fields=["due_at"])
    AppealEvent.objects.create(
        appeal=appeal, kind=AppealEvent.Kind.EXTENDED, agency=appeal.agency, actor=head, note=reason
    )
    audit_log(actor=head, action="appeals.deadline.extended", target=appeal, agency=appeal.agency)
    appeal_id = appeal.pk
    transaction.on_commit(lambda: appeal_extended_notify_task.enqueue(appeal_id=appeal_id))
    return extension


@transaction.atomic
def appeal_merge(*, actor: StaffUser, appeal: Appeal, canonical: Appeal) -> Appeal:
    """File a near-identical question under a canonical one: its answer reaches both askers."""
    _ensure(actor, APPEAL_MERGE, appeal)
    _ensure(actor, APPEAL_MERGE, canonical)
    if canonical.pk == appeal.pk or canonical.canonical_id is not None:
        raise ValidationError(_("Choose a main question that is not itself merged."))
    if appeal.status == Appeal.Status.ANSWERED:
        raise ValidationError(_("This appeal is already answered."))
    appeal.canonical = canonical
    appeal.save(update_fields=["canonical"])
    appeal.duplicates.update(canonical=canonical)
    AppealEvent.objects.create(
        appeal=appeal, kind=AppealEvent.Kind.MERGED, agency=appeal.agency, actor=actor
    )
    audit_log(
        actor=actor,
        action="appeals.appeal.merged",
        target=appeal,
        agency=appeal.agency,
        summary=f"into appeal {canonical.pk}",
    )
    if canonical.status == Appeal.Status.ANSWERED:
        answer = canonical.answers.published().first()
        if answer is not None:
            _answered(appeal, answer=answer, actor=actor, at=timezone.now())
    return appeal
