"""Load generator for Peygir's intake and public tracking (loopback only).

Intake: ``--intake-clients`` closed-loop clients POST realistic registrations to /api/v1/cases
(a point inside one of Tehran's 22 districts with jitter, a category and message type from the
taxonomy, a Persian description, a contact phone on half of them, an Idempotency-Key on each).
Tracking: ``--track-clients`` clients GET /api/v1/track/{code} for codes registered so far, paced
to ``--track-rate`` requests per second in total, while intake runs.

Only requests that start after the warm-up and finish before the end of the window count. Any
non-2xx answer, timeout or connection error is an error and is reported. The client is a small
asyncio HTTP/1.1 keep-alive client (one process, no third-party code) so that it takes as little
as possible of the CPU it shares with the server.

    python bench/load.py --port 8000 --duration 40 --warmup 5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

# Inside points of Tehran's districts (lat, lon), from spec/tehran_districts.json via
# peygir/org/demo.py; the demo boundaries are built around them.
DISTRICT_POINTS: tuple[tuple[float, float], ...] = (
    (35.80299, 51.45924),
    (35.7517, 51.35911),
    (35.76745, 51.42246),
    (35.75746, 51.51426),
    (35.75324, 51.30039),
    (35.72617, 51.40322),
    (35.72193, 51.44392),
    (35.72475, 51.49849),
    (35.68411, 51.31909),
    (35.68385, 51.36717),
    (35.68, 51.39469),
    (35.68064, 51.42789),
    (35.70774, 51.49047),
    (35.66884, 51.48452),
    (35.63517, 51.47381),
    (35.63536, 51.41493),
    (35.65364, 51.36214),
    (35.65156, 51.30859),
    (35.63124, 51.36982),
    (35.59913, 51.43342),
    (35.71127, 51.22284),
    (35.74295, 51.20846),
)
JITTER_DEGREES = 0.004  # about 400 m

# (category, plausible message types, what citizens write) — the seeded taxonomy's codes.
SAMPLES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "waste",
        ("request", "complaint"),
        (
            "زباله‌های کوچه از دو روز پیش جمع‌آوری نشده است.",
            "مخزن زباله سر کوچه شکسته و شیرابه روی آسفالت ریخته است.",
        ),
    ),
    (
        "roads",
        ("report", "request"),
        (
            "چاله بزرگی وسط خیابان ایجاد شده که برای موتورسواران خطرناک است.",
            "آسفالت کوچه پس از حفاری ترمیم نشده است.",
        ),
    ),
    (
        "green",
        ("request", "report"),
        (
            "درخت خشک‌شده کنار پیاده‌رو ممکن است روی عابران بیفتد.",
            "آبیاری فضای سبز بلوار چند هفته است انجام نشده است.",
        ),
    ),
    (
        "lighting",
        ("report",),
        ("چراغ‌های پارک محله چند شب است خاموش است.", "تیر چراغ برق کج شده و سیم‌هایش بیرون زده است."),
    ),
    (
        "drainage",
        ("report", "complaint"),
        (
            "جوی آب کنار خیابان گرفته و آب‌گرفتگی شده است.",
            "دریچه فاضلاب سطحی مسدود است و آب در تقاطع جمع می‌شود.",
        ),
    ),
    (
        "construction",
        ("complaint", "report"),
        ("ساختمان‌سازی همسایه بدون رعایت ایمنی گودبرداری کرده است.", "نخاله ساختمانی در پیاده‌رو رها شده است."),
    ),
    (
        "obstruction",
        ("complaint",),
        ("مغازه‌دار پیاده‌رو را با اجناس اشغال کرده است.", "دستفروشان ورودی ایستگاه مترو را بسته‌اند."),
    ),
    (
        "traffic",
        ("suggestion", "request"),
        (
            "نصب سرعت‌گیر جلوی مدرسه برای ایمنی دانش‌آموزان لازم است.",
            "خط‌کشی عابر پیاده جلوی بیمارستان پاک شده است.",
        ),
    ),
    (
        "transit",
        ("complaint", "criticism"),
        (
            "اتوبوس‌های این خط صبح‌ها با تأخیر زیاد می‌آیند.",
            "سایبان ایستگاه اتوبوس شکسته و مسافران زیر باران می‌مانند.",
        ),
    ),
    ("animals", ("report",), ("چند سگ بلاصاحب در پارک محله هستند و کودکان می‌ترسند.",)),
    ("social", ("report",), ("یک کودک کار هر شب در این تقاطع دیده می‌شود و نیاز به حمایت دارد.",)),
    (
        "furniture",
        ("request", "report"),
        ("نیمکت‌های ایستگاه اتوبوس شکسته است.", "وسایل بازی کودکان در پارک زنگ زده و خطرناک است."),
    ),
    (
        "pollution",
        ("complaint",),
        ("کارگاه مجاور تا نیمه‌شب سروصدای زیادی دارد.", "دود کارگاه رنگ‌کاری هوای کوچه را آلوده کرده است."),
    ),
    (
        "safety",
        ("report",),
        ("دیوار قدیمی یک ساختمان متروکه در حال ریزش است.", "بوی گاز در زیرگذر عابر پیاده حس می‌شود."),
    ),
    ("finance", ("inquiry",), ("عوارض نوسازی ملک من دو بار محاسبه شده؛ چطور پیگیری کنم؟",)),
    (
        "staff",
        ("appreciation", "complaint", "criticism"),
        ("از رفتار محترمانه کارشناس ناحیه سپاسگزارم.", "مأمور شهرداری با شهروندان برخورد نامناسبی داشت."),
    ),
    ("culture", ("inquiry", "suggestion"), ("برنامه کلاس‌های تابستانی فرهنگسرای محله کی اعلام می‌شود؟",)),
)
# Categories that refuse anonymous registration (the taxonomy's NOT_ANONYMOUS).
NEEDS_CONTACT = {"staff"}
PRIORITIES = (None, None, None, None, "normal", "high", "low", "emergency")
STREETS = (
    "خیابان ولیعصر",
    "خیابان انقلاب",
    "بلوار کشاورز",
    "خیابان آزادی",
    "خیابان شریعتی",
    "کوچه بهار",
    "میدان تجریش",
)
NAMES = ("مریم احمدی", "علی رضایی", "زهرا محمدی", "حسین کریمی", "فاطمه حسینی", "رضا موسوی")


def registration(rng: random.Random) -> dict[str, object]:
    """One realistic registration body."""
    category, types, texts = rng.choice(SAMPLES)
    lat, lon = rng.choice(DISTRICT_POINTS)
    with_phone = rng.random() < 0.5 or category in NEEDS_CONTACT
    body: dict[str, object] = {
        "type": rng.choice(types),
        "category": category,
        "description": f"{rng.choice(texts)} پلاک {rng.randint(1, 400)}.",
        "lat": round(lat + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 6),
        "lon": round(lon + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 6),
        "address": f"{rng.choice(STREETS)}، پلاک {rng.randint(1, 400)}",
        "channel": rng.choice(("app", "web")),
    }
    priority = rng.choice(PRIORITIES)
    if priority:
        body["priority"] = priority
    if with_phone:
        body["contact_phone"] = (
            f"09{rng.choice((12, 19, 35, 36, 21, 10))}{rng.randrange(1_000_000, 9_999_999)}"
        )
        body["contact_name"] = rng.choice(NAMES)
    return body


# --- A minimal HTTP/1.1 client ------------------------------------------------------------------


class HttpError(Exception):
    pass


class Connection:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: str = ""
    ) -> tuple[int, bytes]:
        try:
            return await asyncio.wait_for(self._request(method, path, body, headers), self.timeout)
        except BaseException:
            await self.close()
            raise

    async def _request(self, method: str, path: str, body: bytes, headers: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Length: {len(body)}\r\n{headers}\r\n"
        ).encode()
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise HttpError("connection closed before a response")
        status = int(status_line.split(b" ", 2)[1])
        length: int | None = None
        close = False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value.strip())
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
            elif name == b"transfer-encoding":
                raise HttpError("chunked responses are not supported by this client")
        data = await self.reader.readexactly(length) if length is not None else await self.reader.read()
        if close or length is None:
            await self.close()
        return status, data


# --- The load --------------------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    total: int = 0

    def record(
        self,
        started: float,
        finished: float,
        outcome: str,
        ok: bool,
        sample: str,
        window: tuple[float, float],
    ) -> None:
        self.total += 1
        if not (window[0] <= started and finished <= window[1]):
            return
        self.statuses[outcome] += 1
        if ok:
            self.latencies.append(finished - started)
        else:
            self.errors[outcome] += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(f"{outcome}: {sample[:300]}")

    def summary(self, seconds: float) -> dict[str, object]:
        lat = sorted(self.latencies)

        def pct(p: float) -> float | None:
            if not lat:
                return None
            return round(lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000, 1)

        return {
            "ok": len(lat),
            "per_second": round(len(lat) / seconds, 1),
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "max_ms": round(lat[-1] * 1000, 1) if lat else None,
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "error_samples": self.error_samples,
        }


async def intake_client(
    conn: Connection,
    rng: random.Random,
    stats: Stats,
    codes: list[str],
    window: tuple[float, float],
    max_requests: int,
    interval: float = 0.0,
) -> None:
    # interval 0: closed loop, the next request as soon as the last one answered (capacity);
    # otherwise paced (offered load), never bursting to catch up when behind.
    next_at = time.monotonic() + rng.uniform(0, interval)
    while time.monotonic() < window[1] and stats.total < max_requests:
        if interval:
            delay = next_at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            next_at = max(next_at + interval, time.monotonic())
        body = json.dumps(registration(rng), ensure_ascii=False).encode()
        headers = f"Content-Type: application/json\r\nIdempotency-Key: bench-{uuid.uuid4()}\r\n"
        started = time.monotonic()
        try:
            status, data = await conn.request("POST", "/api/v1/cases", body, headers)
        except Exception as exc:  # timeouts and broken connections are errors, reported
            stats.record(started, time.monotonic(), type(exc).__name__, False, repr(exc), window)
            continue
        finished = time.monotonic()
        ok = 200 <= status < 300
        stats.record(started, finished, str(status), ok, data.decode(errors="replace"), window)
        if status == 201:
            codes.append(json.loads(data)["tracking_code"])


async def track_client(
    conn: Connection,
    rng: random.Random,
    stats: Stats,
    codes: list[str],
    window: tuple[float, float],
    interval: float,
    max_requests: int,
) -> None:
    next_at = time.monotonic()
    while time.monotonic() < window[1] and stats.total < max_requests:
        next_at += interval
        if not codes:
            await asyncio.sleep(0.05)
            continue
        code = rng.choice(codes)
        started = time.monotonic()
        try:
            status, data = await conn.request("GET", f"/api/v1/track/{code}")
        except Exception as exc:
            stats.record(started, time.monotonic(), type(exc).__name__, False, repr(exc), window)
        else:
            stats.record(
                started, time.monotonic(), str(status), status == 200, data.decode(errors="replace"), window
            )
        delay = next_at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            next_at = time.monotonic()  # behind schedule: do not burst to catch up


async def run(args: argparse.Namespace) -> dict[str, object]:
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load.py only targets the loopback interface")
    rng = random.Random(args.seed)
    start = time.monotonic()
    window = (start + args.warmup, start + args.warmup + args.duration)
    intake, track = Stats(), Stats()
    codes: list[str] = []
    conns = [
        Connection(args.host, args.port, args.timeout)
        for _ in range(args.intake_clients + args.track_clients)
    ]
    interval = args.track_clients / args.track_rate if args.track_rate > 0 else 0.0
    intake_interval = args.intake_clients / args.intake_rate if args.intake_rate > 0 else 0.0
    tasks = [
        intake_client(
            conns[i], random.Random(rng.random()), intake, codes, window, args.max_requests, intake_interval
        )
        for i in range(args.intake_clients)
    ]
    tasks += [
        track_client(
            conns[args.intake_clients + i],
            random.Random(rng.random()),
            track,
            codes,
            window,
            interval,
            args.max_requests,
        )
        for i in range(args.track_clients)
    ]
    try:
        await asyncio.gather(*tasks)
    finally:
        for conn in conns:
            await conn.close()
    return {
        "config": {
            "intake_clients": args.intake_clients,
            "track_clients": args.track_clients,
            "track_rate": args.track_rate,
            "intake_rate": args.intake_rate,
            "warmup_s": args.warmup,
            "duration_s": args.duration,
        },
        "intake": intake.summary(args.duration),
        "tracking": track.summary(args.duration),
        "registered_total": len(codes),
    }


def report(result: dict[str, object]) -> str:
    lines = ["", f"{'':10} {'ok/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}"]
    for name in ("intake", "tracking"):
        row = result[name]
        assert isinstance(row, dict)
        lines.append(
            f"{name:10} {row['per_second']:>8} {row['p50_ms']!s:>8} {row['p95_ms']!s:>8} "
            f"{row['p99_ms']!s:>8} {row['max_ms']!s:>8} {row['errors']:>7}"
        )
        for sample in row["error_samples"]:
            lines.append(f"    {name} error {sample}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--intake-clients", type=int, default=16)
    parser.add_argument("--track-clients", type=int, default=4)
    parser.add_argument(
        "--track-rate", type=float, default=50.0, help="tracking requests per second, all clients"
    )
    parser.add_argument(
        "--intake-rate",
        type=float,
        default=0.0,
        help="registrations per second offered, all clients; 0 = closed loop (as fast as answered)",
    )
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds before measuring starts")
    parser.add_argument("--duration", type=float, default=40.0, help="seconds measured")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout in seconds")
    parser.add_argument("--max-requests", type=int, default=100_000, help="cap per kind of request")
    parser.add_argument("--seed", type=int, default=137)
    parser.add_argument("--json", help="also write the result as JSON to this file")
    args = parser.parse_args()
    if not (0 < args.duration <= 600 and 0 <= args.warmup <= 60):
        parser.error("--duration must be in (0, 600] and --warmup in [0, 60]")
    result = asyncio.run(run(args))
    print(report(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False, indent=2)
    intake, tracking = result["intake"], result["tracking"]
    assert isinstance(intake, dict) and isinstance(tracking, dict)
    return 1 if intake["errors"] or tracking["errors"] or not intake["ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
