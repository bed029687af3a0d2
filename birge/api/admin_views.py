"""API clients in the Wagtail admin: administrators register callers, set what each may do and
how often, and revoke or re-key them. A key is shown once, on the page after it is made."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birge.core.access import StaffRequest, ensure_can

from .access import API_CLIENT_MANAGE
from .forms import ApiClientCreateForm, ApiClientEditForm
from .models import ApiClient
from .selectors import api_client_get, api_client_list
from .services import api_client_create, api_client_key_rotate, api_client_revoke, api_client_update


def _key_page(request: StaffRequest, client: ApiClient, key: str) -> HttpResponse:
    return render(
        request,
        "api/admin/client_key.html",
        {"page_title": _("API key"), "header_icon": "key", "client": client, "key": key},
    )


def client_list(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "api/admin/client_list.html",
        {
            "page_title": _("API clients"),
            "header_icon": "code",
            "clients": api_client_list(user=request.user),
        },
    )


def client_create(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, API_CLIENT_MANAGE)
    form = ApiClientCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, key = api_client_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _key_page(request, client, key)
    return render(
        request,
        "api/admin/client_form.html",
        {"page_title": _("New API client"), "header_icon": "code", "form": form},
    )


def client_detail(request: StaffRequest, client_id: int) -> HttpResponse:
    client = api_client_get(user=request.user, client_id=client_id)
    initial = {
        "name": client.name,
        "scopes": client.scopes,
        "requests_per_minute": client.requests_per_minute,
        "contact": client.contact,
    }
    form = ApiClientEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            api_client_update(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("API client saved."))
            return redirect("api_client_detail", client_id=client.pk)
    return render(
        request,
        "api/admin/client_detail.html",
        {"page_title": client.name, "header_icon": "code", "client": client, "form": form},
    )


@require_POST
def client_revoke(request: StaffRequest, client_id: int) -> HttpResponse:
    client = api_client_get(user=request.user, client_id=client_id)
    api_client_revoke(actor=request.user, client=client)
    messages.success(request, _("The key is revoked: every request with it now answers 401."))
    return redirect("api_client_detail", client_id=client.pk)


@require_POST
def client_key_rotate(request: StaffRequest, client_id: int) -> HttpResponse:
    client = api_client_get(user=request.user, client_id=client_id)
    try:
        key = api_client_key_rotate(actor=request.user, client=client)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("api_client_detail", client_id=client.pk)
    return _key_page(request, client, key)
