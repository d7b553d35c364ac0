#!/usr/bin/env bash
# Staff pages benchmark: a fresh PostgreSQL database with the demo data and 1,000,000 generated
# cases (bench/pages_data.py), then the kartable and case pages timed in-process (bench/pages.py).
# See bench/README.md, "Staff pages with 1,000,000 cases". About 10 minutes on 2 cores.
#
# Environment: BENCH_PG (server URL, default postgres://postgres@127.0.0.1:5432), BENCH_PAGES_DB
# (database name, default peygir_pages; dropped and recreated), BENCH_CASES (default 1000000),
# BENCH_REUSE=1 (keep an existing database and skip the load), BENCH_REQUESTS, BENCH_MAX_SECONDS,
# BENCH_JSON. Extra arguments go to bench/pages.py (--only NAME…, --gc-freeze: warm every page, then
# gc.freeze() before timing, as a preloaded server should; see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

make --no-print-directory -s install
PY=.venv/bin/python
BENCH_PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
BENCH_PAGES_DB=${BENCH_PAGES_DB:-peygir_pages}
[[ $BENCH_PAGES_DB =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "BENCH_PAGES_DB must be a plain identifier" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/peygir-pages.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

export DATABASE_URL="$BENCH_PG/$BENCH_PAGES_DB"
export DEBUG=0
export SECRET_KEY="bench-$($PY -c 'import secrets; print(secrets.token_urlsafe(40))')"
export ALLOWED_HOSTS=testserver
export DB_CONN_MAX_AGE=600
export PEYGIR_VAR_DIR="$WORK/var"
export LOG_LEVEL=WARNING
export SMS_BACKEND=console
export DJANGO_SETTINGS_MODULE=config.settings
mkdir -p "$PEYGIR_VAR_DIR/static"

if [[ ${BENCH_REUSE:-0} != 1 ]]; then
    echo "== database $BENCH_PAGES_DB (fresh)"
    $PY - "$BENCH_PG" "$BENCH_PAGES_DB" <<'PYEOF'
import sys
import psycopg
server, name = sys.argv[1], sys.argv[2]
with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
PYEOF
    $PY manage.py migrate --noinput -v 0
    $PY manage.py createcachetable
    $PY manage.py seed_demo
    echo "== ${BENCH_CASES:-1000000} cases"
    $PY bench/pages_data.py --cases "${BENCH_CASES:-1000000}"
else
    echo "== database $BENCH_PAGES_DB (reused)"
    $PY manage.py migrate --noinput -v 0
fi

echo "== staff pages, in-process (server time)"
$PY bench/pages.py --requests "${BENCH_REQUESTS:-300}" --max-seconds "${BENCH_MAX_SECONDS:-60}" \
    ${BENCH_JSON:+--json "$BENCH_JSON"} "$@"
