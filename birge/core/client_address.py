"""The address of the person behind a request, as the rate limiter and django-axes see it.

Behind nginx every connection comes from the proxy, so REMOTE_ADDR alone puts every citizen in
one bucket and lets anyone lock any staff account. The proxy's X-Real-IP and X-Forwarded-For
are believed only when the connection comes from BIRGE_TRUSTED_PROXIES: anyone else can write
them.
"""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request: HttpRequest) -> str:
    """The client's IP address: REMOTE_ADDR, or what a trusted proxy says it connected from."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks(tuple(settings.BIRGE_TRUSTED_PROXIES))
    peer = _parse(remote)
    if peer is None or not _is_trusted(peer, networks):
        return remote
    real_ip = _parse(request.META.get("HTTP_X_REAL_IP", ""))
    if real_ip is not None:
        return str(real_ip)
    # Each proxy appends the address it was connected from, so the right-most entry that is not
    # one of ours is the client; anything left of it was written by the client and proves nothing.
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:
            break
        if not _is_trusted(address, networks):
            return str(address)
    return remote


@functools.lru_cache(maxsize=4)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as error:
        raise ImproperlyConfigured(f"BIRGE_TRUSTED_PROXIES: {error}") from error


def _parse(value: str) -> Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)
