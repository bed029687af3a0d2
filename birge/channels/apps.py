from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "birge.channels"
    label = "channels"
    verbose_name = _("Channels")

    def ready(self) -> None:
        from . import access  # noqa: F401 - declares this app's access actions
