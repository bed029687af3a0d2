from typing import Any

from django.core.management.base import BaseCommand

from birge.appeals.services import escalations_send


class Command(BaseCommand):
    help = "Escalate overdue appeals to agency heads and coordinators (once per due date)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"escalated: {escalations_send()}")
