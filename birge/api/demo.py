"""Demo data for the API: the contact centre's and the Telegram bot's clients.

Called from birge.core.demo. Keys are stored hashed, so, as with the demo staff's backup
codes, every run issues fresh keys for the loader to print in demo mode.
"""

from django.db import transaction

from .models import ApiClient
from .scopes import scopes_registered
from .services import api_client_create, api_client_key_rotate

DEMO_CLIENTS = [
    ("Contact centre 109", ApiClient.Channel.CALL_CENTRE),
    ("Telegram bot", ApiClient.Channel.TELEGRAM),
]
DEMO_REQUESTS_PER_MINUTE = 600


@transaction.atomic
def api_demo_load() -> list[tuple[str, str]]:
    """Create the demo clients once, give each a new key; returns (name, key) pairs."""
    keys = []
    for name, channel in DEMO_CLIENTS:
        client = ApiClient.objects.filter(name=name).first()
        if client is None:
            client, key = api_client_create(
                actor=None,
                name=name,
                channel=channel,
                scopes=list(scopes_registered()),
                requests_per_minute=DEMO_REQUESTS_PER_MINUTE,
            )
        elif client.is_active:
            key = api_client_key_rotate(actor=None, client=client)
        else:
            # An administrator revoked it while trying the demo: it stays revoked.
            continue
        keys.append((client.name, key))
    return keys
