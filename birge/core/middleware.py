"""Request-level policy: content security, cacheable anonymous pages, staff sessions."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.translation import ngettext

ADMIN_PREFIX = "/admin/"
# Third-party UIs that need inline styles and scripts: Wagtail's admin and the API docs.
RELAXED_CSP_PREFIXES = (ADMIN_PREFIX, "/api/v1/docs")
# Staff pages reachable before the second factor is verified.
STAFF_PATHS_BEFORE_VERIFICATION = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")
STAFF_SIGNED_IN_AT = "birge_staff_signed_in_at"
STAFF_ACTIVE_AT = "birge_staff_active_at"
# Recording activity is a session write; once a minute is enough for a 30-minute limit.
STAFF_ACTIVITY_RECORD_SECONDS = 60
# Wagtail's editor pings these while a page is open in a tab: a ping is not a person at work.
STAFF_BACKGROUND_PATHS = ("/admin/editing-sessions/",)
# The admin and the API decide their own caching (the API per endpoint, ADR 0010).
PUBLIC_CACHE_EXCLUDED_PREFIXES = (ADMIN_PREFIX, "/api/")
# Rendered pages one process keeps at most; beyond it the oldest go first, so a flood of
# distinct query strings costs renders, never memory.
PUBLIC_PAGE_STORE_BYTES = 16 * 1024 * 1024
# How long the others are given the expired copy while one request renders it again; a render
# that takes longer than this is tried by another request too.
PUBLIC_PAGE_RENDER_GRACE_SECONDS = 2.0


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """A strict policy for public pages; the admin and API docs get the inline allowances needed."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(RELAXED_CSP_PREFIXES):
            extra: dict[str, Any] = dict(settings.BIRGE_ADMIN_CSP_EXTRA)
            parts.update = {**extra, **(parts.update or {})}
        return parts


@dataclass(frozen=True, slots=True)
class _KeptPage:
    expires_at: float
    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str


class _PageStore:
    """Rendered anonymous pages of this process, by URL.

    An expired page is rendered again by one request while the others are still given the
    old copy, so a busy page costs one render per expiry, not one per thread that asks.
    """

    def __init__(self, capacity_bytes: int) -> None:
        self.capacity_bytes = capacity_bytes
        self.pages: dict[str, _KeptPage] = {}
        # When a request began rendering an expired page again, by URL.
        self.rendering: dict[str, float] = {}
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> _KeptPage | None:
        """The page to serve, or None: then the caller renders it and keeps or forgets it."""
        page = self.pages.get(key)
        if page is None:
            return None
        now = time.monotonic()
        if page.expires_at > now:
            return page
        with self.lock:
            began = self.rendering.get(key)
            if began is not None and now - began < PUBLIC_PAGE_RENDER_GRACE_SECONDS:
                return page
            self.rendering[key] = now
        return None

    def keep(self, key: str, response: HttpResponse, *, etag: str, seconds: float) -> None:
        content = response.content
        if len(content) > self.capacity_bytes:
            self.forget(key)
            return
        page = _KeptPage(
            expires_at=time.monotonic() + seconds,
            content=content,
            headers=tuple(response.items()),
            etag=etag,
        )
        with self.lock:
            self._drop(key)
            while self.pages and self.size + len(content) > self.capacity_bytes:
                self._drop(next(iter(self.pages)))
            self.pages[key] = page
            self.size += len(content)

    def forget(self, key: str) -> None:
        with self.lock:
            self._drop(key)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.rendering.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        self.rendering.pop(key, None)
        if (page := self.pages.pop(key, None)) is not None:
            self.size -= len(page.content)


_page_store = _PageStore(PUBLIC_PAGE_STORE_BYTES)


def public_page_store_clear() -> None:
    """Forget the pages this process keeps (tests that change content between requests)."""
    _page_store.clear()


class PublicCacheMiddleware:
    """What an anonymous visitor is shown may be kept by caches; nothing else may (ADR 0015).

    Anonymous means no session cookie and no Authorization header: what nginx's micro-cache
    sees too, so both decide alike. Such a GET or HEAD whose 200 answer sets no cookie, has no
    Cache-Control of its own and no CSP nonce becomes `public, max-age=0, s-maxage=N` with an
    ETag (304 on a match): nginx or a CDN may serve it N seconds (BIRGE_PUBLIC_MAX_AGE) without
    asking, browsers ask each time and get a 304 from the cache. A request with a session gets
    `private` instead, so no shared cache keeps what a signed-in member saw.

    Each process also keeps the answer for BIRGE_PUBLIC_PROCESS_CACHE_SECONDS and serves it
    before any other middleware runs, so a burst that reaches Django (no nginx in front, or
    many pages at once) renders each page about once a second per process. It is first in
    MIDDLEWARE so that the kept answer carries every header the others add; the key has the
    scheme and host, so a plain-HTTP request still meets SecurityMiddleware's redirect.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or request.path_info.startswith(
            PUBLIC_CACHE_EXCLUDED_PREFIXES
        ):
            return self.get_response(request)
        anonymous = (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )
        keep_seconds: float = settings.BIRGE_PUBLIC_PROCESS_CACHE_SECONDS
        key = ""
        if anonymous and request.method == "GET" and keep_seconds > 0:
            # The Host header as sent: a page is kept only after the whole stack answered it,
            # ALLOWED_HOSTS included, so no other host can ever find one.
            host = request.META.get("HTTP_HOST", "")
            key = f"{request.scheme}://{host}{request.get_full_path()}"
            if (page := _page_store.get(key)) is not None:
                kept = HttpResponse(page.content, headers=dict(page.headers))
                return get_conditional_response(request, etag=page.etag, response=kept) or kept
        response = self.get_response(request)
        if not anonymous:
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response
        etag = self._make_public(response)
        if key:
            # A page that varies on a header is not the same for every request with this key.
            if etag and isinstance(response, HttpResponse) and not response.has_header("Vary"):
                _page_store.keep(key, response, etag=etag, seconds=keep_seconds)
            else:
                _page_store.forget(key)
        if etag is None:
            return response
        # Django gives back `response` itself unless a 304 answers the request.
        return get_conditional_response(request, etag=etag, response=response) or response

    @staticmethod
    def _make_public(response: HttpResponseBase) -> str | None:
        """Mark the answer for any cache to keep, with its ETag; None if it may not be kept."""
        if (
            response.has_header("Cache-Control")
            or response.status_code != 200
            or response.streaming
            or response.cookies
            # A nonce in a copy served to many is no longer a nonce.
            or "'nonce-" in response.get("Content-Security-Policy", "")
        ):
            return None
        patch_cache_control(
            response, public=True, max_age=0, s_maxage=settings.BIRGE_PUBLIC_MAX_AGE
        )
        if not response.has_header("ETag"):
            set_response_etag(response)
        return response.get("ETag")


class StaffTwoFactorMiddleware:
    """No staff page opens on a password alone: an unverified session is signed out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        user: Any = request.user
        if (
            path.startswith(ADMIN_PREFIX)
            and not path.startswith(STAFF_PATHS_BEFORE_VERIFICATION)
            and user.is_authenticated
            and not user.is_verified()
        ):
            logout(request)
            return redirect(f"{reverse('staff_login')}?next={path}")
        return self.get_response(request)


def staff_session_begin(request: HttpRequest) -> None:
    """Start a staff session's clocks at sign-in, so a stale one cannot end the new session."""
    now = int(time.time())
    request.session[STAFF_SIGNED_IN_AT] = now
    request.session[STAFF_ACTIVE_AT] = now


class StaffSessionTimeoutMiddleware:
    """Signs a staff session out when idle too long, or too long after sign-in however busy.

    Django's own expiry (SESSION_COOKIE_AGE) restarts at every session write, and recording
    activity writes the session, so the absolute limit is kept here from the sign-in time.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        user: Any = request.user
        # The sign-in page is left out, so that signing in again is never turned away.
        if not path.startswith(ADMIN_PREFIX) or path.startswith("/admin/login/"):
            return self.get_response(request)
        if not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        session = request.session
        signed_in_at: int = session.setdefault(STAFF_SIGNED_IN_AT, now)
        active_at: int = session.setdefault(STAFF_ACTIVE_AT, now)
        idle_limit: int = settings.BIRGE_STAFF_IDLE_TIMEOUT_SECONDS
        if now - active_at > idle_limit:
            minutes = idle_limit // 60
            reason = ngettext(
                "You were signed out after %(minutes)d minute without activity. Sign in again.",
                "You were signed out after %(minutes)d minutes without activity. Sign in again.",
                minutes,
            ) % {"minutes": minutes}
            return self._sign_out(request, reason)
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            hours = settings.SESSION_COOKIE_AGE // 3600
            reason = ngettext(
                "Your session ended %(hours)d hour after you signed in. Sign in again.",
                "Your session ended %(hours)d hours after you signed in. Sign in again.",
                hours,
            ) % {"hours": hours}
            return self._sign_out(request, reason)
        if now - active_at >= STAFF_ACTIVITY_RECORD_SECONDS and not path.startswith(
            STAFF_BACKGROUND_PATHS
        ):
            session[STAFF_ACTIVE_AT] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request: HttpRequest, reason: str) -> HttpResponseBase:
        logout(request)
        messages.info(request, reason)
        return redirect(f"{reverse('staff_login')}?{urlencode({'next': request.get_full_path()})}")
