"""Reading a source file into daily values, and the validation report that says what was left out.

Nothing here writes: `release_import` in services.py stores what `figures_read` accepted. Every
defect the real files have is handled by one named rule below and reported with its kind; no
value is dropped or changed without an entry in the report.

A day is the UTC date of the snapshot: the portal's last snapshot of a day (23:0x UTC) is the
figure the Johns Hopkins series gives for that date, so both sources line up day by day.
"""

import csv
import io
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from birge.core.models import Region
from birge.core.regions import region_resolve

Progress = Callable[[int, int], None]

# Columns each source's file has, and which column holds which indicator.
SOURCES: dict[str, dict[str, Any]] = {
    "kz": {
        "columns": ["Date", "Confirmed", "Recovered", "Deaths", "Region"],
        "region": "Region",
        "name": "coronavirus2020.kz (open-data-kazakhstan/covid-19-kz)",
        "url": "https://github.com/open-data-kazakhstan/covid-19-kz",
    },
    "jhu": {
        "columns": ["Date", "Country", "Confirmed", "Recovered", "Deaths"],
        "region": "Country",
        "name": "Johns Hopkins University CSSE (datasets/covid-19)",
        "url": "https://github.com/datasets/covid-19",
    },
}
INDICATOR_COLUMNS = {"confirmed": "Confirmed", "recovered": "Recovered", "deaths": "Deaths"}
EMPTY_MARKS = {"", "nan", "null", "none", "-", "n/a"}
# Kept in the report per kind; the counts are always complete.
REPORT_EXAMPLES_PER_KIND = 20


class Kind:
    """What a report entry is about. Errors stop the import; the rest say what was left out."""

    UNREADABLE = "unreadable"  # error: the file or a row cannot be read
    UNKNOWN_REGION = "unknown_region"  # error: no region has this name or alias
    SNAPSHOTS_PER_DAY = "snapshots_per_day"  # several snapshots a day: the last one is kept
    DUPLICATE_DAY = "duplicate_day"  # the same day twice in a daily file: the last is kept
    EMPTY_VALUE = "empty_value"  # no figure: nothing stored for that day
    NEGATIVE_VALUE = "negative_value"  # a count below zero: left out
    ZERO_SNAPSHOT = "zero_snapshot"  # a cumulative total back to 0: a broken snapshot, left out
    STALE_REPEAT = "stale_repeat"  # a snapshot repeating an old one: left out
    CUMULATIVE_DECREASE = "cumulative_decrease"  # a total below the previous day's: left out
    GAP = "gap"  # days without any figure between a unit's first and last day

    ERRORS = frozenset({UNREADABLE, UNKNOWN_REGION})


@dataclass(frozen=True)
class Issue:
    kind: str
    message: str
    region: str = ""
    day: date | None = None
    indicator: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "message": self.message,
            "region": self.region,
            "date": self.day.isoformat() if self.day else "",
            "indicator": self.indicator,
        }


@dataclass
class Figures:
    """What a file gave: accepted values by (indicator, region code, day), and the report."""

    source: str
    rows_read: int = 0
    values: dict[tuple[str, str, date], int] = field(default_factory=dict)
    reported_as: dict[str, str] = field(default_factory=dict)  # region code -> source's name
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.kind in Kind.ERRORS]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for issue in self.issues:
            counts[issue.kind] += 1
        return dict(sorted(counts.items()))

    def report(self) -> dict[str, Any]:
        """The report as stored on the release: every count, a few examples of each kind."""
        examples: dict[str, list[dict[str, str]]] = defaultdict(list)
        for issue in self.issues:
            if len(examples[issue.kind]) < REPORT_EXAMPLES_PER_KIND:
                examples[issue.kind].append(issue.as_dict())
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "values_accepted": len(self.values),
            "counts": self.counts(),
            "examples": dict(examples),
        }


@dataclass
class _Snapshot:
    at: datetime
    line: int
    raw: dict[str, str]


def source_detect(header: list[str]) -> str | None:
    """The source whose columns the header has, or None."""
    for name, spec in SOURCES.items():
        if set(spec["columns"]) <= set(header):
            return name
    return None


def rows_open(path: Path) -> tuple[list[str], Iterator[list[str]], int]:
    """Header, rows and row count of a CSV (UTF-8, with or without BOM) or XLSX file."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        table = [
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        if not table:
            return [], iter(()), 0
        return table[0], iter(table[1:]), len(table) - 1
    text = path.read_text(encoding="utf-8-sig")
    total = max(text.count("\n") - 1, 0)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    return header, reader, total


def _moment(text: str) -> datetime | None:
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def _number(text: str) -> int | str | None:
    """The count, None when the source left it empty, or the text when it is no number."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if cleaned.casefold() in EMPTY_MARKS:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        return text
    if math.isnan(number):
        return None
    if not number.is_integer():
        return text
    return int(number)


def figures_read(
    *, path: Path, source: str | None = None, progress: Progress | None = None
) -> Figures:
    """Read a file into accepted daily values; every value left out is in the report."""
    try:
        header, rows, total = rows_open(path)
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as error:
        figures = Figures(source=source or "")
        figures.issues.append(
            Issue(Kind.UNREADABLE, _("The file cannot be read: %(error)s") % {"error": error})
        )
        return figures
    header = [column.strip() for column in header]
    source = source or source_detect(header)
    figures = Figures(source=source or "")
    if source is None or not set(SOURCES[source]["columns"]) <= set(header):
        expected = " | ".join(",".join(spec["columns"]) for spec in SOURCES.values())
        figures.issues.append(
            Issue(
                Kind.UNREADABLE,
                _("The header does not match a known source; expected the columns %(columns)s.")
                % {"columns": expected},
            )
        )
        return figures
    region_column = SOURCES[source]["region"]
    has_time = False
    by_unit: dict[str, dict[date, list[_Snapshot]]] = defaultdict(lambda: defaultdict(list))
    for number, row in enumerate(rows, start=2):
        figures.rows_read += 1
        if progress is not None and (figures.rows_read % 1000 == 0 or figures.rows_read == total):
            progress(figures.rows_read, total)
        if not any(cell.strip() for cell in row):
            continue
        raw = dict(zip(header, row, strict=False))
        moment = _moment(raw.get("Date", ""))
        if moment is None:
            figures.issues.append(
                Issue(
                    Kind.UNREADABLE,
                    _("Row %(line)s: the date %(value)r is not an ISO date.")
                    % {"line": number, "value": raw.get("Date", "")},
                )
            )
            continue
        has_time = has_time or len(raw["Date"].strip()) > 10
        by_unit[raw.get(region_column, "").strip()][moment.date()].append(
            _Snapshot(at=moment, line=number, raw=raw)
        )
    if progress is not None and figures.rows_read % 1000 and figures.rows_read != total:
        progress(figures.rows_read, figures.rows_read)
    regions = _regions_resolve(figures, names=list(by_unit))
    for name, days in by_unit.items():
        region = regions.get(name)
        if region is None:
            continue
        figures.reported_as.setdefault(region.code, name)
        _unit_check(figures, region=region, name=name, days=days, has_time=has_time)
    return figures


def _regions_resolve(figures: Figures, *, names: list[str]) -> dict[str, Region]:
    """One lookup per distinct name; an unknown name is an error that stops the import."""
    found = {}
    for name in sorted(names):
        region = region_resolve(name) if name else None
        if region is None:
            figures.issues.append(
                Issue(
                    Kind.UNKNOWN_REGION,
                    _("No region is called %(name)r: add it as an alias of the region it means.")
                    % {"name": name},
                    region=name,
                )
            )
        else:
            found[name] = region
    return found


def _unit_check(
    figures: Figures,
    *,
    region: Region,
    name: str,
    days: dict[date, list[_Snapshot]],
    has_time: bool,
) -> None:
    """Apply the rules to one unit's days in order; the accepted values go into `figures`."""
    previous: dict[str, int] = {}  # the last accepted value per indicator
    previous_day: date | None = None  # the last day a value was accepted for
    accepted_days: list[date] = []
    for day in sorted(days):
        snapshots = sorted(days[day], key=lambda snapshot: (snapshot.at, snapshot.line))
        if len(snapshots) > 1:
            kind = Kind.SNAPSHOTS_PER_DAY if has_time else Kind.DUPLICATE_DAY
            figures.issues.append(
                Issue(
                    kind,
                    _("%(count)s rows for this day: the last one (row %(line)s) is kept.")
                    % {"count": len(snapshots), "line": snapshots[-1].line},
                    region=name,
                    day=day,
                )
            )
        raw = snapshots[-1].raw
        parsed = {slug: _number(raw.get(column, "")) for slug, column in INDICATOR_COLUMNS.items()}
        unreadable = {slug: value for slug, value in parsed.items() if isinstance(value, str)}
        for slug, text in unreadable.items():
            figures.issues.append(
                Issue(
                    Kind.UNREADABLE,
                    _("Row %(line)s: %(value)r is not a whole number.")
                    % {"line": snapshots[-1].line, "value": text},
                    region=name,
                    day=day,
                    indicator=slug,
                )
            )
        numbers = {slug: value for slug, value in parsed.items() if isinstance(value, int)}
        empty = [slug for slug, value in parsed.items() if value is None]
        for slug in empty:
            figures.issues.append(
                Issue(Kind.EMPTY_VALUE, _("No figure in the source."), name, day, slug)
            )
        if _is_stale(
            numbers,
            previous,
            gap=previous_day is not None and day - previous_day > timedelta(days=1),
            partial=bool(empty),
        ):
            figures.issues.append(
                Issue(
                    Kind.STALE_REPEAT,
                    _("The snapshot repeats the figures of %(day)s: left out.")
                    % {"day": previous_day.isoformat() if previous_day else ""},
                    region=name,
                    day=day,
                )
            )
            continue
        if _is_zeroed(numbers, previous):
            figures.issues.append(
                Issue(
                    Kind.ZERO_SNAPSHOT,
                    _("The snapshot shows 0 cases after %(before)s: left out.")
                    % {"before": previous.get("confirmed", 0)},
                    name,
                    day,
                )
            )
            continue
        accepted = False
        for slug, value in numbers.items():
            if value < 0:
                figures.issues.append(
                    Issue(
                        Kind.NEGATIVE_VALUE,
                        _("%(value)s is below zero: left out.") % {"value": value},
                        name,
                        day,
                        slug,
                    )
                )
                continue
            before = previous.get(slug)
            if before is not None and value == 0 < before:
                figures.issues.append(
                    Issue(
                        Kind.ZERO_SNAPSHOT,
                        _("The total drops from %(before)s to 0: left out.") % {"before": before},
                        name,
                        day,
                        slug,
                    )
                )
                continue
            if before is not None and value < before:
                figures.issues.append(
                    Issue(
                        Kind.CUMULATIVE_DECREASE,
                        _("The total drops from %(before)s to %(value)s: left out.")
                        % {"before": before, "value": value},
                        name,
                        day,
                        slug,
                    )
                )
                continue
            figures.values[(slug, region.code, day)] = value
            previous[slug] = value
            accepted = True
        if accepted:
            accepted_days.append(day)
            previous_day = day
    _gaps_report(figures, name=name, days=accepted_days)


def _is_stale(
    numbers: dict[str, int], previous: dict[str, int], *, gap: bool, partial: bool
) -> bool:
    """A snapshot that only repeats what was already published: the portal's stuck national row
    (same total, the other figures gone) and the old figures it showed again months later."""
    if not numbers or not previous or not (gap or partial):
        return False
    confirmed = numbers.get("confirmed")
    return confirmed is not None and confirmed > 0 and confirmed == previous.get("confirmed")


def _is_zeroed(numbers: dict[str, int], previous: dict[str, int]) -> bool:
    """A broken snapshot: no cases any more where there were some (the portal's empty page)."""
    if not previous.get("confirmed"):
        return False
    return numbers.get("confirmed") == 0 or (bool(numbers) and not any(numbers.values()))


def _gaps_report(figures: Figures, *, name: str, days: list[date]) -> None:
    for before, after in itertools.pairwise(days):
        missing = (after - before).days - 1
        if missing > 0:
            figures.issues.append(
                Issue(
                    Kind.GAP,
                    _("No figures for %(count)s days, %(first)s to %(last)s.")
                    % {
                        "count": missing,
                        "first": (before + timedelta(days=1)).isoformat(),
                        "last": (after - timedelta(days=1)).isoformat(),
                    },
                    region=name,
                    day=before + timedelta(days=1),
                )
            )
