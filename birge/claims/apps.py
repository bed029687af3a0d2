from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "birge.claims"
    label = "claims"
    verbose_name = _("Rumour registry")

    def ready(self) -> None:
        from . import access  # noqa: F401 - declares this app's access actions
        from .matching import indexes_register

        indexes_register()

    def demo_load(self) -> None:
        from .demo import claims_demo_load

        claims_demo_load()
