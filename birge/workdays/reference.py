"""The calendar shipped with Birge (2020-2027), loaded by a data migration on every install."""

import json
from datetime import date
from pathlib import Path
from typing import Any

CALENDAR_FILE = Path(__file__).resolve().parent / "data" / "calendar.json"


def calendar_rows() -> list[dict[str, Any]]:
    """The shipped rows: date (ISO), kind, names kk/ru/en and the source each is based on."""
    rows: list[dict[str, Any]] = json.loads(CALENDAR_FILE.read_text(encoding="utf-8"))
    return rows


def calendar_sync(model: Any) -> int:
    """Create the shipped rows whose date is not in the calendar yet; never overwrite an edit."""
    existing = set(model.objects.values_list("date", flat=True))
    new = [
        model(**{**row, "date": date.fromisoformat(row["date"])})
        for row in calendar_rows()
        if date.fromisoformat(row["date"]) not in existing
    ]
    model.objects.bulk_create(new)
    return len(new)
