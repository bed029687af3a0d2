"""Derived figures from a release: daily new, 7-day averages, rates per 100,000.

Expected numbers from the raw kz.csv (last national snapshot of the day): 4,834 on 2020-05-08,
5,571 on 2020-05-14, 5,689 on 2020-05-15; the national population in core is 20,034,000 (2024).
"""

from datetime import date, timedelta

import pytest

from birge.core.models import Region
from birge.stats.demo import DATA
from birge.stats.models import Indicator
from birge.stats.selectors import series_derive, series_for
from birge.stats.services import release_import

pytestmark = pytest.mark.django_db


def test_the_national_series_gives_new_cases_averages_and_rates() -> None:
    release = release_import(path=DATA / "kz-daily.csv", source="kz").release
    assert release is not None

    series = series_for(
        release=release,
        indicator=Indicator.objects.get(slug="confirmed"),
        region=Region.objects.get(code="KZ"),
    )
    day = {point.date: point for point in series}[date(2020, 5, 15)]

    assert (day.total, day.new) == (5689, 5689 - 5571)
    assert day.new_average == pytest.approx((5689 - 4834) / 7)
    assert day.total_per_100k == round(5689 * 100_000 / 20_034_000, 2)
    assert day.new_average_per_100k == round((5689 - 4834) / 7 * 100_000 / 20_034_000, 2)
    assert series[0].new is None  # the first day has nothing before it


def test_no_rate_for_a_unit_whose_territory_changed_since() -> None:
    # 2020 Almaty region included today's Zhetisu: today's population does not describe it
    start = date(2020, 6, 1)
    points = [(start + timedelta(days=n), 100 + n) for n in range(10)]

    before = series_derive(points=points, population=1_531_000, region_code="KZ-19")
    elsewhere = series_derive(points=points, population=1_222_000, region_code="KZ-79")

    assert {point.total_per_100k for point in before} == {None}
    assert elsewhere[-1].total_per_100k == round(109 * 100_000 / 1_222_000, 2)


def test_nothing_is_bridged_across_a_gap() -> None:
    start = date(2020, 4, 1)
    days = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10]  # no figure on day 8
    points = [(start + timedelta(days=n), 10 * n) for n in days]

    series = {
        point.date: point
        for point in series_derive(points=points, population=None, region_code="KZ")
    }

    assert series[start + timedelta(days=7)].new_average == 10
    assert series[start + timedelta(days=9)].new is None
    assert series[start + timedelta(days=10)].new == 10
    assert series[start + timedelta(days=10)].new_average is None
    assert series[start + timedelta(days=10)].total_per_100k is None
