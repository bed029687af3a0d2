"""Aid at the scale of 2020: a headquarters' triage queue and the public fund report over a
million help requests, and the hotline's intake through the API.

    .venv/bin/python bench/aid/run.py [--database postgres|sqlite] [--requests 1000000]
        [--volunteers 50000] [--samples 200] [--duration 20] [--concurrency 16]
        [--workers 2] [--threads 4] [--rounds 2] [--warmup 3] [--keep]

A fresh database (PostgreSQL with Redis, or a temporary SQLite file), migrated, with the
regions, the agencies and their volunteer headquarters, one campaign, `--volunteers` volunteers
and `--requests` help requests spread over seven regional headquarters and 210 days (one in ten
waiting for triage, three in four delivered) (bench/aid/prepare.py).

1. Latency, in one process through Django's whole stack (middleware, session, the operator's
   second factor, templates), `--samples` requests each: the reference (a bare view reading
   one indexed page of 50 rows), the Almaty headquarters' triage queue (first page, and page
   20), and the campaign's public report with the cache emptied before each request (the
   uncached figure; production serves it from nginx's micro-cache, docs/deploy).
2. Intake throughput, the project served as production serves it (granian, WSGI, DEBUG off,
   bench/appeals' settings): rounds alternating the reference (POST /bench/reference, one
   INSERT in a bare view) and POST /api/v1/aid/requests with the hotline's key, from the load
   generator in another process. Afterwards the requests stored are compared with the 201s.

Prints the figures and a final JSON line. Exits 1 when 2xx answers and stored requests differ,
2 when the benchmark could not run.
"""

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

# Run as a script (python bench/…/run.py): the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.appeals.run import (
    child_env,
    ok_count,
    postgres_recreate,
    prepare,
    redis_flush,
    rounds_run,
    server_start,
    server_stop,
)
from bench.machine import free_port

MODULE = "bench.aid.prepare"
GOALS_MS = {"queue": 50, "report": 200}
PATHS = {"reference": "/bench/reference", "intake": "/api/v1/aid/requests"}


def say(message: str) -> None:
    print(f"[bench.aid] {message}", file=sys.stderr, flush=True)


def bodies_write(path: Path, campaign: str) -> None:
    """32 varied hotline calls; @NUM@ makes each phone and address unique (so none is flagged as
    a duplicate); "text" is what the reference view stores."""
    regions = ["KZ-75", "KZ-71", "KZ-79", "KZ-19", "KZ-35", "KZ-61"]
    lines = []
    for number in range(32):
        body = {
            "campaign": campaign,
            "region": regions[number % len(regions)],
            "help_kind": "food_basket" if number % 3 else "medicines",
            "household_size": 1 + number % 6,
            "person_name": ("Бибігүл Омарова", "Николай Петров", "Сәуле Жұмабаева")[number % 3],
            "birth_date": f"19{40 + number}-05-09",
            "phone": "+7 @NUM@",
            "address": f"Абай даңғылы @NUM@, {number + 1}-пәтер",
            "categories": ["lonely_elderly"] if number % 2 else ["large_family", "low_income"],
            "no_food": number % 4 == 0,
            "lives_alone": number % 2 == 1,
            "consent": True,
            "language": ("kk", "ru", "en")[number % 3],
            "text": f"hotline call @NUM@ {number}",
        }
        lines.append(json.dumps(body, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix=f"birge-bench-aid-{args.database}-"))
    env = child_env(args.database, workdir)
    try:
        if args.database == "postgres":
            postgres_recreate()
            redis_flush()
        say(f"seeding {args.requests:,} requests and {args.volunteers:,} volunteers")
        setup = prepare("setup", env, str(args.requests), str(args.volunteers), module=MODULE)
        say(f"seeded in {setup['seed_seconds']} s; measuring latency")
        latency = prepare("measure", env, str(args.samples), module=MODULE)
        bodies = workdir / "bodies.jsonl"
        bodies_write(bodies, setup["campaign"])
        port = free_port()
        log = workdir / "server.log"
        server = server_start(args, env, port, log)
        try:
            scenarios = rounds_run(
                args,
                server,
                port=port,
                paths=PATHS,
                bodies=bodies,
                api_key=setup["api_key"],
                tag="aid",
            )
        finally:
            server_stop(server)
            tail = log.read_text(errors="replace")[-2000:]
        counts = prepare("count", env, module=MODULE)
    finally:
        if args.database == "postgres" and not args.keep:
            postgres_recreate(drop_only=True)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    throughput = {}
    for name, scenario in scenarios.items():
        seconds = sum(phase.generator["seconds"] for phase in scenario.rounds)
        ok = sum(ok_count(phase.generator["statuses"]) for phase in scenario.rounds)
        statuses: dict[str, int] = {}
        for phase in scenario.phases():
            for status, count in phase.generator["statuses"].items():
                statuses[status] = statuses.get(status, 0) + count
        throughput[name] = {
            "per_second": round(ok / (seconds or 1), 1),
            "statuses": statuses,
            "p50_ms": max(p.generator["latency_ms"]["p50"] for p in scenario.rounds),
            "p99_ms": max(p.generator["latency_ms"]["p99"] for p in scenario.rounds),
            "ok_total": scenario.ok(),
        }
    throughput["intake"]["ratio_to_reference"] = round(
        throughput["intake"]["per_second"] / (throughput["reference"]["per_second"] or 1), 3
    )
    return {
        "database": args.database,
        "requests": args.requests,
        "volunteers": args.volunteers,
        "seed_seconds": setup["seed_seconds"],
        "latency": latency,
        "throughput": throughput,
        "stored": counts,
        "lost_or_extra": counts["api_requests"] - throughput["intake"]["ok_total"],
        "server_log_tail": tail
        if counts["api_requests"] != throughput["intake"]["ok_total"]
        else "",
    }


def report_print(figures: dict[str, Any]) -> None:
    latency = figures["latency"]
    print(
        f"\nAid on {figures['database']}: {figures['requests']:,} requests, "
        f"{figures['volunteers']:,} volunteers (seeded in {figures['seed_seconds']} s)"
    )
    print(f"{'page':<16}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p95 / ref':>11}  goal")
    for name, values in latency.items():
        goal = GOALS_MS.get(name.split("_page")[0])
        mark = (
            "" if goal is None else f"p95 < {goal} ms: {'yes' if values['p95_ms'] < goal else 'NO'}"
        )
        print(f"{name:<16}{values['p50_ms']:>9}{values['p95_ms']:>9}{values['max_ms']:>9}"
              f"{values['p95_ratio_to_reference']:>11}  {mark}")  # fmt: skip
    print(f"\n{'intake':<16}{'per s':>9}{'p50 ms':>9}{'p99 ms':>9}  statuses")
    for name, values in figures["throughput"].items():
        print(f"{name:<16}{values['per_second']:>9}{values['p50_ms']:>9}{values['p99_ms']:>9}"
              f"  {values['statuses']}")  # fmt: skip
    print(f"intake / reference: {figures['throughput']['intake']['ratio_to_reference']}; "
          f"stored {figures['stored']['api_requests']} for "
          f"{figures['throughput']['intake']['ok_total']} answered 2xx")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--volunteers", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    # What bench.appeals' load generator expects of the arguments.
    args.generator = "python"  # load.lua knows no @NUM@
    args.wrk_threads = 1
    args.python_processes = 2
    args.max_requests = 200_000
    try:
        figures = run(args)
    except (RuntimeError, OSError) as error:
        say(f"could not run: {error}")
        raise SystemExit(2) from error
    report_print(figures)
    print(json.dumps(figures))
    if figures["lost_or_extra"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
