"""The calendar's screens in the Wagtail admin: administrators only, writes through services."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from birge.core.models import AuditEntry, StaffRole
from birge.core.tests.factories import AgencyFactory, sign_in_verified, staff_member
from birge.workdays.models import WorkdayException
from birge.workdays.selectors import working_days_add

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
INDEX = reverse("workday_calendar:index")
ADD = reverse("workday_calendar:add")


def _form(day: str, kind: str = "transferred_day_off") -> dict[str, str]:
    return {
        "date": day,
        "kind": kind,
        "name_kk": "Демалыс күні",
        "name_ru": "Выходной день",
        "name_en": "Day off",
        "source": "Government decree (test)",
    }


@pytest.fixture
def admin_client(client: Client) -> Client:
    sign_in_verified(client, staff_member(StaffRole.Role.ADMINISTRATOR))
    return client


def test_an_administrator_lists_and_adds_dates(
    admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    # given: a deadline already computed from the shipped calendar
    registered = datetime(2026, 6, 1, 9, tzinfo=ALMATY)
    assert working_days_add(registered, 1).date() == date(2026, 6, 2)
    listing = admin_client.get(INDEX, HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200
    assert b"2026-03-24" in listing.content or b"March 24, 2026" in listing.content
    # when: the administrator adds a day off in the admin
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADD, _form("2026-06-02"))
    # then: it is stored, audited, and the deadline moves
    assert response.status_code == 302
    assert WorkdayException.objects.filter(date=date(2026, 6, 2)).exists()
    assert AuditEntry.objects.filter(action="workdays.exception.created").count() == 1
    assert working_days_add(registered, 1).date() == date(2026, 6, 3)


def test_a_duplicate_date_is_refused_with_a_message(admin_client: Client) -> None:
    response = admin_client.post(ADD, _form("2026-03-23", "holiday"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "already in the calendar" in response.content.decode()
    assert WorkdayException.objects.filter(date=date(2026, 3, 23)).count() == 1


def test_an_administrator_edits_and_deletes(
    admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    row = WorkdayException.objects.get(date=date(2024, 5, 4))
    edit = reverse("workday_calendar:edit", args=[row.pk])
    assert admin_client.get(edit).status_code == 200
    form = _form("2024-05-04", "transferred_working_day")
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(edit, form).status_code == 302
    row.refresh_from_db()
    assert row.name_en == "Day off"
    changed = AuditEntry.objects.get(action="workdays.exception.changed")
    assert changed.summary == "changed: name_en, name_kk, name_ru, source"
    delete = reverse("workday_calendar:delete", args=[row.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(delete).status_code == 302
    assert not WorkdayException.objects.filter(pk=row.pk).exists()
    assert AuditEntry.objects.filter(action="workdays.exception.deleted").count() == 1


@pytest.mark.parametrize(
    "role",
    [StaffRole.Role.AGENCY_OFFICER, StaffRole.Role.AGENCY_HEAD, StaffRole.Role.COORDINATOR],
)
def test_other_staff_cannot_reach_the_calendar_screens(client: Client, role: str) -> None:
    # given: a staff member who is not an administrator, signed in with both factors
    global_role = role in StaffRole.GLOBAL_ROLES
    sign_in_verified(client, staff_member(role, None if global_role else AgencyFactory()))
    row = WorkdayException.objects.get(date=date(2026, 3, 23))
    # when / then: every screen sends them away, and nothing changes
    home = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en")
    assert home.status_code == 200
    assert INDEX.encode() not in home.content
    for url in (
        INDEX,
        ADD,
        reverse("workday_calendar:edit", args=[row.pk]),
        reverse("workday_calendar:delete", args=[row.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    client.post(ADD, _form("2026-06-02"))
    client.post(reverse("workday_calendar:delete", args=[row.pk]))
    assert not WorkdayException.objects.filter(date=date(2026, 6, 2)).exists()
    assert WorkdayException.objects.filter(pk=row.pk).exists()


def test_a_superuser_without_the_administrator_role_is_denied_too(client: Client) -> None:
    # Wagtail would let any superuser in; Birge's access rules deny by default.
    user = staff_member(StaffRole.Role.COORDINATOR)
    user.is_superuser = True
    user.save()
    sign_in_verified(client, user)
    assert client.get(INDEX).status_code in (302, 403)


def test_the_menu_shows_the_calendar_to_administrators(admin_client: Client) -> None:
    home = admin_client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en")
    assert INDEX.encode() in home.content
