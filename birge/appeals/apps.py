from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "birge.appeals"
    label = "appeals"
    verbose_name = _("Citizens' questions and appeals")

    def ready(self) -> None:
        from . import access  # noqa: F401 - declares this app's access actions
        from .similarity import indexes_register

        indexes_register()

    def demo_load(self) -> None:
        from .demo import appeals_demo_load

        appeals_demo_load()
