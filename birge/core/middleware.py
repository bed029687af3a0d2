"""Request-level policy: content security, remembered language, staff sessions."""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
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


class RememberLanguageMiddleware:
    """Remembers the language of the last page visited, so `/` reopens it next time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = translation.get_language_from_path(request.path_info)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
                httponly=True,
            )
        return response


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
