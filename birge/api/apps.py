from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from birge.core.demo import DemoSection


class ApiConfig(AppConfig):
    name = "birge.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from . import (
            access,  # noqa: F401 - declares this app's access actions
            api,  # noqa: F401 - every domain's router declares its scopes on import
        )

    def demo_load(self) -> "DemoSection":
        """The demo's API clients, each with a new key to print."""
        from birge.core.demo import DemoSection

        from .demo import api_demo_load

        return DemoSection(
            heading="Demo API keys (new on every run; Authorization: Bearer <key>):",
            lines=[f"{name:<20} {key}" for name, key in api_demo_load()],
        )
