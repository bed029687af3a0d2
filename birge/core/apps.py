from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "birge.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import (
            access,  # noqa: F401 - declares this app's access actions
            checks,  # noqa: F401 - registers the start-up checks
        )
        from .wagtail_audit import wagtail_audit_connect

        wagtail_audit_connect()
