"""The citizens' bot under a burst of "check a rumour" updates, through its webhook.

    .venv/bin/python bench/bot/run.py [--database postgres|sqlite] [--duration 20]
        [--concurrency 16] [--workers 2] [--threads 4] [--rounds 2] [--warmup 5] [--keep]

A fresh database (PostgreSQL with Redis as production at scale pairs them, or a temporary SQLite
file in WAL), migrated, with the demo registry of checked claims and the bot's API client
(bench/bot/prepare.py). The project served as production serves it (granian, WSGI, DEBUG off;
bench/appeals' settings and reference view), with one `db_worker` beside it running the outbox's
dispatcher against a fake Bot API in this process (birge/channels/tests/fake_bot_api.py) at
Telegram's 30 messages a second: the replies really leave through the outbox while the burst
comes in.

Traffic, as a rumour spreads: nine in ten updates are forwarded copies of the registry's claims
(18 texts: six claims in kk/ru/en, each in a "share with everyone" wrapper), one in ten a
rumour of its own that matches nothing and is filed for the fact-checkers. Every update comes
from a new chat (each is a first contact: a chat row written). Telegram posts with up to
`--concurrency` connections (its default `max_connections` is 40).

Rounds alternate the reference (POST /bench/reference: one INSERT in a bare view, same server)
and the webhook, so that other load on the machine falls on both alike. Afterwards: updates
answered 2xx against updates recorded as handled and replies written to the outbox (every
update exactly one reply), replies the dispatcher sent meanwhile.

Prints a table, a block for docs/benchmarks.md and a final JSON line. Exits 1 when an answered
update has no reply on the outbox (or a reply no update), 2 when the benchmark could not run.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run as a script (python bench/…/run.py): the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.appeals.run import (
    Scenario,
    child_env,
    ok_count,
    phase_run,
    postgres_recreate,
    prepare,
    redis_flush,
    server_start,
    server_stop,
)
from bench.machine import background_cpu, free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "bench-bot-webhook-secret"  # noqa: S105 - the benchmark's own, on 127.0.0.1
GOAL_PER_SECOND = 200
WRAPPERS = {
    "kk": (
        "Шұғыл! {text} Барлығына жіберіңіз!",
        "Ертең {n}-ші ауданда су болмайды дейді, қорын жинаңыз",
    ),
    "ru": (
        "Срочно! {text} Перешлите всем!",
        "Говорят, с завтрашнего дня в {n}-м микрорайоне отключат воду",
    ),
    "en": (
        "Urgent! {text} Share with everyone!",
        "They say district {n} will have no water from tomorrow",
    ),
}
PREPARE = "bench.bot.prepare"
PATHS = {"reference": "/bench/reference", "webhook": "/telegram/webhook/"}


def say(message: str) -> None:
    print(f"[bench.bot] {message}", file=sys.stderr, flush=True)


def update_body(text: str, language: str) -> str:
    """A forwarded private message as Telegram posts it; @NUM@ makes ids unique per request."""
    update = {
        "update_id": "@NUM@",
        "message": {
            "message_id": 1,
            "date": 1_600_000_000,
            "chat": {"id": "@NUM@", "type": "private"},
            "from": {"id": "@NUM@", "is_bot": False, "first_name": "A", "language_code": language},
            "forward_origin": {
                "type": "hidden_user",
                "date": 1_600_000_000,
                "sender_user_name": "News",
            },
            "text": text,
        },
    }
    return json.dumps(update, ensure_ascii=False).replace('"@NUM@"', "@NUM@")


def bodies_write(workdir: Path, wordings: list[list[str]]) -> dict[str, Path]:
    """The webhook's 20-line cycle (18 viral copies, 2 rumours of their own) and the reference's."""
    by_language: dict[str, list[str]] = {}
    for language, wording in wordings:
        by_language.setdefault(language, []).append(wording)
    viral = [
        (language, WRAPPERS[language][0].format(text=text))
        for language in ("kk", "ru", "en")
        for text in by_language.get(language, [])[:6]
    ]
    if len(viral) < 18:
        raise RuntimeError(f"the demo registry gave {len(viral)} claim texts, not 18")
    lines = [update_body(text, language) for language, text in viral[:9]]
    lines.append(update_body(WRAPPERS["ru"][1].format(n="@SEQ@"), "ru"))
    lines += [update_body(text, language) for language, text in viral[9:18]]
    lines.append(update_body(WRAPPERS["kk"][1].format(n="@SEQ@"), "kk"))
    webhook = workdir / "updates.jsonl"
    webhook.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reference = workdir / "reference.jsonl"
    reference.write_text(
        "\n".join(json.dumps({"text": text}, ensure_ascii=False) for _, text in viral) + "\n",
        encoding="utf-8",
    )
    return {"webhook": webhook, "reference": reference}


def worker_start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.5"],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def run(args: argparse.Namespace) -> dict[str, Any]:
    from birge.channels.tests.fake_bot_api import FakeBotApi

    workdir = Path(tempfile.mkdtemp(prefix=f"birge-bench-bot-{args.database}-"))
    env = child_env(args.database, workdir)
    figures: dict[str, Any] = {"database": args.database}
    try:
        if args.database == "postgres":
            postgres_recreate()
            redis_flush()
        say(f"{args.database}: migrating a fresh database, loading the registry")
        setup = prepare("setup", env, module=PREPARE)
        bodies = bodies_write(workdir, setup["wordings"])
        with FakeBotApi(latency=0.02) as fake:
            env.update(
                TELEGRAM_WEBHOOK_SECRET=SECRET,
                TELEGRAM_BOT_TOKEN=fake.token,
                TELEGRAM_API_BASE_URL=fake.base_url,
                BENCH_HEADERS=json.dumps({"X-Telegram-Bot-Api-Secret-Token": SECRET}),
            )
            os.environ["BENCH_HEADERS"] = env["BENCH_HEADERS"]
            port = free_port()
            server = server_start(args, env, port, workdir / "server.log")
            worker = worker_start(env, workdir / "worker.log")
            say(f"{args.database}: granian on 127.0.0.1:{port}, a db_worker beside it")
            scenarios = {name: Scenario(name=name) for name in ("reference", "webhook")}
            started = time.monotonic()
            phase_number = 0
            try:
                for number in range(args.rounds):
                    for name, scenario in scenarios.items():
                        phases = [(f"round {number + 1}", args.duration / args.rounds)]
                        if number == 0 and args.warmup > 0:
                            phases.insert(0, ("warm-up", args.warmup))
                        for phase_name, seconds in phases:
                            say(f"{name} {phase_name} for {seconds:g} s")
                            phase_number += 1
                            os.environ["BENCH_NUMBER_BASE"] = str(phase_number * 10**12)
                            phase = phase_run(
                                args,
                                server,
                                port=port,
                                path=PATHS[name],
                                bodies=bodies[name],
                                seconds=seconds,
                                tag=f"bot-{name}-{phase_name.replace(' ', '')}",
                                api_key="",
                            )
                            if phase_name == "warm-up":
                                scenario.warmup = phase
                            else:
                                scenario.rounds.append(phase)
                wall = time.monotonic() - started
                sent_during = len(fake.messages)
            finally:
                server_stop(server)
                server_stop(worker)
        figures["counts"] = prepare("count", env, module=PREPARE)
        figures["sent_during_run"] = sent_during
        figures["run_seconds"] = round(wall, 1)
        for name, scenario in scenarios.items():
            ok = sum(ok_count(phase.generator["statuses"]) for phase in scenario.rounds)
            seconds = sum(phase.generator["seconds"] for phase in scenario.rounds)
            cpu = sum(phase.server_cpu_seconds for phase in scenario.rounds)
            latencies = [phase.generator["latency_ms"] for phase in scenario.rounds]
            figures[name] = {
                "ok": ok,
                "all_ok": scenario.ok(),
                "sent": scenario.sent(),
                "statuses": [phase.generator["statuses"] for phase in scenario.phases()],
                "per_second": round(ok / seconds, 1) if seconds else 0.0,
                "server_cpu_ms_per_request": round(cpu * 1000 / ok, 2) if ok else None,
                "latency_ms_p50": max(latency["p50"] for latency in latencies),
                "latency_ms_p99": max(latency["p99"] for latency in latencies),
                "others_cpu_share": round(
                    max(phase.others_cpu_share for phase in scenario.rounds), 2
                ),
            }
        webhook = figures["webhook"]
        figures["ratio"] = round(webhook["per_second"] / figures["reference"]["per_second"], 3)
        replies = sum(figures["counts"]["replies"].values())
        figures["every_update_one_reply"] = (
            figures["counts"]["handled_updates"] == webhook["all_ok"] == replies
        )
        figures["goal_met"] = webhook["per_second"] >= GOAL_PER_SECOND
    finally:
        if args.database == "postgres" and not args.keep:
            postgres_recreate(drop_only=True)
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return figures


def report_print(figures: dict[str, Any], args: argparse.Namespace) -> None:
    webhook, reference, counts = figures["webhook"], figures["reference"], figures["counts"]
    command = (
        f".venv/bin/python bench/bot/run.py --database {args.database} --duration "
        f"{args.duration:g} --concurrency {args.concurrency} --workers {args.workers} "
        f"--threads {args.threads}"
    )
    print()
    print(f"{'figure':40} {'webhook':>10} {'reference':>10} {'ratio':>7}")
    print("-" * 72)
    print(
        f"{'requests/s (2xx)':40} {webhook['per_second']:10.1f} {reference['per_second']:10.1f}"
        f" {figures['ratio']:7.3f}  goal >= {GOAL_PER_SECOND}/s:"
        f" {'met' if figures['goal_met'] else 'MISSED'}"
    )
    print(
        f"{'server CPU ms per request':40} {webhook['server_cpu_ms_per_request']:10} "
        f"{reference['server_cpu_ms_per_request']:10}"
    )
    print(
        f"{'latency ms p50 / p99 (worst round)':40} "
        f"{webhook['latency_ms_p50']:>4} / {webhook['latency_ms_p99']:<4} "
        f"{reference['latency_ms_p50']:>4} / {reference['latency_ms_p99']:<4}"
    )
    print(
        f"updates answered 2xx {webhook['all_ok']} (with warm-up), handled "
        f"{counts['handled_updates']}, replies on the outbox {counts['replies']}: "
        f"{'one each' if figures['every_update_one_reply'] else 'MISMATCH'}"
    )
    print(
        f"sent by the dispatcher during the {figures['run_seconds']} s run: "
        f"{figures['sent_during_run']} (Telegram's limit 30/s); rumour reports filed "
        f"{counts['rumour_reports']}; tasks queued {counts['tasks']}, waiting "
        f"{counts['tasks_queued']}"
    )
    print("\n--- for docs/benchmarks.md ---")
    print(f"`{command}`")
    print()
    print("| figure | webhook | reference (one INSERT) | ratio | goal |")
    print("|---|---|---|---|---|")
    print(
        f"| check-a-rumour updates/s, {args.database} | {webhook['per_second']:.1f} "
        f"| {reference['per_second']:.1f} | {figures['ratio']:.3f} "
        f"| ≥ {GOAL_PER_SECOND}: {'met' if figures['goal_met'] else 'missed'} |"
    )
    print(
        f"| server CPU per request | {webhook['server_cpu_ms_per_request']} ms "
        f"| {reference['server_cpu_ms_per_request']} ms | | |"
    )
    print(
        f"| latency p50 / p99 | {webhook['latency_ms_p50']} / {webhook['latency_ms_p99']} ms "
        f"| {reference['latency_ms_p50']} / {reference['latency_ms_p99']} ms | | |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--duration", type=float, default=20, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=5, help="warm-up seconds")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    parser.add_argument("--threads", type=int, default=4, help="granian blocking threads each")
    parser.add_argument("--python-processes", type=int, default=2)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    args = parser.parse_args()
    # bench.appeals' generator runner reads these; this benchmark has only the Python one.
    args.generator, args.wrk_threads = "python", 1
    say(f"cores busy before the start: {background_cpu():.2f}")
    try:
        figures = run(args)
    except (RuntimeError, OSError) as error:
        say(f"could not run: {error}")
        sys.exit(2)
    report_print(figures, args)
    print("BENCH-RESULT " + json.dumps(figures))
    sys.exit(0 if figures["every_update_one_reply"] else 1)


if __name__ == "__main__":
    main()
