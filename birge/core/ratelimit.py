"""A cache-backed limit on how often one client may submit a public form."""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` hits per `window_seconds` for one scope and client."""

    scope: str
    limit: int
    window_seconds: int


def client_key(request: HttpRequest) -> str:
    """The client's address, hashed: the cache holds no raw IP addresses.

    Behind the proxy, the proxy sets REMOTE_ADDR (see docs/operations.md); X-Forwarded-For is
    not trusted here because a client can forge it.
    """
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(address.encode()).hexdigest()[:24]


def rate_limit_hit(rule: RateLimit, request: HttpRequest) -> bool:
    """Count one hit; True when the client is over the limit and the form must be refused."""
    key = f"ratelimit:{rule.scope}:{client_key(request)}"
    # add() only sets a missing key, so the window starts at the first hit and is not extended.
    if cache.add(key, 1, rule.window_seconds):
        return rule.limit < 1
    try:
        count = cache.incr(key)
    except ValueError:
        # The key expired between add() and incr(): this hit opens a new window.
        cache.add(key, 1, rule.window_seconds)
        return False
    return count > rule.limit


def rate_limited(
    rule: RateLimit,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse a form's POSTs over the limit with a 429 page in the visitor's language."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and rate_limit_hit(rule, request):
                response = render(
                    request,
                    "core/rate_limited.html",
                    {"retry_minutes": max(1, rule.window_seconds // 60)},
                    status=429,
                )
                response["Retry-After"] = str(rule.window_seconds)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
