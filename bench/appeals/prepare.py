"""Django-side steps of the benchmark, run in a child process with bench.appeals.settings.

    python -m bench.appeals.prepare setup   migrate the fresh database, add one agency and rule
                                            and an API client whose key the load generator sends
    python -m bench.appeals.prepare count   print one JSON line: rows stored, tasks queued
    python -m bench.appeals.prepare queries BODIES   SQL statements per reference/intake request

run.py calls these; the database comes from the environment (DATABASE_URL or SQLITE_PATH).
"""

import json
import os
import sys
import time
from collections import Counter
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.appeals.settings")
SEQUENTIAL_REQUESTS = 50


def setup() -> None:
    """Migrate, then add the reference data the intake and its routing task rely on."""
    from django.apps import apps
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # Rate limits count in the shared cache, a database table when there is no Redis.
    call_command("createcachetable", verbosity=0)
    region_model = apps.get_model("core", "Region")
    agency_model = apps.get_model("core", "Agency")
    country = region_model.objects.get(code="KZ")
    agency, _ = agency_model.objects.get_or_create(
        slug="bench-ministry-of-healthcare",
        defaults={
            "kind": "ministry",
            "region": country,
            "name_kk": "Денсаулық сақтау министрлігі (бенчмарк)",
            "name_ru": "Министерство здравоохранения (бенчмарк)",
            "name_en": "Ministry of Healthcare (benchmark)",
        },
    )
    api_key = None
    if apps.is_installed("birge.api"):
        from birge.api.models import ApiClient
        from birge.api.services import api_client_create

        # The intake needs a key (anonymous callers are limited per address); this client's
        # limit is far above any rate the benchmark reaches.
        _client, api_key = api_client_create(
            actor=None,
            name="Benchmark",
            channel=ApiClient.Channel.API,
            scopes=["appeals.submit"],
            requests_per_minute=100_000_000,
        )
    if apps.is_installed("birge.appeals"):
        try:
            rule_model = apps.get_model("appeals", "RoutingRule")
        except LookupError:
            rule_model = None
        if rule_model is not None:
            rule_model.objects.get_or_create(topic=None, region=country, agency=agency)
    print(
        json.dumps(
            {
                "regions": list(
                    region_model.objects.exclude(code="KZ").values_list("code", flat=True)
                ),
                "topics": list(
                    apps.get_model("core", "Topic").objects.values_list("slug", flat=True)
                ),
                "api_key": api_key,
            }
        )
    )


def count() -> None:
    """Rows in the reference table and the appeals tables, and tasks waiting in the queue."""
    from django.apps import apps

    from .models import ReferenceRow

    figures: dict[str, Any] = {
        "reference_rows": ReferenceRow.objects.count(),
        "appeals_rows": None,
        "idempotency_rows": None,
    }
    try:
        figures["appeals_rows"] = apps.get_model("appeals", "Appeal").objects.count()
        figures["idempotency_rows"] = (
            apps.get_model("appeals", "Appeal")
            .objects.filter(idempotency_key__isnull=False)
            .count()
        )
    except LookupError:
        pass
    from django_tasks_db.models import DBTaskResult

    results = DBTaskResult.objects
    figures["tasks_total"] = results.count()
    figures["tasks_by_path"] = dict(Counter(results.values_list("task_path", flat=True)))
    figures["tasks_by_status"] = dict(Counter(results.values_list("status", flat=True)))
    print(json.dumps(figures))


def queries(bodies_path: str) -> None:
    """The SQL statements one request of each scenario runs (in-process, after the load run).

    Unlike a rate, this does not depend on what else the machine is doing; it adds rows, so
    run.py calls it only after `count`.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with open(bodies_path, encoding="utf-8") as handle:
        body = handle.readline().strip().replace("@SEQ@", "queries")
    api_key = os.environ.get("BENCH_API_KEY", "")
    client = Client(
        HTTP_HOST="127.0.0.1", headers={"Authorization": f"Bearer {api_key}"} if api_key else None
    )
    figures: dict[str, Any] = {}
    for name, path, headers in (
        ("reference", "/bench/reference", {}),
        ("intake", "/api/v1/appeals", {"Idempotency-Key": "bench-queries"}),
    ):
        # The second request is measured: connection setup and first-use caches are warm.
        for attempt in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.post(path, body, content_type="application/json", headers=headers)
            if name == "intake" and attempt == 0:
                headers = {"Idempotency-Key": "bench-queries-2"}
        # Read now: every request (request_started) empties the connection's query log.
        statements = [query["sql"][:90] for query in captured.captured_queries]
        # Python CPU per request, in this process without a server: not slowed by lock waits.
        cpu_started = time.process_time()
        for number in range(SEQUENTIAL_REQUESTS):
            client.post(
                path,
                body,
                content_type="application/json",
                headers={"Idempotency-Key": f"bench-queries-seq-{number}"} if headers else {},
            )
        cpu_ms = (time.process_time() - cpu_started) * 1000 / SEQUENTIAL_REQUESTS
        figures[name] = {
            "status": response.status_code,
            "statements": len(statements),
            "sql": statements,
            "cpu_ms_in_process": round(cpu_ms, 2),
        }
    print(json.dumps(figures, ensure_ascii=False))


def main() -> None:
    django.setup()
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "setup":
        setup()
    elif command == "count":
        count()
    elif command == "queries" and len(sys.argv) > 2:
        queries(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
