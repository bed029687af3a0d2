"""What the HTTP benchmarks measure of the machine itself: free ports, a server's CPU time, the
load other jobs put on the cores."""

import os
import socket
import time
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cpu_seconds_of_session(session_id: int) -> float:
    """User + system CPU of every live process in a server's session (master and workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == session_id:
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def machine_cpu_times() -> tuple[int, int]:
    """(all, idle) jiffies of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(values), values[3] + values[4]


def background_cpu(seconds: float = 2.0) -> float:
    """Cores in use by other jobs before the benchmark starts anything."""
    total, idle = machine_cpu_times()
    time.sleep(seconds)
    total_after, idle_after = machine_cpu_times()
    busy = 1 - (idle_after - idle) / max(1, total_after - total)
    return busy * (os.cpu_count() or 1)
