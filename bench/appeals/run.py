"""Sustained intake throughput through the HTTP API, against a bare one-INSERT view.

    .venv/bin/python bench/appeals/run.py [--duration 20] [--concurrency 16]
        [--databases sqlite,postgres] [--workers 2] [--threads 4] [--rounds 2] [--warmup 3]
        [--generator auto|wrk|python] [--max-requests 200000] [--keep]

For each database: a fresh database (a temporary SQLite file in WAL with the project's options,
or a PostgreSQL database created and dropped here), migrated, with one agency and routing rule;
the project served as production serves it (granian, WSGI, a few blocking threads, DEBUG off,
bench.appeals.settings = the base settings plus the reference view); then, one after the other,
the reference (POST /bench/reference: one INSERT in a bare view) and the intake
(POST /api/v1/appeals with a unique Idempotency-Key), each for a warm-up and then `--duration`
seconds in `--rounds` alternating rounds (so other jobs' load falls on both alike), at a fixed
concurrency, from a load generator in another process (wrk with load.lua, or
load.py when wrk is missing). Tasks go to the database backend and no worker runs: the request
path is measured alone, and the queued tasks are counted afterwards.

Prints a table and a final JSON line. Exits 1 when 2xx answers and stored rows differ (something
was lost, or stored without an answer), 2 when the benchmark itself could not run.
"""

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Run as a script (python bench/…/run.py): the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.machine import (
    background_cpu,
    cpu_seconds_of_session,
    free_port,
    machine_cpu_times,
)

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GRANIAN = BIN / "granian" if (BIN / "granian").exists() else ROOT / ".venv" / "bin" / "granian"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/birge_bench_appeals"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
SCENARIOS = {"reference": "/bench/reference", "intake": "/api/v1/appeals"}
WRK_GRACE_SECONDS = 3

# Realistic questions in the three languages; every body gets a unique number in its text.
QUESTIONS = {
    "kk": [
        "Карантин кезінде {region} облысынан басқа қалаға жұмысқа баруға рұқсат бар ма?",
        "Балабақшалар қашан ашылады? Біз жұмыс істейтін ата-анамыз, баланы қалдыратын жер жоқ.",
        "42 500 теңге әлеуметтік төлемге қалай өтініш беруге болады, жұмыссыз қалдым.",
        "Дәріханада бетперде мен антисептик жоқ, бағасы үш есе өсті, кімге шағымдану керек?",
        "ПТР-тест нәтижесі үш күн болды әлі келмеді, қайдан білуге болады?",
    ],
    "ru": [
        "Можно ли выезжать из {region} в другой город на работу во время карантина?",
        "Когда откроются детские сады? Мы оба работаем, ребёнка не с кем оставить.",
        "Как подать заявление на социальную выплату 42 500 тенге, если я потерял работу?",
        "В аптеках нет масок и антисептиков, цены выросли в три раза, куда жаловаться?",
        "Результат ПЦР-теста не пришёл уже три дня, где можно узнать?",
    ],
    "en": [
        "May I travel from {region} to another city for work during the quarantine?",
        "When will kindergartens reopen? We both work and have nobody to leave our child with.",
        "How do I apply for the 42,500 tenge social payment after losing my job?",
        "Pharmacies have no masks or sanitiser and prices have tripled; where do I complain?",
        "My PCR test result has not arrived for three days; where can I find out?",
    ],
}


@dataclass
class Phase:
    generator: dict[str, Any]
    wall_seconds: float
    server_cpu_seconds: float
    generator_cpu_seconds: float
    machine_busy_share: float

    @property
    def others_cpu_share(self) -> float:
        """CPU used by everything else: the database server, other people's jobs, the kernel."""
        used = self.machine_busy_share * (os.cpu_count() or 1) * self.wall_seconds
        other = used - self.server_cpu_seconds - self.generator_cpu_seconds
        return max(0.0, other / self.wall_seconds)


def ok_count(statuses: dict[str, int]) -> int:
    return sum(count for status, count in statuses.items() if status.startswith("2"))


@dataclass
class Scenario:
    name: str
    warmup: Phase | None = None
    rounds: list[Phase] = field(default_factory=list)

    def phases(self) -> list[Phase]:
        return ([self.warmup] if self.warmup else []) + self.rounds

    def ok(self) -> int:
        return sum(ok_count(phase.generator["statuses"]) for phase in self.phases())

    def sent(self) -> int:
        return sum(phase.generator["sent"] for phase in self.phases())


@dataclass
class DatabaseRun:
    database: str
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    queries: dict[str, Any] = field(default_factory=dict)
    server_log_tail: str = ""


def say(message: str) -> None:
    print(f"[bench.appeals] {message}", file=sys.stderr, flush=True)


def bodies_write(path: Path, *, regions: list[str], topics: list[str], run_tag: str) -> None:
    """64 varied intake bodies; @SEQ@ in the text is replaced by a unique number per request."""
    rng = random.Random(2020)
    lines = []
    for number in range(64):
        language = ("kk", "kk", "ru", "ru", "en")[number % 5]
        kind = "appeal" if number % 4 == 3 else "question"
        region = regions[rng.randrange(len(regions))]
        question = rng.choice(QUESTIONS[language]).format(region=region)
        detail = " ".join(
            rng.choice(QUESTIONS[language]).format(region=region) for _ in range(rng.randint(0, 2))
        )
        email = f"citizen{number}@example.kz" if kind == "appeal" or number % 3 == 0 else None
        phone = f"+7701{number:07d}" if kind == "appeal" or number % 5 == 1 else None
        body = {
            "kind": kind,
            "text": f"{question} {detail} [{run_tag} @SEQ@]".replace("  ", " "),
            "topic": rng.choice(topics) if topics and number % 3 else None,
            "region": region,
            "language": language,
            "contact_email": email,
            "contact_phone": phone,
            "consent": True,
        }
        lines.append(json.dumps(body, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def generator_run(
    args: argparse.Namespace,
    *,
    port: int,
    path: str,
    bodies: Path,
    seconds: float,
    tag: str,
    api_key: str,
) -> dict[str, Any]:
    """Run the load generator in its own process; return its result and its CPU time."""
    if args.generator == "wrk":
        command = [
            "wrk",
            f"-t{min(args.wrk_threads, args.concurrency)}",
            f"-c{args.concurrency}",
            f"-d{int(seconds) + WRK_GRACE_SECONDS}s",
            "--timeout",
            "10s",
            "-s",
            str(Path(__file__).with_name("load.lua")),
            f"http://127.0.0.1:{port}",
            "--",
            str(bodies),
            str(seconds),
            tag,
            path,
            str(max(1, args.max_requests // min(args.wrk_threads, args.concurrency))),
        ]
    else:
        command = [
            sys.executable,
            str(Path(__file__).with_name("load.py")),
            f"--port={port}",
            f"--path={path}",
            f"--bodies={bodies}",
            f"--duration={seconds}",
            f"--tag={tag}",
            f"--concurrency={args.concurrency}",
            f"--processes={args.python_processes}",
            f"--max-requests={max(1, args.max_requests // args.concurrency)}",
        ]
    with tempfile.TemporaryFile("w+") as output:
        # The commands are built here from fixed parts and numbers: nothing untrusted.
        process = subprocess.Popen(  # noqa: S603
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "BENCH_API_KEY": api_key},
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    for line in text.splitlines():
        if line.startswith("BENCH-RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH-RESULT "))
            result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
            return result
    raise RuntimeError(f"the load generator gave no result (exit {process.returncode}):\n{text}")


def phase_run(args: argparse.Namespace, server: subprocess.Popen[bytes], **kwargs: Any) -> Phase:
    server_cpu = cpu_seconds_of_session(server.pid)
    machine_total, machine_idle = machine_cpu_times()
    started = time.monotonic()
    result = generator_run(args, **kwargs)
    wall = time.monotonic() - started
    machine_total_after, machine_idle_after = machine_cpu_times()
    busy = 1 - (machine_idle_after - machine_idle) / max(1, machine_total_after - machine_total)
    return Phase(
        generator=result,
        wall_seconds=wall,
        server_cpu_seconds=cpu_seconds_of_session(server.pid) - server_cpu,
        generator_cpu_seconds=result["cpu_seconds"],
        machine_busy_share=busy,
    )


def child_env(database: str, workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.appeals.settings",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        MEDIA_ROOT=str(workdir / "media"),
    )
    if database == "sqlite":
        env["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    else:
        # At scale production pairs PostgreSQL with Redis (cache); tasks stay on the database.
        env["DATABASE_URL"] = POSTGRES_URL
        env["REDIS_URL"] = REDIS_URL
    return env


def postgres_recreate(*, drop_only: bool = False) -> None:
    import psycopg

    base, name = POSTGRES_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def redis_flush() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def prepare(
    command: str, env: dict[str, str], *extra: str, module: str = "bench.appeals.prepare"
) -> dict[str, Any]:
    """Run a Django-side step of a benchmark (`module` COMMAND …) and parse its JSON line."""
    result = subprocess.run(  # noqa: S603 - a fixed command
        [sys.executable, "-m", module, command, *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"prepare {command} failed:\n{result.stdout}\n{result.stderr}")
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def server_start(
    args: argparse.Namespace, env: dict[str, str], port: int, log: Path
) -> subprocess.Popen[bytes]:
    command = [
        str(GRANIAN),
        "--interface", "wsgi",
        "--host", "127.0.0.1",
        "--port", str(port),
        "--workers", str(args.workers),
        "--blocking-threads", str(args.threads),
        "--no-ws",
        "config.wsgi:application",
    ]  # fmt: skip
    with log.open("wb") as handle:
        server = subprocess.Popen(  # noqa: S603 - a fixed command
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/idle", timeout=2):
                pass
            # Every worker imports Django on its first request; give both one before measuring.
            for _ in range(4 * args.workers):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/idle", timeout=10):
                    pass
            return server
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    server_stop(server)
    raise RuntimeError("the server did not answer within 60 s")


def server_stop(server: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def rounds_run(
    args: argparse.Namespace,
    server: subprocess.Popen[bytes],
    *,
    port: int,
    paths: dict[str, str],
    bodies: Path,
    api_key: str,
    tag: str,
) -> dict[str, Scenario]:
    """Each scenario (name: path) for a warm-up, then `args.rounds` rounds of
    `args.duration / args.rounds` seconds; the scenarios alternate in rounds, so that load from
    other jobs on the machine falls on all alike and the ratio stays fair."""
    scenarios = {name: Scenario(name=name) for name in paths}
    for number in range(args.rounds):
        for name, scenario in scenarios.items():
            phases = [(f"round {number + 1}", args.duration / args.rounds)]
            if number == 0 and args.warmup > 0:
                phases.insert(0, ("warm-up", args.warmup))
            for phase_name, seconds in phases:
                say(f"{tag}: {name} {phase_name} for {seconds:g} s")
                phase = phase_run(
                    args,
                    server,
                    port=port,
                    path=paths[name],
                    bodies=bodies,
                    seconds=seconds,
                    tag=f"{tag}-{name}-{phase_name.replace(' ', '')}",
                    api_key=api_key,
                )
                if phase_name == "warm-up":
                    scenario.warmup = phase
                else:
                    scenario.rounds.append(phase)
    return scenarios


def database_run(args: argparse.Namespace, database: str, run_tag: str) -> DatabaseRun:
    run = DatabaseRun(database=database)
    workdir = Path(tempfile.mkdtemp(prefix=f"birge-bench-appeals-{database}-"))
    env = child_env(database, workdir)
    try:
        if database == "postgres":
            postgres_recreate()
            redis_flush()
        say(f"{database}: migrating a fresh database")
        reference_data = prepare("setup", env)
        # The load generators and the in-process query count send it as a bearer key.
        env["BENCH_API_KEY"] = reference_data.get("api_key") or ""
        bodies = workdir / "bodies.jsonl"
        bodies_write(
            bodies,
            regions=reference_data["regions"],
            topics=reference_data["topics"],
            run_tag=run_tag,
        )
        port = free_port()
        log = workdir / "server.log"
        server = server_start(args, env, port, log)
        say(f"{database}: granian serving on 127.0.0.1:{port}")
        try:
            run.scenarios = rounds_run(
                args,
                server,
                port=port,
                paths={name: SCENARIOS[name] for name in args.scenarios},
                bodies=bodies,
                api_key=env["BENCH_API_KEY"],
                tag=f"{run_tag}-{database}",
            )
        finally:
            server_stop(server)
            run.server_log_tail = log.read_text(errors="replace")[-2000:]
        run.counts = prepare("count", env)
        if "intake" in args.scenarios:
            run.queries = prepare("queries", env, str(bodies))
    finally:
        if database == "postgres" and not args.keep:
            postgres_recreate(drop_only=True)
        if args.keep:
            say(f"{database}: kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return run


def figures_of(run: DatabaseRun, args: argparse.Namespace) -> dict[str, Any]:
    figures: dict[str, Any] = {"database": run.database}
    rows_for = {"reference": "reference_rows", "intake": "appeals_rows"}
    for name, scenario in run.scenarios.items():
        rounds = scenario.rounds
        seconds = sum(phase.generator["seconds"] for phase in rounds)
        wall = sum(phase.wall_seconds for phase in rounds)
        statuses: dict[str, int] = {}
        socket_errors: dict[str, int] = {}
        for phase in rounds:
            for key, value in phase.generator["statuses"].items():
                statuses[key] = statuses.get(key, 0) + value
            for key, value in phase.generator["socket_errors"].items():
                socket_errors[key] = socket_errors.get(key, 0) + value
        stored = run.counts.get(rows_for[name])
        figures[name] = {
            "per_second": round(ok_count(statuses) / seconds, 1) if seconds else 0.0,
            "per_second_by_round": [
                round(ok_count(p.generator["statuses"]) / (p.generator["seconds"] or 1), 1)
                for p in rounds
            ],
            "seconds": round(seconds, 2),
            "statuses": statuses,
            "socket_errors": socket_errors,
            # Percentiles cannot be merged across runs: the worst round is shown.
            "latency_ms": {
                key: max(phase.generator["latency_ms"][key] for phase in rounds)
                for key in ("p50", "p90", "p99", "max")
            },
            "sent_total": scenario.sent(),
            "ok_total": scenario.ok(),
            "rows_stored": stored,
            "rows_match": stored == scenario.ok(),
            "server_cpu_share": round(sum(p.server_cpu_seconds for p in rounds) / wall, 2),
            "generator_cpu_share": round(sum(p.generator_cpu_seconds for p in rounds) / wall, 2),
            "machine_busy_share": round(
                sum(p.machine_busy_share * p.wall_seconds for p in rounds) / wall, 2
            ),
            "others_cpu_share": round(
                sum(p.others_cpu_share * p.wall_seconds for p in rounds) / wall, 2
            ),
            "sql_statements_per_request": run.queries.get(name, {}).get("statements"),
            "cpu_ms_per_request_in_process": run.queries.get(name, {}).get("cpu_ms_in_process"),
        }
    if "reference" in figures and "intake" in figures:
        reference = figures["reference"]["per_second"]
        figures["ratio"] = round(figures["intake"]["per_second"] / reference, 3) if reference else 0
        figures["goal_ratio_met"] = figures["ratio"] >= 0.6
        if run.database == "postgres":
            figures["goal_1000_met"] = figures["intake"]["per_second"] >= 1000
    figures["tasks_queued"] = run.counts.get("tasks_total")
    figures["tasks_by_path"] = run.counts.get("tasks_by_path")
    figures["idempotency_rows"] = run.counts.get("idempotency_rows")
    return figures


def table_print(all_figures: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print()
    print(
        f"granian --interface wsgi --workers {args.workers} --blocking-threads {args.threads}"
        f" --no-ws; generator {args.generator}, concurrency {args.concurrency},"
        f" {args.duration:g} s measured in {args.rounds} alternating rounds after"
        f" {args.warmup:g} s warm-up; {os.cpu_count()} cores"
    )
    header = (
        f"{'database':9} {'scenario':9} {'2xx/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'2xx':>7} {'rows':>7} {'match':>5} {'sql':>4} {'cpu ms':>6} {'server':>6} {'gen':>5}"
        f" {'others':>6}"
        "  other statuses"
    )
    print(header)
    print("-" * len(header))
    for figures in all_figures:
        for name in ("reference", "intake"):
            if name not in figures:
                continue
            item = figures[name]
            other = {s: n for s, n in item["statuses"].items() if not s.startswith("2")}
            errors = {k: v for k, v in item["socket_errors"].items() if v}
            print(
                f"{figures['database']:9} {name:9} {item['per_second']:8.1f} "
                f"{item['latency_ms']['p50']:7.1f} {item['latency_ms']['p99']:7.1f} "
                f"{item['ok_total']:7d} {item['rows_stored']!s:>7} "
                f"{'yes' if item['rows_match'] else 'NO':>5} "
                f"{item['sql_statements_per_request']!s:>4} "
                f"{item['cpu_ms_per_request_in_process']!s:>6} {item['server_cpu_share']:6.2f} "
                f"{item['generator_cpu_share']:5.2f} {item['others_cpu_share']:6.2f}  "
                f"{other or ''}{' socket ' + str(errors) if errors else ''}"
            )
        if "ratio" in figures:
            goals = f"ratio intake/reference {figures['ratio']:.2f} (goal >= 0.6: "
            goals += "met" if figures["goal_ratio_met"] else "MISSED"
            if "goal_1000_met" in figures:
                goals += "; intake >= 1000/s: " + ("met" if figures["goal_1000_met"] else "MISSED")
            print(f"{'':9} {goals})")
        print(
            f"{'':9} tasks queued (no worker): {figures['tasks_queued']} "
            f"{figures['tasks_by_path'] or ''}; idempotency records: {figures['idempotency_rows']}"
        )
    print(
        "2xx and rows: warm-up + rounds (they must be equal); 2xx/s: the rounds; latency: the\n"
        "worst round; sql: statements one request runs; cpu ms: Python CPU of one request,\n"
        "in-process after the run (50 sequential requests, no server, no lock waits);\n"
        "server / gen / others: CPU-seconds per second (1.00 = one core) of granian, of the load\n"
        "generator, and of everything else on the machine (PostgreSQL, other people's jobs)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds")
    parser.add_argument(
        "--rounds", type=int, default=2, help="measured time is split into alternating rounds"
    )
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--scenarios", default="reference,intake")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    parser.add_argument("--threads", type=int, default=4, help="granian blocking threads each")
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--python-processes", type=int, default=2)
    parser.add_argument(
        "--max-requests", type=int, default=200_000, help="writes per round at most (a bound)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    args = parser.parse_args()
    args.scenarios = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    if unknown := ({*args.scenarios} - SCENARIOS.keys()) | ({*databases} - {"sqlite", "postgres"}):
        parser.error(f"unknown: {', '.join(sorted(unknown))}")
    if args.generator == "auto":
        args.generator = "wrk" if shutil.which("wrk") else "python"
    if args.generator == "python":
        say("wrk not found: using the Python load generator, which takes CPU from the server")

    run_tag = uuid.uuid4().hex[:8]
    background = background_cpu()
    if background > 0.25:
        say(
            f"the machine is already busy ({background:.2f} of {os.cpu_count()} cores used by"
            " other jobs): the rates will be lower than on an idle machine"
        )
    all_figures = []
    try:
        for database in databases:
            run = database_run(args, database, run_tag)
            all_figures.append(figures_of(run, args))
            if any(not all_figures[-1][name]["rows_match"] for name in run.scenarios):
                say(f"{database}: server log tail:\n{run.server_log_tail}")
    except (RuntimeError, OSError) as error:
        say(f"the benchmark could not run: {error}")
        sys.exit(2)
    table_print(all_figures, args)
    summary = {
        "benchmark": "appeals-intake",
        "server": f"granian wsgi workers={args.workers} blocking-threads={args.threads}",
        "generator": args.generator,
        "concurrency": args.concurrency,
        "duration_seconds": args.duration,
        "warmup_seconds": args.warmup,
        "rounds": args.rounds,
        "cpu_count": os.cpu_count(),
        "background_cores_before": round(background, 2),
        "results": all_figures,
    }
    print(json.dumps(summary, ensure_ascii=False))
    lost = any(
        not figures[name]["rows_match"]
        for figures in all_figures
        for name in ("reference", "intake")
        if name in figures
    )
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
