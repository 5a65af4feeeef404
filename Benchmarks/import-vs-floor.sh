#!/usr/bin/env bash
# Import N generated cases with `chuqing import cases` (release build) and compare, in the same
# run, with the floor: loading the same CSV into one plain staging table (`sqlite3 .import`,
# `psql \copy`), with no validation and no normalising. PostgreSQL is measured when
# CHUQING_TEST_POSTGRES_URL names a server (run under .ci/with-postgres).
#
#   swift build -c release --product chuqing
#   .ci/with-postgres Benchmarks/import-vs-floor.sh 100000
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
bin=.build/release/chuqing
[ -x "$bin" ] || { echo "build first: swift build -c release --product chuqing" >&2; exit 1; }
work=$(mktemp -d /tmp/chuqing-import-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
ms() { date +%s%3N; }
"$bin" demo export --count "$rows" --seed 1 "$work/export.csv" >/dev/null
columns=$(head -n 1 "$work/export.csv" | tr -d '\r' | sed 's/"//g' | awk -F, '{for (i = 1; i <= NF; i++) printf "%sc%d TEXT", (i > 1 ? ", " : ""), i}')

echo "rows: $rows ($(du -h "$work/export.csv" | cut -f1) CSV)"
# SQLite
export DATABASE_URL="sqlite:$work/chuqing.sqlite"
"$bin" migrate >/dev/null
start=$(ms); "$bin" import cases "$work/export.csv" >/dev/null; chuqing_ms=$(( $(ms) - start ))
sqlite3 "$work/floor.sqlite" "CREATE TABLE staging ($columns)"
start=$(ms); sqlite3 "$work/floor.sqlite" ".import --csv --skip 1 $work/export.csv staging"; floor_ms=$(( $(ms) - start ))
echo "SQLite: chuqing import ${chuqing_ms} ms, sqlite3 .import ${floor_ms} ms, ratio $(awk "BEGIN {printf \"%.1f\", $chuqing_ms / $floor_ms}")"

if [ -n "${CHUQING_TEST_POSTGRES_URL:-}" ]; then
  admin="$CHUQING_TEST_POSTGRES_URL"
  base="${admin%/*}"
  psql -q "$admin" -c "DROP DATABASE IF EXISTS chuqing_import_bench" -c "CREATE DATABASE chuqing_import_bench" -c "DROP DATABASE IF EXISTS chuqing_floor_bench" -c "CREATE DATABASE chuqing_floor_bench"
  export DATABASE_URL="$base/chuqing_import_bench?sslmode=disable"
  "$bin" migrate >/dev/null
  start=$(ms); "$bin" import cases "$work/export.csv" >/dev/null; chuqing_ms=$(( $(ms) - start ))
  psql -q "$base/chuqing_floor_bench" -c "CREATE TABLE staging ($columns)"
  start=$(ms); psql -q "$base/chuqing_floor_bench" -c "\\copy staging FROM '$work/export.csv' WITH (FORMAT csv, HEADER true)"; floor_ms=$(( $(ms) - start ))
  echo "PostgreSQL: chuqing import ${chuqing_ms} ms, psql \\copy ${floor_ms} ms, ratio $(awk "BEGIN {printf \"%.1f\", $chuqing_ms / $floor_ms}")"
fi
