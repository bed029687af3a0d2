"""An urgent alert to a million Telegram subscribers: the fan-out's write, then the send pace.

    .venv/bin/python bench/fanout/run.py [--subscribers 1000000] [--send-seconds 20] [--rate 30]
        [--latency 0.02] [--keep]

PostgreSQL only: a fresh database (birge_bench_fanout, or BENCH_POSTGRES_URL) created here,
migrated with config.settings.test, dropped at the end; the dispatcher's lease in Redis
(BENCH_REDIS_URL, under a key prefix of this run's own) or, without Redis, in the database's
cache table. Tasks go to django_tasks' dummy backend: nothing runs the enqueued dispatcher, so
the two figures are measured alone.

`--subscribers` active Telegram subscribers are written in one INSERT … SELECT over
generate_series (chat ids 1e9 + i, tokens md5(i), languages kk/ru/en 60/35/5 %, one in ten
with a region chosen through the M2M table), then VACUUM (ANALYZE) as autovacuum would do.

  fan-out    publication_create(kind=urgent_alert, channels=[telegram_bot], urgent=True,
             actor=None): one Delivery per subscriber, timed with its commit (the deferred
             foreign-key checks run there). Reference: the same rows, same columns, moved by a
             plain INSERT … SELECT from channels_subscriber into a temporary table (no joins,
             no filters, no indexes, no constraints, no WAL): the floor for moving the rows.
  send       deliveries_send(transport_name="telegram", budget_seconds=--send-seconds) over
             those deliveries, against the fake Bot API (birge/channels/tests/fake_bot_api.py,
             in this process, --latency seconds per send) with TELEGRAM_RATE_PER_SECOND=--rate.
             Reference: the configured limit. Also the busiest sliding second of arrivals at
             the fake (it must not exceed --rate), the time from a delivery's claim to its
             "sent" write, and the time each claim of a batch took.

Prints a table, a block to paste into docs/benchmarks.md, and a final JSON line. Exits 1 when
the fake received more than --rate sends in some second or a send failed, 2 when the benchmark
could not run.
"""

import argparse
import contextlib
import copy
import json
import os
import shlex
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

# Run as a script (python bench/…/run.py): the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.machine import background_cpu

POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/birge_bench_fanout"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
FANOUT_GOAL_PER_SECOND = 1_000_000 / 60
SEND_RATIO_GOAL = 0.95
TEXTS = {
    "kk": {
        "title": "Шұғыл: ертеңнен бастап қоғамдық көлік 22:00-ге дейін ғана жүреді",
        "summary": "Облыстық штаб шешімімен қоғамдық көлік кестесі өзгереді. Толығырақ порталда.",
        "url": "/kk/news/bench-urgent/",
    },
    "ru": {
        "title": "Срочно: с завтрашнего дня общественный транспорт ходит только до 22:00",
        "summary": "По решению областного штаба меняется расписание. Подробнее на портале.",
        "url": "/ru/news/bench-urgent/",
    },
    "en": {
        "title": "Urgent: from tomorrow public transport runs only until 22:00",
        "summary": "The regional headquarters changes the timetable. Details on the portal.",
        "url": "/en/news/bench-urgent/",
    },
}


def say(message: str) -> None:
    print(f"[bench.fanout] {message}", file=sys.stderr, flush=True)


def postgres_recreate(*, drop_only: bool = False) -> None:
    import psycopg

    base, name = POSTGRES_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def busiest_second(times: list[float]) -> int:
    """The most arrivals within any sliding window of one second."""
    times = sorted(times)
    best = start = 0
    for end, at in enumerate(times):
        while times[start] <= at - 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def subscribers_create(count: int) -> dict[str, Any]:
    """Active Telegram subscribers written set-based; one in ten chose a region."""
    from django.db import connection

    from birge.channels.models import Subscriber
    from birge.core.models import Region

    subscribers = connection.ops.quote_name(Subscriber._meta.db_table)
    through = Subscriber.regions.through._meta.db_table
    region_ids = list(Region.objects.exclude(code="KZ").order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {subscribers}
                (kind, address, language, status, all_regions, all_topics, token, created_at,
                 confirmed_at)
            SELECT 'telegram', (1000000000 + i)::text,
                   CASE WHEN i %% 20 < 12 THEN 'kk' WHEN i %% 20 < 19 THEN 'ru' ELSE 'en' END,
                   'active', i %% 10 <> 0 OR %s, true, md5(i::text), now(), now()
            FROM generate_series(1, %s) AS i
            """,  # noqa: S608 - the table name is the model's
            [not region_ids, count],
        )
        if region_ids:
            cursor.execute(
                f"""
                INSERT INTO {connection.ops.quote_name(through)} (subscriber_id, region_id)
                SELECT id, (%s::bigint[])[1 + id %% %s] FROM {subscribers} WHERE NOT all_regions
                """,  # noqa: S608 - the table names are the models'
                [region_ids, len(region_ids)],
            )
        write_seconds = time.perf_counter() - started
        # What autovacuum does soon after a bulk write: statistics, hint bits, visibility map.
        cursor.execute(f"VACUUM (ANALYZE) {subscribers}")
        cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(through)}")
        cursor.execute(f"SELECT language, count(*) FROM {subscribers} GROUP BY 1 ORDER BY 1")  # noqa: S608
        languages = dict(cursor.fetchall())
        cursor.execute(f"SELECT count(*) FROM {subscribers} WHERE NOT all_regions")  # noqa: S608
        with_region = cursor.fetchone()[0]
    return {
        "seconds": round(write_seconds, 2),
        "languages": languages,
        "with_region": with_region,
        "regions": len(region_ids),
    }


def reference_insert(publication_id: int) -> float:
    """Seconds to move one row per subscriber, same columns, into a bare temporary table."""
    from django.db import connection

    from birge.channels.models import Delivery, Subscriber

    deliveries = connection.ops.quote_name(Delivery._meta.db_table)
    subscribers = connection.ops.quote_name(Subscriber._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE bench_reference "
            f"(LIKE {deliveries} INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
        started = time.perf_counter()
        cursor.execute(
            f"""
            INSERT INTO bench_reference
                (publication_id, channel, subscriber_id, target, language, state, priority,
                 attempts, next_attempt_at, created_at, message_id, error)
            SELECT %s, 'telegram_bot', id, address, language, 'pending', 0, 0, now(), now(),
                   '', ''
            FROM {subscribers}
            """,  # noqa: S608 - the table name is the model's
            [publication_id],
        )
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_reference")
    return seconds


def fanout_run(count: int, run_tag: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from birge.channels.models import Channel, Delivery, Publication, Subscriber
    from birge.channels.services import publication_create

    with connection.cursor() as cursor:
        # The same cache for both: the subscribers' pages read once before either is timed.
        cursor.execute(f"SELECT count(*) FROM {Subscriber._meta.db_table}")  # noqa: S608
    reference = reference_insert(publication_id=0)
    say(f"reference INSERT … SELECT into a temporary table: {reference:.2f} s")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        publication = publication_create(
            kind=Publication.Kind.URGENT_ALERT,
            source_kind="bench.fanout",
            source_key=run_tag,
            texts=TEXTS,
            channels=[Channel.TELEGRAM_BOT],
            urgent=True,
            actor=None,
        )
        seconds = time.perf_counter() - started
    deliveries = Delivery.objects.filter(publication=publication).count()
    say(f"fan-out: {deliveries} deliveries in {seconds:.2f} s")
    insert_sql = next(
        (
            query["sql"]
            for query in queries.captured_queries
            if query["sql"].startswith(f'INSERT INTO "{Delivery._meta.db_table}"')
            and "SELECT" in query["sql"]
        ),
        None,
    )
    plan: list[str] = []
    if insert_sql:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {insert_sql}")
            plan = [row[0] for row in cursor.fetchall()]
    return {
        "publication_id": publication.pk,
        "status": publication.status,
        "subscribers": count,
        "deliveries": deliveries,
        "seconds": round(seconds, 3),
        "per_second": round(deliveries / seconds),
        "statements": len(queries.captured_queries),
        "reference_seconds": round(reference, 3),
        "reference_per_second": round(count / reference),
        "ratio": round(seconds / reference, 2),
        "goal_met": deliveries / seconds >= FANOUT_GOAL_PER_SECOND,
        "plan": plan,
    }


def send_run(args: argparse.Namespace, publication_id: int) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import override_settings

    from birge.channels import outbox
    from birge.channels.models import Delivery
    from birge.channels.tests.fake_bot_api import FakeBotApi

    claims: list[float] = []
    claim = outbox._claim

    def claim_timed(channels: tuple[str, ...], limit: int) -> list[Delivery]:
        # The benchmark's own stopwatch around the dispatcher's claim; the claim is unchanged.
        started = time.perf_counter()
        try:
            return claim(channels, limit)
        finally:
            claims.append(time.perf_counter() - started)

    with (
        FakeBotApi(latency=args.latency) as fake,
        override_settings(
            TELEGRAM_BOT_TOKEN=fake.token,
            TELEGRAM_API_BASE_URL=fake.base_url,
            TELEGRAM_RATE_PER_SECOND=args.rate,
            TELEGRAM_CHANNELS={},
        ),
    ):
        outbox._claim = claim_timed
        try:
            started = time.monotonic()
            sent = outbox.deliveries_send(
                transport_name="telegram", budget_seconds=args.send_seconds
            )
            seconds = time.monotonic() - started
        finally:
            outbox._claim = claim
        arrivals = sorted(
            request.time
            for request in fake.requests
            if request.method.lower() in ("sendmessage", "sendphoto")
        )
        posted = len(fake.messages)
    states = dict(
        Delivery.objects.filter(publication_id=publication_id)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT extract(epoch FROM sent_at - claimed_at) FROM {Delivery._meta.db_table}
            WHERE publication_id = %s AND state = 'sent'
            """,  # noqa: S608 - the table name is the model's
            [publication_id],
        )
        claim_to_sent = [float(row[0]) for row in cursor.fetchall()]
    steady = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0.0
    per_second = sent / seconds if seconds else 0.0
    busiest = busiest_second(arrivals)
    return {
        "rate_limit": args.rate,
        "budget_seconds": args.send_seconds,
        "fake_latency_seconds": args.latency,
        "sent": sent,
        "requests": len(arrivals),
        "posted": posted,
        "seconds": round(seconds, 2),
        "per_second": round(per_second, 2),
        "ratio": round(per_second / args.rate, 3),
        "steady_per_second": round(steady, 2),
        "steady_ratio": round(steady / args.rate, 3),
        "first_send_after_seconds": round(arrivals[0] - started, 3) if arrivals else None,
        "busiest_second": busiest,
        "states": states,
        "claims": len(claims),
        "claim_ms_p50": round(percentile(claims, 0.5) * 1000, 1),
        "claim_ms_max": round(max(claims, default=0.0) * 1000, 1),
        "claim_to_sent_p50_seconds": round(percentile(claim_to_sent, 0.5), 3),
        "claim_to_sent_p95_seconds": round(percentile(claim_to_sent, 0.95), 3),
        "ratio_goal_met": SEND_RATIO_GOAL <= per_second / args.rate <= 1.0,
        "limit_kept": busiest <= args.rate,
    }


def command_line(args: argparse.Namespace) -> str:
    return " ".join(
        [
            ".venv/bin/python bench/fanout/run.py",
            f"--subscribers {args.subscribers}",
            f"--send-seconds {args.send_seconds:g}",
            f"--rate {args.rate:g}",
            *([f"--latency {args.latency:g}"] if args.latency != 0.02 else []),
        ]
    )


def report_print(figures: dict[str, Any], args: argparse.Namespace) -> None:
    fanout, send, machine = figures["fanout"], figures["send"], figures["machine"]
    print()
    print(f"{'figure':34} {'value':>12} {'reference':>12} {'ratio':>7}  goal")
    print("-" * 84)
    print(
        f"{'fan-out, seconds':34} {fanout['seconds']:12.2f} {fanout['reference_seconds']:12.2f}"
        f" {fanout['ratio']:7.2f}  < 60 s per 1M"
        f" ({'met' if fanout['goal_met'] else 'MISSED'})"
    )
    print(
        f"{'fan-out, deliveries/s':34} {fanout['per_second']:12,} "
        f"{fanout['reference_per_second']:12,}"
    )
    print(
        f"{'send, messages/s (whole run)':34} {send['per_second']:12.2f} {args.rate:12g}"
        f" {send['ratio']:7.3f}  >= {SEND_RATIO_GOAL} and <= 1.0"
        f" ({'met' if send['ratio_goal_met'] else 'MISSED'})"
    )
    print(
        f"{'send, messages/s (first..last)':34} {send['steady_per_second']:12.2f} "
        f"{args.rate:12g} {send['steady_ratio']:7.3f}"
    )
    print(
        f"{'busiest sliding second, requests':34} {send['busiest_second']:12d} {args.rate:12g}"
        f" {send['busiest_second'] / args.rate:7.3f}  <= {args.rate:g}"
        f" ({'kept' if send['limit_kept'] else 'EXCEEDED'})"
    )
    print(
        f"sent {send['sent']} in {send['seconds']:.2f} s (budget {args.send_seconds:g} s);"
        f" requests at the fake {send['requests']}, posted {send['posted']};"
        f" states {send['states']}"
    )
    print(
        f"first send {send['first_send_after_seconds']} s after the start;"
        f" {send['claims']} claims, p50 {send['claim_ms_p50']} ms, max {send['claim_ms_max']} ms;"
        f" claim → sent p50 {send['claim_to_sent_p50_seconds']} s,"
        f" p95 {send['claim_to_sent_p95_seconds']} s"
    )
    print(
        f"subscribers written in {figures['subscribers']['seconds']} s:"
        f" {figures['subscribers']['languages']},"
        f" {figures['subscribers']['with_region']} with a region"
        f" (of {figures['subscribers']['regions']})"
    )
    if fanout["plan"]:
        print("\nfan-out INSERT … SELECT, EXPLAIN (not executed):")
        for line in fanout["plan"]:
            print(f"  {line}")
    print("\n--- for docs/benchmarks.md ---")
    print(f"### Outbox: an urgent alert to {args.subscribers:,} Telegram subscribers")
    print()
    print(f"`{command_line(args)}`")
    print()
    print("| figure | value | reference | ratio | goal |")
    print("|---|---|---|---|---|")
    print(
        f"| fan-out (`publication_create`, urgent, one INSERT … SELECT, with commit) "
        f"| {fanout['deliveries']:,} deliveries in {fanout['seconds']:.1f} s "
        f"({fanout['per_second']:,}/s) "
        f"| plain INSERT … SELECT into a temporary table: {fanout['reference_seconds']:.1f} s "
        f"| {fanout['ratio']:.1f} | < 60 s for 1M: {'met' if fanout['goal_met'] else 'missed'} |"
    )
    print(
        f"| send (`deliveries_send`, fake Bot API {args.latency * 1000:g} ms) "
        f"| {send['sent']:,} in {send['seconds']:.1f} s = {send['per_second']:.2f}/s "
        f"| limit {args.rate:g}/s | {send['ratio']:.3f} "
        f"| ≥ {SEND_RATIO_GOAL}, ≤ 1.0: {'met' if send['ratio_goal_met'] else 'missed'} |"
    )
    print(
        f"| busiest sliding second at the fake | {send['busiest_second']} requests "
        f"| limit {args.rate:g} | {send['busiest_second'] / args.rate:.3f} "
        f"| ≤ {args.rate:g}: {'kept' if send['limit_kept'] else 'exceeded'} |"
    )
    print(
        f"| claim → sent write | p50 {send['claim_to_sent_p50_seconds']:.2f} s, "
        f"p95 {send['claim_to_sent_p95_seconds']:.2f} s | | | |"
    )
    print()
    print(
        f"Machine: {machine['cpu_count']} cores, PostgreSQL {machine['postgres']} on the same "
        f"machine (shared_buffers {machine['shared_buffers']}), the fake Bot API in the "
        f"benchmark's process; {machine['background_cores']:.2f} cores busy with other jobs "
        f"before the start, load average {machine['load_average']}."
    )
    print("--- end ---\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--send-seconds", type=float, default=20.0, help="the dispatcher's budget")
    parser.add_argument("--rate", type=float, default=30.0, help="TELEGRAM_RATE_PER_SECOND")
    parser.add_argument("--latency", type=float, default=0.02, help="the fake's seconds per send")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.subscribers < 1 or args.rate <= 0 or args.send_seconds <= 0:
        parser.error("--subscribers, --rate and --send-seconds must be positive")

    import psycopg

    try:
        postgres_recreate()
    except psycopg.Error as error:
        say(f"PostgreSQL is required and could not be reached at {POSTGRES_URL}: {error}")
        sys.exit(2)
    use_redis = redis_available()
    if not use_redis:
        say(f"no Redis at {REDIS_URL}: the dispatcher's lease goes to the database cache table")
    # The benchmark's own database and cache, whatever the environment points at.
    os.environ["DATABASE_URL"] = POSTGRES_URL
    os.environ["REDIS_URL"] = REDIS_URL if use_redis else ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    run_tag = uuid.uuid4().hex[:8]
    background = background_cpu()
    exit_code = 0
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, connections
        from django.test.utils import override_settings

        caches = copy.deepcopy(settings.CACHES)
        for cache in caches.values():
            cache["KEY_PREFIX"] = f"birge-bench-fanout-{run_tag}"
        # Nothing may run the dispatcher that publication_create enqueues after its commit: it
        # would send inside the fan-out's timing. The dummy backend only records it.
        tasks = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        with override_settings(CACHES=caches, TASKS=tasks):
            started = time.perf_counter()
            call_command("migrate", interactive=False, verbosity=0)
            if not use_redis:
                call_command("createcachetable", verbosity=0)
            name = POSTGRES_URL.rsplit("/", 1)[1]
            say(f"migrated {name} in {time.perf_counter() - started:.1f} s")
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                postgres_version = cursor.fetchone()[0]
                cursor.execute("SHOW shared_buffers")
                shared_buffers = cursor.fetchone()[0]
            say(f"writing {args.subscribers:,} subscribers")
            subscribers = subscribers_create(args.subscribers)
            say(f"subscribers written in {subscribers['seconds']} s")
            fanout = fanout_run(args.subscribers, run_tag)
            say(f"sending for {args.send_seconds:g} s at {args.rate:g}/s")
            send = send_run(args, fanout["publication_id"])
        figures = {
            "benchmark": "channels-fanout",
            "command": command_line(args),
            "subscribers": subscribers,
            "fanout": fanout,
            "send": send,
            "machine": {
                "cpu_count": os.cpu_count(),
                "postgres": postgres_version,
                "shared_buffers": shared_buffers,
                "background_cores": round(background, 2),
                "load_average": [round(value, 1) for value in os.getloadavg()],
                "lease": "redis" if use_redis else "database",
            },
        }
        report_print(figures, args)
        print(json.dumps({**figures, "argv": shlex.join(sys.argv)}, ensure_ascii=False))
        if not send["limit_kept"] or send["states"].get("failed"):
            exit_code = 1
    finally:
        with contextlib.suppress(Exception):
            connections.close_all()
        if args.keep:
            say(f"kept the database {POSTGRES_URL}")
        else:
            postgres_recreate(drop_only=True)
    sys.exit(exit_code)


if __name__ == "__main__":
    main()
