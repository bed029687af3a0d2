"""`manage.py search_rebuild [--kind KIND ...]`: index all public content again."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from birge.search.services import search_rebuild
from birge.search.sources import search_sources


class Command(BaseCommand):
    help = (
        "Index every public document again (portal pages, FAQ answers, checked claims, or the "
        "kinds named) and drop what is no longer public. Safe while the site runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            metavar="KIND",
            help="only this kind (repeatable); default: every registered kind",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        known = [source.kind for source in search_sources()]
        kinds = options["kinds"]
        unknown = sorted(set(kinds or ()) - set(known))
        if unknown:
            raise CommandError(f"unknown kind {', '.join(unknown)}; known: {', '.join(known)}")
        for kind, count in search_rebuild(kinds=kinds).items():
            self.stdout.write(f"{kind}: {count} documents")
