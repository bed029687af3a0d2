import pytest
from django.test import Client

from birge.core import selectors

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_cache_and_tasks(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"] == "ok"
    assert report["cache"] == "ok"
    assert report["tasks"]["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_503_when_the_database_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(selectors, "database_check", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: ConnectionError"


def test_healthz_answers_503_when_tasks_wait_too_long(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        selectors,
        "task_backlog",
        lambda: {"backend": "database", "waiting": 40, "oldest_seconds": 3600},
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["tasks"]["status"] == "stalled"
