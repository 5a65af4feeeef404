#!/usr/bin/env bash
# The OpenAPI check of `make test` (issue 14, item 10): schemathesis (from PyPI, pinned, in a
# virtual environment under .build/) against `chuqing serve` on a fresh SQLite database with the
# demo data, logged in as the director, a bounded number of examples per operation.
#
# Must be 0 (the run fails otherwise): server errors, responses off their schema, status codes
# or content types or headers the document does not give, a wrong answer to a method a path
# does not serve, requests the schema allows that the server refuses with 400 (the document
# would be looser than the server) and requests it forbids that the server accepts (stricter).
set -euo pipefail
cd "$(dirname "$0")/.."
version=4.32.5
venv=.build/schemathesis-$version
if [ ! -x "$venv/bin/schemathesis" ]; then
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "schemathesis==$version"
fi
work=$(mktemp -d /tmp/chuqing-api-check.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite:$work/api.sqlite"
unset CHUQING_TEST_POSTGRES_URL
bin=.build/debug/chuqing
"$bin" migrate >/dev/null
"$bin" demo load >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CHUQING_LOG_LEVEL=error "$bin" serve --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
login() {
  curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$1-demo-2026\"}" \
    "http://127.0.0.1:$port/api/v1/sessions" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
mkdir -p artifacts
run() {  # $1: label, $2: checks; the rest: extra options (one run: 10 examples an operation, all phases)
  local label=$1 checks=$2
  shift 2
  # logging out would end the token the run uses: that one operation is left out
  "$venv/bin/schemathesis" --config-file .ci/schemathesis.toml run "http://127.0.0.1:$port/api/v1/openapi.yaml" \
    --url "http://127.0.0.1:$port" -H "Authorization: Bearer $(login director)" \
    --exclude-path /api/v1/sessions/current --max-examples 10 --seed 20261201 --no-color \
    --checks "$checks" "$@" >"artifacts/schemathesis-$label.txt" 2>&1
}
status=0
run all not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,unsupported_method,positive_data_acceptance,negative_data_rejection \
  || status=$?
grep -E '^  (❌|✅) [A-Z]|generated|^=+ ' artifacts/schemathesis-all.txt | sed "s/^/api check: /"
if [ "$status" -ne 0 ]; then
  echo "api check: FAILED (artifacts/schemathesis-all.txt)"
else
  echo "api check: passed"
fi
exit "$status"
