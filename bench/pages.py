"""Server time of the staff kartable and case pages, measured in-process with Django's test Client.

Each request runs the whole Django stack (middleware, sessions, OTP, view, templates) against the
database in DATABASE_URL; only the network is left out. For every page variant: a warm-up, then up
to ``--requests`` timed requests (``time.perf_counter`` around ``client.get``), stopping early after
``--max-seconds``; p50/p95/p99/max and the number of queries of one request are printed.

With ``--gc-freeze`` every variant is requested once first and then ``gc.freeze()`` moves every
object alive (the imported modules, URLconf, templates) out of the collector's reach, as a server
would do once warm before serving: without it a full collection (every ninth kartable request or so
here) walks some 250,000 objects and adds about 150 ms to that request.

Usage: python bench/pages.py [--requests 300] [--warmup 10] [--max-seconds 60] [--only NAME…] [--json FILE]
       [--gc-freeze]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from peygir.cases.models import Case  # noqa: E402
from peygir.core.jalali import format_date  # noqa: E402
from peygir.org.models import Unit  # noqa: E402

TARGET_MS = 150.0


def signed_in(username: str) -> Client:
    """A client signed in as ``username``, past the second factor when the role needs one."""
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def variants() -> list[tuple[str, str, list[str], dict[str, Any]]]:
    """(name, user, urls, headers): a variant cycles through its URLs."""
    today = timezone.localdate()
    month_ago = today - dt.timedelta(days=30)
    date_range = f"created_from={format_date(month_ago)}&created_to={format_date(today)}"
    htmx_counts = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "kartable-counts"}
    htmx_rows = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "kartable-rows"}
    codes = list(
        Case.objects.filter(district__code="district-6", phase__in=Case.OPEN_PHASES)
        .order_by("id")
        .values_list("tracking_code", flat=True)[:50]
    )
    district6 = Unit.objects.get(code="district-6")
    open6 = list(
        Case.objects.filter(
            unit__path__startswith=district6.path, phase__in=Case.OPEN_PHASES, events__isnull=False
        )
        .distinct()
        .order_by("id")
        .values_list("public_id", flat=True)[:300]
    )
    tabs = [
        "open",
        "new",
        "in_progress",
        "awaiting_citizen",
        "overdue",
        "returned",
        "referred_out",
        "responded",
        "closed",
    ]
    out: list[tuple[str, str, list[str], dict[str, Any]]] = [
        ("officer6 kartable (default)", "officer6", ["/staff/"], {})
    ]
    out += [(f"officer6 tab={tab}", "officer6", [f"/staff/?tab={tab}"], {}) for tab in tabs]
    out += [
        ("officer6 category=roads", "officer6", ["/staff/?category=roads"], {}),
        ("officer6 closed, Jalali range (30 days)", "officer6", [f"/staff/?tab=closed&{date_range}"], {}),
        ("officer6 search «چاله»", "officer6", ["/staff/?q=چاله"], {}),
        ("officer6 closed, search «زباله ولیعصر»", "officer6", ["/staff/?tab=closed&q=زباله+ولیعصر"], {}),
        ("officer6 search tracking code", "officer6", [f"/staff/?q={code}" for code in codes], {}),
        ("officer6 sort newest", "officer6", ["/staff/?sort=-created"], {}),
        ("officer6 pages 2–40", "officer6", [f"/staff/?page={n}" for n in range(2, 41)], {}),
        (
            "officer6 closed pages 2–400",
            "officer6",
            [f"/staff/?tab=closed&page={n}" for n in range(2, 401, 7)],
            {},
        ),
        ("officer6 htmx counts", "officer6", ["/staff/"], htmx_counts),
        ("officer6 htmx rows", "officer6", ["/staff/"], htmx_rows),
        ("manager6 kartable (default)", "manager6", ["/staff/"], {}),
        ("supervisor kartable (default)", "supervisor", ["/staff/"], {}),
        ("supervisor tab=closed", "supervisor", ["/staff/?tab=closed"], {}),
        ("supervisor tab=overdue", "supervisor", ["/staff/?tab=overdue"], {}),
        ("supervisor tab=returned", "supervisor", ["/staff/?tab=returned"], {}),
        ("supervisor tab=referred_out", "supervisor", ["/staff/?tab=referred_out"], {}),
        ("supervisor category=roads", "supervisor", ["/staff/?category=roads"], {}),
        ("supervisor closed, Jalali range (30 days)", "supervisor", [f"/staff/?tab=closed&{date_range}"], {}),
        ("supervisor search «چاله»", "supervisor", ["/staff/?q=چاله"], {}),
        ("supervisor pages 2–40", "supervisor", [f"/staff/?page={n}" for n in range(2, 41)], {}),
        ("supervisor htmx counts", "supervisor", ["/staff/"], htmx_counts),
        ("supervisor htmx rows", "supervisor", ["/staff/"], htmx_rows),
        ("case page (officer6, open, district 6)", "officer6", [f"/staff/cases/{pid}/" for pid in open6], {}),
        ("case page (supervisor)", "supervisor", [f"/staff/cases/{pid}/" for pid in open6], {}),
    ]
    return out


def measure(
    client: Client,
    urls: list[str],
    headers: dict[str, Any],
    *,
    requests: int,
    warmup: int,
    max_seconds: float,
) -> tuple[list[float], int]:
    for i in range(warmup):
        response = client.get(urls[i % len(urls)], **headers)
        if response.status_code != 200:
            raise SystemExit(f"{urls[i % len(urls)]}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(urls[0], **headers)
    # Read now: the next request clears the connection's query log.
    query_count = len(queries)
    timings: list[float] = []
    deadline = time.perf_counter() + max_seconds
    for i in range(requests):
        url = urls[i % len(urls)]
        start = time.perf_counter()
        response = client.get(url, **headers)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        if time.perf_counter() > deadline:
            break
    return timings, query_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--max-seconds", type=float, default=60)
    parser.add_argument("--only", nargs="*", default=[], help="substrings of variant names to run")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--gc-freeze", action="store_true", help="warm every page once, then gc.freeze() before timing"
    )
    args = parser.parse_args()
    if settings.DEBUG:
        raise SystemExit("Run with DEBUG=0: debug mode keeps every query and slows every request.")

    print(
        f"{Case.objects.count():,} cases; DEBUG off; {args.requests} requests per variant "
        f"(at most {args.max_seconds:.0f} s), {args.warmup} warm-up",
        flush=True,
    )
    clients: dict[str, Client] = {}
    results: list[dict[str, Any]] = []
    header = f"{'variant':<44} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'queries':>7}"
    print(header)
    print("-" * len(header))
    over = []
    chosen = [v for v in variants() if not args.only or any(part in v[0] for part in args.only)]
    if args.gc_freeze:
        for _name, username, urls, headers in chosen:
            if urls:
                clients.setdefault(username, signed_in(username)).get(urls[0], **headers)
        gc.collect()
        gc.freeze()
        print(f"gc.freeze(): {gc.get_freeze_count():,} objects frozen", flush=True)
    for name, username, urls, headers in chosen:
        if not urls:
            print(f"{name:<44} (no such cases)")
            continue
        client = clients.setdefault(username, signed_in(username))
        timings, queries = measure(
            client, urls, headers, requests=args.requests, warmup=args.warmup, max_seconds=args.max_seconds
        )
        row: dict[str, Any] = {
            "variant": name,
            "n": len(timings),
            "p50": statistics.median(timings),
            "p95": percentile(timings, 95),
            "p99": percentile(timings, 99),
            "max": max(timings),
            "queries": queries,
        }
        results.append(row)
        flag = "  ≥ 150" if row["p95"] >= TARGET_MS else ""
        if flag:
            over.append(name)
        print(
            f"{name:<44} {row['n']:>4} {row['p50']:>7.1f} {row['p95']:>7.1f} {row['p99']:>7.1f}"
            f" {row['max']:>7.1f} {queries:>7}{flag}",
            flush=True,
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"p95 ≥ {TARGET_MS:.0f} ms: {', '.join(over) if over else 'none'}")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
