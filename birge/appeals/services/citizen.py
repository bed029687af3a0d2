"""What the citizen does on the private tracking page after the answer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.core.audit import audit_log
from birge.core.text import text_clean

from ..clock import REOPEN_WITHIN, term_start
from ..models import Appeal, AppealEvent


@transaction.atomic
def appeal_rate(*, appeal: Appeal, helpful: bool) -> Appeal:
    """The citizen says whether the answer helped (shown to the agency, never in its figures)."""
    if appeal.status != Appeal.Status.ANSWERED:
        raise ValidationError(_("There is no answer to rate yet."))
    appeal.helpful = helpful
    appeal.save(update_fields=["helpful"])
    AppealEvent.objects.create(
        appeal=appeal, kind=AppealEvent.Kind.RATED, note="helpful" if helpful else "not_helpful"
    )
    audit_log(actor=None, action="appeals.appeal.rated", target=appeal, agency=appeal.agency)
    return appeal


def _ensure_reopenable(appeal: Appeal, reason: str) -> str:
    """The citizen's reason, cleaned; raises ValidationError when the appeal cannot reopen."""
    if appeal.status != Appeal.Status.ANSWERED or appeal.answered_at is None:
        raise ValidationError(_("Only an answered appeal can be reopened."))
    if timezone.now() > appeal.answered_at + REOPEN_WITHIN:
        raise ValidationError(_("More than 3 months have passed since the answer."))
    reason = text_clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Say what is missing in the answer.")})
    return reason


@transaction.atomic
def appeal_reopen(*, appeal: Appeal, reason: str) -> Appeal:
    """The citizen is unsatisfied: the same agency takes it up again with a fresh term."""
    reason = _ensure_reopenable(appeal, reason)
    term = term_start(timezone.now())
    appeal.status = Appeal.Status.IN_PROGRESS
    appeal.due_at, appeal.term_limit_at = term.due_at, term.limit_at
    appeal.canonical = None
    appeal.save(update_fields=["status", "due_at", "term_limit_at", "canonical"])
    AppealEvent.objects.create(
        appeal=appeal, kind=AppealEvent.Kind.REOPENED, agency=appeal.agency, note=reason
    )
    audit_log(actor=None, action="appeals.appeal.reopened", target=appeal, agency=appeal.agency)
    return appeal


@transaction.atomic
def appeal_complain(*, appeal: Appeal, reason: str) -> Appeal:
    """A complaint about the answer goes to the body above the agency, or to the coordinators."""
    reason = _ensure_reopenable(appeal, reason)
    previous = appeal.agency
    parent = previous.parent if previous is not None else None
    term = term_start(timezone.now())
    appeal.due_at, appeal.term_limit_at = term.due_at, term.limit_at
    appeal.canonical = None
    if parent is not None:
        appeal.agency = parent
        appeal.assigned_at = timezone.now()
        appeal.status = Appeal.Status.IN_PROGRESS
    else:
        appeal.agency = None
        appeal.status = Appeal.Status.TRIAGE
    appeal.save(
        update_fields=["agency", "assigned_at", "status", "due_at", "term_limit_at", "canonical"]
    )
    AppealEvent.objects.create(
        appeal=appeal, kind=AppealEvent.Kind.COMPLAINED, agency=appeal.agency, note=reason
    )
    audit_log(actor=None, action="appeals.appeal.complained", target=appeal, agency=previous)
    return appeal
