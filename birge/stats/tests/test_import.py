"""Importing the real files: the source's own figures come out, and every defect is reported.

The expected numbers were read from the raw kz.csv and the JHU file with awk (the last
snapshot of the UTC day), not produced by this code:
    awk -F, 'substr($1,1,10)=="2020-05-15" && $5=="Алматы" {l=$0} END{print l}' kz.csv
"""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from birge.core.models import Region
from birge.stats import services
from birge.stats.demo import DATA, stats_demo_load
from birge.stats.importing import Kind
from birge.stats.models import Release, Value
from birge.stats.services import ReleaseRefused, release_import

pytestmark = pytest.mark.django_db

KZ_DAILY = DATA / "kz-daily.csv"
JHU_DAILY = DATA / "jhu-kazakhstan-daily.csv"
KZ_HEADER = "Date,Confirmed,Recovered,Deaths,Region\n"


def _figures(release: Release, code: str, day: date) -> dict[str, int]:
    values = Value.objects.filter(release=release, region__code=code, date=day)
    return {value.indicator.slug: value.value for value in values.select_related("indicator")}


def _csv(tmp_path: Path, text: str, name: str = "figures.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_portal_file_gives_the_source_figures_nationally_and_by_region() -> None:
    # when
    release = release_import(path=KZ_DAILY, source="kz").release
    assert release is not None

    # then: national and regional totals as the portal showed them at the end of the day
    assert _figures(release, "KZ", date(2020, 5, 15)) == {
        "confirmed": 5689,
        "recovered": 2707,
        "deaths": 34,
    }
    assert _figures(release, "KZ", date(2020, 6, 30)) == {
        "confirmed": 21819,
        "recovered": 13008,
        "deaths": 188,
    }
    assert _figures(release, "KZ-75", date(2020, 5, 15)) == {
        "confirmed": 1689,
        "recovered": 614,
        "deaths": 9,
    }
    assert _figures(release, "KZ-35", date(2020, 4, 30)) == {
        "confirmed": 149,
        "recovered": 61,
        "deaths": 1,
    }
    # Nur-Sultan's figures are Astana's (the same city renamed), as reported
    nur_sultan = Value.objects.get(
        release=release, region__code="KZ-71", date=date(2020, 6, 30), indicator__slug="confirmed"
    )
    assert (nur_sultan.value, nur_sultan.reported_as) == (3845, "Нур-Султан")


def test_pre_2022_units_stay_on_the_unit_they_were_reported_for() -> None:
    release = release_import(path=KZ_DAILY, source="kz").release

    # then: the 2020 Almaty region (today's Almaty and Zhetisu regions) is kept on KZ-19 under
    # its reported name; the regions formed in 2022 have no 2020 figures at all
    almaty_region = _figures(release, "KZ-19", date(2020, 6, 30))
    assert almaty_region == {"confirmed": 720, "recovered": 574, "deaths": 1}
    assert {value.reported_as for value in Value.objects.filter(region__code="KZ-19")} == {
        "Алматинская область"
    }
    assert not Value.objects.filter(region__code__in=["KZ-33", "KZ-10", "KZ-62"]).exists()


def test_the_portal_files_defects_are_left_out_and_reported() -> None:
    outcome = release_import(path=KZ_DAILY, source="kz")
    counts = outcome.figures.counts()

    # then: the national row on 2020-07-01 has only the confirmed total (41,065) ...
    assert _figures(outcome.release, "KZ", date(2020, 7, 1)) == {"confirmed": 41065}
    assert counts[Kind.EMPTY_VALUE] > 0
    # ... and the days it stays stuck at 41,065 are stale, not figures
    assert not Value.objects.filter(region__code="KZ", date__gt=date(2020, 7, 1)).exists()
    assert counts[Kind.STALE_REPEAT] > 0
    # the zeroed snapshot of 2020-12-05 and the old figures shown again later are left out
    assert counts[Kind.ZERO_SNAPSHOT] == 17
    assert not Value.objects.filter(date__gt=date(2020, 7, 1)).exists()
    assert outcome.release is not None
    assert outcome.release.report["counts"] == counts


def test_the_jhu_series_gives_its_figures_and_reports_the_recovered_stopping() -> None:
    outcome = release_import(path=JHU_DAILY)  # the source is recognised by its header

    assert outcome.figures.source == "jhu"
    assert _figures(outcome.release, "KZ", date(2020, 7, 1)) == {
        "confirmed": 41065,
        "recovered": 14059,
        "deaths": 198,
    }
    # Recovered is 0 from 2021-08-05: not a real total, left out and reported
    assert _figures(outcome.release, "KZ", date(2021, 8, 5)) == {
        "confirmed": 681077,
        "deaths": 9909,
    }
    assert outcome.figures.counts()[Kind.ZERO_SNAPSHOT] > 0


@pytest.mark.parametrize(
    ("kind", "rows", "kept"),
    [
        (
            Kind.SNAPSHOTS_PER_DAY,
            "2020-04-01T10:00:00Z,5,1,0,Алматы\n2020-04-01T23:00:00Z,7,1,0,Алматы\n",
            {("confirmed", date(2020, 4, 1)): 7},
        ),
        (
            Kind.EMPTY_VALUE,
            "2020-04-01T23:00:00Z,5,NaN,0,Алматы\n",
            {("confirmed", date(2020, 4, 1)): 5, ("recovered", date(2020, 4, 1)): None},
        ),
        (
            Kind.NEGATIVE_VALUE,
            "2020-04-01T23:00:00Z,5,-1,0,Алматы\n",
            {("recovered", date(2020, 4, 1)): None},
        ),
        (
            Kind.CUMULATIVE_DECREASE,
            "2020-04-01T23:00:00Z,9,1,0,Алматы\n2020-04-02T23:00:00Z,8,1,0,Алматы\n",
            {("confirmed", date(2020, 4, 2)): None, ("recovered", date(2020, 4, 2)): 1},
        ),
        (
            Kind.ZERO_SNAPSHOT,
            "2020-04-01T23:00:00Z,9,1,0,Алматы\n2020-04-02T23:00:00Z,0,0,0,Алматы\n",
            {("confirmed", date(2020, 4, 2)): None},
        ),
        (
            Kind.STALE_REPEAT,
            "2020-04-01T23:00:00Z,9,1,0,Алматы\n2020-04-02T23:00:00Z,9,NaN,NaN,Алматы\n",
            {("confirmed", date(2020, 4, 2)): None},
        ),
        (
            Kind.STALE_REPEAT,
            "2020-04-01T23:00:00Z,9,1,0,Алматы\n2020-04-09T23:00:00Z,9,2,0,Алматы\n",
            {("recovered", date(2020, 4, 9)): None},
        ),
        (
            Kind.GAP,
            "2020-04-01T23:00:00Z,9,1,0,Алматы\n2020-04-04T23:00:00Z,12,1,0,Алматы\n",
            {("confirmed", date(2020, 4, 4)): 12},
        ),
    ],
)
def test_each_defect_kind_is_reported(
    tmp_path: Path, kind: str, rows: str, kept: dict[tuple[str, date], int | None]
) -> None:
    outcome = release_import(path=_csv(tmp_path, KZ_HEADER + rows), source="kz", dry_run=True)

    assert kind in outcome.figures.counts()
    for (slug, day), value in kept.items():
        assert outcome.figures.values.get((slug, "KZ-75", day)) == value
    assert outcome.release is None
    assert not Release.objects.exists()


def test_a_day_twice_in_a_daily_file_is_a_duplicate_day(tmp_path: Path) -> None:
    text = "Date,Country,Confirmed,Recovered,Deaths\n2020-04-01,Kazakhstan,5,1,0\n"
    text += "2020-04-01,Kazakhstan,6,1,0\n"

    outcome = release_import(path=_csv(tmp_path, text), dry_run=True)

    assert outcome.figures.counts() == {Kind.DUPLICATE_DAY: 1}
    assert outcome.figures.values[("confirmed", "KZ", date(2020, 4, 1))] == 6


def test_an_unknown_region_refuses_the_whole_file(tmp_path: Path) -> None:
    text = KZ_HEADER + "2020-04-01T23:00:00Z,5,1,0,Алматы\n2020-04-01T23:00:00Z,2,0,0,Атлантида\n"

    with pytest.raises(ReleaseRefused) as refused:
        release_import(path=_csv(tmp_path, text), source="kz")

    assert [issue.region for issue in refused.value.figures.errors] == ["Атлантида"]
    assert not Release.objects.exists()
    assert not Value.objects.exists()


def test_an_xlsx_file_imports_like_the_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Date", "Confirmed", "Recovered", "Deaths", "Region"])
    sheet.append(["2020-05-15T23:03:42.669Z", 1689, 614, 9, "Алматы"])
    path = tmp_path / "figures.xlsx"
    workbook.save(path)

    release = release_import(path=path).release

    assert _figures(release, "KZ-75", date(2020, 5, 15)) == {
        "confirmed": 1689,
        "recovered": 614,
        "deaths": 9,
    }


def test_an_import_failing_halfway_leaves_the_previous_release_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a release already published
    previous = release_import(path=JHU_DAILY).release
    stored = Value.objects.count()

    # when: the next import breaks after some batches of values were written
    monkeypatch.setattr(services, "INSERT_BATCH", 100)
    written: list[int] = []

    def crash(done: int, total: int) -> None:
        written.append(done)
        if len(written) == 3:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        release_import(path=KZ_DAILY, stored=crash)

    # then: nothing of it remains, and the previous release answers as before
    assert written == [100, 200, 300]
    assert list(Release.objects.all()) == [previous]
    assert Value.objects.count() == stored
    assert _figures(previous, "KZ", date(2020, 7, 1))["deaths"] == 198


def test_a_correction_is_a_new_release(tmp_path: Path) -> None:
    first = release_import(path=_csv(tmp_path, KZ_HEADER + "2020-04-01T23:00:00Z,5,1,0,Алматы\n"))
    text = KZ_HEADER + "2020-04-01T23:00:00Z,6,1,0,Алматы\n"

    second = release_import(path=_csv(tmp_path, text, "fixed.csv"), corrects=first.release)

    assert second.release is not None
    assert second.release.is_correction_of == first.release
    assert _figures(first.release, "KZ-75", date(2020, 4, 1))["confirmed"] == 5
    assert _figures(second.release, "KZ-75", date(2020, 4, 1))["confirmed"] == 6


def test_the_command_reports_and_a_dry_run_stores_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("import_stats", str(KZ_DAILY), "--source", "kz", "--dry-run")

    out = capsys.readouterr()
    assert "stale_repeat" in out.out
    assert "zero_snapshot: 17" in out.out
    assert "Reading rows" in out.err
    assert "Dry run: nothing was stored." in out.out
    assert not Release.objects.exists()


def test_the_command_refuses_a_file_with_errors(tmp_path: Path) -> None:
    path = _csv(tmp_path, KZ_HEADER + "2020-04-01T23:00:00Z,5,1,0,Атлантида\n")

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_stats", str(path))

    assert not Release.objects.exists()


def test_the_demo_imports_each_file_once() -> None:
    stats_demo_load()
    stats_demo_load()

    assert Release.objects.count() == 2
    assert Region.objects.get(code="KZ").stat_values.filter(date=date(2020, 5, 15)).count() == 6


def test_a_release_is_announced_in_three_languages_and_a_refused_one_is_not() -> None:
    from birge.channels.models import Publication

    release = release_import(path=KZ_DAILY, source="kz").release
    assert release is not None
    publication = Publication.objects.get(source_kind="stats.release", source_key=str(release.pk))
    assert publication.kind == Publication.Kind.STATS_RELEASE
    assert sorted(publication.texts) == ["en", "kk", "ru"]
    assert publication.texts["en"]["title"].startswith("New official figures: ")
    assert publication.texts["ru"]["url"] == "/ru/stats/"
    release_import(path=KZ_DAILY, source="kz", dry_run=True)
    assert Publication.objects.filter(source_kind="stats.release").count() == 1
