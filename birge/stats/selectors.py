"""Reading published figures: which release answers a question, and its values."""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from birge.core.models import Region

from .models import Indicator, Release, Value


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.all()


def release_list() -> QuerySet[Release]:
    return Release.objects.select_related("is_correction_of")


def release_for(
    *,
    indicator: Indicator,
    region: Region | None,
    release_id: int | None = None,
    as_of: date | None = None,
    source_key: str = "",
) -> Release | None:
    """The release that answers: the one named, else the latest published (by `as_of`, the end
    of that day in UTC; of one source if named) with figures for this indicator and region.
    One query."""
    if release_id is not None:
        return Release.objects.filter(pk=release_id).first()
    values = Value.objects.filter(release=OuterRef("pk"), indicator=indicator)
    if region is not None:
        values = values.filter(region=region)
    releases = Release.objects.filter(Exists(values))
    if source_key:
        releases = releases.filter(source_key=source_key)
    if as_of is not None:
        end = datetime.combine(as_of, time.max, tzinfo=UTC)
        releases = releases.filter(published_at__lte=end)
    return releases.order_by("-published_at", "-pk").first()


def value_list(
    *,
    release: Release,
    indicator: Indicator,
    region: Region | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Value]:
    """A release's values for one indicator, by region then date, with the region loaded."""
    values = Value.objects.filter(release=release, indicator=indicator).select_related("region")
    if region is not None:
        values = values.filter(region=region)
    if date_from is not None:
        values = values.filter(date__gte=date_from)
    if date_to is not None:
        values = values.filter(date__lte=date_to)
    return values.order_by("region__sort_order", "region__code", "date")


# Units whose territory changed on 8 June 2022 (Zhetisu, Abai and Ulytau were split off): their
# figures before that day cover a larger area than today's population describes.
BOUNDARY_CHANGED_ON = date(2022, 6, 8)
BOUNDARY_CHANGED = frozenset({"KZ-19", "KZ-63", "KZ-35"})
AVERAGE_DAYS = 7


@dataclass(frozen=True)
class SeriesPoint:
    """One day of a cumulative series with what follows from it; None where it cannot be told."""

    date: date
    total: int
    new: int | None  # since the day before; None when the day before has no figure
    new_average: float | None  # mean of `new` over the 7 days to this one, all of them known
    total_per_100k: float | None  # None without a population for this unit at this date
    new_average_per_100k: float | None


def series_derive(
    *, points: Sequence[tuple[date, int]], population: int | None, region_code: str
) -> list[SeriesPoint]:
    """Daily new figures, 7-day averages and rates per 100,000 from a cumulative series.

    Nothing is bridged: a day after a gap has no `new`, and an average needs all seven days, so
    a left-out value never turns into a spike or a smoothed guess.
    """
    ordered = sorted(points)
    news: dict[date, int] = {}
    for (before, before_total), (day, total) in itertools.pairwise(ordered):
        if day - before == timedelta(days=1):
            news[day] = total - before_total
    result = []
    for day, total in ordered:
        window = [news.get(day - timedelta(days=back)) for back in range(AVERAGE_DAYS)]
        known = [new for new in window if new is not None]
        average = sum(known) / AVERAGE_DAYS if len(known) == AVERAGE_DAYS else None
        rate_base = population
        if region_code in BOUNDARY_CHANGED and day < BOUNDARY_CHANGED_ON:
            rate_base = None
        result.append(
            SeriesPoint(
                date=day,
                total=total,
                new=news.get(day),
                new_average=average,
                total_per_100k=_per_100k(total, rate_base),
                new_average_per_100k=_per_100k(average, rate_base),
            )
        )
    return result


def _per_100k(value: float | None, population: int | None) -> float | None:
    if value is None or not population:
        return None
    return round(value * 100_000 / population, 2)


def series_for(*, release: Release, indicator: Indicator, region: Region) -> list[SeriesPoint]:
    """A cumulative indicator's derived series for one unit in one release. One query."""
    points = list(
        Value.objects.filter(release=release, indicator=indicator, region=region)
        .order_by("date")
        .values_list("date", "value")
    )
    return series_derive(points=points, population=region.population, region_code=region.code)
