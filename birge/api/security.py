"""Who is calling the API: a registered client by its bearer key, or an anonymous caller.

Each endpoint names the scope it needs and, when anonymous callers may use it, the setting
that limits them per address: `auth=ApiKeyBearer(APPEALS_SUBMIT, anonymous_limit="...")`.
A client is limited to its own `requests_per_minute` over all endpoints together. The
resolved client is `request.api_client` (None for an anonymous caller); a refusal answers
JSON {"error", "message"}: 401 for a missing (where required), unknown or revoked key, 403
for a key without the scope, 429 with Retry-After over the limit.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.security import HttpBearer

from birge.core.ratelimit import RateLimit, client_key, rate_limit_hit_for

from .models import ApiClient
from .scopes import ApiScope
from .selectors import api_client_by_key

LIMIT_WINDOW_SECONDS = 60
# Added to an operation's OpenAPI security: the bearer key or nothing at all.
ANONYMOUS_ALLOWED: dict[str, Any] = {"security": [{}]}


class CallerRefused(Exception):
    """The caller may not go on; birge.api.api answers it as {"error", "message"} JSON."""

    def __init__(
        self, *, status: int, error: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers or {}


class AnonymousCaller:
    """What ninja records as `request.auth` for a caller without a key (it must be truthy)."""

    def __repr__(self) -> str:
        return "AnonymousCaller"


ANONYMOUS = AnonymousCaller()


class ApiKeyBearer(HttpBearer):
    openapi_description = (
        "An API client's key, issued by an administrator: `Authorization: Bearer birge_...`. "
        "Endpoints marked with an empty requirement also accept anonymous callers, limited "
        "per address."
    )

    def __init__(self, scope: ApiScope, *, anonymous_limit: str | None = None) -> None:
        super().__init__()
        self.scope = scope
        self.anonymous_limit = anonymous_limit

    def __call__(self, request: HttpRequest) -> ApiClient | AnonymousCaller:
        header = request.headers.get(self.header, "")
        if not header and self.anonymous_limit is not None:
            return self._anonymous(request, self.anonymous_limit)
        scheme, _space, token = header.partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise _unauthorized()
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient:
        client = api_client_by_key(token)
        if client is None:
            raise _unauthorized()
        if not client.has_scope(self.scope):
            raise CallerRefused(
                status=403,
                error="forbidden",
                message=_("This API key does not have the scope %(scope)s.")
                % {"scope": self.scope.name},
            )
        rule = RateLimit(
            scope="api-client",
            limit=client.requests_per_minute,
            window_seconds=LIMIT_WINDOW_SECONDS,
        )
        if rate_limit_hit_for(rule, key=str(client.pk)):
            raise _rate_limited()
        request.api_client = client  # type: ignore[attr-defined]
        return client

    def _anonymous(self, request: HttpRequest, setting: str) -> AnonymousCaller:
        rule = RateLimit(
            scope=f"api-anonymous:{self.scope.name}",
            limit=int(getattr(settings, setting)),
            window_seconds=LIMIT_WINDOW_SECONDS,
        )
        if rate_limit_hit_for(rule, key=client_key(request)):
            raise _rate_limited()
        request.api_client = None  # type: ignore[attr-defined]
        return ANONYMOUS


def api_client_of(request: HttpRequest) -> ApiClient | None:
    """The client that called, as ApiKeyBearer resolved it; None for an anonymous caller."""
    client: ApiClient | None = getattr(request, "api_client", None)
    return client


def _unauthorized() -> CallerRefused:
    return CallerRefused(
        status=401,
        error="unauthorized",
        message=_(
            "The API key is missing, unknown or revoked. Send it as: Authorization: Bearer <key>."
        ),
        headers={"WWW-Authenticate": 'Bearer realm="birge"'},
    )


def _rate_limited() -> CallerRefused:
    return CallerRefused(
        status=429,
        error="rate_limited",
        message=ngettext(
            "Too many requests. Try again in %(seconds)s second.",
            "Too many requests. Try again in %(seconds)s seconds.",
            LIMIT_WINDOW_SECONDS,
        )
        % {"seconds": LIMIT_WINDOW_SECONDS},
        headers={"Retry-After": str(LIMIT_WINDOW_SECONDS)},
    )
