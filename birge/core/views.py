"""Public pages of the shell, the health probe and the staff sign-in."""

from typing import Any

from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import StaffLoginForm
from .models import Region
from .selectors import agency_list_public, health_report, region_list


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"regions": region_list()})


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
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return redirect("core_two_factor")
        return redirect(redirect_to)
    return render(request, "core/staff_login.html", {"form": form, "next": redirect_to})
