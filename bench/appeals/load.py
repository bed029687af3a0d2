"""Pure-Python load generator, used when wrk is not installed; the same contract as load.lua.

    python bench/appeals/load.py --port P --path /api/v1/appeals --bodies FILE --duration 20 \
        --tag T --concurrency 16 [--processes 2]

Keep-alive http.client connections, `concurrency` of them spread over `processes` processes
(the GIL would otherwise cap it). Each connection POSTs for `duration` seconds, then finishes
the request it has in flight and stops, so every write it sent is answered and counted.
Sends BENCH_API_KEY from the environment, when set, as the bearer key, and the headers of the
JSON object BENCH_HEADERS. @NUM@ in a body is replaced by a number unique to the request (for
fields that must be integers, as a Telegram update's id); BENCH_NUMBER_BASE, when set, is added
to it, so that runs one after the other give different numbers.
Prints one line `BENCH-RESULT {json}`.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import threading
import time
from collections import Counter
from typing import Any


def _connection_loop(
    *,
    args: argparse.Namespace,
    templates: list[str],
    worker: str,
    worker_number: int,
    deadline_holder: list[float],
    results: list[dict[str, Any]],
    lock: threading.Lock,
) -> None:
    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    socket_errors = 0
    sent = 0
    first = last = 0.0
    connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    api_key = os.environ.get("BENCH_API_KEY", "")
    authorization = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    extra_headers = json.loads(os.environ.get("BENCH_HEADERS") or "{}")
    number_base = int(os.environ.get("BENCH_NUMBER_BASE") or 0)
    while True:
        started = time.monotonic()
        if not deadline_holder:
            with lock:
                if not deadline_holder:
                    deadline_holder.append(started + args.duration)
        if started >= deadline_holder[0] or sent >= args.max_requests:
            break
        if not first:
            first = started
        sent += 1
        unique = f"{worker}-{sent}"
        number = str(number_base + worker_number * 100_000_000 + sent)
        template = templates[(sent - 1) % len(templates)]
        body = template.replace("@SEQ@", unique).replace("@NUM@", number).encode()
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": f"{args.tag}-{unique}",
            **authorization,
            **extra_headers,
        }
        try:
            connection.request("POST", args.path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            socket_errors += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
            continue
        last = time.monotonic()
        statuses[str(response.status)] += 1
        latencies.append(last - started)
    connection.close()
    with lock:
        results.append(
            {
                "sent": sent,
                "answered": sum(statuses.values()),
                "statuses": statuses,
                "latencies": latencies,
                "socket_errors": socket_errors,
                "first": first,
                "last": last,
            }
        )


def _process_main(args: argparse.Namespace, index: int, threads: int, queue: Any) -> None:
    with open(args.bodies, encoding="utf-8") as handle:
        templates = [line.rstrip("\n") for line in handle if line.strip()]
    # One deadline for the process, fixed at its first request (as wrk does per thread).
    deadline_holder: list[float] = []
    results: list[dict[str, Any]] = []
    lock = threading.Lock()
    workers = [
        threading.Thread(
            target=_connection_loop,
            kwargs={
                "args": args,
                "templates": templates,
                "worker": f"p{index}c{number}",
                "worker_number": 1 + index * 1000 + number,
                "deadline_holder": deadline_holder,
                "results": results,
                "lock": lock,
            },
        )
        for number in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put(results)


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--bodies", required=True)
    parser.add_argument("--duration", type=float, required=True)
    parser.add_argument("--tag", required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="per connection")
    args = parser.parse_args()

    processes = max(1, min(args.processes, args.concurrency))
    queue: Any = multiprocessing.Queue()
    children = []
    for index in range(processes):
        threads = args.concurrency // processes + (1 if index < args.concurrency % processes else 0)
        child = multiprocessing.Process(target=_process_main, args=(args, index, threads, queue))
        child.start()
        children.append(child)
    results: list[dict[str, Any]] = []
    for _ in children:
        results.extend(queue.get())
    for child in children:
        child.join()

    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    for result in results:
        statuses.update(result["statuses"])
        latencies.extend(result["latencies"])
    latencies.sort()
    starts = [result["first"] for result in results if result["first"]]
    ends = [result["last"] for result in results if result["last"]]
    seconds = (max(ends) - min(starts)) if starts and ends else 0.0
    summary = {
        "generator": "python",
        "sent": sum(result["sent"] for result in results),
        "answered": sum(result["answered"] for result in results),
        "seconds": round(seconds, 4),
        "statuses": dict(statuses),
        "socket_errors": {"total": sum(result["socket_errors"] for result in results)},
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50) * 1000, 2),
            "p90": round(percentile(latencies, 0.90) * 1000, 2),
            "p99": round(percentile(latencies, 0.99) * 1000, 2),
            "max": round((latencies[-1] if latencies else 0.0) * 1000, 2),
        },
    }
    print("BENCH-RESULT " + json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
