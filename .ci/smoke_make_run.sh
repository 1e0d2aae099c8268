#!/usr/bin/env bash
# `make run` on embedded defaults, as a newcomer runs it: no DATABASE_URL or REDIS_URL, so SQLite and Celery's
# filesystem broker. Passes when the portal answers /healthz with both parts ok, a demo account signs in to its
# home page, and the worker and beat have started; then everything make run started is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-8765}
log=$(mktemp)
setsid env -u DATABASE_URL -u REDIS_URL PORT="$port" make run >"$log" 2>&1 &
group=$!
# Everything make run started is in the session setsid made (honcho gives its processes groups of their own, so
# the session, not the process group, finds the worker's pool): asked to stop, then killed after 15 s.
stop() {
  pkill -TERM -s "$group" 2>/dev/null || true
  for _ in $(seq 15); do pgrep -s "$group" >/dev/null || return 0; sleep 1; done
  pkill -KILL -s "$group" 2>/dev/null || true
}
fail() { echo "make run smoke: $*"; echo "--- last lines of make run's output:"; tail -40 "$log"; stop; exit 1; }
trap stop EXIT

base="http://127.0.0.1:$port"
for _ in $(seq 240); do
  curl -fsS -m 5 "$base/healthz" -o /dev/null 2>/dev/null && break
  kill -0 "$group" 2>/dev/null || fail "make run stopped before serving"
  sleep 1
done
health=$(curl -fsS -m 10 "$base/healthz") || fail "/healthz did not answer 200"
echo "healthz: $health"
python3 -c 'import json,sys; h=json.loads(sys.argv[1]); sys.exit(0 if h["database"]["ok"] and h["broker"]["ok"] else 1)' \
  "$health" || fail "/healthz reports a part down"

jar=$(mktemp)
curl -fsS -m 10 -c "$jar" "$base/accounts/sign-in/" -o /dev/null || fail "the sign-in page did not load"
token=$(awk '$6 == "csrftoken" {print $7}' "$jar")
home=$(curl -fsS -m 20 -b "$jar" -c "$jar" -L -e "$base/accounts/sign-in/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=practitioner@demo.example" \
  --data-urlencode "password=workforce-demo-2026" "$base/accounts/sign-in/") || fail "signing in failed"
grep -q "Welcome, " <<<"$home" || fail "the demo practitioner did not reach their home page"
echo "sign-in: practitioner@demo.example reached their home page"

for _ in $(seq 60); do
  grep -q "celery@.* ready" "$log" && grep -q "beat: Starting" "$log" && break
  sleep 1
done
grep -q "celery@.* ready" "$log" || fail "the Celery worker did not start"
grep -q "beat: Starting" "$log" || fail "Celery beat did not start"
grep -q "practitioner@demo.example" "$log" || fail "make run did not print the demo logins"
echo "worker and beat started; demo logins printed"
