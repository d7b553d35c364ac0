"""CPU seconds used so far by the bench's web server and by PostgreSQL (Linux /proc; loopback bench).

    python bench/cpu.py SERVER_PID[,WORKER_PID…]   → {"web": 12.3, "worker": 2.1, "postgres": 4.5}
    python bench/cpu.py SERVER_PID[,WORKER_PID…] BEFORE.json REGISTRATIONS
                                                   → the CPU per registration since BEFORE.json

"web" is the gunicorn master and its workers (children of SERVER_PID); "worker" the task worker and
the scheduler (the other PIDs, with their children); "postgres" is every process named "postgres"
(the server and its backends, whoever they serve).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu(pid: str) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime: the last two include children that have exited (recycled workers).
    return sum(int(value) for value in fields[11:15]) / TICKS


def _children(pid: str) -> list[str]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += task.read_text().split()
    return found


def _tree(pid: str) -> float:
    return _cpu(pid) + sum(_cpu(child) for child in _children(pid))


def snapshot(pids: str) -> dict[str, float]:
    server_pid, *worker_pids = pids.split(",")
    web = _tree(server_pid)
    worker = sum(_tree(pid) for pid in worker_pids)
    postgres = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if name == "postgres":
            postgres += _cpu(entry.name)
    return {"web": round(web, 2), "worker": round(worker, 2), "postgres": round(postgres, 2)}


def main() -> int:
    now = snapshot(sys.argv[1])
    if len(sys.argv) == 2:
        print(json.dumps(now))
        return 0
    before = json.loads(Path(sys.argv[2]).read_text())
    count = int(sys.argv[3])
    if count <= 0:
        print("CPU per registration: nothing registered")
        return 0
    per = {key: (now[key] - before.get(key, 0.0)) / count * 1000 for key in now}
    worker = f", task worker and scheduler {per['worker']:.1f} ms" if "," in sys.argv[1] else ""
    print(
        f"CPU per registration (tracking included): web server {per['web']:.1f} ms{worker}, "
        f"PostgreSQL {per['postgres']:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
