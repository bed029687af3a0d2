from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from birge.core.demo import demo_load


class Command(BaseCommand):
    help = "Load demo agencies, emergency numbers and one staff account per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            self._load()

    def _load(self) -> None:
        credentials = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not settings.BIRGE_DEMO:
            self.stdout.write(
                "Demo staff credentials and API keys are printed only in demo mode (BIRGE_DEMO=1)."
            )
            return
        self.stdout.write("")
        self.stdout.write("Demo staff sign-in (password + one backup code each time, at /admin/):")
        for login in credentials.logins:
            self.stdout.write(
                f"  {login.username:<12} {login.password:<26} {login.role} — {login.agency}"
            )
            self.stdout.write(f"      backup codes: {' '.join(login.backup_codes[:5])}")
        for section in credentials.sections:
            self.stdout.write("")
            self.stdout.write(section.heading)
            for line in section.lines:
                self.stdout.write(f"  {line}")
