#!/usr/bin/env bash
# Serving a published notice issue: requests per second under wrk on loopback, against the release
# build with the demo data (第1期, 11 people, one withdrawn). SQLite always; PostgreSQL too when
# CHUQING_TEST_POSTGRES_URL names a server (run under .ci/with-postgres).
#
#   swift build -c release --product chuqing
#   .ci/with-postgres Benchmarks/notice-serving.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
bin=.build/release/chuqing
[ -x "$bin" ] || { echo "build first: swift build -c release --product chuqing" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1; }
work=$(mktemp -d /tmp/chuqing-serving-bench.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

measure() {  # $1 engine label; DATABASE_URL set
  "$bin" migrate >/dev/null
  "$bin" demo load >/dev/null
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  CHUQING_LOG_LEVEL=warning "$bin" serve --port "$port" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  issue=$(curl -fs "http://127.0.0.1:$port/notices" | grep -o '/notices/[0-9a-f-]\{36\}' | head -n 1)
  for path in "$issue" "$issue/print" "$issue.txt" "/notices"; do
    result=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port$path" |
      awk '/Requests\/sec/ {rate = $2} /^ +50%/ {p50 = $2} /^ +99%/ {p99 = $2} END {printf "%s req/s, latency p50 %s, p99 %s", rate, p50, p99}')
    echo "$1 GET $(echo "$path" | sed -E 's/[0-9a-f-]{36}/{id}/'): $result"
  done
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

export DATABASE_URL="sqlite:$work/chuqing.sqlite"
measure SQLite
if [ -n "${CHUQING_TEST_POSTGRES_URL:-}" ]; then
  admin="$CHUQING_TEST_POSTGRES_URL"
  psql "$admin" -qc "DROP DATABASE IF EXISTS chuqing_serving_bench" -qc "CREATE DATABASE chuqing_serving_bench" >/dev/null
  export DATABASE_URL="${admin%/*}/chuqing_serving_bench?sslmode=disable"
  measure PostgreSQL
fi
