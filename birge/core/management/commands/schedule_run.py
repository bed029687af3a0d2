import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from birge.core.schedule import schedule, schedule_due_enqueue


class Command(BaseCommand):
    help = "Run the clock: enqueue periodic tasks (BIRGE_SCHEDULE) when due. Run one clock."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between checks")

    def handle(self, *args: Any, **options: Any) -> None:
        names = ", ".join(periodic.task.rsplit(".", 1)[-1] for periodic in schedule())
        self.stdout.write(f"Clock started: {names or 'nothing scheduled'}")
        while True:
            for name in schedule_due_enqueue():
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            time.sleep(options["interval"])
