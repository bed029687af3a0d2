from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "birge.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from . import access  # noqa: F401 - declares this app's access actions

    def demo_load(self) -> None:
        from .demo import stats_demo_load

        stats_demo_load()
