"""Administrators change the calendar through the services; deadlines follow at once."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from birge.core.models import AuditEntry, StaffRole
from birge.core.tests.factories import AgencyFactory, staff_member
from birge.workdays.models import WorkdayException
from birge.workdays.selectors import calendar_cache_invalidate, is_working_day, working_days_add
from birge.workdays.services import workday_exception_delete, workday_exception_save
from birge.workdays.tests.factories import WorkdayExceptionFactory

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
Kind = WorkdayException.Kind


def _holiday(actor: Any, day: date, **changes: Any) -> WorkdayException:
    fields: dict[str, Any] = {
        "day": day,
        "kind": Kind.TRANSFERRED_DAY_OFF,
        "name_kk": "Демалыс күні",
        "name_ru": "Выходной день",
        "name_en": "Day off",
        "source": "Government decree (test)",
    }
    fields.update(changes)
    return workday_exception_save(actor=actor, **fields)


def test_adding_a_day_off_changes_deadlines_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given: a deadline computed (and cached) from the shipped calendar
    admin = staff_member(StaffRole.Role.ADMINISTRATOR)
    registered = datetime(2026, 6, 1, 9, tzinfo=ALMATY)
    assert working_days_add(registered, 1) == datetime(
        2026, 6, 2, 23, 59, 59, 999999, tzinfo=ALMATY
    )
    # when: an administrator makes Tuesday 2 June 2026 a day off
    with django_capture_on_commit_callbacks(execute=True):
        exception = _holiday(admin, date(2026, 6, 2))
    # then: the cached calendar is replaced and the deadline moves to Wednesday
    assert not is_working_day(date(2026, 6, 2))
    assert working_days_add(registered, 1) == datetime(
        2026, 6, 3, 23, 59, 59, 999999, tzinfo=ALMATY
    )
    entry = AuditEntry.objects.get(action="workdays.exception.created")
    assert entry.actor == admin
    assert entry.target_id == str(exception.pk)
    # and when it is removed again, the day is a working day again
    with django_capture_on_commit_callbacks(execute=True):
        workday_exception_delete(actor=admin, exception=exception)
    assert is_working_day(date(2026, 6, 2))
    assert AuditEntry.objects.filter(action="workdays.exception.deleted").count() == 1


def test_a_change_is_audited_by_field_name(django_capture_on_commit_callbacks: Any) -> None:
    admin = staff_member(StaffRole.Role.ADMINISTRATOR)
    saturday = WorkdayException.objects.get(date=date(2024, 5, 4))
    with django_capture_on_commit_callbacks(execute=True):
        workday_exception_save(
            actor=admin,
            exception=saturday,
            day=saturday.date,
            kind=saturday.kind,
            name_kk=saturday.name_kk,
            name_ru=saturday.name_ru,
            name_en="Working Saturday",
            source=saturday.source,
        )
    entry = AuditEntry.objects.get(action="workdays.exception.changed")
    assert entry.summary == "changed: name_en"


def test_a_date_already_in_the_calendar_is_refused() -> None:
    admin = staff_member(StaffRole.Role.ADMINISTRATOR)
    with pytest.raises(ValidationError) as refused:
        _holiday(admin, date(2026, 3, 23), kind=Kind.HOLIDAY)
    assert "already in the calendar" in str(refused.value.message_dict["date"])
    assert WorkdayException.objects.filter(date=date(2026, 3, 23)).count() == 1


def test_a_weekend_cannot_be_a_moved_or_transferred_day_off() -> None:
    admin = staff_member(StaffRole.Role.ADMINISTRATOR)
    with pytest.raises(ValidationError) as refused:
        _holiday(admin, date(2026, 6, 6))  # a Saturday
    assert "kind" in refused.value.message_dict


@pytest.mark.parametrize(
    "role",
    [
        StaffRole.Role.AGENCY_OFFICER,
        StaffRole.Role.AGENCY_HEAD,
        StaffRole.Role.COORDINATOR,
    ],
)
def test_only_administrators_edit_the_calendar(role: str) -> None:
    global_role = role in StaffRole.GLOBAL_ROLES
    user = staff_member(role, None if global_role else AgencyFactory())
    with pytest.raises(PermissionDenied):
        _holiday(user, date(2026, 6, 2))
    with pytest.raises(PermissionDenied):
        workday_exception_delete(
            actor=user, exception=WorkdayException.objects.get(date=date(2026, 3, 23))
        )
    assert not WorkdayException.objects.filter(date=date(2026, 6, 2)).exists()
    assert WorkdayException.objects.filter(date=date(2026, 3, 23)).exists()


def test_a_row_written_outside_the_services_shows_after_the_cache_is_invalidated() -> None:
    # given: the calendar is cached; a row is written straight to the database (as a data load)
    assert is_working_day(date(2030, 6, 3))
    WorkdayExceptionFactory(date=date(2030, 6, 3))
    # then: the cached calendar still answers until its version is replaced
    assert is_working_day(date(2030, 6, 3))
    calendar_cache_invalidate()
    assert not is_working_day(date(2030, 6, 3))
