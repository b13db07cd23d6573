#!/usr/bin/env bash
# Smoke run of the load test: 500 users for 10 s straight to a BookedBarber server (no proxy),
# asserting only the verifications (the exit status), not timings. `swift test` runs the same
# against the debug build (LoadSmokeTests).
#
# Usage: LoadTests/smoke.sh
# Environment: SERVER_BIN (default: .build-release/release/bookedbarber, else .build/debug/bookedbarber,
#   relative to the repository), LOADTEST (a built loadtest binary; default: build the release one), USERS (500), DURATION (10), RATE (1000), PORT (18180).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
USERS=${USERS:-500}
DURATION=${DURATION:-10}
RATE=${RATE:-1000}
PORT=${PORT:-18180}
if [[ -z "${SERVER_BIN:-}" ]]; then
    for candidate in "$repo/.build-release/release/bookedbarber" "$repo/.build/debug/bookedbarber"; do
        [[ -x "$candidate" ]] && SERVER_BIN=$candidate && break
    done
fi
[[ -x "${SERVER_BIN:-}" ]] || { echo "no bookedbarber binary; build the server first (swift build -c release --scratch-path .build-release)" >&2; exit 2; }

if [[ -z "${LOADTEST:-}" ]]; then
    (cd "$repo" && swift build -c release --scratch-path .build-release --product loadtest >&2)
    LOADTEST="$repo/.build-release/release/loadtest"
fi

data=$(mktemp -d)
server=""
cleanup() {
    [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    rm -rf "$data"
}
trap cleanup EXIT
# --no-rate-limit: 500 users from one address would be one client over its budget.
"$SERVER_BIN" serve --port "$PORT" --data-dir "$data" --fsync always --bcrypt-cost 4 --no-rate-limit \
    --admin-email smoke@admin.test --admin-password smoke-admin-pass --log-level warning &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/readiness" >/dev/null && break; sleep 0.1; done

"$LOADTEST" --target "http://127.0.0.1:$PORT" --users "$USERS" --rate "$RATE" --duration "$DURATION" \
    --setup --verify --admin-email smoke@admin.test --admin-password smoke-admin-pass --seed 7 && status=0 || status=$?
echo "smoke: verification exit status $status"
exit $status
