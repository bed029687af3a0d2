import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections, router
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import translation
from freezegun import freeze_time

from birge.core.ratelimit import RateLimit, rate_limit_hit, rate_limit_hit_for, rate_limited
from config.settings import base

RULE = RateLimit(scope="test-form", limit=3, window_seconds=600)
PROXY = "127.0.0.1"


@pytest.mark.django_db
def test_the_limit_counts_per_client() -> None:
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="10.0.0.1")
    second = factory.post("/", REMOTE_ADDR="10.0.0.2")
    assert [rate_limit_hit(RULE, first) for _ in range(4)] == [False, False, False, True]
    assert rate_limit_hit(RULE, second) is False


@pytest.mark.django_db
def test_a_form_over_the_limit_gets_a_429_in_the_visitors_language() -> None:
    @rate_limited(RULE)
    def form_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("accepted")

    factory = RequestFactory()
    with translation.override("ru"):
        responses = [form_view(factory.post("/", REMOTE_ADDR="10.0.0.3")) for _ in range(4)]
        # reading the form is never limited
        assert form_view(factory.get("/", REMOTE_ADDR="10.0.0.3")).status_code == 200
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[-1]["Retry-After"] == "600"
    assert "Слишком много попыток" in responses[-1].content.decode()


@pytest.mark.django_db
def test_a_forged_forwarded_for_from_an_untrusted_address_is_ignored() -> None:
    # given: no proxy is trusted, and one client writes a new X-Forwarded-For each time
    factory = RequestFactory()
    forged = [
        factory.post("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        for n in range(4)
    ]
    # then: it is still one client
    assert [rate_limit_hit(RULE, request) for request in forged] == [False, False, False, True]


@pytest.mark.django_db
@override_settings(BIRGE_TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_each_citizen_has_their_own_bucket() -> None:
    # given: every request comes from the proxy, which names the citizen in X-Real-IP
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.1")
    second = factory.post("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.2")
    # then: one citizen over the limit does not refuse the other
    assert [rate_limit_hit(RULE, first) for _ in range(4)] == [False, False, False, True]
    assert rate_limit_hit(RULE, second) is False


@pytest.mark.django_db
@pytest.mark.skipif(bool(base.REDIS_URL), reason="with Redis the shared cache is not a table")
def test_the_test_database_has_the_shared_cache_table() -> None:
    assert "birge_cache" in connection.introspection.table_names()


@pytest.mark.django_db
@pytest.mark.skipif(
    bool(base.REDIS_URL),
    reason="Redis keeps time by its own clock, which freezegun cannot move; EXPIRE is exact there",
)
def test_a_window_lasts_its_full_length_after_the_counter_moves() -> None:
    # given: a limit of one an hour, already reached
    hourly = RateLimit(scope="test-hourly", limit=1, window_seconds=3600)
    with freeze_time("2026-03-18 10:00:00") as clock:
        assert rate_limit_hit_for(hourly, key="citizen") is False
        assert rate_limit_hit_for(hourly, key="citizen") is True
        # when: ten minutes pass (Django's DatabaseCache.incr reset the expiry to 300 s)
        clock.tick(600)
        # then: still refused until the hour is over
        assert rate_limit_hit_for(hourly, key="citizen") is True
        clock.tick(3000)
        assert rate_limit_hit_for(hourly, key="citizen") is False


WORKERS = 8
HITS_EACH = 25
FILE_DB = "shared_cache_file"


@pytest.fixture
def cache_on_a_file_database(
    tmp_path: Path, django_db_blocker: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The shared cache in a file database with the platform's SQLite options."""
    connections.settings[FILE_DB] = {
        **settings.DATABASES["default"],
        "NAME": str(tmp_path / "cache.sqlite3"),
        "OPTIONS": base.DATABASES["default"]["OPTIONS"],
    }
    monkeypatch.setattr(router, "db_for_read", lambda *args, **kwargs: FILE_DB)
    monkeypatch.setattr(router, "db_for_write", lambda *args, **kwargs: FILE_DB)
    with django_db_blocker.unblock():
        call_command("createcachetable", database=FILE_DB, verbosity=0)
        yield
        connections[FILE_DB].close()
    del connections.settings[FILE_DB]


@pytest.mark.skipif(
    bool(base.DATABASE_URL or base.REDIS_URL), reason="the database cache on SQLite"
)
def test_workers_counting_at_once_lose_no_hits(cache_on_a_file_database: None) -> None:
    # given: a limit exactly as large as the burst, counted by workers each with its own
    # cache connection
    rule = RateLimit(scope="test-burst", limit=WORKERS * HITS_EACH, window_seconds=600)
    refused: list[bool] = []
    errors: list[BaseException] = []
    backends: list[Any] = []

    def worker() -> None:
        try:
            backends.append(caches["shared"])
            refused.extend(rate_limit_hit_for(rule, key="burst") for _ in range(HITS_EACH))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections[FILE_DB].close()

    # when
    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then: every hit was counted, so the burst is allowed and the next hit is not
    assert errors == []
    assert len({id(backend) for backend in backends}) == WORKERS
    assert refused == [False] * WORKERS * HITS_EACH
    assert rate_limit_hit_for(rule, key="burst") is True
