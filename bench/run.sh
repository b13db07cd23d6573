#!/usr/bin/env bash
# HTTP benchmark of the release build on loopback, with wrk (scripts/install-deps.sh --with-bench).
#
# Starts the release `bookedbarber` server and `reference-server` (Hummingbird answering a constant
# JSON body: the ceiling of this stack on this machine), sets up a shop through the API, then runs
# ROUNDS rounds of: ceiling, slots, booking — interleaved, so noise from the shared machine hits all
# three alike — and prints medians of requests/s and latency percentiles and the ratios to the
# ceiling as a markdown table. Stops both servers (by PID) on exit.
#
# Usage: bench/run.sh            (after: swift build -c release --scratch-path .build-release)
# Environment: ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (2), BARBERS (200), BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build-release/release}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
BARBERS=${BARBERS:-200}
SERVER_PORT=18090
REFERENCE_PORT=18091
out=$(mktemp -d)
data=$(mktemp -d)

# --no-rate-limit: wrk sends everything from one address, far over any per-client budget.
"$BIN/bookedbarber" serve --port $SERVER_PORT --data-dir "$data" --log-level warning --bcrypt-cost 4 --no-rate-limit \
    --admin-email bench@admin.test --admin-password bench-admin-pass &
server=$!
"$BIN/reference-server" --port $REFERENCE_PORT >/dev/null &
reference=$!
trap 'kill $server $reference 2>/dev/null || true; rm -rf "$data"' EXIT

for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$SERVER_PORT/health" >/dev/null && curl -sf "http://127.0.0.1:$REFERENCE_PORT/constant" >/dev/null && break
    sleep 0.1
done
TOKEN=$(python3 bench/setup-shop.py "http://127.0.0.1:$SERVER_PORT" bench@admin.test bench-admin-pass "$BARBERS")
export TOKEN BARBERS THREADS

for round in $(seq "$ROUNDS"); do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$REFERENCE_PORT/constant" >"$out/ceiling-$round.txt"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/slots.lua "http://127.0.0.1:$SERVER_PORT" >"$out/slots-$round.txt"
    DAY_OFFSET=$((round * 200)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/book.lua \
        "http://127.0.0.1:$SERVER_PORT" >"$out/book-$round.txt"
done
rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
python3 bench/summarize.py "$out" "$ROUNDS" "$rss_kib"
