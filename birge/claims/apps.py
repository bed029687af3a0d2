from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "birge.claims"
    label = "claims"
    verbose_name = _("Rumour registry")

    def ready(self) -> None:
        from .matching import indexes_register

        indexes_register()
