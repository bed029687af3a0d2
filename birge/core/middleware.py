"""Request-level policy: content security, remembered language, two factors for staff."""

from collections.abc import Callable
from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

ADMIN_PREFIX = "/admin/"
# Third-party UIs that need inline styles and scripts: Wagtail's admin and the API docs.
RELAXED_CSP_PREFIXES = (ADMIN_PREFIX, "/api/v1/docs")
# Staff pages reachable before the second factor is verified.
STAFF_PATHS_BEFORE_VERIFICATION = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")


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
