"""Fill the bench database with realistic cases fast: one INSERT … SELECT over generate_series.

Run after ``migrate`` and ``seed_demo`` on the PostgreSQL database named by DATABASE_URL (bench/pages.sh
does all of it). Cases are spread over the 22 districts and their areas and over the last year; all
17 categories and 7 message types; phases by age (most closed, some responded, a few thousand open per
district, the old open ones overdue, half a percent special); deadlines follow from created_at;
tracking codes are unique nine-digit codes with a Damm check digit; search_text is the normalised
description and address, as case_submit writes it. Open cases, a 5 % sample of the rest and every
referred case get 2–4 timeline events. Rows are written in created_at order, as a live table holds
them. The non-unique indexes are dropped during the load and built again afterwards, and the tables
are vacuumed and analysed at the end (as autovacuum leaves a live table).

Usage: python bench/pages_data.py [--cases 1000000] [--seed 137]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from shapely.geometry import shape  # noqa: E402

from peygir.cases.demo import SAMPLES  # noqa: E402
from peygir.catalog.models import MessageType, Priority  # noqa: E402
from peygir.core.geo import h3_cell  # noqa: E402
from peygir.core.text import normalize_for_search  # noqa: E402
from peygir.org.models import Unit  # noqa: E402

STREETS = [
    "خیابان ولیعصر",
    "خیابان انقلاب",
    "خیابان آزادی",
    "خیابان شریعتی",
    "بزرگراه همت",
    "خیابان مطهری",
    "کوچه لاله",
    "خیابان فاطمی",
    "میدان هفت‌تیر",
    "خیابان کارگر",
    "کوچه بهار",
    "خیابان جمهوری",
]

DAMM = """
CREATE FUNCTION pg_temp.damm(body text) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  t int[] := '{{0,3,1,7,5,9,8,6,4,2},{7,0,9,2,1,5,4,8,6,3},{4,2,0,6,8,7,1,3,5,9},
               {1,7,5,0,9,8,3,4,2,6},{6,1,2,3,0,4,5,9,7,8},{3,6,7,4,2,0,9,5,8,1},
               {5,8,6,9,7,2,0,1,3,4},{8,9,4,5,3,6,2,0,1,7},{9,4,3,8,6,1,7,2,0,5},
               {2,5,8,1,4,3,6,7,9,0}}';
  interim int := 0;
BEGIN
  FOR k IN 1..length(body) LOOP
    interim := t[interim + 1][substr(body, k, 1)::int + 1];
  END LOOP;
  RETURN interim;
END $$;
"""

# One row per case: a uniform draw per attribute (r1..r9), then the phase from the case's age.
INSERT_CASES = """
WITH raw AS (
  SELECT g AS n,
         1 + floor(random() * %(districts)s)::int AS d,
         random() AS r_area, random() AS r_cat, random() AS r_type, random() AS r_chan,
         random() AS r_phase, random() AS r_unit, random() AS r_resp, random() AS r_close,
         random() AS r_spec, random() AS r_street, random() AS r_prio,
         -- Rows arrive in time order, as in a live table: the open (recent) ones sit at the end.
         now() - (power((%(count)s - g + random()) / %(count)s, 1.15) * interval '365 days') AS created
  FROM generate_series(1, %(count)s) AS g
), picked AS (
  SELECT raw.*, b.district_id, b.district_name, b.district_norm, b.lat, b.lon, b.h3,
         b.area_ids[1 + floor(r_area * array_length(b.area_ids, 1))::int] AS area_id,
         1 + floor(r_cat * 17)::int AS s,
         1 + floor(r_street * %(streets)s)::int AS st,
         CASE
           WHEN created > now() - interval '30 days' THEN
             CASE WHEN r_phase < 0.15 THEN 'registered' WHEN r_phase < 0.25 THEN 'assigned'
                  WHEN r_phase < 0.55 THEN 'in_progress' WHEN r_phase < 0.60 THEN 'awaiting_citizen'
                  WHEN r_phase < 0.61 THEN 'returned' WHEN r_phase < 0.81 THEN 'responded'
                  ELSE 'closed' END
           ELSE
             CASE WHEN r_phase < 0.010 THEN 'in_progress' WHEN r_phase < 0.015 THEN 'awaiting_citizen'
                  WHEN r_phase < 0.075 THEN 'responded' ELSE 'closed' END
         END AS phase,
         (1 + floor(r_prio * 4)::int) AS prio
  FROM raw JOIN bench_districts b ON b.idx = raw.d
), shaped AS (
  SELECT p.*,
         c.category_id, c.description, c.description_norm,
         CASE WHEN p.r_type < 0.7 THEN c.type_id
              ELSE (%(types)s::bigint[])[1 + floor(p.r_type * 70)::int %% 7] END AS type_id,
         p.created + interval '3 days' * (CASE p.prio WHEN 1 THEN 0.1 WHEN 2 THEN 0.5 ELSE 1 END) AS respond,
         p.created + interval '10 days' * (CASE p.prio WHEN 1 THEN 0.2 WHEN 2 THEN 0.6 ELSE 1 END) AS resolve,
         p.created + interval '1 hour' + interval '4 days' * p.r_resp AS responded
  FROM picked p JOIN bench_samples c ON c.idx = p.s
)
INSERT INTO cases_case (
  public_id, tracking_code, channel, external_id, is_anonymous, contact_name, contact_phone,
  description, search_text, attributes, lat, lon, h3_cell, address, phase, resolution, response_text,
  sla_started_at, respond_by, resolve_by, warn_at, sla_paused_at, warned_at, overdue_at, is_special,
  financial_stakes, responded_at, closed_at, created_at, updated_at, version, objection_count, area_id,
  assignee_id, category_id, citizen_id, district_id, duplicate_of_id, message_type_id, priority_id, service_id,
  unit_id
)
SELECT
  gen_random_uuid(),
  code.body || pg_temp.damm(code.body)::text,
  (ARRAY['phone','phone','phone','web','app','app','sms','bot','open311','staff'])[1 + floor(r_chan * 10)::int],
  '', r_chan < 0.2, CASE WHEN r_chan < 0.2 THEN '' ELSE 'شهروند' END,
  CASE WHEN r_chan < 0.2 THEN '' ELSE '0912' || lpad((n %% 10000000)::text, 7, '0') END,
  description, description_norm || ' ' || district_norm || ' ' || st_norm || ' ' || (n %% 300 + 1)::text,
  '{}'::jsonb,
  lat + (r_area - 0.5) * 0.01, lon + (r_street - 0.5) * 0.01, h3,
  district_name || '، ' || st_name || '، پلاک ' || translate((n %% 300 + 1)::text, '0123456789', '۰۱۲۳۴۵۶۷۸۹'),
  phase,
  CASE WHEN phase IN ('responded', 'closed') THEN
    (ARRAY['fixed','fixed','fixed','answered','answered','not_possible','not_responsible'])[1 + floor(r_resp * 7)::int]
    ELSE '' END,
  CASE WHEN phase IN ('responded', 'closed') THEN 'گروه خدمات شهری اعزام و موضوع رسیدگی شد.' ELSE '' END,
  created, respond, resolve, created + (respond - created) * 0.8,
  CASE WHEN phase = 'awaiting_citizen' THEN created + interval '1 day' END,
  CASE WHEN respond < now() THEN created + (respond - created) * 0.8 END,
  CASE WHEN phase IN ('registered','assigned','in_progress','returned') AND respond < now() THEN respond
       WHEN phase IN ('responded', 'closed') AND responded > respond THEN respond END,
  r_spec < 0.005,
  CASE WHEN r_spec < 0.005 THEN (1000000 * (1 + floor(r_spec * 1e6)))::numeric END,
  CASE WHEN phase IN ('responded', 'closed') THEN responded END,
  CASE WHEN phase = 'closed' THEN responded + interval '7 days' * r_close END,
  created,
  CASE WHEN phase = 'closed' THEN responded + interval '7 days' * r_close
       WHEN phase = 'responded' THEN responded ELSE created END,
  CASE phase WHEN 'registered' THEN 1 WHEN 'assigned' THEN 2 WHEN 'in_progress' THEN 3
             WHEN 'awaiting_citizen' THEN 4 WHEN 'returned' THEN 2 WHEN 'responded' THEN 4 ELSE 5 END,
  0,
  area_id,
  CASE WHEN phase <> 'registered' AND phase <> 'returned' AND d = %(district6_idx)s THEN %(officer6)s END,
  category_id, NULL, district_id, NULL, type_id,
  CASE WHEN prio = 4 THEN NULL ELSE (%(priorities)s::bigint[])[prio] END,
  NULL,
  CASE WHEN phase = 'returned' THEN %(center)s WHEN r_unit < 0.12 THEN area_id ELSE district_id END
FROM shaped
CROSS JOIN LATERAL (SELECT (10000000 + ((n::bigint * 7919 + %(offset)s) %% 90000000))::text AS body) AS code
CROSS JOIN LATERAL (SELECT s2.name AS st_name, s2.norm AS st_norm FROM bench_streets s2 WHERE s2.idx = st) AS street
ORDER BY n
ON CONFLICT DO NOTHING
"""

# Timeline rows: registered, then accepted (or assigned), then responded and closed where the phase
# has got that far; every 50th case was referred in from another district first.
INSERT_EVENTS = """
INSERT INTO cases_caseevent (kind, is_public, from_phase, to_phase, public_note, internal_note, data,
                             created_at, actor_id, case_id, from_unit_id, to_unit_id)
SELECT e.kind, e.is_public, e.from_phase, e.to_phase, e.public_note, '', '{}'::jsonb, e.at,
       NULL, c.id, e.from_unit, e.to_unit
FROM cases_case c
CROSS JOIN LATERAL (VALUES
  ('registered', true, '', 'registered', 'پیام شما ثبت شد.', c.created_at, NULL::bigint, NULL::bigint, true),
  ('referred', false, 'registered', 'registered', '', c.created_at + interval '20 minutes',
     (SELECT district_id FROM bench_districts WHERE idx = 1 + (c.id %% 22)), c.unit_id, c.id %% 50 = 0),
  ('accepted', true, 'registered', 'in_progress', 'کارشناس پیام شما را پذیرفت.',
     c.created_at + interval '1 hour', NULL, NULL, c.phase NOT IN ('registered', 'returned')),
  ('responded', true, 'in_progress', 'responded', c.response_text, coalesce(c.responded_at, c.created_at),
     NULL, NULL, c.phase IN ('responded', 'closed')),
  ('closed', true, 'responded', 'closed', '', coalesce(c.closed_at, c.created_at), NULL, NULL,
     c.phase = 'closed')
) AS e(kind, is_public, from_phase, to_phase, public_note, at, from_unit, to_unit, wanted)
WHERE e.wanted AND c.external_id = '' AND c.id > %(first_id)s
  AND (c.phase IN ('registered','assigned','in_progress','awaiting_citizen','returned')
       OR c.id %% 20 = 0 OR c.id %% 50 = 0)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="total cases wanted in the table")
    parser.add_argument("--seed", type=int, default=137)
    args = parser.parse_args()

    districts = list(Unit.objects.filter(kind=Unit.Kind.DISTRICT).order_by("number"))
    if len(districts) != 22:
        sys.exit("Run seed_demo first: 22 districts are expected.")
    center = Unit.objects.get(kind=Unit.Kind.CENTER)
    from django.contrib.auth import get_user_model

    officer6 = get_user_model().objects.get(username="officer6")
    types = list(MessageType.objects.order_by("id").values_list("id", flat=True))
    priorities = list(Priority.objects.order_by("weight", "id").values_list("id", flat=True))
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("SET work_mem = '64MB'")
        cur.execute("SELECT setseed(%s)", [(args.seed % 1000) / 1000])
        cur.execute(DAMM)
        cur.execute(
            "CREATE TEMP TABLE bench_districts (idx int, district_id bigint, district_name text,"
            " district_norm text, lat float8, lon float8, h3 text, area_ids bigint[])"
        )
        for idx, district in enumerate(districts, start=1):
            point = shape(district.boundary).representative_point()
            area_ids = list(district.children.filter(kind=Unit.Kind.AREA).values_list("id", flat=True))
            cur.execute(
                "INSERT INTO bench_districts VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    idx,
                    district.pk,
                    district.name,
                    normalize_for_search(district.name),
                    point.y,
                    point.x,
                    h3_cell(point.y, point.x) or "",
                    area_ids or [district.pk],
                ],
            )
        cur.execute(
            "CREATE TEMP TABLE bench_samples (idx int, category_id bigint, type_id bigint,"
            " description text, description_norm text)"
        )
        for idx, (category, kind, text) in enumerate(SAMPLES, start=1):
            cur.execute(
                "INSERT INTO bench_samples SELECT %s, c.id, t.id, %s, %s FROM catalog_category c,"
                " catalog_messagetype t WHERE c.code = %s AND t.code = %s",
                [idx, text, normalize_for_search(text), category, kind],
            )
        cur.execute("CREATE TEMP TABLE bench_streets (idx int, name text, norm text)")
        for idx, street in enumerate(STREETS, start=1):
            cur.execute(
                "INSERT INTO bench_streets VALUES (%s, %s, %s)", [idx, street, normalize_for_search(street)]
            )
        cur.execute("SELECT count(*), coalesce(max(id), 0) FROM cases_case")
        existing, first_id = cur.fetchone()
        # Drop the non-unique indexes for the load and build them again after (much faster).
        cur.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            " WHERE x.indrelid = ANY(ARRAY['cases_case'::regclass, 'cases_caseevent'::regclass])"
            " AND NOT x.indisunique AND NOT x.indisprimary"
        )
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        offset = args.seed
        for attempt in range(5):
            wanted = args.cases - existing
            if wanted <= 0:
                break
            cur.execute(
                INSERT_CASES,
                {
                    "count": wanted,
                    "districts": 22,
                    "streets": len(STREETS),
                    "district6_idx": next(i for i, d in enumerate(districts, 1) if d.number == 6),
                    "officer6": officer6.pk,
                    "center": center.pk,
                    "offset": offset + attempt * 104729,
                    "types": types,
                    "priorities": priorities,
                },
            )
            existing += cur.rowcount
        print(f"cases: {existing:,} rows ({time.perf_counter() - started:.0f} s)", flush=True)
        cur.execute(INSERT_EVENTS, {"first_id": first_id})
        print(f"events: {cur.rowcount:,} rows ({time.perf_counter() - started:.0f} s)", flush=True)
        for _name, definition in indexes:
            cur.execute(definition)
        print(f"indexes: {len(indexes)} rebuilt ({time.perf_counter() - started:.0f} s)", flush=True)
        # A live table has been visited by autovacuum: visibility map set, statistics fresh.
        cur.execute("VACUUM (ANALYZE) cases_case")
        cur.execute("VACUUM (ANALYZE) cases_caseevent")
        cur.execute("SELECT phase, count(*) FROM cases_case GROUP BY phase ORDER BY 2 DESC")
        shape_ = ", ".join(f"{phase} {count:,}" for phase, count in cur.fetchall())
        cur.execute(
            "SELECT count(*) FROM cases_case WHERE overdue_at IS NOT NULL AND phase IN"
            " ('registered','assigned','in_progress','awaiting_citizen','returned')"
        )
        overdue = cur.fetchone()[0]
        print(f"phases: {shape_}; open and overdue {overdue:,}")
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
