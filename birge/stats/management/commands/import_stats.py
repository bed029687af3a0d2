"""Import a file of figures as a new release, with progress and a validation report."""

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from birge.stats.importing import SOURCES, Figures, Kind
from birge.stats.models import Release
from birge.stats.services import ReleaseRefused, release_import

EXAMPLES_SHOWN = 5


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of figures (kz.csv or the JHU daily series) as a release."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", choices=sorted(SOURCES), help="default: from the header")
        parser.add_argument("--dry-run", action="store_true", help="validate and report only")
        parser.add_argument("--approved-by", help="username of the coordinator approving it")
        parser.add_argument("--published-at", help="ISO date-time of publication (default: now)")
        parser.add_argument("--note", default="")
        parser.add_argument("--corrects", type=int, help="id of the release this one corrects")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        approved_by = None
        if options["approved_by"]:
            approved_by = get_user_model().objects.filter(username=options["approved_by"]).first()
            if approved_by is None:
                raise CommandError(f"No user {options['approved_by']!r}.")
        corrects = None
        if options["corrects"] is not None:
            corrects = Release.objects.filter(pk=options["corrects"]).first()
            if corrects is None:
                raise CommandError(f"No release {options['corrects']}.")
        published_at = None
        if options["published_at"]:
            published_at = datetime.fromisoformat(options["published_at"])
            if timezone.is_naive(published_at):
                published_at = published_at.replace(tzinfo=UTC)
        try:
            outcome = release_import(
                path=path,
                source=options["source"],
                approved_by=approved_by,
                published_at=published_at,
                note=options["note"],
                corrects=corrects,
                dry_run=options["dry_run"],
                progress=self._bar("Reading rows"),
                stored=self._bar("Storing values"),
            )
        except ReleaseRefused as refused:
            self._report(refused.figures)
            raise CommandError("The file has errors: nothing was imported.") from None
        self._report(outcome.figures)
        if outcome.release is None:
            self.stdout.write(self.style.WARNING("Dry run: nothing was stored."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Release {outcome.release.pk} stored: {len(outcome.figures.values)} values."
                )
            )

    def _bar(self, label: str) -> Any:
        """A one-line progress bar on stderr, redrawn in place on a terminal."""
        tty = sys.stderr.isatty()

        def show(done: int, total: int) -> None:
            share = done / total if total else 1.0
            filled = int(share * 30)
            line = f"{label}: [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
            if tty:
                self.stderr.write(f"\r{line}", ending="\n" if done >= total else "")
            elif done >= total:
                self.stderr.write(line)

        return show

    def _report(self, figures: Figures) -> None:
        self.stdout.write(f"Source: {figures.source or '?'}; rows read: {figures.rows_read}; ")
        self.stdout.write(f"values accepted: {len(figures.values)}")
        counts = figures.counts()
        if not counts:
            self.stdout.write("Validation: no defects found.")
            return
        self.stdout.write("Validation report:")
        for kind, count in counts.items():
            style = self.style.ERROR if kind in Kind.ERRORS else self.style.WARNING
            self.stdout.write(style(f"  {kind}: {count}"))
            shown = [issue for issue in figures.issues if issue.kind == kind][:EXAMPLES_SHOWN]
            for issue in shown:
                where = " ".join(
                    part
                    for part in (
                        issue.region,
                        issue.day.isoformat() if issue.day else "",
                        issue.indicator,
                    )
                    if part
                )
                self.stdout.write(f"    {where}: {issue.message}")
