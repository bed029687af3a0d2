from collections.abc import Sequence

from birge.api.models import ApiClient
from birge.api.services import api_client_create

ALL_SCOPES = ("appeals.submit", "appeals.read", "claims.check")


def api_client_with_key(
    name: str = "Contact centre 109",
    *,
    channel: str = ApiClient.Channel.CALL_CENTRE,
    scopes: Sequence[str] = ALL_SCOPES,
    requests_per_minute: int = 600,
) -> tuple[ApiClient, str]:
    """A registered client and its key, as the system (no actor) creates them."""
    return api_client_create(
        actor=None,
        name=name,
        channel=channel,
        scopes=scopes,
        requests_per_minute=requests_per_minute,
        contact="ops@example.kz",
    )


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
