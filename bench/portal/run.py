"""How public pages hold a spike: nginx's micro-cache and Django's own path, against a file.

    .venv/bin/python bench/portal/run.py [--duration 20] [--rounds 2] [--warmup 3]
        [--concurrency 64] [--article-concurrency 8] [--article /kk/news/...]
        [--workers 2] [--threads 4] [--wrk-threads 1] [--keep]

One run: a fresh SQLite database in a temporary directory, migrated, with the demo
(`manage.py load_demo`) and the static files collected; granian (WSGI, config.settings.dev with
DEBUG off, the flags of ./dev start) twice: as shipped, and with the per-process page copy off
(BIRGE_PUBLIC_PROCESS_CACHE=0) for the pages measured uncached; nginx running
docs/deploy/nginx.conf as it is (its {{...}} names filled with this run's paths and ports) plus
one server of the benchmark's own that serves a file holding the bytes of /kk/. Then wrk from
127.0.0.1, `--duration` seconds per scenario split into `--rounds` alternating rounds:

  static   nginx serving that file: the reference
  nginx    /kk/ through the shipped configuration (the micro-cache in front of granian)
  django   /kk/ from granian directly, as shipped (public headers, the per-process copy)
  render   /kk/ from granian with the copy off: every request renders the page
  article  an uncached page at --article-concurrency connections, with the server's CPU per
           request (--article; by default the first /kk/news/... link on the home page, else
           /kk/claims/, which the output then says)

Last, whether the cache obeys: an administrator changes an emergency number (in every page's
header) through the service the admin screens call, and the home page is polled through nginx
(and from granian directly) until it shows; the seconds it took are printed (goal <= 5).

Prints a table and a final JSON line. Exits 2 when the benchmark could not run (nginx, wrk or
openssl missing and not installable, a server that does not start), 1 when the change did not
show within the goal.
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
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
SHIPPED_CONFIG = ROOT / "docs" / "deploy" / "nginx.conf"
REPORT_LUA = Path(__file__).with_name("report.lua")
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
HOME = "/kk/"
ARTICLE_FALLBACK = "/kk/claims/"
ARTICLE_LINK = re.compile(r'href="(/kk/news/[^"#?]+)"')
# Debian's package for each command the benchmark runs.
TOOLS = {"nginx": "nginx", "wrk": "wrk", "openssl": "openssl"}
SBIN = "/usr/local/sbin:/usr/sbin:/sbin"
VISIBLE_GOAL_SECONDS = 5.0
VISIBLE_GIVE_UP_SECONDS = 30.0
# Between two changes: longer than a change may take to show, or the next one would hide it.
CHANGE_SPACING_SECONDS = 6.0
POLL_SECONDS = 0.05
RATIO_GOAL = 0.10
# Servers count as idle between phases below this share of a core over the window.
SETTLE_CPU_SHARE = 0.05
SETTLE_WINDOW_SECONDS = 0.3

# Debian's own nginx.conf around the shipped file, with this run's paths, and the reference.
NGINX_MAIN = """\
{user}worker_processes auto;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    access_log off;
    client_body_temp_path {run}/tmp/client;
    proxy_temp_path {run}/tmp/proxy;
    fastcgi_temp_path {run}/tmp/fastcgi;
    uwsgi_temp_path {run}/tmp/uwsgi;
    scgi_temp_path {run}/tmp/scgi;

    include {run}/birge.conf;

    # The reference: the home page's bytes from a file.
    server {{
        listen 127.0.0.1:{reference_port};
        root {run}/reference;
        location = {home} {{
            try_files /home.html =404;
        }}
    }}
}}
"""

# Run by `manage.py shell`: the change an administrator makes in the admin, through its
# service, a few times, at moments that fall differently against the caches' expiry.
EMERGENCY_NUMBER_CHANGES = """
import random
import time
from birge.core.models import EmergencyContact, StaffRole
from birge.core.services import emergency_contact_save

role = StaffRole.objects.filter(role=StaffRole.Role.ADMINISTRATOR).select_related("user").first()
contact = EmergencyContact.objects.order_by("sort_order", "number").first()
if role is None or contact is None:
    raise SystemExit("the demo has no administrator or no emergency contact")
for number in {numbers!r}:
    time.sleep({spacing} + random.random())
    emergency_contact_save(actor=role.user, contact=contact, number=number)
    print("BENCH-CHANGED", number, time.time(), flush=True)
"""


@dataclass
class Scenario:
    name: str
    label: str
    url: str
    connections: int
    servers: list[subprocess.Popen[bytes]]
    rounds: list[dict[str, Any]] = field(default_factory=list)


def say(message: str) -> None:
    print(f"[bench.portal] {message}", file=sys.stderr, flush=True)


def tool_paths() -> dict[str, str | None]:
    search = f"{os.environ.get('PATH', '')}:{SBIN}"
    return {name: shutil.which(name, path=search) for name in TOOLS}


def tools_ensure() -> dict[str, str]:
    """nginx, wrk and openssl; as root, Debian's packages are installed when missing."""
    found = tool_paths()
    missing = [TOOLS[name] for name, where in found.items() if where is None]
    apt_get = shutil.which("apt-get")
    if missing and apt_get and os.geteuid() == 0:
        say(f"installing Debian's {' '.join(missing)}")
        apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt_get, "update", "-qq"], env=apt_env, check=False)  # noqa: S603
        install = [apt_get, "install", "-y", "-qq", "--no-install-recommends", *missing]
        subprocess.run(install, env=apt_env, check=False)  # noqa: S603
        found = tool_paths()
        missing = [TOOLS[name] for name, where in found.items() if where is None]
    if missing:
        say(
            f"needs {' '.join(missing)}; on Debian, as root: DEBIAN_FRONTEND=noninteractive"
            f" apt-get install -y --no-install-recommends {' '.join(missing)}"
        )
        sys.exit(2)
    return {name: str(where) for name, where in found.items()}


def run_checked(command: list[str], **kwargs: Any) -> str:
    # Every command is built here from fixed parts, paths and numbers: nothing untrusted.
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def version_of(command: list[str]) -> str:
    result = subprocess.run(  # noqa: S603 - a fixed command
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    return result.stdout.strip().splitlines()[0] if result.stdout.strip() else ""


def django_env(workdir: Path, *, process_copy: bool) -> dict[str, str]:
    """The embedded default (SQLite, local cache) behind nginx, with DEBUG off."""
    unset = {"DATABASE_URL", "REDIS_URL", "DEBUG", "BIRGE_DEMO", "BIRGE_PUBLIC_PROCESS_CACHE"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    var = workdir / "var"
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        SQLITE_PATH=str(workdir / "birge.sqlite3"),
        STATIC_ROOT=str(var / "static"),
        MEDIA_ROOT=str(var / "media"),
        BIRGE_PRIVATE_ROOT=str(var / "private"),
        # nginx serves the media and the private files, and is the one trusted proxy.
        BIRGE_SERVE_MEDIA="0",
        BIRGE_TRUSTED_PROXIES="127.0.0.1",
        BIRGE_PRIVATE_ACCEL_PREFIX="/_private",
    )
    if not process_copy:
        env["BIRGE_PUBLIC_PROCESS_CACHE"] = "0"
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return run_checked([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env)


def http_get(url: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-cased names) and body; only 127.0.0.1 URLs built here."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return status, {key.lower(): value for key, value in headers.items()}, body


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            status, _, _ = http_get(url, timeout=10)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer 200 within {seconds:g} s")


def granian_start(
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
    try:
        wait_for(f"http://127.0.0.1:{port}{HOME}", server, log)
        # Every worker imports Django and renders its first page before it is measured.
        for _ in range(4 * args.workers):
            http_get(f"http://127.0.0.1:{port}{HOME}")
    except (RuntimeError, OSError):
        process_stop(server)
        raise
    return server


def process_stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def nginx_config_render(values: dict[str, str]) -> str:
    """The shipped file with this run's values: it must name exactly the ones filled here."""
    text = SHIPPED_CONFIG.read_text()
    names = set(PLACEHOLDER.findall(text))
    if names != values.keys():
        raise RuntimeError(
            f"{SHIPPED_CONFIG.relative_to(ROOT)} names {sorted(names)};"
            f" the benchmark fills {sorted(values)}"
        )
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def nginx_start(
    tools: dict[str, str], run: Path, *, upstream_port: int, port: int, reference_port: int
) -> subprocess.Popen[bytes]:
    (run / "tmp").mkdir(parents=True)
    tls = run / "tls"
    tls.mkdir()
    # The shipped server loads a certificate; this run speaks plain HTTP, as the others do.
    certificate = [
        tools["openssl"], "req", "-x509", "-newkey", "ec",
        "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1",
        "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem"),
    ]  # fmt: skip
    run_checked(certificate)
    var = run.parent / "var"
    site = nginx_config_render(
        {
            "listen": f"127.0.0.1:{port}",
            "server_name": "127.0.0.1",
            "tls_dir": str(tls),
            "upstream": f"127.0.0.1:{upstream_port}",
            "var": str(var),
            "cache_dir": str(run / "cache"),
            "log_dir": str(run),
        }
    )
    (run / "birge.conf").write_text(site)
    # As root nginx's workers run as Debian's www-data, as in production.
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    main = NGINX_MAIN.format(user=user, run=run, reference_port=reference_port, home=HOME)
    (run / "nginx.conf").write_text(main)
    prefix = ["-p", str(run), "-e", str(run / "error.log"), "-c", str(run / "nginx.conf")]
    run_checked([tools["nginx"], *prefix, "-t"])
    log = run / "nginx.out"
    with log.open("wb") as handle:
        server = subprocess.Popen(  # noqa: S603 - a fixed command
            [tools["nginx"], *prefix, "-g", "daemon off;"],
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{reference_port}{HOME}", server, run / "error.log")
        wait_for(f"http://127.0.0.1:{port}{HOME}", server, run / "error.log")
    except (RuntimeError, OSError):
        process_stop(server)
        raise
    return server


def wrk_run(
    tools: dict[str, str], args: argparse.Namespace, *, url: str, connections: int, seconds: int
) -> dict[str, Any]:
    command = [
        tools["wrk"],
        f"-t{min(args.wrk_threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout", "10s",
        "-s", str(REPORT_LUA),
        url,
    ]  # fmt: skip
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
        _, status, usage = os.wait4(process.pid, 0)
        output.seek(0)
        text = output.read()
    for line in text.splitlines():
        if line.startswith("BENCH-RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH-RESULT "))
            result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
            return result
    code = os.waitstatus_to_exitcode(status)
    raise RuntimeError(f"wrk gave no result (exit {code}):\n{text}")


def servers_settle(servers: list[subprocess.Popen[bytes]], *, seconds: float = 60) -> None:
    """Wait until the servers have answered what the last phase left queued (wrk's closed
    connections do not stop a render in progress), so it is not counted in the next one."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before = sum(cpu_seconds_of_session(server.pid) for server in servers)
        time.sleep(SETTLE_WINDOW_SECONDS)
        after = sum(cpu_seconds_of_session(server.pid) for server in servers)
        if after - before < SETTLE_CPU_SHARE * SETTLE_WINDOW_SECONDS:
            return


def phase_run(
    tools: dict[str, str], args: argparse.Namespace, scenario: Scenario, seconds: int
) -> dict[str, Any]:
    def server_cpu() -> float:
        return sum(cpu_seconds_of_session(server.pid) for server in scenario.servers)

    servers_settle(scenario.servers)
    cpu_before = server_cpu()
    total, idle = machine_cpu_times()
    started = time.monotonic()
    result = wrk_run(
        tools, args, url=scenario.url, connections=scenario.connections, seconds=seconds
    )
    wall = time.monotonic() - started
    total_after, idle_after = machine_cpu_times()
    return {
        "wrk": result,
        "wall_seconds": wall,
        "server_cpu_seconds": server_cpu() - cpu_before,
        "generator_cpu_seconds": result["cpu_seconds"],
        "machine_busy_share": 1 - (idle_after - idle) / max(1, total_after - total),
    }


def figures_of(scenario: Scenario) -> dict[str, Any]:
    rounds = scenario.rounds
    requests = sum(phase["wrk"]["requests"] for phase in rounds)
    seconds = sum(phase["wrk"]["seconds"] for phase in rounds)
    wall = sum(phase["wall_seconds"] for phase in rounds)
    server_cpu = sum(phase["server_cpu_seconds"] for phase in rounds)
    cores = os.cpu_count() or 1
    others = sum(
        max(
            0.0,
            phase["machine_busy_share"] * cores * phase["wall_seconds"]
            - phase["server_cpu_seconds"]
            - phase["generator_cpu_seconds"],
        )
        for phase in rounds
    )
    return {
        "label": scenario.label,
        "url": scenario.url,
        "connections": scenario.connections,
        "requests": requests,
        "per_second": round(requests / seconds, 1) if seconds else 0.0,
        "per_second_by_round": [
            round(phase["wrk"]["requests"] / (phase["wrk"]["seconds"] or 1), 1) for phase in rounds
        ],
        # Percentiles cannot be merged across runs: the worst round is shown.
        "latency_ms": {
            key: max(phase["wrk"]["latency_ms"][key] for phase in rounds)
            for key in ("p50", "p90", "p99", "max")
        },
        "non_2xx_3xx": sum(phase["wrk"]["non_2xx_3xx"] for phase in rounds),
        "socket_errors": {
            key: sum(phase["wrk"]["socket_errors"][key] for phase in rounds)
            for key in ("connect", "read", "write", "timeout")
        },
        "server_cpu_share": round(server_cpu / wall, 2) if wall else 0.0,
        "server_cpu_ms_per_request": round(1000 * server_cpu / requests, 3) if requests else None,
        "generator_cpu_share": round(sum(p["generator_cpu_seconds"] for p in rounds) / wall, 2),
        "others_cpu_share": round(others / wall, 2) if wall else 0.0,
    }


def article_find(home_html: str, requested: str | None) -> tuple[str, str]:
    """The uncached page to measure, and where it came from."""
    if requested:
        return requested, "given with --article"
    for link in ARTICLE_LINK.findall(home_html):
        if link.rstrip("/") != "/kk/news":
            return link, "the first /kk/news/... link on the home page"
    return ARTICLE_FALLBACK, "no /kk/news/... link on the home page: /kk/claims/ instead"


def visibility_check(
    args: argparse.Namespace, env: dict[str, str], urls: dict[str, str]
) -> dict[str, Any]:
    """Seconds from each of `--changes` committed changes to each URL showing it."""
    numbers = [f"1{secrets.randbelow(10**6):06d}" for _ in range(args.changes)]
    markers = {number: f'href="tel:{number}"'.encode() for number in numbers}
    for name, url in urls.items():
        if any(marker in http_get(url)[2] for marker in markers.values()):
            raise RuntimeError(f"{name} shows a new number before the change")
    command = [sys.executable, str(ROOT / "manage.py"), "shell", "-c"]
    command.append(EMERGENCY_NUMBER_CHANGES.format(numbers=numbers, spacing=CHANGE_SPACING_SECONDS))
    shell = subprocess.Popen(  # noqa: S603 - a fixed command
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # Each page shows one number at a time: the latest change that has reached it.
    seen: dict[tuple[str, str], tuple[float, str]] = {}
    # Django's start-up, the changes, then the wait for the last one.
    deadline = time.time() + 60 + args.changes * (CHANGE_SPACING_SECONDS + 1)
    deadline += VISIBLE_GIVE_UP_SECONDS
    shell_done = False
    while time.time() < deadline:
        for name, url in urls.items():
            _, headers, body = http_get(url)
            for number, marker in markers.items():
                if (name, number) not in seen and marker in body:
                    seen[name, number] = (time.time(), headers.get("x-cache-status", ""))
        if not shell_done and shell.poll() is not None:
            shell_done = True
            deadline = min(deadline, time.time() + VISIBLE_GIVE_UP_SECONDS)
        if len(seen) == len(urls) * len(numbers):
            break
        time.sleep(POLL_SECONDS)
    output, errors = shell.communicate(timeout=60)
    committed = {
        line.split()[1]: float(line.split()[2])
        for line in output.splitlines()
        if line.startswith("BENCH-CHANGED ")
    }
    if shell.returncode != 0 or committed.keys() != set(numbers):
        raise RuntimeError(f"the changes failed:\n{output}\n{errors}")
    result: dict[str, Any] = {"numbers": numbers}
    for name in urls:
        samples: list[dict[str, Any]] = []
        shown: list[float] = []
        for number in numbers:
            at, cache_status = seen.get((name, number), (None, ""))
            seconds = None if at is None else round(at - committed[number], 2)
            samples.append({"seconds": seconds, "cache_status": cache_status})
            if seconds is not None:
                shown.append(seconds)
        worst = max(shown) if len(shown) == len(numbers) else None
        result[name] = {"samples": samples, "worst_seconds": worst}
    return result


def table_print(
    figures: dict[str, dict[str, Any]],
    args: argparse.Namespace,
    visibility: dict[str, Any],
    article_source: str,
) -> None:
    reference = figures["static"]["per_second"]
    print()
    print(
        f"granian --interface wsgi --workers {args.workers} --blocking-threads {args.threads};"
        f" nginx with docs/deploy/nginx.conf; wrk -t{args.wrk_threads},"
        f" {args.duration:g} s per scenario in {args.rounds} alternating rounds after"
        f" {args.warmup:g} s warm-up; {os.cpu_count()} cores"
    )
    header = (
        f"{'scenario':8} {'conn':>4} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>8} {'ratio':>6} "
        f"{'server':>6} {'cpu ms/req':>10} {'gen':>5} {'others':>6}  what"
    )
    print(header)
    print("-" * len(header))
    for name, item in figures.items():
        ratio = item["per_second"] / reference if reference else 0.0
        errors = {key: value for key, value in item["socket_errors"].items() if value}
        trouble = f"  non-2xx {item['non_2xx_3xx']}" if item["non_2xx_3xx"] else ""
        trouble += f"  socket {errors}" if errors else ""
        print(
            f"{name:8} {item['connections']:4d} {item['per_second']:9.1f} "
            f"{item['latency_ms']['p50']:7.2f} {item['latency_ms']['p99']:8.2f} {ratio:6.3f} "
            f"{item['server_cpu_share']:6.2f} {item['server_cpu_ms_per_request']!s:>10} "
            f"{item['generator_cpu_share']:5.2f} {item['others_cpu_share']:6.2f}  "
            f"{item['label']}{trouble}"
        )
    django_ratio = figures["django"]["per_second"] / reference if reference else 0.0
    print(
        f"Django alone, cached page / static: {django_ratio:.3f} (goal >= {RATIO_GOAL}: "
        f"{'met' if django_ratio >= RATIO_GOAL else 'MISSED'}); article: {article_source}"
    )
    for name in ("nginx", "django"):
        worst = visibility[name]["worst_seconds"]
        shown = ", ".join(
            "never" if sample["seconds"] is None else f"{sample['seconds']:.2f}"
            for sample in visibility[name]["samples"]
        )
        goal = ""
        if name == "nginx":
            met = worst is not None and worst <= VISIBLE_GOAL_SECONDS
            goal = f"; goal <= {VISIBLE_GOAL_SECONDS:g} s: {'met' if met else 'MISSED'}"
        print(f"a changed emergency number showed on {HOME} through {name} after: {shown} s{goal}")
    print(
        "req/s: answers per second over the rounds; latency: wrk's, worst round; ratio: req/s\n"
        "against static; server: CPU-seconds per second (1.00 = one core) of the processes\n"
        "serving the scenario (nginx, granian or both); cpu ms/req: their CPU time per answer;\n"
        "gen / others: of wrk, and of everything else on the machine."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="measured seconds per scenario")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per scenario")
    parser.add_argument("--concurrency", type=int, default=64, help="wrk connections")
    parser.add_argument("--article-concurrency", type=int, default=8)
    parser.add_argument("--article", help="the uncached page (default: found on the home page)")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    parser.add_argument("--threads", type=int, default=4, help="granian blocking threads each")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--changes", type=int, default=5, help="changes timed until they show")
    parser.add_argument("--keep", action="store_true", help="keep the directory, logs included")
    args = parser.parse_args()
    if args.duration // args.rounds < 1:
        parser.error("--duration must give each round at least one second")

    tools = tools_ensure()
    background = background_cpu()
    if background > 0.25:
        say(
            f"the machine is already busy ({background:.2f} of {os.cpu_count()} cores used by"
            " other jobs): the rates will be lower than on an idle machine"
        )
    workdir = Path(tempfile.mkdtemp(prefix="birge-bench-portal-"))
    # nginx's workers (www-data) read the static files and the reference from here.
    workdir.chmod(0o755)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        env = django_env(workdir, process_copy=True)
        started = time.monotonic()
        say("migrating a fresh database, loading the demo, collecting static files")
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "createcachetable")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        say(f"prepared in {time.monotonic() - started:.0f} s")

        shipped_port, render_port = free_port(), free_port()
        shipped = granian_start(args, env, shipped_port, workdir / "granian.log")
        servers.append(shipped)
        render_env = django_env(workdir, process_copy=False)
        render = granian_start(args, render_env, render_port, workdir / "granian-render.log")
        servers.append(render)
        _, home_headers, home = http_get(f"http://127.0.0.1:{shipped_port}{HOME}")
        (workdir / "nginx" / "reference").mkdir(parents=True)
        (workdir / "nginx" / "reference" / "home.html").write_bytes(home)
        nginx_port, reference_port = free_port(), free_port()
        nginx = nginx_start(
            tools,
            workdir / "nginx",
            upstream_port=shipped_port,
            port=nginx_port,
            reference_port=reference_port,
        )
        servers.append(nginx)
        http_get(f"http://127.0.0.1:{nginx_port}{HOME}")
        _, cached_headers, _ = http_get(f"http://127.0.0.1:{nginx_port}{HOME}")
        if cached_headers.get("x-cache-status") != "HIT":
            say(f"nginx does not serve {HOME} from its cache: {cached_headers}")
        article, article_source = article_find(home.decode(errors="replace"), args.article)
        status, _, _ = http_get(f"http://127.0.0.1:{render_port}{article}")
        if status != 200:
            raise RuntimeError(f"{article} answers {status}")
        say(f"measuring; article: {article} ({article_source})")

        scenarios = [
            Scenario("static", "nginx, the home page's bytes from a file",
                     f"http://127.0.0.1:{reference_port}{HOME}", args.concurrency, [nginx]),
            Scenario("nginx", f"{HOME} through docs/deploy/nginx.conf (micro-cache)",
                     f"http://127.0.0.1:{nginx_port}{HOME}", args.concurrency, [nginx, shipped]),
            Scenario("django", f"{HOME} from granian directly, as shipped",
                     f"http://127.0.0.1:{shipped_port}{HOME}", args.concurrency, [shipped]),
            Scenario("render", f"{HOME} from granian, page copy off",
                     f"http://127.0.0.1:{render_port}{HOME}", args.concurrency, [render]),
            Scenario("article", f"{article} from granian, page copy off",
                     f"http://127.0.0.1:{render_port}{article}", args.article_concurrency,
                     [render]),
        ]  # fmt: skip
        # Alternating rounds, so that other jobs' load falls on every scenario alike.
        for number in range(args.rounds):
            for scenario in scenarios:
                if number == 0 and args.warmup > 0:
                    say(f"{scenario.name}: warm-up {args.warmup} s")
                    phase_run(tools, args, scenario, args.warmup)
                seconds = args.duration // args.rounds
                say(f"{scenario.name}: round {number + 1}, {seconds} s")
                scenario.rounds.append(phase_run(tools, args, scenario, seconds))
        figures = {scenario.name: figures_of(scenario) for scenario in scenarios}

        say(f"changing an emergency number {args.changes} times, timing until each shows")
        visibility = visibility_check(
            args,
            env,
            {
                "nginx": f"http://127.0.0.1:{nginx_port}{HOME}",
                "django": f"http://127.0.0.1:{shipped_port}{HOME}",
            },
        )
        versions = {
            "nginx": version_of([tools["nginx"], "-v"]),
            "wrk": version_of([tools["wrk"], "-v"]).split(" [")[0],
            "granian": version_of([str(GRANIAN), "--version"]),
        }
    except (RuntimeError, OSError) as error:
        say(f"the benchmark could not run: {error}")
        sys.exit(2)
    finally:
        for server in reversed(servers):
            process_stop(server)
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    table_print(figures, args, visibility, article_source)
    reference = figures["static"]["per_second"]
    nginx_worst = visibility["nginx"]["worst_seconds"]
    visible_met = nginx_worst is not None and nginx_worst <= VISIBLE_GOAL_SECONDS
    summary = {
        "benchmark": "portal-serving",
        "server": f"granian wsgi workers={args.workers} blocking-threads={args.threads}",
        "versions": versions,
        "concurrency": args.concurrency,
        "article_concurrency": args.article_concurrency,
        "duration_seconds": args.duration,
        "rounds": args.rounds,
        "warmup_seconds": args.warmup,
        "cpu_count": os.cpu_count(),
        "background_cores_before": round(background, 2),
        "home_bytes": len(home),
        "home_headers": {
            key: home_headers.get(key)
            for key in ("cache-control", "etag", "vary", "set-cookie", "content-security-policy")
        },
        "article": {"url": article, "source": article_source},
        "results": figures,
        "ratios": {
            name: round(item["per_second"] / reference, 4) if reference else 0
            for name, item in figures.items()
        },
        "goal_django_ratio_met": reference > 0
        and figures["django"]["per_second"] / reference >= RATIO_GOAL,
        "visibility": visibility,
        "goal_visible_met": visible_met,
    }
    print(json.dumps(summary, ensure_ascii=False))
    sys.exit(0 if visible_met else 1)


if __name__ == "__main__":
    main()
