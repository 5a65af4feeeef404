#!/usr/bin/env bash
# Issue 17: what an idle scheduler costs. Starts `chuqing serve` on a fresh, migrated database
# with nothing due (the day's daily jobs run in the first seconds), waits SETTLE seconds (15),
# then reads the process's CPU time (utime + stime, /proc/PID/stat) over WINDOW seconds (60).
# SQLite file always; PostgreSQL too with CHUQING_TEST_POSTGRES_URL, e.g.
#   .ci/with-postgres Benchmarks/scheduler-idle.sh
# BIN picks the build (default the debug one `make test` builds).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug/chuqing}
SETTLE=${SETTLE:-15}
WINDOW=${WINDOW:-60}
work=$(mktemp -d /tmp/chuqing-idle.XXXXXX)
trap 'rm -rf "$work"' EXIT
ticks=$(getconf CLK_TCK)

measure() {
  local name=$1 url=$2
  DATABASE_URL=$url "$BIN" migrate >/dev/null
  DATABASE_URL=$url CHUQING_LOG_LEVEL=warning "$BIN" serve --port 0 >"$work/$name.log" 2>&1 &
  local pid=$!
  sleep "$SETTLE"
  local before after
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  sleep "$WINDOW"
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill "$pid"
  wait "$pid" || true
  awk -v n="$name" -v t="$((after - before))" -v hz="$ticks" -v w="$WINDOW" \
    'BEGIN { printf "%s: %d ticks of %d Hz in %d s = %.2f %% of one core\n", n, t, hz, w, t / hz / w * 100 }'
}

measure sqlite "sqlite:$work/idle.sqlite"
if [ -n "${CHUQING_TEST_POSTGRES_URL:-}" ]; then
  measure postgres "${CHUQING_TEST_POSTGRES_URL}?sslmode=disable"
fi
