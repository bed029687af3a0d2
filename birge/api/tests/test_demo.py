"""The demo's API clients: printed keys work; every run issues new ones, as backup codes."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from birge.api.models import ApiClient
from birge.appeals.models import Appeal

from .factories import bearer

pytestmark = pytest.mark.django_db


def printed_keys() -> dict[str, str]:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    return {
        name: line.split()[-1]
        for line in lines
        for name in ("Contact centre 109", "Telegram bot")
        if line.strip().startswith(name)
    }


@override_settings(BIRGE_DEMO=True)
def test_the_demo_prints_a_working_key_per_client_and_renews_them(client: Client) -> None:
    first = printed_keys()
    second = printed_keys()
    assert set(second) == {"Contact centre 109", "Telegram bot"}
    assert ApiClient.objects.count() == 2
    body = json.dumps({"text": "Are schools closed?", "region": "KZ-71", "language": "en"})
    for name, channel in (("Contact centre 109", "call_centre"), ("Telegram bot", "telegram")):
        stale = client.post(
            "/api/v1/appeals", body, content_type="application/json", **bearer(first[name])
        )
        assert stale.status_code == 401
        fresh = client.post(
            "/api/v1/appeals", body, content_type="application/json", **bearer(second[name])
        )
        assert fresh.status_code == 201
        assert Appeal.objects.get(tracking_code=fresh.json()["tracking_code"]).channel == channel


def test_keys_are_not_printed_outside_demo_mode() -> None:
    assert printed_keys() == {}
