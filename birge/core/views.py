"""Public pages of the shell, its error pages, the health probe and the staff sign-in."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import StaffLoginForm
from .middleware import staff_session_begin
from .models import Region
from .selectors import agency_list_public, health_report, page_url_in_language, region_list


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: Django's own renders 400.html without the request, so without the shell."""
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the refusal in the site's shell and the visitor's language."""
    return render(request, "403_csrf.html", status=403)


def agency_directory(request: HttpRequest) -> HttpResponse:
    region_code = request.GET.get("region", "")
    region = get_object_or_404(Region, code=region_code) if region_code else None
    return render(
        request,
        "core/agency_directory.html",
        {
            "agencies": agency_list_public(region=region),
            "regions": region_list(),
            "selected_region": region,
        },
    )


def region_directory(request: HttpRequest) -> HttpResponse:
    return render(request, "core/region_directory.html", {"regions": region_list()})


@never_cache
@require_GET
def language_choose(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """The switcher's link: remember the language for `/`, then show the page in it.

    Only this answer sets the language cookie, so every other public page goes out without
    Set-Cookie and caches may keep it (ADR 0015). `next` must be a page of this site in the
    chosen language, or one translate_url turns into it; anything else leads to that
    language's home page.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(code):
        home = reverse("home")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = home
    # A portal statement missing in that language, or with another slug there, has no URL that
    # translate_url can guess: its translation, or its section's, is looked up instead.
    path = urlsplit(target).path
    # translate_url resolves the path in the active language: that of the page left.
    source = path.strip("/").partition("/")[0]
    with translation.override(source if source in dict(settings.LANGUAGES) else None):
        target = page_url_in_language(request, path, code) or translate_url(target, code)
    if not urlsplit(target).path.startswith(home):
        target = home
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        # The stubs type the setting as any string; set_cookie takes the three names only.
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
    )
    return response


def not_found(request: HttpRequest, *args: str) -> HttpResponse:
    """A URL a third-party app defines that Birge keeps closed (see config/urls.py)."""
    raise Http404


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


@never_cache
@csrf_protect
def staff_login(request: HttpRequest) -> HttpResponse:
    redirect_to = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(
        redirect_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        redirect_to = "/admin/"
    form = StaffLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user: Any = form.get_user()
        auth_login(request, user)
        otp_login(request, form.otp_device)
        staff_session_begin(request)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return redirect("core_two_factor")
        return redirect(redirect_to)
    return render(request, "core/staff_login.html", {"form": form, "next": redirect_to})


@never_cache
@csrf_protect
def staff_logout(request: HttpRequest) -> HttpResponse:
    """Sign out on a POST, ending the session on the server; a GET only asks to confirm.

    Wagtail's own view answered a GET with 405 yet deleted the cookie, so the member looked
    signed out while the session still worked for whoever held its id. Signing out on a GET
    would let another site end a member's session by sending them to the link (a SameSite=Lax
    cookie goes with it), and a browser's prefetch do it by accident; a POST carries the CSRF
    token.
    """
    if request.method == "POST":
        auth_logout(request)
        messages.success(request, _("You are signed out."))
        return redirect("staff_login")
    if not request.user.is_authenticated:
        return redirect("staff_login")
    return render(request, "core/staff_logout.html")
