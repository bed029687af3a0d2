"""Reference data shipped with Birge (regions, topics), loaded by migrations and `load_demo`."""

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def reference_rows(name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((DATA_DIR / f"{name}.json").read_text("utf-8"))
    return rows


def regions_sync(region_model: Any, alias_model: Any) -> None:
    """Create or update every region and its aliases; safe to run again.

    Takes the model classes so a data migration can pass its historical models.
    """
    from .regions import region_name_normalize

    for order, row in enumerate(reference_rows("regions")):
        region, _ = region_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
                "population": row.get("population"),
                "population_source": row.get("population_source") or "",
                "population_year": row.get("population_year"),
                "sort_order": order,
            },
        )
        spellings = [
            {"name": row[f"name_{lang}"], "lang": lang, "note": ""} for lang in ("kk", "ru", "en")
        ]
        spellings.append({"name": row["code"], "lang": "", "note": "ISO 3166-2"})
        for alias in spellings + row.get("aliases", []):
            normalized = region_name_normalize(alias["name"])
            if not normalized:
                continue
            alias_model.objects.update_or_create(
                normalized=normalized,
                defaults={
                    "region": region,
                    "name": alias["name"],
                    "language": alias.get("lang") or "",
                    "note": alias.get("note") or "",
                },
            )


def topics_sync(topic_model: Any) -> None:
    """Create or update the shipped topics; safe to run again."""
    for row in reference_rows("topics"):
        topic_model.objects.update_or_create(
            slug=row["slug"],
            defaults={key: row[key] for key in ("name_kk", "name_ru", "name_en")},
        )
