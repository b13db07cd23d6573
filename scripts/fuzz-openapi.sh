#!/usr/bin/env bash
# Fuzzes a running debug server with schemathesis against its own OpenAPI document
# (GET /openapi.json). Passes when schemathesis finds no 5xx answer and no answer that breaks
# the document (status code, content type, headers, body schema).
#
#   scripts/fuzz-openapi.sh                  # build, start a server on a free port, fuzz, stop it
#
# Environment:
#   MAX_EXAMPLES=100       test cases per operation and phase (schemathesis --max-examples)
#   PHASES=examples,coverage,fuzzing,stateful
#   WORKERS=1              concurrent schemathesis workers (more than one trips a CPython 3.11.7 bug
#                          in hypothesis: "SystemError: AST constructor recursion depth mismatch")
#   CHECKS=...             schemathesis --checks (default: 5xx, status code, content type, headers, body schema)
#   SEED=                  schemathesis --seed, for a reproducible run
#   SKIP_BUILD=1           use the existing .build/debug/bookedbarber
#   EXTRA_SERVER_ARGS=     more `bookedbarber serve` flags (the server runs with --no-rate-limit:
#                          a fuzzer from one address would otherwise mostly see 429)
#   KEEP_TMP=1             keep the temporary directory (server log, data dir, reports)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
MAX_EXAMPLES=${MAX_EXAMPLES:-100}
PHASES=${PHASES:-examples,coverage,fuzzing,stateful}
WORKERS=${WORKERS:-1}
ADMIN_EMAIL=admin@fuzz.test
ADMIN_PASSWORD=fuzz-admin-password
CHECKS=${CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance}

if ! command -v schemathesis >/dev/null 2>&1; then
    echo "== installing schemathesis"
    python3 -m pip install --quiet schemathesis
fi
echo "== $(schemathesis --version)"

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
    echo "== swift build (debug)"
    swift build --product bookedbarber
fi
BIN=$ROOT/.build/debug/bookedbarber
[[ -x "$BIN" ]] || { echo "no $BIN; build first" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/bookedbarber-fuzz.XXXXXX")
SERVER_PID=
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ "${KEEP_TMP:-}" == 1 ]]; then echo "== kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
echo "== starting $BIN on $BASE (log: $TMP/server.log)"
# shellcheck disable=SC2086
"$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$TMP/data" --bcrypt-cost 4 --no-rate-limit \
    --admin-email "$ADMIN_EMAIL" --admin-password "$ADMIN_PASSWORD" ${EXTRA_SERVER_ARGS:-} >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 300); do
    curl -fsS "$BASE/readiness" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server exited:" >&2; cat "$TMP/server.log" >&2; exit 1; }
    sleep 0.2
done
curl -fsS "$BASE/readiness" >/dev/null || { echo "the server never became ready" >&2; cat "$TMP/server.log" >&2; exit 1; }

# api METHOD PATH [TOKEN] [JSON]: prints the body, fails unless 2xx.
api() {
    local method=$1 path=$2 token=${3:-} body=${4:-}
    local args=(-sS -X "$method" -H 'Content-Type: application/json' -w '\n%{http_code}')
    [[ -n "$token" ]] && args+=(-H "Authorization: Bearer $token")
    [[ -n "$body" ]] && args+=(--data "$body")
    local out status
    out=$(curl "${args[@]}" "$BASE$path")
    status=${out##*$'\n'}
    out=${out%$'\n'*}
    if [[ "$status" != 2* ]]; then echo "setup: $method $path -> $status $out" >&2; return 1; fi
    printf '%s' "$out"
}
field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

echo "== setting up a shop through the API"
TOKEN=$(api POST /api/v2/auth/login "" "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | field token)
api PATCH /api/v2/shop "$TOKEN" '{"name":"Fuzz Cuts","time_zone":"America/New_York","max_advance_days":3660}' >/dev/null
WEEK=$(python3 -c 'import json; print(json.dumps({d: [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}] for d in ["monday","tuesday","wednesday","thursday","friday","saturday","sunday"]}))')
BARBER=$(api POST /api/v2/barbers "$TOKEN" '{"name":"Sam","email":"sam@fuzz.test","password":"barber-password"}' | field id)
api PUT "/api/v2/barbers/$BARBER/schedule" "$TOKEN" "{\"weekly\":$WEEK,\"buffer_minutes\":5}" >/dev/null
SECOND=$(api POST /api/v2/barbers "$TOKEN" '{"name":"Alex"}' | field id)
api PUT "/api/v2/barbers/$SECOND/schedule" "$TOKEN" "{\"weekly\":$WEEK}" >/dev/null
SERVICE=$(api POST /api/v2/services "$TOKEN" '{"name":"Haircut","duration_minutes":30,"price_cents":2500}' | field id)
api POST /api/v2/services "$TOKEN" "{\"name\":\"Beard trim\",\"duration_minutes\":15,\"price_cents\":1200,\"barber_ids\":[$BARBER]}" >/dev/null
CLIENT=$(api POST /api/v2/auth/register "" '{"email":"client@fuzz.test","password":"client-password","name":"Casey","phone":"555-0100"}' \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["user"]["id"])')
DAY=$(python3 -c 'import datetime; print(datetime.date.today() + datetime.timedelta(days=3))')
NEXT=$(python3 -c 'import datetime; print(datetime.date.today() + datetime.timedelta(days=4))')
api POST "/api/v2/barbers/$SECOND/time-off" "$TOKEN" "{\"start\":\"${NEXT}T12:00:00Z\",\"end\":\"${NEXT}T18:00:00Z\",\"reason\":\"dentist\"}" >/dev/null
START=$(api GET "/api/v2/appointments/slots?service_id=$SERVICE&date=$DAY&barber_id=$BARBER" | python3 -c 'import json, sys; print(json.load(sys.stdin)["slots"][0]["start"])')
api POST /api/v2/appointments "$TOKEN" "{\"barber_id\":$BARBER,\"service_id\":$SERVICE,\"start\":\"$START\",\"client_id\":$CLIENT,\"notes\":\"first visit\"}" >/dev/null
echo "   barbers $BARBER and $SECOND, service $SERVICE, client $CLIENT, one appointment at $START"

echo "== schemathesis run $BASE/openapi.json (checks: $CHECKS; phases: $PHASES; max examples: $MAX_EXAMPLES)"
set +e
(
    cd "$TMP"
    schemathesis run "$BASE/openapi.json" \
        --header "Authorization: Bearer $TOKEN" \
        --checks "$CHECKS" \
        --phases "$PHASES" \
        --max-examples "$MAX_EXAMPLES" \
        --workers "$WORKERS" \
        --request-timeout 10 \
        --generation-database none \
        --suppress-health-check too_slow,filter_too_much \
        --continue-on-failure \
        --no-color \
        --report junit --report-dir "$TMP/report" \
        ${SEED:+--seed "$SEED"}
)
STATUS=$?
set -e

echo "== server log: unhandled errors"
if grep -E "unhandled error|Fatal error" "$TMP/server.log"; then [[ $STATUS -ne 0 ]] || STATUS=1; else echo "   none"; fi
kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server died during the run" >&2; tail -30 "$TMP/server.log" >&2; STATUS=1; }

if [[ $STATUS -eq 0 ]]; then echo "== fuzz-openapi: PASS"; else echo "== fuzz-openapi: FAIL (schemathesis exit $STATUS)"; fi
exit "$STATUS"
