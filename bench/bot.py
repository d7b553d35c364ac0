"""The messenger bot under load, on PostgreSQL: webhook updates and whole registration conversations.

Creates (drops first) the database ``BENCH_BOT_DB`` (default ``peygir_bench_bot``) on ``BENCH_PG``
(default postgres://postgres@127.0.0.1:5432), migrates it and seeds the demo organization. A local
fake Bot API (the tests' ``FakeBotApi``, on 127.0.0.1) answers ``sendMessage``, so every update's
answers really go over loopback HTTP. Updates are POSTed to the real webhook view through Django's
test ``Client`` (middleware, secret checks, JSON, the conversation, the commit, the answers). Prints
one line per measure: per-update server time p50/p95/p99, queries per update, and conversations/s.

Usage: python bench/bot.py [--conversations 200] [--idle 500] [--poll-batch 100]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_BOT_DB", "peygir_bench_bot")
os.environ["DATABASE_URL"] = f"{PG}/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SMS_BACKEND", "console")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DEBUG"] = "0"

SECRET = "bench-webhook-secret-0123456789"
POINT_6 = (35.72617, 51.40322)


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return f"p50 {q[49] * 1000:.1f} / p95 {q[94] * 1000:.1f} / p99 {q[98] * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--poll-batch", type=int, default=100)
    args = parser.parse_args()

    fresh_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from peygir.catalog.models import Category
    from peygir.intake.channels.bot.client import BotApi
    from peygir.intake.channels.bot.services import bot_poll_once
    from peygir.intake.models import InboundMessage
    from peygir.intake.tests.bot.fake_bot_api import TOKEN, FakeBotApi
    from peygir.org.demo import seed_org

    seed_org()
    fake = FakeBotApi()
    fake.start()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PEYGIR.update(
        {
            "BOT_API_URL": fake.url,
            "BOT_TOKEN": TOKEN,
            "BOT_MODE": "webhook",
            "BOT_WEBHOOK_SECRET": SECRET,
        }
    )
    client = Client()
    url = f"/intake/bot/webhook/{SECRET}/"
    ids = itertools.count(1)
    roads = Category.objects.get(code="roads").name

    def update(chat: int, **body: Any) -> dict[str, Any]:
        n = next(ids)
        return {
            "update_id": n,
            "message": {
                "message_id": n,
                "date": 1767000000,
                "chat": {"id": chat, "type": "private"},
                "from": {"id": chat, "is_bot": False, "first_name": "شهروند"},
                **body,
            },
        }

    def post(payload: dict[str, Any]) -> float:
        started = time.perf_counter()
        response = client.post(
            url,
            data=json.dumps(payload),
            content_type="application/json",
            HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET,
        )
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"webhook answered {response.status_code}: {response.content[:200]!r}")
        return elapsed

    # 1. Menu traffic: /start and free text from many chats (conversation row, inbound row, answer).
    idle = [post(update(10_000 + n % 100, text="/start" if n % 2 else "سلام")) for n in range(args.idle)]
    print(f"idle updates: {len(idle)}, {percentiles(idle)}")

    # 2. Whole registrations: contact, category, description, location, skip photo, confirm.
    per_step: dict[str, list[float]] = {}
    confirm_queries: list[int] = []
    started = time.perf_counter()
    for n in range(args.conversations):
        chat = 500_000 + n
        steps = [
            ("register", {"text": "📝 ثبت پیام تازه"}),
            ("contact", {"contact": {"phone_number": f"98912{n:07d}", "user_id": chat}}),
            ("category", {"text": roads}),
            ("description", {"text": "چاله بزرگ جلوی مدرسه خطرناک است."}),
            ("location", {"location": {"latitude": POINT_6[0], "longitude": POINT_6[1]}}),
            ("photo", {"text": "⏭ رد شدن"}),
        ]
        for name, body in steps:
            per_step.setdefault(name, []).append(post(update(chat, **body)))
        with CaptureQueriesContext(connection) as queries:
            per_step.setdefault("confirm", []).append(post(update(chat, text="✅ تأیید و ثبت")))
        confirm_queries.append(len(queries))
    total = time.perf_counter() - started
    registered = InboundMessage.objects.filter(outcome="registered").count()
    if registered != args.conversations:
        raise SystemExit(f"{registered} of {args.conversations} conversations registered a case")
    print(
        f"conversations: {args.conversations} in {total:.1f} s = {args.conversations / total:.1f}/s (7 updates each)"
    )
    for name, samples in per_step.items():
        print(f"  {name:<12} {percentiles(samples)}")
    print(f"  queries per confirming update: {statistics.median(confirm_queries):.0f}")

    # 3. Long polling: one getUpdates batch handled in order.
    fake.pending = [update(900_000 + n, text="/start") for n in range(args.poll_batch)]
    api = BotApi.from_settings()
    started = time.perf_counter()
    offset = bot_poll_once(api=api, offset=None, timeout=0)
    elapsed = time.perf_counter() - started
    print(
        f"polling: {args.poll_batch} updates in {elapsed:.2f} s = {args.poll_batch / elapsed:.0f}/s (offset {offset})"
    )
    fake.stop()


if __name__ == "__main__":
    main()
