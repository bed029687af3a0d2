"""Print a year's non-working weekdays and working weekends, to check against the official
production calendar before the year's appeals are counted in it."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from birge.workdays.selectors import calendar_year_summary


class Command(BaseCommand):
    help = "Show a year's non-working weekdays and working weekends in the working calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="for example 2026")
        parser.add_argument(
            "--language", default="en", choices=["kk", "ru", "en"], help="language of the names"
        )

    def handle(self, *args: Any, year: int, language: str, **options: Any) -> None:
        if not 1900 <= year <= 2200:
            self.stderr.write(_("Give a year between 1900 and 2200."))
            return
        summary = calendar_year_summary(year)
        self.stdout.write(f"{year}: {summary.working_days} " + _("working days"))
        if not summary.holidays_listed:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "No holidays are entered for this year: only weekends are counted. "
                        "Add the year's holidays and Government transfers in the admin."
                    )
                )
            )
        self.stdout.write(_("Weekdays that are not working days:"))
        for day, row in summary.non_working_weekdays:
            name = row.name_in(language) if row else ""
            self.stdout.write(f"  {day.isoformat()} {day:%a}  {name}")
        self.stdout.write(_("Saturdays and Sundays that are working days:"))
        for day, row in summary.working_weekends:
            name = row.name_in(language) if row else ""
            self.stdout.write(f"  {day.isoformat()} {day:%a}  {name}")
