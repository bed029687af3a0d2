"""Administrators manage API clients in the admin, with an audit trail; nobody else can."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from birge.api.models import ApiClient
from birge.appeals.models import Appeal
from birge.core.models import AuditEntry, StaffRole
from birge.core.tests.factories import AgencyFactory, sign_in_verified, staff_member

from .factories import api_client_with_key, bearer

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
BODY = {"text": "Are schools closed next week?", "region": "KZ-71", "language": "en"}


def admin_client() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in_verified(client, staff_member(Role.ADMINISTRATOR, username="root"))
    return client


def shown_key(response: Any) -> str:
    found = re.search(r'<code class="birge-api-key">([^<]+)</code>', response.content.decode())
    assert found is not None
    return found.group(1)


def test_creating_a_client_shows_its_key_once_and_stores_only_the_hash(client: Client) -> None:
    # given
    admin = admin_client()
    # when
    response = admin.post(
        reverse("api_client_create"),
        {
            "name": "Contact centre 109",
            "channel": "call_centre",
            "scopes": ["appeals.submit", "appeals.read"],
            "requests_per_minute": "300",
            "contact": "ops@109.kz",
        },
    )
    # then: the key is on this page, with the warning, and nowhere else
    assert response.status_code == 200
    key = shown_key(response)
    assert "cannot be shown again" in response.content.decode()
    centre = ApiClient.objects.get()
    assert (centre.channel, centre.scopes, centre.requests_per_minute) == (
        "call_centre",
        ["appeals.submit", "appeals.read"],
        300,
    )
    assert key not in str(ApiClient.objects.values().get())
    detail = admin.get(reverse("api_client_detail", args=[centre.pk])).content.decode()
    assert key not in detail
    assert f"birge_{centre.key_prefix}_" in detail
    # and the audit log records the creation without the key
    entry = AuditEntry.objects.get(action="api.client.created")
    assert (entry.actor_label, entry.target_id) == ("root", str(centre.pk))
    assert key not in entry.summary
    # and the key works
    created = client.post("/api/v1/appeals", BODY, content_type="application/json", **bearer(key))
    assert created.status_code == 201
    assert Appeal.objects.get().channel == "call_centre"


def test_an_unknown_scope_is_refused() -> None:
    response = admin_client().post(
        reverse("api_client_create"),
        {
            "name": "Partner",
            "channel": "api",
            "scopes": ["everything"],
            "requests_per_minute": "60",
        },
    )
    assert response.status_code == 200
    assert not ApiClient.objects.exists()


def test_every_admin_write_is_audited_by_field_name(client: Client) -> None:
    # given
    admin = admin_client()
    centre, key = api_client_with_key()
    # when: edit
    response = admin.post(
        reverse("api_client_detail", args=[centre.pk]),
        {
            "name": centre.name,
            "scopes": ["appeals.submit"],
            "requests_per_minute": "120",
            "contact": "new-ops@109.kz",
        },
    )
    assert response.status_code == 302
    centre.refresh_from_db()
    assert (centre.scopes, centre.requests_per_minute) == (["appeals.submit"], 120)
    updated = AuditEntry.objects.get(action="api.client.updated")
    assert updated.summary == "changed: contact, requests_per_minute, scopes"
    assert "new-ops" not in updated.summary
    # when: a new key
    rotated = admin.post(reverse("api_client_key_rotate", args=[centre.pk]))
    new_key = shown_key(rotated)
    assert "cannot be shown again" in rotated.content.decode()
    assert AuditEntry.objects.filter(action="api.client.key_rotated").count() == 1
    # when: revoke
    assert admin.post(reverse("api_client_revoke", args=[centre.pk])).status_code == 302
    assert AuditEntry.objects.filter(action="api.client.revoked").count() == 1
    # then: neither key works any more, and no entry holds a key
    for used in (key, new_key):
        refused = client.post(
            "/api/v1/appeals", BODY, content_type="application/json", **bearer(used)
        )
        assert refused.status_code == 401
    summaries = " ".join(AuditEntry.objects.values_list("summary", flat=True))
    assert key not in summaries
    assert new_key not in summaries


def test_the_list_shows_clients_without_their_keys() -> None:
    admin = admin_client()
    keys = [api_client_with_key("Partner 0", channel="api")[1]]
    admin.get(reverse("api_client_list"))  # the session and the admin's caches, warmed
    with CaptureQueriesContext(connection) as one:
        admin.get(reverse("api_client_list"))
    keys += [api_client_with_key(f"Partner {n}", channel="api")[1] for n in range(1, 4)]
    with CaptureQueriesContext(connection) as four:
        page = admin.get(reverse("api_client_list"))
    # one query for the clients, however many there are
    assert len(four) == len(one)
    html = page.content.decode()
    assert all(f"Partner {n}" in html for n in range(4))
    assert not any(key in html for key in keys)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_reach_the_api_clients(role: str) -> None:
    client = Client()
    agency = None if role in StaffRole.GLOBAL_ROLES else AgencyFactory()
    sign_in_verified(client, staff_member(role, agency))
    centre, _ = api_client_with_key()
    # Wagtail turns a refusal into a redirect to the dashboard; an object answers 404
    assert client.get(reverse("api_client_list")).status_code == 302
    assert client.get(reverse("api_client_detail", args=[centre.pk])).status_code == 404
    assert client.post(reverse("api_client_revoke", args=[centre.pk])).status_code == 404
    assert client.post(reverse("api_client_key_rotate", args=[centre.pk])).status_code == 404
    response = client.post(
        reverse("api_client_create"),
        {"name": "Intruder", "channel": "api", "scopes": [], "requests_per_minute": "60"},
    )
    assert response.status_code == 302
    assert not ApiClient.objects.filter(name="Intruder").exists()
    centre.refresh_from_db()
    assert centre.is_active
    assert "API clients" not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert (
        not AuditEntry.objects.filter(action__startswith="api.client.")
        .exclude(actor_label="system")
        .exists()
    )


def test_the_menu_shows_api_clients_to_administrators() -> None:
    assert (
        reverse("api_client_list")
        in admin_client().get(reverse("wagtailadmin_home")).content.decode()
    )
