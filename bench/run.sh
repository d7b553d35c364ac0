#!/usr/bin/env bash
# Intake and tracking benchmark: a fresh PostgreSQL database with the demo data, gunicorn as in
# production, bench/load.py against it over loopback. See bench/README.md. About two minutes.
#
# Environment: BENCH_PG (server URL, default postgres://postgres@127.0.0.1:5432), BENCH_DB
# (database name, default peygir_bench; dropped and recreated), BENCH_DURATION, BENCH_WARMUP,
# BENCH_INTAKE_CLIENTS, BENCH_TRACK_CLIENTS, BENCH_TRACK_RATE, GUNICORN_WORKERS, GUNICORN_THREADS,
# BENCH_WORKER (1, the default: after (a) and (b) on the server alone, phase (c) with the task worker
# and the scheduler running beside it under `nice`, as a single-machine deployment would; 0: no (c)).
set -euo pipefail
cd "$(dirname "$0")/.."

make --no-print-directory -s install
PY=.venv/bin/python
BENCH_PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
BENCH_DB=${BENCH_DB:-peygir_bench}
[[ $BENCH_DB =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "BENCH_DB must be a plain identifier" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/peygir-bench.XXXXXX")
SERVER_PID=""
WORKER_PIDS=()
cleanup() {
    if [[ ${#WORKER_PIDS[@]} -gt 0 ]]; then
        kill -TERM "${WORKER_PIDS[@]}" 2>/dev/null || true
        wait "${WORKER_PIDS[@]}" 2>/dev/null || true
    fi
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DATABASE_URL="$BENCH_PG/$BENCH_DB"
export DEBUG=0
export SECRET_KEY="bench-$($PY -c 'import secrets; print(secrets.token_urlsafe(40))')"
export ALLOWED_HOSTS=127.0.0.1
export DB_CONN_MAX_AGE=600
export PEYGIR_VAR_DIR="$WORK/var"
export LOG_LEVEL=WARNING
export SMS_BACKEND=console
export DJANGO_SETTINGS_MODULE=config.settings
mkdir -p "$PEYGIR_VAR_DIR/static"

# How fast this machine runs Python right now, to compare runs across machines and days: the best
# of three runs of a fixed loop (lower is faster), and the load average before the bench starts.
$PY - <<'EOF'
import os, time
def loop():
    started = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i * i
    return (time.perf_counter() - started) * 1000
print(f"== machine: CPU reference {min(loop() for _ in range(3)):.0f} ms (2,000,000-step Python loop, "
      f"best of 3), load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs")
EOF
echo "== database $BENCH_DB (fresh)"
$PY - "$BENCH_PG" "$BENCH_DB" <<'EOF'
import sys
import psycopg
server, name = sys.argv[1], sys.argv[2]
with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
EOF
$PY manage.py migrate --noinput -v 0
$PY manage.py createcachetable
$PY manage.py seed_demo
BENCH_WORKER=${BENCH_WORKER:-1}
if [[ $BENCH_WORKER == 1 ]]; then $PY manage.py ensure_classifier; fi

PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "== gunicorn on 127.0.0.1:$PORT (workers ${GUNICORN_WORKERS:-default}, threads ${GUNICORN_THREADS:-default})"
# Spread the load generator's keep-alive connections over every worker (see config/gunicorn.conf.py).
export GUNICORN_WORKERS=${GUNICORN_WORKERS:-3} GUNICORN_THREADS=${GUNICORN_THREADS:-2}
export GUNICORN_WORKER_CONNECTIONS=${GUNICORN_WORKER_CONNECTIONS:-8}
GUNICORN_BIND="127.0.0.1:$PORT" .venv/bin/gunicorn -c config/gunicorn.conf.py config.wsgi &
SERVER_PID=$!
for _ in $(seq 100); do
    if $PY -c "import socket, sys; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "gunicorn exited" >&2; exit 1; }
    sleep 0.2
done
PIDS=$SERVER_PID
# One request through the whole stack before the clock starts.
$PY -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/api/v1/openapi.json', timeout=10).read()"

# One load phase: NAME, where to copy its JSON when BENCH_JSON is set, the seconds measured, then
# extra load.py arguments (--intake-rate for a paced phase). Then the CPU per registration of the
# server, the worker (when it runs) and PostgreSQL during the phase (bench/cpu.py): the figure to
# compare between machines, whatever their speed.
status=0
JSON_BASE=${BENCH_JSON:-}
JSON_BASE=${JSON_BASE%.json}
phase() {
    local name=$1 copy=$2 duration=$3 total
    shift 3
    $PY bench/cpu.py "$PIDS" > "$WORK/cpu-$name.json"
    $PY bench/load.py --port "$PORT" \
        --intake-clients "${BENCH_INTAKE_CLIENTS:-16}" \
        --track-clients "${BENCH_TRACK_CLIENTS:-4}" \
        --track-rate "${BENCH_TRACK_RATE:-50}" \
        --warmup "${BENCH_WARMUP:-5}" \
        --duration "$duration" \
        --json "$WORK/$name.json" "$@" || status=$?
    total=$($PY -c 'import json, sys; print(json.load(open(sys.argv[1]))["registered_total"])' "$WORK/$name.json" 2>/dev/null || echo 0)
    $PY bench/cpu.py "$PIDS" "$WORK/cpu-$name.json" "$total" || true
    if [[ -n ${BENCH_JSON:-} ]]; then cp "$WORK/$name.json" "$copy"; fi
}
OFFERED="${BENCH_INTAKE_RATE:-250} registrations/s offered by ${BENCH_INTAKE_CLIENTS:-16} clients, tracking at ${BENCH_TRACK_RATE:-50}/s, ${BENCH_WARMUP:-5} s warm-up, ${BENCH_DURATION:-40} s measured"

# (a) Capacity: intake clients in a closed loop, as fast as the server answers.
echo "== (a) capacity: ${BENCH_INTAKE_CLIENTS:-16} intake clients in a closed loop, ${BENCH_TRACK_CLIENTS:-4} tracking clients at ${BENCH_TRACK_RATE:-50}/s, ${BENCH_WARMUP:-5} s warm-up, ${BENCH_CAPACITY_DURATION:-20} s measured"
phase a "$JSON_BASE-capacity.json" "${BENCH_CAPACITY_DURATION:-20}"
# (b) Target: 250 registrations/s offered (paced), tracking at 50/s beside it.
echo "== (b) target: $OFFERED"
phase b "${BENCH_JSON:-}" "${BENCH_DURATION:-40}" --intake-rate "${BENCH_INTAKE_RATE:-250}"

# (c) The whole deployment: the task worker and the scheduler (the SMS relay every 2 s, the
# classifier's scan of new cases every 5 s, the SLA scan, rollups…) on the same machine, under
# `nice` so that background work yields to the citizens' requests, and 250/s offered again.
if [[ $BENCH_WORKER == 1 ]]; then
    nice -n 10 $PY manage.py db_worker --interval 1 --no-reload >"$WORK/worker.log" 2>&1 & WORKER_PIDS+=($!)
    nice -n 10 $PY manage.py run_scheduler >"$WORK/scheduler.log" 2>&1 & WORKER_PIDS+=($!)
    PIDS=$(IFS=,; echo "$SERVER_PID,${WORKER_PIDS[*]}")
    # A deployment's worker has long cleared what (a) and (b) left queued, and its scheduler's
    # start-up runs (every periodic task once) are long over: measure the steady state.
    $PY - <<'EOF'
import time
from django import setup
setup()
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from peygir.insights.models import PendingCase
from peygir.notifications.models import Notification
started = time.monotonic()
periodic = {path for path, _seconds in settings.PERIODIC_TASKS}
while time.monotonic() - started < 600:
    seen = set(DBTaskResult.objects.filter(task_path__in=periodic).values_list("task_path", flat=True))
    busy = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
    due = Notification.objects.filter(Q(status="pending", next_attempt_at__lte=timezone.now()) | Q(status="sending"))
    if seen == periodic and not busy and not PendingCase.objects.exists() and not due.exists():
        break
    time.sleep(0.5)
print(f"== task worker and scheduler running; they cleared the backlog of (a) and (b) and their "
      f"start-up runs in {time.monotonic() - started:.1f} s")
EOF
    echo "== (c) whole deployment: task worker and scheduler beside the server, $OFFERED"
    phase c "$JSON_BASE-deployment.json" "${BENCH_DURATION:-40}" --intake-rate "${BENCH_INTAKE_RATE:-250}"
fi
BENCH_WORKER=$BENCH_WORKER $PY - <<'EOF'
import os, time
from django import setup
setup()
from django_tasks_db.models import DBTaskResult
from peygir.audit.models import AuditEntry
from peygir.cases.models import Case
from peygir.insights.models import PendingCase, Prediction
from peygir.notifications.models import Notification

def backlog():
    return DBTaskResult.objects.ready().count(), PendingCase.objects.count()

tasks, pending = backlog()
print(f"== backlog when the load stopped: {tasks} tasks waiting, {pending} cases waiting for the classifier")
if os.environ["BENCH_WORKER"] == "1" and (tasks or pending):
    started = time.monotonic()
    while (tasks or pending) and time.monotonic() - started < 300:
        time.sleep(0.5)
        tasks, pending = backlog()
    state = "drained" if not (tasks or pending) else f"not drained ({tasks} tasks, {pending} cases left)"
    print(f"== backlog {state} after {time.monotonic() - started:.1f} s")
print(f"== rows: {Case.objects.count()} cases, {AuditEntry.objects.count()} audit entries, "
      f"{Notification.objects.count()} notifications, {Prediction.objects.count()} classifications, "
      f"{DBTaskResult.objects.count()} task rows")
EOF
$PY manage.py verify_audit || status=1
exit $status
