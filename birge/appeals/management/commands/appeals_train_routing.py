from typing import Any

from django.core.management.base import BaseCommand

from birge.appeals.routing_model import routing_train


class Command(BaseCommand):
    help = "Train the routing suggestion on past routing decisions and answered appeals."

    def handle(self, *args: Any, **options: Any) -> None:
        model = routing_train()
        if model is None:
            self.stdout.write("too few past decisions to learn from; rules and triage only")
        else:
            self.stdout.write(f"trained on {model.samples} decisions")
