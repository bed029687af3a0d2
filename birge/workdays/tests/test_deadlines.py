"""Deadline arithmetic on the calendar shipped with Birge (2020-2027)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from birge.workdays.selectors import (
    is_working_day,
    next_working_day,
    working_calendar,
    working_days_add,
    working_days_between,
)

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
END = time(23, 59, 59, 999999)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def end_of(year: int, month: int, day: int) -> datetime:
    return datetime.combine(date(year, month, day), END, tzinfo=ALMATY)


def test_fifteen_working_days_across_nauryz_and_its_moved_days_off() -> None:
    # given: 18 March 2026 (Wednesday); Nauryz 21-23 March falls on Sat-Mon, so the days off of
    # 21 and 22 March move to Tuesday 24 and Wednesday 25 March
    registered = at(2026, 3, 18)
    # when
    deadline = working_days_add(registered, 15)
    # then: 19, 20, 26, 27, 30, 31 March, 1-3, 6-10 and 13 April
    assert deadline == end_of(2026, 4, 13)
    assert deadline.tzinfo is not None
    assert (deadline.hour, deadline.minute, deadline.second, deadline.microsecond) == (
        23,
        59,
        59,
        999999,
    )
    assert [is_working_day(date(2026, 3, d)) for d in range(20, 27)] == [
        True,  # Fri 20
        False,  # Sat 21 Nauryz
        False,  # Sun 22 Nauryz
        False,  # Mon 23 Nauryz
        False,  # Tue 24 moved from 21 March
        False,  # Wed 25 moved from 22 March
        True,  # Thu 26
    ]


def test_the_term_starts_the_day_after_registration() -> None:
    # Wednesday 3 June 2026 + 1 working day is Thursday 4 June, not Wednesday itself.
    assert working_days_add(at(2026, 6, 3, 0, 1), 1) == end_of(2026, 6, 4)
    assert working_days_add(at(2026, 6, 3, 23, 59), 1) == end_of(2026, 6, 4)


def test_an_appeal_registered_on_friday_evening() -> None:
    # given: Friday 6 March 2026 at 21:30 in Almaty (16:30 UTC); Sunday 8 March moves its day
    # off to Monday 9 March
    registered = datetime(2026, 3, 6, 16, 30, tzinfo=UTC)
    # when / then: Saturday, Sunday and Monday are off; Tue 10, Wed 11, Thu 12
    assert working_days_add(registered, 3) == end_of(2026, 3, 12)


def test_the_registration_day_is_the_day_in_almaty_not_in_utc() -> None:
    # Thursday 5 March 2026 23:30 in Almaty: the term starts on Friday 6 March.
    thursday_night = datetime(2026, 3, 5, 18, 30, tzinfo=UTC)
    assert working_days_add(thursday_night, 1) == end_of(2026, 3, 6)
    # Friday 6 March 00:30 in Almaty is still Thursday in UTC: the term starts on Saturday.
    friday_early = datetime(2026, 3, 5, 19, 30, tzinfo=UTC)
    assert working_days_add(friday_early, 1) == end_of(2026, 3, 10)


def test_a_naive_start_is_read_as_almaty_time() -> None:
    assert working_days_add(datetime(2026, 3, 5, 23, 30), 1) == end_of(2026, 3, 6)  # noqa: DTZ001
    # a plain date is the registration day itself
    assert working_days_add(date(2026, 3, 18), 15) == end_of(2026, 4, 13)


def test_a_holiday_on_saturday_moves_the_day_off_to_monday() -> None:
    # Victory Day, 9 May 2026, is a Saturday: Monday 11 May is a day off.
    assert not is_working_day(date(2026, 5, 11))
    assert working_days_add(at(2026, 5, 8), 1) == end_of(2026, 5, 12)
    # Capital Day, 6 July 2024, a Saturday: Monday 8 July is off.
    assert not is_working_day(date(2024, 7, 8))
    assert next_working_day(date(2024, 7, 5)) == date(2024, 7, 9)


def test_religious_days_off_on_a_weekend_are_not_moved() -> None:
    # Kurban Ait on Sunday 16 June 2024 and Orthodox Christmas on Saturday 7 January 2023:
    # the Monday after each is a working day (Labour Code art. 84(5)).
    assert is_working_day(date(2024, 6, 17))
    assert is_working_day(date(2023, 1, 9))
    # Kurban Ait on a weekday is a day off.
    assert not is_working_day(date(2026, 5, 27))


def test_a_saturday_the_government_made_a_working_day_counts() -> None:
    # given: in 2024 the day off was transferred from Saturday 4 May to Wednesday 8 May
    assert is_working_day(date(2024, 5, 4))
    assert not is_working_day(date(2024, 5, 8))
    # when / then: registered on Friday 3 May, the first working day is that Saturday
    assert working_days_add(at(2024, 5, 3), 1) == end_of(2024, 5, 4)
    # Sat 4 (1), Mon 6 (2), Tue 7 Defender, Wed 8 transferred, Thu 9 Victory, Fri 10 (3)
    assert working_days_add(at(2024, 5, 3), 3) == end_of(2024, 5, 10)


def test_a_moved_day_off_the_government_transferred_again_is_a_working_day() -> None:
    # 2020: Victory Day on Saturday moved its day off to Monday 11 May; the Government then
    # transferred it to Friday 8 May.
    assert not is_working_day(date(2020, 5, 8))
    assert is_working_day(date(2020, 5, 11))


def test_three_working_days_to_redirect_across_new_year() -> None:
    # 2024-2025: 1-2 January holidays, Friday 3 January a transferred day off, Sunday 5 January
    # a working day in its place: Tue 31 December (1), Sun 5 January (2), Mon 6 January (3).
    assert working_days_add(at(2024, 12, 30, 17), 2) == end_of(2025, 1, 5)
    assert working_days_add(at(2024, 12, 30, 17), 3) == end_of(2025, 1, 6)
    # 2026-2027: 2 January 2027 is a Saturday, so Monday 4 January is a day off.
    assert working_days_add(at(2026, 12, 30, 17), 3) == end_of(2027, 1, 6)


def test_constitution_day_moved_with_the_2026_constitution() -> None:
    # 30 August is no longer a holiday from 2026 (Monday 31 August 2026 is a working day);
    # 15 March is Constitution Day from 2027.
    assert is_working_day(date(2026, 8, 31))
    assert not is_working_day(date(2027, 3, 15))
    assert not is_working_day(date(2025, 9, 1))


def test_the_deadline_is_the_end_of_the_day_in_almaty_before_and_after_utc_plus_5() -> None:
    # Almaty moved from UTC+6 to UTC+5 on 1 March 2024.
    before = working_days_add(at(2023, 6, 1), 1)
    after = working_days_add(at(2025, 6, 2), 1)
    assert before.utcoffset() == timedelta(hours=6)
    assert before.astimezone(UTC) == datetime(2023, 6, 2, 17, 59, 59, 999999, tzinfo=UTC)
    assert after.utcoffset() == timedelta(hours=5)
    assert after.astimezone(UTC) == datetime(2025, 6, 3, 18, 59, 59, 999999, tzinfo=UTC)
    # 29 February 2024 ended at 23:59:59 UTC+5: the clocks went back an hour at its end.
    leap = working_days_add(at(2024, 2, 28), 1)
    assert leap.astimezone(UTC) == datetime(2024, 2, 29, 18, 59, 59, 999999, tzinfo=UTC)
    assert (leap.date(), leap.time()) == (date(2024, 2, 29), END)


def test_a_term_counts_at_least_one_day() -> None:
    with pytest.raises(ValueError, match="at least one"):
        working_days_add(at(2026, 3, 18), 0)


def test_working_days_between_counts_the_half_open_interval() -> None:
    monday, friday = date(2026, 6, 1), date(2026, 6, 5)
    assert working_days_between(monday, friday) == 4  # Tue-Fri
    assert working_days_between(friday, monday) == 0
    assert working_days_between(monday, monday) == 0
    assert working_days_between(friday, date(2026, 6, 8)) == 1  # the weekend does not count
    # across Nauryz 2026: 20 March counts, 21-25 do not, 26 does
    assert working_days_between(date(2026, 3, 19), date(2026, 3, 26)) == 2
    # a working Saturday counts, the day off transferred to Wednesday does not
    assert working_days_between(date(2024, 5, 3), date(2024, 5, 10)) == 3


def test_working_days_between_agrees_with_working_days_add_and_with_counting() -> None:
    start = date(2019, 12, 20)
    while start < date(2028, 1, 10):
        for days in (1, 3, 15, 44):
            deadline = working_days_add(datetime.combine(start, time(12), tzinfo=ALMATY), days)
            assert working_days_between(start, deadline.date()) == days, (start, days)
        end = start + timedelta(days=97)
        by_walking = sum(
            is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1)
        )
        assert working_days_between(start, end) == by_walking
        # splitting an interval adds up
        middle = start + timedelta(days=40)
        assert working_days_between(start, middle) + working_days_between(
            middle, end
        ) == working_days_between(start, end)
        start += timedelta(days=5)


def test_next_working_day_is_strictly_after() -> None:
    assert next_working_day(date(2026, 6, 1)) == date(2026, 6, 2)
    assert next_working_day(date(2026, 3, 20)) == date(2026, 3, 26)
    assert next_working_day(date(2024, 12, 31)) == date(2025, 1, 5)


def test_years_without_calendar_data_count_weekdays_only() -> None:
    assert working_days_add(at(2031, 6, 6), 1) == end_of(2031, 6, 9)


def test_fifty_deadlines_cost_at_most_one_query(
    django_assert_max_num_queries: object,
) -> None:
    starts = [at(2026, 1, 5) + timedelta(days=n * 3, hours=n) for n in range(50)]
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        deadlines = [working_days_add(start, 15) for start in starts]
    with django_assert_max_num_queries(0):  # type: ignore[operator]
        again = [working_days_add(start, 15) for start in starts]
        flags = [is_working_day(start.date()) for start in starts]
    assert deadlines == again
    assert len(flags) == 50


def test_a_list_may_take_one_snapshot_for_all_its_rows(
    django_assert_max_num_queries: object,
) -> None:
    starts = [at(2024, 12, 1) + timedelta(days=n * 2) for n in range(50)]
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        calendar = working_calendar()
        snapshot = [calendar.working_days_add(start, 3) for start in starts]
    assert snapshot == [working_days_add(start, 3) for start in starts]
    assert calendar.working_days_between(date(2024, 12, 30), date(2025, 1, 6)) == 3
    assert calendar.next_working_day(date(2025, 1, 2)) == date(2025, 1, 5)
