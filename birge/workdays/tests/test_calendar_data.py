"""The calendar shipped for 2020-2027 and the administrators' check command."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from birge.workdays.models import WorkdayException
from birge.workdays.reference import calendar_rows, calendar_sync

pytestmark = pytest.mark.django_db
Kind = WorkdayException.Kind


def test_the_data_migration_loaded_every_shipped_row() -> None:
    rows = calendar_rows()
    assert WorkdayException.objects.count() == len(rows)
    years = {date.fromisoformat(row["date"]).year for row in rows}
    assert years == set(range(2020, 2028))
    assert calendar_sync(WorkdayException) == 0  # loading again adds nothing


def test_every_shipped_row_is_valid_and_names_its_source() -> None:
    for row in WorkdayException.objects.all():
        row.full_clean()
        assert all((row.name_kk, row.name_ru, row.name_en, row.source)), row.date


@pytest.mark.parametrize("year", range(2020, 2028))
def test_each_year_has_the_fixed_holidays(year: int) -> None:
    holidays = set(
        WorkdayException.objects.filter(date__year=year, kind=Kind.HOLIDAY).values_list(
            "date", flat=True
        )
    )
    fixed = [(1, 1), (1, 2), (1, 7), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 7), (5, 9)]
    fixed += [(7, 6), (12, 16)]
    assert {date(year, m, d) for m, d in fixed} <= holidays
    assert (date(year, 10, 25) in holidays) is (year >= 2022)
    assert (date(year, 12, 17) in holidays) is (year <= 2021)
    assert (date(year, 12, 1) in holidays) is (year <= 2021)
    assert (date(year, 8, 30) in holidays) is (year <= 2025)
    # one Kurban Ait a year
    kurban = WorkdayException.objects.filter(date__year=year, name_en="Kurban Ait")
    assert kurban.count() == 1


def test_moved_days_off_follow_a_weekend_holiday() -> None:
    for moved in WorkdayException.objects.filter(kind=Kind.MOVED_DAY_OFF):
        assert moved.date.weekday() < 5
        window = [moved.date - timedelta(days=n) for n in range(1, 6)]
        assert WorkdayException.objects.filter(
            kind=Kind.HOLIDAY, date__in=[d for d in window if d.weekday() >= 5]
        ).exists(), moved.date


def test_government_transfers_come_in_pairs() -> None:
    transfers = Counter(
        (row.date.year, row.kind)
        for row in WorkdayException.objects.filter(
            kind__in=[Kind.TRANSFERRED_DAY_OFF, Kind.TRANSFERRED_WORKING_DAY]
        )
    )
    for year in range(2020, 2028):
        assert (
            transfers[(year, Kind.TRANSFERRED_DAY_OFF)]
            == transfers[(year, Kind.TRANSFERRED_WORKING_DAY)]
        )


def test_workdays_check_prints_the_years_differences() -> None:
    out = StringIO()
    call_command("workdays_check", "2024", stdout=out)
    text = out.getvalue()
    assert text.startswith("2024: 249 ")
    weekdays, weekends = text.split("Saturdays and Sundays")
    assert "2024-05-08" in weekdays  # the day off transferred to a Wednesday
    assert "2024-03-25" in weekdays  # moved from Nauryz on Saturday 23 March
    assert "2024-06-16" not in weekdays  # Kurban Ait was a Sunday
    assert "2024-05-04" in weekends


def test_workdays_check_warns_about_a_year_without_holidays() -> None:
    out = StringIO()
    call_command("workdays_check", "2031", stdout=out)
    assert "No holidays are entered" in out.getvalue()
