from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "birge.aid"
    label = "aid"
    verbose_name = _("Aid and volunteers")

    def ready(self) -> None:
        from . import access  # noqa: F401 - declares this app's access actions

    def demo_load(self) -> None:
        from .demo import aid_demo_load

        aid_demo_load()
