"""Call-center bench: AMI events in → call records and screen pops out.

    .venv/bin/python bench/callcenter.py            # a throw-away SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peygir_bench_cc .venv/bin/python bench/callcenter.py

It migrates the database it is given (create it first on PostgreSQL; every row it writes is removed
afterwards only by dropping it), seeds the demo organization, maps extension 1001..1020 to agents,
starts a loopback AMI server (the tests' FakeAsterisk) and ``run_ami``'s bridge, and replays
``BENCH_CALLS`` (default 300) recorded calls (11 events each, Asterisk 20 field names). It reports:

- throughput: events applied per second by the single consumer;
- ring → pop row: from the AgentCalled event leaving the AMI socket to its ConsoleEvent row being
  committed (what the console's SSE stream polls every 0.2 s; add 0–200 ms, mean 100 ms, for the
  poll, plus the browser's fetch of the caller's panel — the browser test measures the whole path).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from peygir.callcenter.ami.protocol import Message  # noqa: E402
from peygir.callcenter.models import AgentExtension, ConsoleEvent  # noqa: E402
from peygir.callcenter.pbx import AmiBridge  # noqa: E402
from peygir.callcenter.tests.amiserver import FakeAsterisk, recording  # noqa: E402
from peygir.org.models import Membership, Unit  # noqa: E402

CALLS = int(os.environ.get("BENCH_CALLS", "300"))
AGENTS = 20


def setup() -> None:
    call_command("migrate", verbosity=0)
    from peygir.org.demo import seed_org

    seed_org()
    center = Unit.objects.get(code="center")
    for n in range(AGENTS):
        user, _ = get_user_model().objects.get_or_create(username=f"bench-agent-{n}")
        Membership.objects.get_or_create(user=user, unit=center, role=Membership.Role.AGENT)
        AgentExtension.objects.get_or_create(extension=str(1001 + n), defaults={"user": user})


def calls() -> list[list[Message]]:
    template = [
        Message({k: v for k, v in e.items() if k != "Timestamp"}) for e in recording("ami_answered_call.ami")
    ]
    out = []
    stamp = int(time.time())
    for i in range(CALLS):
        linked = f"{stamp}.{i * 2 + 1}"
        ext = str(1001 + i % AGENTS)
        events = []
        for event in template:
            e = Message(event)
            for key in ("Linkedid", "DestLinkedid"):
                if key in e:
                    e[key] = linked
            if e.get("Uniqueid") == "1764403200.1":
                e["Uniqueid"] = linked
            for key in ("Interface", "DestChannel", "Channel"):
                if key in e:
                    e[key] = e[key].replace("1001", ext)
            e["CallerIDNum"] = (
                f"0912{i:07d}" if e.get("CallerIDNum", "").startswith("09") else e.get("CallerIDNum", "")
            )
            events.append(e)
        out.append(events)
    return out


async def run() -> None:
    server = FakeAsterisk()
    port = await server.start()
    bridge = AmiBridge(
        {"host": "127.0.0.1", "port": port, "username": "peygir", "secret": "s3cret"}, poll_seconds=0.5
    )
    stop = asyncio.Event()
    runner = asyncio.create_task(bridge.run(stop))
    await bridge.client.connected.wait()
    sent: dict[str, float] = {}
    all_calls = calls()
    lone, rest = all_calls[0], all_calls[1:]
    sent[lone[0]["Linkedid"]] = time.time()
    await server.send(lone)
    while bridge.applied < len(lone):
        await asyncio.sleep(0.005)
    total_events = 0
    start = time.monotonic()
    for events in rest:
        sent[events[0]["Linkedid"]] = time.time()
        await server.send(events)
        total_events += len(events)
    while bridge.applied < total_events + len(lone):
        await asyncio.sleep(0.01)
    elapsed = time.monotonic() - start
    stop.set()
    await runner
    await server.stop()

    from asgiref.sync import sync_to_async

    @sync_to_async
    def delays() -> list[float]:
        rows = ConsoleEvent.objects.filter(kind="ring").select_related("call")
        return [(row.created_at.timestamp() - sent[row.call.linkedid]) * 1000 for row in rows if row.call]

    lone_id = lone[0]["Linkedid"]

    @sync_to_async
    def lone_delay() -> float:
        row = ConsoleEvent.objects.get(kind="ring", call__linkedid=lone_id)
        return (row.created_at.timestamp() - sent[lone_id]) * 1000

    first = await lone_delay()
    ms = sorted(await delays())
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    print(f"a lone call: AgentCalled on the socket → pop row committed in {first:.0f} ms")
    print(
        f"calls: {CALLS - 1} back to back, events: {total_events}, applied in {elapsed:.1f} s = {total_events / elapsed:.0f} events/s"
    )
    if ms:
        p95 = ms[int(len(ms) * 0.95) - 1]
        print(
            f"under that flood, ring → pop row committed: p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"
        )


if __name__ == "__main__":
    setup()
    asyncio.run(run())
