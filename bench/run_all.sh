#!/usr/bin/env bash
# Every benchmark in sequence (`make bench`), each on its own throwaway PostgreSQL database, then a summary of
# each one's verdict lines. Needs PostgreSQL and Redis:
#   BENCH_PG=postgres://postgres@127.0.0.1:5432  (databases wf_<name>_bench are created there and emptied)
#   REDIS_URL=redis://127.0.0.1:6379/6           (a Redis database kept for the bench: it is emptied)
#   BENCH_PORT=8250                               (the HTTP benches use this port and the next two)
# One bench failing does not stop the others; the exit status is non-zero if any failed.
set -u
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BENCH_PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/6}
PORT=${BENCH_PORT:-8250}
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"

ensure_db() {  # create the database if it is missing
  "$PY" - "$1" <<'PYTHON'
import sys
from urllib.parse import urlparse

import psycopg2

url = urlparse(sys.argv[1])
name = url.path.lstrip("/")
conn = psycopg2.connect(host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
                        dbname="postgres")
conn.autocommit = True
with conn.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(f'CREATE DATABASE "{name}"')
PYTHON
}

failed=()
run() {  # run NAME SCRIPT ARGS...: one bench on database wf_NAME_bench, output in $OUT/NAME.txt
  local name=$1 script=$2
  shift 2
  local db="$BENCH_PG/wf_${name}_bench"
  echo "=== $name: bench/$script $* ($(uptime | sed 's/.*load average/load average/'))"
  ensure_db "$db"
  DATABASE_URL="$db" "$PY" "bench/$script" "$@" 2>&1 | tee "$OUT/$name.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || failed+=("$name")
}

run p1_rush booking_rush.py --port "$PORT"
run r7_load load_mix.py --port "$((PORT + 2))"
run p2_p5_pages pages.py --http --port "$((PORT + 4))"
run p4_sweep reminder_sweep.py
run p6_import import_staff.py
for script in report_render.py action_plan.py catalogue_pages.py training_compliance.py; do
  [ -f "bench/$script" ] && run "${script%.py}" "$script"
done

echo
echo "=== summary ($(date -u +%F' '%H:%M' UTC'); $(uptime | sed 's/.*load average/load average/'))"
for file in "$OUT"/*.txt; do
  echo "--- $(basename "$file" .txt)"
  grep -E '^(GOAL|RATIO|CHECK|VERDICT|P[0-9]|R7)' "$file" || tail -n 3 "$file"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
