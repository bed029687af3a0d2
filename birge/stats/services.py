"""Publishing figures: a release is stored whole, in one transaction, or not at all."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, override

from birge.channels.models import Publication, default_announce_channels
from birge.channels.services import publication_create
from birge.core.access import StaffUser, ensure_can
from birge.core.audit import audit_log
from birge.core.models import Region

from .access import RELEASE_IMPORT
from .importing import SOURCES, Figures, Progress, figures_read
from .models import Indicator, Release, Value

INSERT_BATCH = 2000


class ReleaseRefused(Exception):
    """The file has errors (unknown regions, unreadable rows): nothing was stored."""

    def __init__(self, figures: Figures) -> None:
        super().__init__(f"{len(figures.errors)} error(s) in the file")
        self.figures = figures


@dataclass
class ImportOutcome:
    figures: Figures
    release: Release | None  # None on a dry run


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def release_import(
    *,
    path: Path,
    source: str | None = None,
    approved_by: StaffUser | None = None,
    published_at: datetime | None = None,
    note: str = "",
    corrects: Release | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    stored: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    """Read, validate and store a file as one new release; refuses (storing nothing) on errors.

    A dry run reads and validates only. `progress` is told of rows read, `stored` of values
    written. Earlier releases are never touched: a correction is a new release pointing at the
    one it corrects.
    """
    if approved_by is not None:
        ensure_can(approved_by, RELEASE_IMPORT)
    figures = figures_read(path=path, source=source, progress=progress)
    if figures.errors:
        raise ReleaseRefused(figures)
    if dry_run:
        return ImportOutcome(figures=figures, release=None)
    release = _release_store(
        figures=figures,
        sha256=file_sha256(path),
        approved_by=approved_by,
        published_at=published_at or timezone.now(),
        note=note,
        corrects=corrects,
        stored=stored,
    )
    return ImportOutcome(figures=figures, release=release)


@transaction.atomic
def _release_store(
    *,
    figures: Figures,
    sha256: str,
    approved_by: StaffUser | None,
    published_at: datetime,
    note: str,
    corrects: Release | None,
    stored: Callable[[int, int], None] | None,
) -> Release:
    spec = SOURCES[figures.source]
    release = Release(
        published_at=published_at,
        source=spec["name"],
        source_key=figures.source,
        source_url=spec["url"],
        approved_by=approved_by,
        note=note,
        is_correction_of=corrects,
        file_sha256=sha256,
        report=figures.report(),
    )
    release.full_clean()
    release.save()
    indicators = {indicator.slug: indicator.pk for indicator in Indicator.objects.all()}
    regions = dict(Region.objects.values_list("code", "pk"))
    rows = [
        Value(
            release=release,
            indicator_id=indicators[slug],
            region_id=regions[code],
            date=day,
            value=value,
            reported_as=figures.reported_as.get(code, ""),
        )
        for (slug, code, day), value in sorted(figures.values.items())
    ]
    for start in range(0, len(rows), INSERT_BATCH):
        Value.objects.bulk_create(rows[start : start + INSERT_BATCH])
        if stored is not None:
            stored(min(start + INSERT_BATCH, len(rows)), len(rows))
    audit_log(
        actor=approved_by,
        action="stats.release.imported",
        target=release,
        summary=f"{figures.source}: {len(rows)} values, report {figures.counts()}",
    )
    if rows:
        _release_announce(release, last_day=max(day for (_slug, _code, day) in figures.values))
    return release


def _release_announce(release: Release, *, last_day: Any) -> None:
    """A new release of figures goes to the channels, in the three languages."""
    texts = {}
    for language in ("kk", "ru", "en"):
        with override(language):
            title = gettext("New official figures: %(source)s, up to %(date)s") % {
                "source": release.source,
                "date": date_format(last_day, "DATE_FORMAT"),
            }
            if release.is_correction_of_id:
                title = gettext("Corrected figures: %(title)s") % {"title": title}
            texts[language] = {
                "title": title,
                "summary": release.note,
                "url": reverse("stats:dashboard"),
            }
    publication_create(
        kind=Publication.Kind.STATS_RELEASE,
        source_kind="stats.release",
        source_key=str(release.pk),
        texts=texts,
        channels=default_announce_channels(),
        actor=release.approved_by,
    )
