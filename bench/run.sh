#!/usr/bin/env bash
# HTTP benchmark of the release build on loopback, with wrk (scripts/install-deps.sh --with-bench).
#
# Starts the release `bookedbarber` server and two references answering a constant JSON body:
# `reference-server --raw-nio` (bare SwiftNIO) and `reference-server` (Hummingbird), sets up a shop
# through the API, then runs ROUNDS rounds of, interleaved so noise hits every row alike:
#   with CONNECTIONS connections: raw NIO, Hummingbird, GET /health, slots of one barber,
#   GET /api/v2/auth/me, POST /api/v2/appointments (each a new slot);
#   with one connection: raw NIO, Hummingbird, GET /health, POST /api/v2/appointments;
# and prints medians and the ratios to both references as markdown, with the server's own fsync
# P50 (performance dashboard) for the one-connection booking rows. Stops the servers on exit.
#
# Usage: bench/run.sh            (after: swift build -c release --scratch-path .build-release)
# Environment: ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (1), BARBERS (200), BIN.
# Check `uptime` before and after: a figure from a busy machine is not a figure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build-release/release}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-1}
BARBERS=${BARBERS:-200}
SERVER_PORT=18090
HUMMINGBIRD_PORT=18091
NIO_PORT=18092
out=$(mktemp -d)
data=$(mktemp -d)

# --no-rate-limit: wrk sends everything from one address, far over any per-client budget.
"$BIN/bookedbarber" serve --port $SERVER_PORT --data-dir "$data" --log-level warning --bcrypt-cost 4 --no-rate-limit \
    --admin-email bench@admin.test --admin-password bench-admin-pass &
server=$!
"$BIN/reference-server" --port $HUMMINGBIRD_PORT >/dev/null &
hummingbird=$!
"$BIN/reference-server" --raw-nio --port $NIO_PORT >/dev/null &
nio=$!
trap 'kill $server $hummingbird $nio 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT

for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$SERVER_PORT/health" >/dev/null && curl -sf "http://127.0.0.1:$HUMMINGBIRD_PORT/constant" >/dev/null \
        && curl -sf "http://127.0.0.1:$NIO_PORT/constant" >/dev/null && break
    sleep 0.1
done
TOKEN=$(python3 bench/setup-shop.py "http://127.0.0.1:$SERVER_PORT" bench@admin.test bench-admin-pass "$BARBERS")
ADMIN=$(curl -sf -X POST "http://127.0.0.1:$SERVER_PORT/api/v2/auth/login" -H 'content-type: application/json' \
    -d '{"email":"bench@admin.test","password":"bench-admin-pass"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
export TOKEN BARBERS THREADS

load() {  # name connections url [script]
    local name=$1 connections=$2 url=$3 script=${4:-}
    wrk -t"$THREADS" -c"$connections" -d"$DURATION" --latency ${script:+-s "$script"} "$url" >"$out/$name-$round.txt"
}
for round in $(seq "$ROUNDS"); do
    load nio "$CONNECTIONS" "http://127.0.0.1:$NIO_PORT/constant"
    load hummingbird "$CONNECTIONS" "http://127.0.0.1:$HUMMINGBIRD_PORT/constant"
    load health "$CONNECTIONS" "http://127.0.0.1:$SERVER_PORT/health"
    load slots "$CONNECTIONS" "http://127.0.0.1:$SERVER_PORT" bench/slots.lua
    load me "$CONNECTIONS" "http://127.0.0.1:$SERVER_PORT" bench/me.lua
    DAY_OFFSET=$((round * 400)) load book "$CONNECTIONS" "http://127.0.0.1:$SERVER_PORT" bench/book.lua
    load nio1 1 "http://127.0.0.1:$NIO_PORT/constant"
    load hummingbird1 1 "http://127.0.0.1:$HUMMINGBIRD_PORT/constant"
    load health1 1 "http://127.0.0.1:$SERVER_PORT/health"
    DAY_OFFSET=$((round * 400 + 200)) load book1 1 "http://127.0.0.1:$SERVER_PORT" bench/book.lua
    # The last minute's fsync P50 in ms, right after the one-connection bookings.
    curl -sf "http://127.0.0.1:$SERVER_PORT/api/v2/dashboard/performance/current" -H "authorization: Bearer $ADMIN" \
        | python3 -c 'import sys,json; print(json.load(sys.stdin)["fsync"]["p50_ms"])' >"$out/fsync-$round.txt"
done
rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
python3 bench/summarize.py "$out" "$ROUNDS" "$rss_kib"
