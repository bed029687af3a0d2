"""Derive kz-daily.csv from the raw hourly kz.csv: the last snapshot of each day and unit.

Rows are copied unchanged (timestamp, figures, the source's region name, "NaN" where it had
none), so the importer treats the extract exactly as the raw file; only the earlier snapshots of
each day are left out. Run from the repository root:

    python birge/stats/data/kz_daily_extract.py ../shared/data/covid-19-kz/kz.csv \
        birge/stats/data/kz-daily.csv
"""

import csv
import sys
from pathlib import Path


def kz_daily_extract(*, source: Path, target: Path) -> int:
    """Write the day's last row per (day, region) in time order; returns the rows written."""
    with source.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        last: dict[tuple[str, str], list[str]] = {}
        for row in reader:
            # ISO timestamps sort as text, and the file is in time order: the later row wins.
            last[(row[0][:10], row[4])] = row
    rows = sorted(last.values(), key=lambda row: (row[0], row[4]))
    with target.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(kz_daily_extract(source=Path(sys.argv[1]), target=Path(sys.argv[2])))
