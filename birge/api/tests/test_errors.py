"""Every API error is {"error", "message"} JSON below 500, whatever the caller sends."""

import json
from typing import Any

import pytest
from django.http import Http404
from django.test import Client, RequestFactory, override_settings
from ninja.errors import AuthenticationError, AuthorizationError, Throttled

from birge.api.api import api

pytestmark = pytest.mark.django_db

DEEP = "[" * 10_000 + "]" * 10_000


def nested(levels: int) -> str:
    """{"text": [[...]]}: the object and its arrays make `levels` levels."""
    return '{"text": ' + "[" * (levels - 1) + "]" * (levels - 1) + "}"


BAD_REQUESTS = [
    # (id, method, path, body, expected status, expected error)
    ("deep-json-check", "post", "/api/v1/claims/check", DEEP, 400, "bad_body"),
    ("deep-json-appeal", "post", "/api/v1/appeals", DEEP, 400, "bad_body"),
    ("65-levels", "post", "/api/v1/appeals", nested(65), 400, "bad_body"),
    ("64-levels-is-parsed", "post", "/api/v1/appeals", nested(64), 422, "invalid_input"),
    ("malformed-json", "post", "/api/v1/appeals", '{"text": "a",', 400, "bad_body"),
    ("not-utf-8", "post", "/api/v1/appeals", b'{"text": "\xff\xfe"}', 400, "bad_body"),
    ("empty-object", "post", "/api/v1/appeals", "{}", 422, "invalid_input"),
    (
        "wrong-types",
        "post",
        "/api/v1/appeals",
        json.dumps({"text": 5, "consent": "maybe", "region": ["KZ"]}),
        422,
        "invalid_input",
    ),
    ("lone-surrogate-text", "post", "/api/v1/appeals", '{"text": "\\ud800"}', 422, "invalid_input"),
    ("nul-text", "post", "/api/v1/appeals", '{"text": "\\u0000 "}', 422, "invalid_input"),
    (
        "too-large",
        "post",
        "/api/v1/appeals",
        '{"text": "' + "a" * 2_700_000 + '"}',
        413,
        "too_large",
    ),
    ("unknown-path", "get", "/api/v1/no-such-thing", None, 404, "not_found"),
    ("unknown-subpath", "get", "/api/v1/appeals/ABCDE-FGHJK/more", None, 404, "not_found"),
    ("wrong-method", "delete", "/api/v1/appeals/ABCDE-FGHJK", None, 405, "method_not_allowed"),
    ("get-on-a-post-endpoint", "get", "/api/v1/claims/check", None, 405, "method_not_allowed"),
    ("bearer-junk", "post", "/api/v1/appeals", "{}", 401, "unauthorized"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "error"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_REQUESTS],
)
def test_bad_requests_answer_json_errors_never_a_500(
    method: str, path: str, body: str | bytes | None, status: int, error: str
) -> None:
    client = Client(raise_request_exception=False)
    headers = {"HTTP_AUTHORIZATION": "Bearer junk"} if error == "unauthorized" else {}
    if body is None:
        response = getattr(client, method)(path, HTTP_ACCEPT_LANGUAGE="en", **headers)
    else:
        response = getattr(client, method)(
            path, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers
        )
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert {"error", "message"} <= set(data) <= {"error", "message", "details"}
    assert data["error"] == error
    assert isinstance(data["message"], str)
    assert data["message"]


def test_a_wrong_method_keeps_the_allow_header() -> None:
    response = Client().delete("/api/v1/appeals/ABCDE-FGHJK")
    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_a_refusal_django_answers_is_json_in_the_callers_language() -> None:
    # given: a Host the site does not serve; Django refuses it before any API code runs
    response = Client().get(
        "/api/v1/appeals/ABCDE-FGHJK", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 400
    assert response.json() == {"error": "bad_request", "message": "Некорректный запрос."}


@pytest.mark.parametrize(
    ("exception", "status", "error"),
    [
        (AuthenticationError(), 401, "unauthorized"),
        (AuthorizationError(), 403, "forbidden"),
        (Throttled(wait=30), 429, "rate_limited"),
        (Http404(), 404, "not_found"),
    ],
)
def test_ninjas_own_refusals_have_the_same_shape(
    exception: Exception, status: int, error: str
) -> None:
    request = RequestFactory().get("/api/v1/appeals/ABCDE-FGHJK")
    response = api.on_exception(request, exception)
    assert response.status_code == status
    assert json.loads(response.content)["error"] == error
    if status == 429:
        assert response["Retry-After"] == "30"


@pytest.mark.parametrize("debug", [False, True])
def test_a_crash_answers_json_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, debug: bool
) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("birge.appeals.api.appeal_get_by_code", crash)
    with override_settings(DEBUG=debug):
        response = Client(raise_request_exception=False).get("/api/v1/appeals/ABCDE-FGHJK")
    assert response.status_code == 500
    assert response.json()["error"] == "server_error"
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content
