"""Retries that arrive at the same time: one appeal, one response replayed to all."""

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from birge.appeals.models import Appeal

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # The test database on SQLite is in memory, and the live server's threads then share one
    # connection, so their transactions nest instead of competing: only PostgreSQL can show the
    # race. (File-based SQLite serialises writers with BEGIN EXCLUSIVE; the loser's INSERT of the
    # key fails and it replays the winner's response, the same path as here.)
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs separate connections per thread"
    ),
]

BODY = {
    "kind": "question",
    "text": "Are schools closed next week?",
    "topic": None,
    "region": "KZ-71",
    "language": "kk",
    "contact_email": None,
    "contact_phone": None,
    "consent": False,
}


def test_simultaneous_retries_with_one_key_create_one_appeal(
    reference_data: None, live_server: Any
) -> None:
    def send(_: int) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(  # noqa: S310 - the local test server
            f"{live_server.url}/api/v1/appeals",
            data=json.dumps(BODY).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": "bot-msg-4711"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(send, range(6)))
    assert {status for status, _ in results} == {201}
    assert len({json.dumps(body, sort_keys=True) for _, body in results}) == 1
    assert Appeal.objects.get().idempotency_key == "bot-msg-4711"
