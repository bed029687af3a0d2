"""Reading published figures: which release answers a question, and its values."""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404

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


# The pre-2022 unit that kept the code, and the unit formed from part of it on 8 June 2022.
SPLIT_OFF = {"KZ-19": "KZ-33", "KZ-63": "KZ-10", "KZ-35": "KZ-62"}
PARENT_OF = {new: old for old, new in SPLIT_OFF.items()}
HEADLINE_SLUGS = ("confirmed", "recovered", "deaths")


@dataclass(frozen=True)
class Headline:
    """An indicator's latest figure for one unit in one release, and its new-in-the-day part."""

    indicator: Indicator
    date: date
    value: int
    new: int | None
    reported_as: str


@dataclass(frozen=True)
class UnitFigures:
    """What the public pages show for one unit: its release, headline figures, confirmed series."""

    region: Region
    release: Release | None
    headlines: list[Headline]
    series: list[SeriesPoint]


def unit_figures(*, region: Region) -> UnitFigures:
    """The latest release with confirmed figures for this unit, its headline figures and the
    confirmed series. Three queries."""
    indicators = {indicator.slug: indicator for indicator in indicator_list()}
    confirmed = indicators.get("confirmed")
    release = release_for(indicator=confirmed, region=region) if confirmed else None
    if release is None:
        return UnitFigures(region=region, release=None, headlines=[], series=[])
    rows = Value.objects.filter(release=release, region=region).order_by("date")
    by_indicator: dict[int, list[tuple[date, int, str]]] = {}
    for indicator_id, day, value, reported_as in rows.values_list(
        "indicator_id", "date", "value", "reported_as"
    ):
        by_indicator.setdefault(indicator_id, []).append((day, value, reported_as))
    headlines = []
    for slug in HEADLINE_SLUGS:
        indicator = indicators.get(slug)
        points = by_indicator.get(indicator.pk, []) if indicator else []
        if indicator is None or not points:
            continue
        day, value, reported_as = points[-1]
        new = None
        if len(points) > 1 and day - points[-2][0] == timedelta(days=1):
            new = value - points[-2][1]
        headlines.append(
            Headline(indicator=indicator, date=day, value=value, new=new, reported_as=reported_as)
        )
    series = series_derive(
        points=[(day, value) for day, value, _ in by_indicator.get(confirmed.pk, [])]
        if confirmed
        else [],
        population=region.population,
        region_code=region.code,
    )
    return UnitFigures(region=region, release=release, headlines=headlines, series=series)


@dataclass(frozen=True)
class RegionRow:
    """A region's latest figures in one release, by indicator slug, with the name reported."""

    region: Region
    successor: Region | None = None  # the unit split off from this one in 2022
    parent: Region | None = None  # the unit this one was split off from in 2022
    figures: dict[str, Value] = field(default_factory=dict)

    @property
    def covers_successor(self) -> bool:
        """Its latest figures are from before the split, so they include the successor's."""
        day = self.date
        return self.successor is not None and day is not None and day < BOUNDARY_CHANGED_ON

    @property
    def date(self) -> date | None:
        return max((value.date for value in self.figures.values()), default=None)

    @property
    def cells(self) -> list[Value | None]:
        """The latest confirmed, recovered and deaths values, in that order."""
        return [self.figures.get(slug) for slug in HEADLINE_SLUGS]

    @property
    def reported_as(self) -> str:
        confirmed = self.figures.get("confirmed")
        return confirmed.reported_as if confirmed else ""


def region_table(*, source_key: str = "kz") -> tuple[Release | None, list[RegionRow]]:
    """The latest release of a source with regional figures, and each region's latest value of
    each indicator in it (regions without figures too). Three queries."""
    regional = Value.objects.filter(release=OuterRef("pk")).exclude(
        region__kind=Region.Kind.COUNTRY
    )
    release = (
        Release.objects.filter(Exists(regional), source_key=source_key)
        .order_by("-published_at", "-pk")
        .first()
    )
    regions = list(Region.objects.exclude(kind=Region.Kind.COUNTRY).order_by("sort_order", "code"))
    by_code = {region.code: region for region in regions}
    rows = {
        region.pk: RegionRow(
            region=region,
            successor=by_code.get(SPLIT_OFF.get(region.code, "")),
            parent=by_code.get(PARENT_OF.get(region.code, "")),
        )
        for region in regions
    }
    if release is None:
        return None, list(rows.values())
    latest_day = (
        Value.objects.filter(
            release=release, region=OuterRef("region"), indicator=OuterRef("indicator")
        )
        .order_by("-date")
        .values("date")[:1]
    )
    latest = Value.objects.filter(
        release=release, region_id__in=rows, date=Subquery(latest_day)
    ).select_related("indicator")
    for value in latest:
        rows[value.region_id].figures[value.indicator.slug] = value
    return release, list(rows.values())


def region_public_get(*, code: str) -> Region:
    """A unit by its ISO code (any case), or Http404."""
    region = Region.objects.filter(code__iexact=code).first()
    if region is None:
        raise Http404
    return region


def regions_by_code(*, codes: Sequence[str]) -> dict[str, Region]:
    return {region.code: region for region in Region.objects.filter(code__in=codes)}


def headlines_latest(*, region_code: str = "KZ") -> tuple[Release | None, list[Headline]]:
    """The latest release's headline figures for one unit, without its series (for the portal's
    home page). Five queries at most: indicators, release, one per headline indicator."""
    region = Region.objects.filter(code=region_code).first()
    indicators = {indicator.slug: indicator for indicator in indicator_list()}
    confirmed = indicators.get("confirmed")
    if region is None or confirmed is None:
        return None, []
    release = release_for(indicator=confirmed, region=region)
    if release is None:
        return None, []
    headlines = []
    for slug in HEADLINE_SLUGS:
        indicator = indicators.get(slug)
        if indicator is None:
            continue
        last_two = list(
            Value.objects.filter(release=release, region=region, indicator=indicator)
            .order_by("-date")
            .values_list("date", "value", "reported_as")[:2]
        )
        if not last_two:
            continue
        day, value, reported_as = last_two[0]
        new = None
        if len(last_two) == 2 and day - last_two[1][0] == timedelta(days=1):
            new = value - last_two[1][1]
        headlines.append(
            Headline(indicator=indicator, date=day, value=value, new=new, reported_as=reported_as)
        )
    return release, headlines
