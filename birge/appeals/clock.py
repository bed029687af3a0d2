"""The legal clock: term arithmetic over the working-day calendar, and the computed states.

Nothing here writes. The states "due soon", "overdue" and "deemed refused" are derived from the
stored due dates and the current time, so they are never stale.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birge.workdays.selectors import working_days_add, working_days_between

from .models import Appeal

TERM_WORKING_DAYS = 15
EXTENSION_MAX = relativedelta(months=2)
REDIRECT_WITHIN_WORKING_DAYS = 3
DUE_SOON_WORKING_DAYS = 2
REOPEN_WITHIN = relativedelta(months=3)


@dataclass(frozen=True)
class Term:
    due_at: datetime
    limit_at: datetime


def term_start(start: datetime) -> Term:
    """The term for an agency that receives an appeal at `start`: 15 working days, and the
    latest date extensions may reach (2 months beyond it)."""
    due_at = working_days_add(start, TERM_WORKING_DAYS)
    return Term(due_at=due_at, limit_at=due_at + EXTENSION_MAX)


def term_shift_after_pause(appeal: Appeal, resumed_at: datetime) -> Term:
    """Push the term by the working days the appeal waited for the citizen."""
    if appeal.due_at is None or appeal.paused_at is None:
        raise ValueError("The appeal has no running term or is not paused.")
    paused_from = timezone.localdate(appeal.paused_at)
    paused_days = working_days_between(paused_from, timezone.localdate(resumed_at))
    limit_at = appeal.term_limit_at or appeal.due_at + EXTENSION_MAX
    if paused_days <= 0:
        return Term(due_at=appeal.due_at, limit_at=limit_at)
    return Term(
        due_at=working_days_add(appeal.due_at, paused_days),
        limit_at=working_days_add(limit_at, paused_days),
    )


class ClockState:
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DEEMED_REFUSED = "deemed_refused"
    PAUSED = "paused"
    STOPPED = "stopped"

    LABELS = {
        ON_TIME: _("On time"),
        DUE_SOON: _("Due soon"),
        OVERDUE: _("Overdue"),
        DEEMED_REFUSED: _("Deemed refused: no answer within the longest legal term"),
        PAUSED: _("Paused: awaiting the citizen's clarification"),
        STOPPED: _("Answered"),
    }


def clock_state(appeal: Appeal, now: datetime | None = None) -> str:
    """Where the appeal stands against its term at `now` (computed, never stored)."""
    now = now or timezone.now()
    if appeal.status == Appeal.Status.ANSWERED:
        return ClockState.STOPPED
    if appeal.paused_at is not None:
        return ClockState.PAUSED
    if appeal.due_at is None:
        return ClockState.ON_TIME
    if now > appeal.due_at:
        limit_at = appeal.term_limit_at or appeal.due_at + EXTENSION_MAX
        return ClockState.DEEMED_REFUSED if now > limit_at else ClockState.OVERDUE
    soon = working_days_add(now, DUE_SOON_WORKING_DAYS)
    return ClockState.DUE_SOON if appeal.due_at <= soon else ClockState.ON_TIME


def redirect_allowed_until(assigned_at: datetime) -> datetime:
    """An agency may pass an appeal on within 3 working days of receiving it."""
    return working_days_add(assigned_at, REDIRECT_WITHIN_WORKING_DAYS)


def crisis_due_at(appeal: Appeal, hours: int | None) -> datetime | None:
    return appeal.registered_at + timedelta(hours=hours) if hours else None
