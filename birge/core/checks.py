"""Start-up checks of settings a typo would otherwise break only at the first request."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from .client_address import trusted_networks


@register()
def trusted_proxies_check(**kwargs: Any) -> list[CheckMessage]:
    try:
        trusted_networks(tuple(settings.BIRGE_TRUSTED_PROXIES))
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint="Comma-separated IP addresses or networks, e.g. 127.0.0.1,10.0.0.0/8.",
                id="birge.E001",
            )
        ]
    return []
