"""Feedback at Tehran's scale: auto-closing answered-out windows, answering surveys, the supervisors'
review queue and the yearly special-case report, on PostgreSQL.

Creates (drops first) the database ``BENCH_FEEDBACK_DB`` (default ``peygir_bench_feedback``) on
``BENCH_PG`` (default postgres://postgres@127.0.0.1:5432), migrates it, seeds the demo organization,
then bulk-inserts ``--cases`` cases over the last Jalali year (bench data only: rows written
directly, as bench/pages_data.py does), of which ``--responded`` are responded more than 7 days ago
(the auto-close backlog), 0.5 % special with stakes, and ``--flagged`` low-score ratings. Prints one
line per measure.

Usage: python bench/feedback.py [--cases 200000] [--responded 2000] [--flagged 20000] [--answers 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_FEEDBACK_DB", "peygir_bench_feedback")
os.environ["DATABASE_URL"] = f"{PG}/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SMS_BACKEND", "console")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--responded", type=int, default=2_000)
    parser.add_argument("--flagged", type=int, default=20_000)
    parser.add_argument("--answers", type=int, default=300)
    args = parser.parse_args()

    fresh_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from peygir.cases.models import Case
    from peygir.cases.survey import survey_token
    from peygir.cases.tracking import damm_digit
    from peygir.catalog.models import Category, MessageType
    from peygir.feedback.models import Rating
    from peygir.feedback.selectors import review_queue
    from peygir.feedback.services import survey_answer, survey_close_unanswered
    from peygir.feedback.specials import period_current, special_report
    from peygir.org.demo import seed_org
    from peygir.org.models import Unit

    seed_org()
    rng = random.Random(137)
    districts = list(Unit.objects.filter(kind=Unit.Kind.DISTRICT))
    categories = list(Category.objects.all())
    request = MessageType.objects.get(code="request")
    now = timezone.now()
    year = period_current("year")

    def code(n: int) -> str:
        body = str(10_000_000 + n)
        return body + str(damm_digit(body))

    started = time.perf_counter()
    rows = []
    span = (now - year.start).total_seconds()
    for n in range(args.cases):
        created = year.start + dt.timedelta(seconds=rng.random() * span)
        district = rng.choice(districts)
        backlog = n < args.responded
        special = rng.random() < 0.005
        rows.append(
            Case(
                tracking_code=code(n),
                message_type=request,
                category=rng.choice(categories),
                channel="web",
                description="زباله‌ها جمع‌آوری نشده است.",
                district=district,
                unit=district,
                contact_phone="09120000000",
                phase="responded" if backlog else "closed",
                resolution="fixed",
                response_text="رفع شد.",
                created_at=created,
                responded_at=(now - dt.timedelta(days=8, seconds=n)) if backlog else created,
                closed_at=None if backlog else created,
                is_special=special,
                financial_stakes=rng.randrange(10**6, 10**11) if special else None,
            )
        )
        if len(rows) == 5_000:
            Case.objects.bulk_create(rows)
            rows = []
    Case.objects.bulk_create(rows)
    # created_at is auto_now_add: put the spread back.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    generated = time.perf_counter() - started
    print(f"data: {args.cases:,} cases in {generated:.1f} s")

    flagged_cases = list(
        Case.objects.filter(phase="closed").values_list("pk", "responded_at")[: args.flagged]
    )
    Rating.objects.bulk_create(
        [
            Rating(
                case_id=pk, response_at=at, score=1, fixed=False, comment="بد", source="survey", flagged=True
            )
            for pk, at in flagged_cases
        ],
        batch_size=5_000,
    )

    tasks = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    with override_settings(TASKS=tasks):
        started = time.perf_counter()
        closed = 0
        while True:
            done = survey_close_unanswered(now=now, batch_size=500)
            closed += done
            if done == 0:
                break
        elapsed = time.perf_counter() - started
        print(f"auto-close: {closed:,} cases in {elapsed:.1f} s = {closed / elapsed:.0f} cases/s")

        # Answers need responded cases inside the window: make some.
        fresh = list(
            Case.objects.filter(phase="closed", is_special=False)[flagged_cases.__len__() :][: args.answers]
        )
        Case.objects.filter(pk__in=[c.pk for c in fresh]).update(
            phase="responded", responded_at=now - dt.timedelta(days=1), closed_at=None
        )
        timings = []
        for case in Case.objects.filter(pk__in=[c.pk for c in fresh]):
            token = survey_token(case)
            t0 = time.perf_counter()
            survey_answer(token=token, score=rng.choice([1, 2, 4, 5]), fixed=rng.random() < 0.6, comment="")
            timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        print(
            f"survey answer: n={len(timings)} p50 {statistics.median(timings):.1f} ms, "
            f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms"
        )

    for label, fn in (
        ("review queue, first page of 30", lambda: list(review_queue(status="pending")[:30])),
        ("review queue, pending count", lambda: review_queue(status="pending").count()),
        ("special report, current year", lambda: special_report(Case.objects.all(), year)),
    ):
        fn()
        runs = []
        for _ in range(10):
            t0 = time.perf_counter()
            fn()
            runs.append((time.perf_counter() - t0) * 1000)
        print(f"{label}: median {statistics.median(runs):.1f} ms over 10 runs")
    print(f"database: {settings.DATABASES['default']['NAME']}")


if __name__ == "__main__":
    main()
