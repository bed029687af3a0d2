"""Callers of the API: bearer keys, scopes, per-client limits, JSON only, the OpenAPI document."""

import json
from typing import Any

import pytest
from django.test import Client

from birge.api.models import ApiClient
from birge.api.selectors import api_client_by_key
from birge.api.services import api_client_key_rotate, api_client_revoke, api_client_update
from birge.appeals.models import Appeal

from .factories import api_client_with_key, bearer

pytestmark = pytest.mark.django_db

APPEALS = "/api/v1/appeals"
CHECK = "/api/v1/claims/check"
BODY = {"text": "Are schools closed next week?", "region": "KZ-71", "language": "en"}


def post(
    client: Client, *, body: Any = None, content_type: str = "application/json", **extra: Any
) -> Any:
    data = json.dumps(BODY if body is None else body)
    return client.post(APPEALS, data, content_type=content_type, **extra)


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer birge_00000000_not-a-real-key",
        "Bearer nonsense",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_a_bad_key_is_401_json_and_never_falls_back_to_anonymous(
    client: Client, authorization: str
) -> None:
    response = post(client, HTTP_AUTHORIZATION=authorization, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert "Authorization: Bearer" in response.json()["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Appeal.objects.exists()


def test_a_revoked_key_is_refused_at_once_though_it_was_cached(client: Client) -> None:
    # given: a key that worked (and is now in the cache)
    centre, key = api_client_with_key()
    assert post(client, **bearer(key)).status_code == 201
    # when
    api_client_revoke(actor=None, client=centre)
    # then
    response = post(client, **bearer(key))
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_a_new_key_replaces_the_old_one(client: Client) -> None:
    centre, old_key = api_client_with_key()
    assert post(client, **bearer(old_key)).status_code == 201
    new_key = api_client_key_rotate(actor=None, client=centre)
    assert post(client, **bearer(old_key)).status_code == 401
    assert post(client, **bearer(new_key)).status_code == 201


def test_a_client_without_the_scope_is_403(client: Client) -> None:
    _, key = api_client_with_key(scopes=["claims.check"])
    response = post(client, HTTP_ACCEPT_LANGUAGE="en", **bearer(key))
    assert response.status_code == 403
    assert response.json() == {
        "error": "forbidden",
        "message": "This API key does not have the scope appeals.submit.",
    }
    assert not Appeal.objects.exists()


def test_each_client_has_its_own_limit_over_all_endpoints(client: Client) -> None:
    # given
    _, small = api_client_with_key("Partner", channel="api", requests_per_minute=3)
    _, other = api_client_with_key("Telegram bot", channel="telegram", requests_per_minute=3)
    # when: three requests on two endpoints, then a fourth
    assert post(client, **bearer(small)).status_code == 201
    code = Appeal.objects.get().tracking_code
    assert client.get(f"{APPEALS}/{code}", **bearer(small)).status_code == 200
    assert post(client, **bearer(small)).status_code == 201
    refused = post(client, **bearer(small))
    # then
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert refused["Retry-After"] == "60"
    assert post(client, **bearer(other)).status_code == 201


def test_a_raised_limit_applies_on_the_next_request(client: Client) -> None:
    partner, key = api_client_with_key("Partner", channel="api", requests_per_minute=1)
    assert post(client, **bearer(key)).status_code == 201
    assert post(client, **bearer(key)).status_code == 429
    api_client_update(
        actor=None,
        client=partner,
        name=partner.name,
        scopes=partner.scopes,
        requests_per_minute=10,
        contact=partner.contact,
    )
    assert post(client, **bearer(key)).status_code == 201


def test_a_client_key_is_looked_up_once_then_served_from_the_cache(
    django_assert_num_queries: Any,
) -> None:
    centre, key = api_client_with_key()
    with django_assert_num_queries(1):
        assert api_client_by_key(key) == centre
    with django_assert_num_queries(0):
        assert api_client_by_key(key) == centre
    assert api_client_by_key(key + "x") is None


def test_the_database_holds_only_the_keys_hash() -> None:
    centre, key = api_client_with_key()
    row = ApiClient.objects.filter(pk=centre.pk).values().get()
    assert key not in json.dumps(row, default=str)
    assert row["key_hash"] != key
    assert key.startswith(f"birge_{row['key_prefix']}_")


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("text/plain", json.dumps(BODY)),
        ("application/x-www-form-urlencoded", "text=Are+schools+closed&region=KZ-71"),
        ("multipart/form-data; boundary=x", "--x--"),
    ],
)
@pytest.mark.parametrize("url", [APPEALS, CHECK])
def test_a_body_that_is_not_json_is_415(
    client: Client, url: str, content_type: str, data: str
) -> None:
    response = client.post(url, data, content_type=content_type, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"
    assert "application/json" in response.json()["message"]
    assert not Appeal.objects.exists()


def test_json_with_a_charset_is_accepted(client: Client) -> None:
    response = post(client, content_type="application/json; charset=utf-8")
    assert response.status_code == 201


def test_the_claims_check_takes_a_client_or_an_anonymous_caller(client: Client) -> None:
    _, key = api_client_with_key()
    _, appeals_only = api_client_with_key("Partner", scopes=["appeals.submit"])
    body = json.dumps({"text": "Чеснок защищает от коронавируса", "lang": "ru"})
    assert client.post(CHECK, body, content_type="application/json").status_code == 200
    assert (
        client.post(CHECK, body, content_type="application/json", **bearer(key)).status_code == 200
    )
    refused = client.post(CHECK, body, content_type="application/json", **bearer(appeals_only))
    assert refused.status_code == 403


def test_the_openapi_document_shows_the_bearer_scheme(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["ApiKeyBearer"]["scheme"] == "bearer"
    assert schema["components"]["securitySchemes"]["ApiKeyBearer"]["type"] == "http"
    create = schema["paths"]["/api/v1/appeals"]["post"]
    # the key, or nothing: anonymous callers may submit too
    assert create["security"] == [{"ApiKeyBearer": []}, {}]
    assert "channel" not in schema["components"]["schemas"]["AppealIn"]["properties"]
    assert {"401", "403", "415", "429"} <= set(create["responses"])
    assert schema["paths"]["/api/v1/claims/check"]["post"]["security"] == [
        {"ApiKeyBearer": []},
        {},
    ]
