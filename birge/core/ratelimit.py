"""A cache-backed limit on how often one client may submit a public form."""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .client_address import client_address


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` hits per `window_seconds` for one scope and client."""

    scope: str
    limit: int
    window_seconds: int


def client_key(request: HttpRequest) -> str:
    """The client's address, hashed: the cache holds no raw IP addresses."""
    return hashlib.sha256(client_address(request).encode()).hexdigest()[:24]


def rate_limit_hit(rule: RateLimit, request: HttpRequest) -> bool:
    """Count one hit; True when the client is over the limit and the form must be refused."""
    return rate_limit_hit_for(rule, key=client_key(request))


def rate_limit_hit_for(rule: RateLimit, *, key: str) -> bool:
    """Count one hit for `key` (an address, an API client); True when it is over the limit."""
    key = f"ratelimit:{rule.scope}:{key}"
    # Every web worker must see the same count. add() and incr() are atomic in Redis and in our
    # database cache (birge/core/cache_backends.py); the one count that can still be lost is
    # when two workers re-open an expired window at the same moment on PostgreSQL (both set 1).
    counters = caches["shared"]
    # incr() first: once the window is open, a hit costs one atomic write (the database cache
    # then takes one write lock per hit, not two); add() opens a window only when there is none,
    # and never extends one.
    try:
        count = counters.incr(key)
    except ValueError:
        if counters.add(key, 1, rule.window_seconds):
            return rule.limit < 1
        try:
            count = counters.incr(key)
        except ValueError:
            # The window another worker opened expired in between: this hit opens the next one.
            counters.add(key, 1, rule.window_seconds)
            return rule.limit < 1
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
