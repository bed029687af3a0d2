"""Reads of the working-day calendar: which days are working days, and deadlines counted in them.

Legal terms in Kazakhstan (the Administrative Procedural Code's 15 working days for an appeal,
3 working days to redirect it) are counted in the calendar of Asia/Almaty: Monday to Friday,
less holidays and days off moved or transferred, plus Saturdays the Government made working
days. The calendar's exceptions are loaded once into memory and shared through Django's cache
under a version token that every write replaces, so a list of fifty deadlines costs at most one
query, and usually none.
"""

import bisect
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import QuerySet

from .models import WorkdayException

ALMATY = ZoneInfo("Asia/Almaty")
CALENDAR_VERSION_KEY = "workdays:calendar:version"
CALENDAR_DATA_KEY = "workdays:calendar:data:{version}"
# With a per-process cache (the embedded install's local memory) another process sees an edit
# within this many seconds; with Redis every process sees it at once.
CALENDAR_CACHE_SECONDS = 300
WEEKEND = (5, 6)


def _local_date(day: date) -> date:
    # A datetime is a date too; a set of dates would never match it, so it is read as the
    # Almaty calendar day it falls on.
    if isinstance(day, datetime):
        return (day.astimezone(ALMATY) if day.tzinfo is not None else day).date()
    return day


def _local_datetime(moment: datetime) -> datetime:
    if not isinstance(moment, datetime):  # a plain date: the start of that day in Almaty
        return datetime.combine(moment, time.min, tzinfo=ALMATY)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=ALMATY)
    return moment.astimezone(ALMATY)


def end_of_day(day: date) -> datetime:
    """The last microsecond of `day` in Almaty, tz-aware (the later one if a wall time repeats)."""
    next_midnight = datetime.combine(day + timedelta(days=1), time.min, tzinfo=ALMATY)
    return (next_midnight.astimezone(UTC) - timedelta(microseconds=1)).astimezone(ALMATY)


def _weekdays_in(first: date, last: date) -> int:
    """Monday-Friday dates in [first, last]."""
    total = (last - first).days + 1
    weeks, rest = divmod(total, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for offset in range(rest) if (start + offset) % 7 not in WEEKEND)


@dataclass(frozen=True)
class WorkingCalendar:
    """A snapshot of the calendar: the exceptions to the Monday-Friday rule, with the arithmetic.

    `working_calendar()` returns the one in force. A list that computes many deadlines may take
    one snapshot and call its methods, saving a cache look-up per row; the module functions
    below do exactly the same on a fresh snapshot each.
    """

    non_working: frozenset[date]
    extra_working: frozenset[date]
    # Every exception date in order, for counting over a range without walking it day by day.
    dates: tuple[date, ...]

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[date, str]]) -> "WorkingCalendar":
        non_working: set[date] = set()
        extra_working: set[date] = set()
        for day, kind in rows:
            if kind == WorkdayException.Kind.TRANSFERRED_WORKING_DAY:
                extra_working.add(day)
            else:
                non_working.add(day)
        return cls(
            non_working=frozenset(non_working),
            extra_working=frozenset(extra_working),
            dates=tuple(sorted(non_working | extra_working)),
        )

    def is_working_day(self, day: date) -> bool:
        """Whether `day` (read in Almaty if a datetime) is a working day."""
        day = _local_date(day)
        if day in self.extra_working:
            return True
        if day in self.non_working:
            return False
        return day.weekday() not in WEEKEND

    def working_days_add(self, start: datetime, days: int) -> datetime:
        """The end of the `days`-th working day after `start`'s Almaty day (see the module's)."""
        if days < 1:
            raise ValueError("A term counts at least one working day.")
        day = _local_datetime(start).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return end_of_day(day)

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days in (start, end]; 0 when `end` is not after `start`."""
        start, end = _local_date(start), _local_date(end)
        if end <= start:
            return 0
        count = _weekdays_in(start + timedelta(days=1), end)
        low = bisect.bisect_right(self.dates, start)
        high = bisect.bisect_right(self.dates, end)
        for day in self.dates[low:high]:
            by_rule = day.weekday() not in WEEKEND
            count += int(self.is_working_day(day)) - int(by_rule)
        return count

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day = _local_date(day) + timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


class _Memo:
    """The calendar this process last built, with the version token it was built for."""

    # One attribute, assigned at once, so a thread never sees a version with another's calendar.
    entry: tuple[str, WorkingCalendar] | None = None


def calendar_version() -> str:
    """The current version token of the calendar, created when the cache has none."""
    version: str | None = cache.get(CALENDAR_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(CALENDAR_VERSION_KEY, version, CALENDAR_CACHE_SECONDS):
            version = cache.get(CALENDAR_VERSION_KEY) or version
    return version


def calendar_cache_invalidate() -> None:
    """Replace the version token, so every process rebuilds the calendar on its next read."""
    cache.set(CALENDAR_VERSION_KEY, uuid.uuid4().hex, CALENDAR_CACHE_SECONDS)


def working_calendar() -> WorkingCalendar:
    """The calendar in force: from this process's memory, else the cache, else one query."""
    version = calendar_version()
    entry = _Memo.entry
    if entry is not None and entry[0] == version:
        return entry[1]
    data_key = CALENDAR_DATA_KEY.format(version=version)
    rows: list[tuple[date, str]] | None = cache.get(data_key)
    if rows is None:
        rows = list(WorkdayException.objects.values_list("date", "kind"))
        cache.set(data_key, rows, CALENDAR_CACHE_SECONDS)
    calendar = WorkingCalendar.from_rows(rows)
    _Memo.entry = (version, calendar)
    return calendar


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day in Kazakhstan under the calendar in force."""
    return working_calendar().is_working_day(day)


def working_days_add(start: datetime, days: int) -> datetime:
    """The end (23:59:59.999999 Almaty, tz-aware) of the `days`-th working day after `start`'s day.

    The term starts the day after `start` (registration), as the Administrative Procedural Code
    counts terms; `start` is read in Asia/Almaty (a naive value is taken as Almaty local time,
    a plain date as that day). Raises ValueError when `days` < 1.
    """
    return working_calendar().working_days_add(start, days)


def working_days_between(start: date, end: date) -> int:
    """The number of working days in (start, end]; 0 when `end` is not after `start`."""
    return working_calendar().working_days_between(start, end)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    return working_calendar().next_working_day(day)


def workday_exception_list(*, year: int | None = None) -> QuerySet[WorkdayException]:
    """The calendar's dated exceptions in date order, of one year when given."""
    exceptions = WorkdayException.objects.all()
    if year is not None:
        exceptions = exceptions.filter(date__year=year)
    return exceptions.order_by("date")


@dataclass(frozen=True)
class YearSummary:
    """What an administrator checks a year's calendar against the official one with."""

    year: int
    working_days: int
    non_working_weekdays: list[tuple[date, WorkdayException | None]]
    working_weekends: list[tuple[date, WorkdayException | None]]
    holidays_listed: int


def calendar_year_summary(year: int) -> YearSummary:
    """The year's working-day count, its non-working weekdays and its working weekends."""
    calendar = working_calendar()
    rows = {row.date: row for row in workday_exception_list(year=year)}
    first, last = date(year, 1, 1), date(year, 12, 31)
    non_working_weekdays = []
    working_weekends = []
    working_days = 0
    day = first
    while day <= last:
        working = calendar.is_working_day(day)
        working_days += int(working)
        weekend = day.weekday() in WEEKEND
        if working and weekend:
            working_weekends.append((day, rows.get(day)))
        elif not working and not weekend:
            non_working_weekdays.append((day, rows.get(day)))
        day += timedelta(days=1)
    holidays = sum(1 for row in rows.values() if row.kind == WorkdayException.Kind.HOLIDAY)
    return YearSummary(
        year=year,
        working_days=working_days,
        non_working_weekdays=non_working_weekdays,
        working_weekends=working_weekends,
        holidays_listed=holidays,
    )
