"""CPU seconds used so far by the bench's web server and by PostgreSQL (Linux /proc; loopback bench).

    python bench/cpu.py SERVER_PID            → {"web": 12.3, "postgres": 4.5}
    python bench/cpu.py SERVER_PID BEFORE.json REGISTRATIONS
                                              → the CPU per registration since BEFORE.json

"web" is the gunicorn master and its workers (children of SERVER_PID); "postgres" is every process
named "postgres" (the server and its backends, whoever they serve).
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


def snapshot(server_pid: str) -> dict[str, float]:
    web = _cpu(server_pid) + sum(_cpu(child) for child in _children(server_pid))
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
    return {"web": round(web, 2), "postgres": round(postgres, 2)}


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
    web = (now["web"] - before["web"]) / count * 1000
    postgres = (now["postgres"] - before["postgres"]) / count * 1000
    print(f"CPU per registration (tracking included): web server {web:.1f} ms, PostgreSQL {postgres:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
