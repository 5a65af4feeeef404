#!/usr/bin/env bash
# Leads under load (issue 6): wrk with N connections (default 200) sending leads for S seconds
# (default 60) against the release build on a throwaway PostgreSQL, with the demo data: the 高兴镇
# liaison, the 12 debtors of their township in the open batch, and D more debtors (default 200)
# that the demo judge assigns to 高兴镇 first, so the leads spread as a county's would (D=0: every
# lead on 12 debtors, the worst case for the per-debtor lock). Every tenth request is a retry of
# the one before it. Afterwards the database is checked: every lead acknowledged (201, or 200 for
# a retry) is stored, each once; no retry made a second lead; no debtor's queue has two leads in
# one place or a gap.
#
#   swift build -c release --product chuqing
#   .ci/with-postgres Benchmarks/lead-load.sh [seconds] [connections] [extra debtors]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
connections=${2:-200}
extra=${3:-200}
bin=.build/release/chuqing
[ -x "$bin" ] || { echo "build first: swift build -c release --product chuqing" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1; }
[ -n "${CHUQING_TEST_POSTGRES_URL:-}" ] || { echo "run under .ci/with-postgres" >&2; exit 1; }
work=$(mktemp -d /tmp/chuqing-lead-load.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

admin="$CHUQING_TEST_POSTGRES_URL"
psql "$admin" -qc "DROP DATABASE IF EXISTS chuqing_lead_load" -qc "CREATE DATABASE chuqing_lead_load" >/dev/null
database="${admin%/*}/chuqing_lead_load"
export DATABASE_URL="$database?sslmode=disable"
"$bin" migrate >/dev/null
"$bin" demo load >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CHUQING_LOG_LEVEL=warning "$bin" serve --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
token=$(curl -fs -H 'Content-Type: application/json' -d '{"username":"liaison","password":"liaison-demo-2026"}' \
  "http://127.0.0.1:$port/api/v1/sessions" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
director=$(curl -fs -H 'Content-Type: application/json' -d '{"username":"director","password":"director-demo-2026"}' \
  "http://127.0.0.1:$port/api/v1/sessions" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
for id in $(psql "$database" -Atc "SELECT id FROM debtors WHERE township_code <> '360732-05' ORDER BY id LIMIT $extra"); do
  curl -fs -o /dev/null -H "Authorization: Bearer $director" -H 'Content-Type: application/json' -d '{"township":"360732-05"}' \
    "http://127.0.0.1:$port/api/v1/debtors/$id/assignments"
done
debtors=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/liaison/debtors" |
  python3 -c 'import json, sys; print(",".join(d["id"] for d in json.load(sys.stdin)["items"]))')
echo "PostgreSQL, ${connections} connections, ${seconds} s, $(echo "$debtors" | tr ',' '\n' | wc -l) debtors, one liaison"
output=$(LOAD_TOKEN="$token" LOAD_DEBTORS="$debtors" LOAD_OUT="$work" wrk -t2 -c"$connections" -d"${seconds}s" --timeout 30s \
  -s Benchmarks/lead-load.lua "http://127.0.0.1:$port")
echo "$output" | grep -v '^CREATED='
created=$(echo "$output" | sed -n 's/^CREATED=//p')
sleep 2  # requests still in flight when wrk stopped finish (their answers are not counted)
kill "$server"; wait "$server" 2>/dev/null || true; server=""

cat "$work"/acknowledged-* | awk '{print $2}' | sort -u > "$work/acknowledged"
psql "$database" -Atc "SELECT id FROM leads WHERE idempotency_key LIKE 'load-%'" | sort > "$work/stored"
missing=$(comm -23 "$work/acknowledged" "$work/stored" | wc -l)
twice=$(awk '$1 == 201 {print $2}' "$work"/acknowledged-* | sort | uniq -d | wc -l)
stored=$(psql "$database" -Atc "SELECT COUNT(*) FROM leads WHERE idempotency_key LIKE 'load-%'")
keys=$(psql "$database" -Atc "SELECT COUNT(DISTINCT idempotency_key) FROM leads WHERE idempotency_key LIKE 'load-%'")
shared=$(psql "$database" -Atc "SELECT COUNT(*) FROM (SELECT debtor_id, position FROM leads GROUP BY debtor_id, position HAVING COUNT(*) > 1) s")
gaps=$(psql "$database" -Atc "SELECT COUNT(*) FROM (SELECT debtor_id FROM leads GROUP BY debtor_id HAVING MAX(position) <> COUNT(*)) s")
unanswered=$((stored - created))
echo "database: $stored leads stored under $keys keys; acknowledged but not stored: $missing; acknowledged 201 twice: $twice;" \
  "places shared: $shared; debtors with a gap: $gaps; stored but unanswered when wrk stopped: $unanswered (at most $connections in flight)"
if [ "$missing" = 0 ] && [ "$twice" = 0 ] && [ "$keys" = "$stored" ] && [ "$shared" = 0 ] && [ "$gaps" = 0 ] \
   && [ "$unanswered" -ge 0 ] && [ "$unanswered" -le "$connections" ]; then
  echo "every acknowledged lead is stored exactly once"
else
  echo "MISMATCH" >&2
  exit 1
fi
