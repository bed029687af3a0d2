"""Writes of the working-day calendar: administrators add, change and remove dated exceptions.

Every write is audited and, after commit, replaces the calendar's cache version so every
process computes deadlines from the new calendar.
"""

from datetime import date
from typing import Any

from django.db import transaction

from birge.core.access import StaffUser, ensure_can
from birge.core.audit import audit_log, changed_fields_summary

from .access import CALENDAR_EDIT
from .models import WorkdayException
from .selectors import calendar_cache_invalidate


@transaction.atomic
def workday_exception_save(
    *,
    actor: StaffUser | None,
    day: date,
    kind: WorkdayException.Kind,
    name_kk: str,
    name_ru: str,
    name_en: str,
    source: str,
    exception: WorkdayException | None = None,
) -> WorkdayException:
    """Add a dated exception, or change `exception`; refuses a date already in the calendar.

    `actor` None is the system (data loads); anyone else needs `workdays.calendar.edit`.
    Raises ValidationError with a message per field; deadlines change after commit.
    """
    if actor is not None:
        ensure_can(actor, CALENDAR_EDIT)
    fields: dict[str, Any] = {
        "date": day,
        "kind": kind,
        "name_kk": name_kk,
        "name_ru": name_ru,
        "name_en": name_en,
        "source": source,
    }
    created = exception is None
    target = WorkdayException() if exception is None else exception
    before = {name: getattr(target, name) for name in fields}
    for name, value in fields.items():
        setattr(target, name, value)
    target.full_clean()
    target.save()
    audit_log(
        actor=actor,
        action="workdays.exception.created" if created else "workdays.exception.changed",
        target=target,
        summary=f"{target.date.isoformat()} {target.kind}"
        if created
        else changed_fields_summary(before, fields),
    )
    transaction.on_commit(calendar_cache_invalidate)
    return target


@transaction.atomic
def workday_exception_delete(*, actor: StaffUser | None, exception: WorkdayException) -> None:
    """Remove a dated exception, so the date follows the weekly rule again; audited."""
    if actor is not None:
        ensure_can(actor, CALENDAR_EDIT)
    audit_log(
        actor=actor,
        action="workdays.exception.deleted",
        target=exception,
        summary=f"{exception.date.isoformat()} {exception.kind}",
    )
    exception.delete()
    transaction.on_commit(calendar_cache_invalidate)
