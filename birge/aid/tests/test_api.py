from typing import Any

import pytest
from django.test import Client

from birge.api.models import ApiClient
from birge.api.services import api_client_create

from ..models import HelpRequest

pytestmark = pytest.mark.django_db


def _body(campaign: Any, **overrides: Any) -> dict[str, Any]:
    body = {
        "campaign": campaign.slug,
        "region": "KZ-75",
        "help_kind": "food_basket",
        "household_size": 2,
        "person_name": "Николай Петров",
        "phone": "+7 701 222 33 44",
        "address": "Сейфуллин 5",
        "consent": True,
    }
    body.update(overrides)
    return body


@pytest.fixture
def hotline_key(db: Any) -> str:
    _client, key = api_client_create(
        actor=None,
        name="Hotline 109",
        channel=ApiClient.Channel.CALL_CENTRE,
        scopes=["aid.requests.submit"],
        requests_per_minute=600,
    )
    return key


def test_the_hotline_registers_a_request_with_its_key(
    client: Client, campaign: Any, hotline_key: str
) -> None:
    response = client.post(
        "/api/v1/aid/requests",
        _body(campaign),
        content_type="application/json",
        headers={"Authorization": f"Bearer {hotline_key}"},
    )

    assert response.status_code == 201, response.content
    item = HelpRequest.objects.get(tracking_code=response.json()["tracking_code"])
    assert item.channel == HelpRequest.Channel.API
    assert item.api_client is not None
    assert response.json()["possible_duplicate"] is False


def test_without_a_key_nothing_is_registered(client: Client, campaign: Any) -> None:
    response = client.post("/api/v1/aid/requests", _body(campaign), content_type="application/json")

    assert response.status_code == 401
    assert not HelpRequest.objects.exists()


def test_bad_input_answers_422_with_each_field(
    client: Client, campaign: Any, hotline_key: str
) -> None:
    response = client.post(
        "/api/v1/aid/requests",
        _body(campaign, household_size=-1, iin="123456789012", birth_date="2999-01-01"),
        content_type="application/json",
        headers={"Authorization": f"Bearer {hotline_key}", "Accept-Language": "en"},
    )

    assert response.status_code == 422
    fields = {detail["field"] for detail in response.json()["details"]}
    assert {"household_size", "iin", "birth_date"} <= fields
    assert not HelpRequest.objects.exists()


def test_the_public_report_hides_small_cells(client: Client, campaign: Any) -> None:
    response = client.get(f"/api/v1/aid/campaigns/{campaign.slug}/report")

    assert response.status_code == 200
    assert response.json()["families_helped"] == 0
