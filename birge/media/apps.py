from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from birge.core.demo import DemoSection


class MediaConfig(AppConfig):
    name = "birge.media"
    label = "media"
    verbose_name = _("Rapid-response desk")

    def ready(self) -> None:
        from . import access  # noqa: F401 - declares this app's access actions

    def demo_load(self) -> "DemoSection":
        from birge.core.demo import DemoSection

        from .demo import JOURNALIST_EMAIL, media_demo_load

        media_demo_load()
        return DemoSection(
            heading="Press desk and volunteers (no password; the sign-in link is e-mailed):",
            lines=[
                f"journalist: ask for a link at /kk/press/sign-in/ with {JOURNALIST_EMAIL}",
                "volunteer:  ask for a link at /kk/aid/volunteer/sign-in/ with "
                "aigerim.volunteer@demo.birge.invalid",
                "the e-mails land in var/mail/ (a Maildir) unless EMAIL_HOST is set",
            ],
        )
