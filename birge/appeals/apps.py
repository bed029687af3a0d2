from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "birge.appeals"
    label = "appeals"
    verbose_name = _("Citizens' questions and appeals")

    def ready(self) -> None:
        from .similarity import indexes_register

        indexes_register()
