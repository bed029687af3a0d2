"""The legal clock counted in working days, across Nauryz and the transferred days off."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from birge.appeals.clock import ClockState, clock_state, term_start
from birge.appeals.models import Appeal, Escalation
from birge.appeals.services import (
    appeal_clarify,
    appeal_extend,
    appeal_request_clarification,
    escalations_send,
)

from .factories import AppealFactory

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=ALMATY)


def local_date(moment: datetime | None) -> str:
    assert moment is not None
    return moment.astimezone(ALMATY).date().isoformat()


def test_fifteen_working_days_skip_nauryz_and_its_moved_days_off() -> None:
    # Registered Wednesday 18 March 2026: Nauryz 21-23 March and the days off moved to 24-25
    # March are not counted, so the term ends on Monday 13 April, not Wednesday 8 April.
    term = term_start(at(2026, 3, 18))
    assert local_date(term.due_at) == "2026-04-13"
    assert term.due_at.astimezone(ALMATY).hour == 23


def test_a_working_saturday_counts_in_2025() -> None:
    # 2025: Saturday 15 March was a working day (transferred); 21-25 March were days off for
    # Nauryz and Monday 31 March for Oraza Ait, so the term ends on 9 April.
    assert local_date(term_start(at(2025, 3, 14)).due_at) == "2025-04-09"


def test_states_are_computed_from_the_due_date(agency: Any) -> None:
    appeal = AppealFactory(agency=agency, registered_at=at(2026, 3, 18))
    assert clock_state(appeal, at(2026, 3, 19)) == ClockState.ON_TIME
    assert clock_state(appeal, at(2026, 4, 10)) == ClockState.DUE_SOON
    assert clock_state(appeal, at(2026, 4, 14)) == ClockState.OVERDUE
    assert clock_state(appeal, at(2026, 6, 20)) == ClockState.DEEMED_REFUSED
    appeal.status = Appeal.Status.ANSWERED
    assert clock_state(appeal, at(2026, 6, 20)) == ClockState.STOPPED


def test_a_clarification_pauses_the_clock_for_the_working_days_waited(
    agency: Any, officer: Any
) -> None:
    with freeze_time(at(2026, 3, 18)):
        appeal = AppealFactory(agency=agency)
    with freeze_time(at(2026, 3, 20)):
        appeal_request_clarification(officer=officer, appeal=appeal, question="Which district?")
    assert clock_state(appeal) == ClockState.PAUSED
    # the citizen answers on Friday 27 March: 20, 26, 27 March... counted between the two days
    with freeze_time(at(2026, 3, 27)):
        appeal_clarify(appeal=appeal, text="Medeu district")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.IN_PROGRESS
    assert appeal.paused_at is None
    # Friday 20 -> Friday 27 March spans 2 working days (26, 27): the term moves from 13 to 15 April
    assert local_date(appeal.due_at) == "2026-04-15"
    assert appeal.events.filter(kind="clarified").exists()


def test_the_head_extends_up_to_two_months_and_the_citizen_is_told(
    agency: Any, head: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    appeal = AppealFactory(agency=agency, contact_email="citizen@example.kz", consent=True)
    assert appeal.due_at is not None
    assert appeal.term_limit_at is not None
    with pytest.raises(ValidationError):
        appeal_extend(
            head=head,
            appeal=appeal,
            new_due_at=appeal.term_limit_at + timedelta(days=1),
            reason="Expert opinion needed",
        )
    with pytest.raises(ValidationError):
        appeal_extend(
            head=head, appeal=appeal, new_due_at=appeal.due_at + timedelta(days=10), reason=" "
        )
    from django.http import Http404

    with pytest.raises(Http404):  # an officer may not extend
        appeal_extend(
            head=officer, appeal=appeal, new_due_at=appeal.due_at + timedelta(days=10), reason="x"
        )
    with django_capture_on_commit_callbacks(execute=True):
        appeal_extend(
            head=head,
            appeal=appeal,
            new_due_at=appeal.due_at + timedelta(days=30),
            reason="Expert opinion needed",
        )
    appeal.refresh_from_db()
    assert appeal.extensions.count() == 1
    assert len(mail.outbox) == 1
    assert appeal.tracking_token in mail.outbox[0].body


def test_overdue_appeals_are_escalated_once(
    agency: Any, head: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with freeze_time(at(2026, 3, 18)):
        first = AppealFactory(agency=agency)
        second = AppealFactory(agency=agency)
    with freeze_time(at(2026, 4, 20)), django_capture_on_commit_callbacks(execute=True):
        assert escalations_send() == 2
        assert escalations_send() == 0
    assert Escalation.objects.count() == 2
    # one notice per recipient, listing both appeals
    assert sorted(m.to[0] for m in mail.outbox) == sorted([head.email, coordinator.email])
    assert all(
        first.tracking_code in m.body and second.tracking_code in m.body for m in mail.outbox
    )
