"""Evaluation at Tehran's scale: 2.4 million cases over one Jalali year, then the timed pages.

    .venv/bin/python bench/performance_bench.py            # 2,400,000 cases (BENCH_CASES to change)

Drops and recreates the PostgreSQL database ``peygir_bench_perf`` (``BENCH_PG``, default
``postgres://postgres@127.0.0.1:5432``; ``BENCH_DB``), migrates, seeds the demo organization
(22 districts, ~120 areas, personas), then generates on the server side (one COPY of the cases
from numpy arrays, then INSERT … SELECT for events and rollups, so the few shared cores are not
spent in Python):

- cases of Jalali year 1404 with a daily and hourly profile, a realistic mix of districts (by a
  population-like weight), areas, 17 categories, channels (phone first), types and outcomes
  (responded, late, closed, objected, rated, referred);
- their timeline events (registered, referred, overdue, responded, objected, closed);
- the daily, monthly and city-day rollups, summed by SQL the way the consumer sums contributions
  (contributions themselves, the drill-down index, are not generated here).

Then it times, with a warm connection and the pages rendered through Django's test client, the
center's evaluation table for all 22 districts for the year (target < 1 s) and a district's
scorecard for the year (target < 300 ms), each the median of 7 runs after one warm-up, and prints
the data-generation times.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB = os.environ.get("BENCH_DB", "peygir_bench_perf")
N = int(os.environ.get("BENCH_CASES", "2400000"))
os.environ["DATABASE_URL"] = f"{PG}/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")

BOUNDS = (
    30,
    60,
    120,
    240,
    480,
    720,
    1440,
    2160,
    2880,
    4320,
    5760,
    7200,
    10080,
    14400,
    20160,
    30240,
    43200,
    64800,
    129600,
)


def _step(label: str, started: float) -> float:
    now = time.monotonic()
    print(f"  {label:<42} {now - started:7.1f} s", flush=True)
    return now


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


def generate(rng: np.random.Generator) -> dict[str, float]:
    import jdatetime
    from django.db import connection

    from peygir.catalog.models import Category, MessageType
    from peygir.org.models import Unit

    figures: dict[str, float] = {}
    t0 = time.monotonic()
    districts = list(Unit.objects.filter(kind="district").order_by("number").values_list("pk", flat=True))
    areas = {
        d: list(Unit.objects.filter(parent_id=d, kind="area").values_list("pk", flat=True)) for d in districts
    }
    categories = list(Category.objects.order_by("pk").values_list("pk", flat=True))
    types = list(MessageType.objects.order_by("pk").values_list("pk", flat=True))
    start = jdatetime.date(1404, 1, 1).togregorian()
    end = jdatetime.date(1405, 1, 1).togregorian()
    days = (end - start).days
    year_start = np.datetime64(start.isoformat() + "T00:00:00") - np.timedelta64(
        210, "m"
    )  # Tehran = UTC+3:30

    # When: weekdays busier than Fridays, a daytime hourly curve, a few storm days.
    day_weight = rng.gamma(20, 1, days)
    day_weight[rng.choice(days, 6, replace=False)] *= 3.0
    hour_weight = np.array(
        [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 13, 12, 12, 12, 11, 10, 9, 8, 7, 6, 4, 3, 2], float
    )
    day = rng.choice(days, N, p=day_weight / day_weight.sum())
    hour = rng.choice(24, N, p=hour_weight / hour_weight.sum())
    seconds = day.astype(np.int64) * 86400 + hour * 3600 + rng.integers(0, 3600, N)
    seconds.sort()
    created = year_start + seconds.astype("timedelta64[s]")

    d_weight = rng.uniform(0.4, 1.6, len(districts))
    d_index = rng.choice(len(districts), N, p=d_weight / d_weight.sum())
    district = np.array(districts)[d_index]
    area = np.array([rng.choice(areas[d]) if areas[d] else 0 for d in districts])[
        d_index
    ]  # one area per district…
    # …then spread over the district's areas
    area_pick = rng.integers(0, 1 << 30, N)
    area_table = [np.array(areas[d] or [0]) for d in districts]
    area = (
        np.array([area_table[i][area_pick[j] % len(area_table[i])] for j, i in enumerate(d_index)])
        if N <= 200000
        else _areas_fast(d_index, area_table, area_pick)
    )
    to_district = rng.random(N) < 0.25
    unit = np.where(to_district | (area == 0), district, area)
    c_weight = rng.gamma(2, 1, len(categories))
    category = np.array(categories)[rng.choice(len(categories), N, p=c_weight / c_weight.sum())]
    channels = np.array(["phone", "app", "web", "sms", "bot", "open311"])
    channel = channels[rng.choice(6, N, p=[0.55, 0.2, 0.1, 0.08, 0.05, 0.02])]
    mtype = np.array(types)[rng.choice(len(types), N)]

    # Outcomes, in minutes after registration.
    respond_limit = 48 * 60
    first_response = np.maximum(5, rng.lognormal(np.log(20 * 60), 1.1, N)).astype(np.int64)
    responded = rng.random(N) < 0.93
    now_limit = (days * 1440) - (seconds // 60)
    responded &= first_response < now_limit
    late = responded & (first_response > respond_limit)
    overdue = (~responded & (now_limit > respond_limit)) | late
    objected = responded & (rng.random(N) < 0.04)
    final_response = np.where(objected, first_response + rng.integers(600, 6000, N), first_response)
    closed = responded & (rng.random(N) < 0.85)
    referred = rng.random(N) < 0.08
    rated = responded & (rng.random(N) < 0.3)
    score = rng.choice([1, 2, 3, 4, 5], N, p=[0.1, 0.08, 0.17, 0.3, 0.35])
    fixed = rng.random(N) < 0.7
    phase = np.where(closed, "closed", np.where(responded, "responded", "in_progress"))
    t0 = _step("arrays", t0)

    def ts(offset_minutes: np.ndarray) -> np.ndarray:
        return (created + offset_minutes.astype("timedelta64[m]")).astype(str)

    created_s = created.astype(str)
    respond_by = ts(np.full(N, respond_limit))
    resolve_by = ts(np.full(N, 7 * 1440))
    responded_at = np.where(responded, ts(final_response), "\\N")
    closed_at = np.where(closed, ts(final_response + 1440), "\\N")
    overdue_at = np.where(overdue, respond_by, "\\N")
    objected_at = np.where(objected, ts(first_response + 300), "\\N")
    resolution = np.where(responded, "fixed", "")
    columns = (
        "public_id, tracking_code, message_type_id, category_id, channel, external_id, is_anonymous, "
        "contact_name, contact_phone, description, search_text, attributes, h3_cell, address, district_id, "
        "area_id, unit_id, phase, resolution, response_text, sla_started_at, respond_by, resolve_by, overdue_at, "
        "is_special, objected_at, objection_count, responded_at, closed_at, created_at, updated_at, version"
    )
    chunk = 200000
    # Python lists index far faster than numpy arrays element by element.
    (
        mtype,
        category,
        channel,
        district,
        area,
        unit,
        phase,
        resolution,
        created_s,
        respond_by,
        resolve_by,
        overdue_at,
        overdue,
        objected_at,
        objected,
        responded_at,
        responded,
        closed_at,
        closed,
    ) = (
        a.tolist()
        for a in (
            mtype,
            category,
            channel,
            district,
            area,
            unit,
            phase,
            resolution,
            created_s,
            respond_by,
            resolve_by,
            overdue_at,
            overdue,
            objected_at,
            objected,
            responded_at,
            responded,
            closed_at,
            closed,
        )
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor
        # Bulk load without the secondary indexes, then build them once (timed separately).
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('cases_case', 'cases_caseevent') "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        with raw.copy(f"COPY cases_case ({columns}) FROM STDIN") as copy:
            for lo in range(0, N, chunk):
                hi = min(N, lo + chunk)
                buf = io.StringIO()
                for i in range(lo, hi):
                    buf.write(
                        f"{uuid.UUID(int=i + 1)}\tB{i:010d}\t{mtype[i]}\t{category[i]}\t{channel[i]}\t\tt\t\t\t"
                        f"پیام نمونه\t\t{{}}\t\t\t{district[i]}\t{area[i] or chr(92) + 'N'}\t{unit[i]}\t{phase[i]}\t{resolution[i]}\t\t"
                        f"{created_s[i]}+00\t{respond_by[i]}+00\t{resolve_by[i]}+00\t{overdue_at[i]}{'+00' if overdue[i] else ''}\t"
                        f"f\t{objected_at[i]}{'+00' if objected[i] else ''}\t{int(objected[i])}\t"
                        f"{responded_at[i]}{'+00' if responded[i] else ''}\t{closed_at[i]}{'+00' if closed[i] else ''}\t"
                        f"{created_s[i]}+00\t{created_s[i]}+00\t1\n"
                    )
                copy.write(buf.getvalue())
        t0 = _step(f"COPY {N:,} cases", t0)
        figures["cases_s"] = time.monotonic()

        # Keep the per-case outcome flags beside the cases for the SQL below.
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_facts (case_id bigint primary key, first_minutes int, referred bool, rated bool, score int, fixed bool, late bool)"
        )
        ids_start = _first_id(cursor)
        first_list = first_response.tolist()
        referred, rated, score, fixed, late = (a.tolist() for a in (referred, rated, score, fixed, late))
        with raw.copy("COPY bench_facts FROM STDIN") as copy:
            for lo in range(0, N, chunk):
                hi = min(N, lo + chunk)
                buf = io.StringIO()
                for i in range(lo, hi):
                    buf.write(
                        f"{ids_start + i}\t{first_list[i] if responded[i] else chr(92) + 'N'}\t{'t' if referred[i] else 'f'}\t{'t' if rated[i] else 'f'}\t{score[i]}\t{'t' if fixed[i] else 'f'}\t{'t' if late[i] else 'f'}\n"
                    )
                copy.write(buf.getvalue())
        t0 = _step("COPY outcome flags", t0)

        cursor.execute(
            """
            INSERT INTO cases_caseevent (case_id, kind, is_public, from_phase, to_phase, from_unit_id, to_unit_id, public_note, internal_note, data, created_at)
            SELECT id, 'registered', true, '', 'registered', NULL, unit_id, '', '', '{}'::jsonb, created_at FROM cases_case
            UNION ALL
            SELECT c.id, 'referred', true, 'registered', 'registered', c.district_id, c.unit_id, '', '', '{}'::jsonb, c.created_at + interval '20 minutes'
              FROM cases_case c JOIN bench_facts f ON f.case_id = c.id WHERE f.referred
            UNION ALL
            SELECT id, 'overdue', false, '', '', NULL, unit_id, '', '', '{}'::jsonb, overdue_at FROM cases_case WHERE overdue_at IS NOT NULL
            UNION ALL
            SELECT c.id, 'responded', true, 'in_progress', 'responded', NULL, NULL, '', '', '{}'::jsonb, c.created_at + f.first_minutes * interval '1 minute'
              FROM cases_case c JOIN bench_facts f ON f.case_id = c.id WHERE f.first_minutes IS NOT NULL
            UNION ALL
            SELECT id, 'objected', true, 'responded', 'in_progress', NULL, NULL, '', '', '{}'::jsonb, objected_at FROM cases_case WHERE objected_at IS NOT NULL
            UNION ALL
            SELECT id, 'closed', true, 'responded', 'closed', NULL, NULL, '', '', '{}'::jsonb, closed_at FROM cases_case WHERE closed_at IS NOT NULL
            """
        )
        t0 = _step("INSERT … SELECT events", t0)
        cursor.execute("SELECT count(*) FROM cases_caseevent")
        figures["events"] = cursor.fetchone()[0]

        # Jalali month of each local day.
        cursor.execute("CREATE TEMP TABLE bench_jmonth (day date primary key, month int)")
        import datetime as dt

        rows = []
        for offset in range(-2, days + 40):
            g = start + dt.timedelta(days=offset)
            j = jdatetime.date.fromgregorian(date=g)
            rows.append(f"{g.isoformat()}\t{j.year * 100 + j.month}\n")
        with raw.copy("COPY bench_jmonth FROM STDIN") as copy:
            copy.write("".join(rows))
        cursor.execute(_rollup_sql())
        t0 = _step("rollups (daily, monthly, city-day)", t0)
        cursor.execute("DROP TABLE bench_facts")
        for _name, definition in indexes:
            cursor.execute(definition)
        t0 = _step(f"rebuild {len(indexes)} case/event indexes", t0)
        cursor.execute("ANALYZE")
        t0 = _step("ANALYZE", t0)
        for table in ("performance_dailyrollup", "performance_monthlyrollup", "performance_cityday"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            figures[table] = cursor.fetchone()[0]
    return figures


def _areas_fast(d_index: np.ndarray, tables: list[np.ndarray], pick: np.ndarray) -> np.ndarray:
    out = np.zeros(len(d_index), dtype=np.int64)
    for i, table in enumerate(tables):
        mask = d_index == i
        out[mask] = table[pick[mask] % len(table)]
    return out


def _first_id(cursor: object) -> int:
    cursor.execute("SELECT min(id) FROM cases_case")  # type: ignore[attr-defined]
    return int(cursor.fetchone()[0])  # type: ignore[attr-defined]


def _rollup_sql() -> str:
    """One statement: the facts of every case as rows (measure columns), summed per grain."""
    hist = ", ".join(f"count(*) FILTER (WHERE bucket = {i}) AS h{i:02d}" for i in range(len(BOUNDS) + 1))
    hist_cols = ", ".join(f"h{i:02d}" for i in range(len(BOUNDS) + 1))
    hist_sums = ", ".join(f"sum(h{i:02d})" for i in range(len(BOUNDS) + 1))
    bounds = ", ".join(str(b) for b in BOUNDS)
    measures = "registered, responded, responded_on_time, resolved, resolved_on_time, resolution_minutes, overdue, objections, returned, referrals, rating_count, rating_sum, fixed_count"
    sums = ", ".join(f"sum({m})" for m in measures.split(", "))
    local = "((at AT TIME ZONE 'Asia/Tehran')::date)"
    return f"""
    CREATE TEMP TABLE bench_rows AS
    WITH facts AS (
        SELECT c.created_at AS at, c.unit_id, c.district_id, CASE WHEN c.unit_id = c.area_id THEN c.area_id ELSE 0 END AS area_id, c.category_id, c.channel, c.message_type_id,
               1 AS registered, 0 AS responded, 0 AS responded_on_time, 0 AS resolved, 0 AS resolved_on_time, 0::bigint AS resolution_minutes,
               0 AS overdue, 0 AS objections, 0 AS returned, 0 AS referrals, 0 AS rating_count, 0 AS rating_sum, 0 AS fixed_count, -1 AS bucket
          FROM cases_case c
        UNION ALL
        SELECT c.created_at + f.first_minutes * interval '1 minute', c.unit_id, c.district_id, CASE WHEN c.unit_id = c.area_id THEN c.area_id ELSE 0 END, c.category_id, c.channel, c.message_type_id,
               0, 1, (NOT f.late)::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1
          FROM cases_case c JOIN bench_facts f ON f.case_id = c.id WHERE f.first_minutes IS NOT NULL
        UNION ALL
        SELECT c.responded_at, c.unit_id, c.district_id, CASE WHEN c.unit_id = c.area_id THEN c.area_id ELSE 0 END, c.category_id, c.channel, c.message_type_id,
               0, 0, 0, 1, (c.responded_at <= c.resolve_by)::int, (extract(epoch FROM c.responded_at - c.created_at) / 60)::bigint,
               0, 0, 0, 0, 0, 0, 0, width_bucket((extract(epoch FROM c.responded_at - c.created_at) / 60)::numeric, ARRAY[{bounds}]::numeric[])
          FROM cases_case c WHERE c.phase IN ('responded', 'closed') AND c.responded_at IS NOT NULL
        UNION ALL
        SELECT c.overdue_at, c.unit_id, c.district_id, CASE WHEN c.unit_id = c.area_id THEN c.area_id ELSE 0 END, c.category_id, c.channel, c.message_type_id,
               0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, -1 FROM cases_case c WHERE c.overdue_at IS NOT NULL
        UNION ALL
        SELECT c.objected_at, c.unit_id, c.district_id, CASE WHEN c.unit_id = c.area_id THEN c.area_id ELSE 0 END, c.category_id, c.channel, c.message_type_id,
               0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, -1 FROM cases_case c WHERE c.objected_at IS NOT NULL
        UNION ALL
        SELECT c.created_at + interval '20 minutes', c.district_id, c.district_id, 0, c.category_id, c.channel, c.message_type_id,
               0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, -1 FROM cases_case c JOIN bench_facts f ON f.case_id = c.id WHERE f.referred
        UNION ALL
        SELECT c.responded_at + interval '1 day', c.unit_id, c.district_id, CASE WHEN c.unit_id = c.area_id THEN c.area_id ELSE 0 END, c.category_id, c.channel, c.message_type_id,
               0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, f.score, f.fixed::int, -1
          FROM cases_case c JOIN bench_facts f ON f.case_id = c.id WHERE f.rated AND c.responded_at IS NOT NULL
    )
    SELECT {local} AS day, unit_id, district_id, area_id, category_id, channel, message_type_id,
           {", ".join(f"sum({m}) AS {m}" for m in measures.split(", "))}, {hist}
      FROM facts GROUP BY 1, 2, 3, 4, 5, 6, 7;

    INSERT INTO performance_dailyrollup (day, unit_id, district_id, area_id, category_id, channel, message_type_id, {measures}, {hist_cols})
    SELECT day, unit_id, district_id, area_id, category_id, channel, message_type_id, {measures}, {hist_cols} FROM bench_rows;

    INSERT INTO performance_monthlyrollup (month, unit_id, district_id, area_id, category_id, {measures}, {hist_cols})
    SELECT j.month, unit_id, district_id, area_id, category_id, {sums}, {hist_sums}
      FROM bench_rows r JOIN bench_jmonth j ON j.day = r.day GROUP BY 1, 2, 3, 4, 5;

    INSERT INTO performance_cityday (day, {measures}, {hist_cols})
    SELECT day, {sums}, {hist_sums} FROM bench_rows GROUP BY 1;
    DROP TABLE bench_rows;
    """


def time_pages() -> dict[str, float]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from peygir.org.models import Unit
    from peygir.performance.kpis import district_ranking, kpi_for_unit
    from peygir.performance.periods import period_parse

    setup_test_environment()
    supervisor = get_user_model().objects.get(username="supervisor")
    client = Client()
    client.force_login(supervisor)
    device, _ = TOTPDevice.objects.get_or_create(user=supervisor, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    def median_ms(call: object, runs: int = 7) -> float:
        call()  # type: ignore[operator]
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            call()  # type: ignore[operator]
            samples.append((time.perf_counter() - started) * 1000)
        return statistics.median(samples)

    year = period_parse("1404")
    district6 = Unit.objects.get(code="district-6")

    def page(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return {
        "evaluation page, 22 districts, year (ms)": median_ms(
            lambda: page("/staff/performance/?period=1404")
        ),
        "  of which district_ranking() (ms)": median_ms(lambda: district_ranking(year)),
        "district 6 scorecard page, year (ms)": median_ms(
            lambda: page("/staff/performance/units/district-6/?period=1404")
        ),
        "  of which kpi_for_unit() (ms)": median_ms(lambda: kpi_for_unit(unit=district6, period=year)),
        "evaluation page, one month (ms)": median_ms(lambda: page("/staff/performance/?period=1404-07")),
        "live dashboard page (ms)": median_ms(lambda: page("/staff/performance/dashboard/")),
    }


def main() -> None:
    print(f"performance bench: {N:,} cases into {PG}/{DB}", flush=True)
    total = time.monotonic()
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    from peygir.org.demo import seed_org
    from peygir.routing.demo import seed_routing

    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seed_org()
    seed_routing()
    _step("migrate + seed organization", t0)
    t0 = time.monotonic()
    figures = generate(np.random.default_rng(1404))
    generation = time.monotonic() - t0
    print(
        f"data generation: {generation:.1f} s · events {figures['events']:,} · rollup rows: daily "
        f"{figures['performance_dailyrollup']:,}, monthly {figures['performance_monthlyrollup']:,}, "
        f"city-day {figures['performance_cityday']:,}",
        flush=True,
    )
    for label, value in time_pages().items():
        print(f"  {label:<44} {value:8.1f}")
    print(f"total {time.monotonic() - total:.1f} s")


if __name__ == "__main__":
    main()
