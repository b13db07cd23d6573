#!/usr/bin/env bash
# Booking throughput with and without walk-ins waiting (issue 12, queue.updated), release build,
# wrk on loopback (scripts/install-deps.sh --with-bench).
#
# While nobody waits, a booking is the plain one-turn commit (one atomic load more before and
# after it). While someone waits, a booking may move an estimate, so it runs under the engine's
# gate with every calendar read and the board computed twice (before and after) in its turn, and
# records `queue.updated` when the board changed. This measures both, ROUNDS times interleaved:
# POST /api/v2/appointments with CONNECTIONS connections, first with an empty line, then with
# WALKINS walk-ins (any barber) checked in; it prints the median requests/s of each and the ratio.
#
# Usage: bench/walk-in-line.sh   (after: swift build -c release --scratch-path .build-release)
# Environment: ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (1), BARBERS (20), WALKINS (5), BIN.
# Check `uptime` before and after: a figure from a busy machine is not a figure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build-release/release}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-1}
BARBERS=${BARBERS:-20}
WALKINS=${WALKINS:-5}
PORT=18093
BASE="http://127.0.0.1:$PORT"
out=$(mktemp -d)
data=$(mktemp -d)

"$BIN/bookedbarber" serve --port $PORT --data-dir "$data" --log-level warning --bcrypt-cost 4 --no-rate-limit \
    --admin-email bench@admin.test --admin-password bench-admin-pass &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data" "$out"' EXIT
for _ in $(seq 100); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.1; done
TOKEN=$(python3 bench/setup-shop.py "$BASE" bench@admin.test bench-admin-pass "$BARBERS")
ADMIN=$(curl -sf -X POST "$BASE/api/v2/auth/login" -H 'content-type: application/json' \
    -d '{"email":"bench@admin.test","password":"bench-admin-pass"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
export TOKEN BARBERS THREADS

queue() {  # check in $WALKINS walk-ins, or (with "leave") take everyone waiting out of line
    if [ "$1" = leave ]; then
        for id in $(curl -sf "$BASE/api/v2/queue" | python3 -c 'import sys,json; print(" ".join(str(e["id"]) for e in json.load(sys.stdin)["entries"]))'); do
            curl -sf -X POST "$BASE/api/v2/queue/$id/leave" -H "authorization: Bearer $ADMIN" >/dev/null
        done
    else
        for index in $(seq "$WALKINS"); do
            curl -sf -X POST "$BASE/api/v2/queue" -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' \
                -d "{\"name\":\"Walk In $index\",\"service_id\":1}" >/dev/null
        done
    fi
}
for round in $(seq "$ROUNDS"); do
    DAY_OFFSET=$((round * 800)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/book.lua "$BASE" >"$out/empty-$round.txt"
    queue join
    DAY_OFFSET=$((round * 800 + 400)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/book.lua "$BASE" >"$out/waiting-$round.txt"
    queue leave
done
python3 - "$out" "$ROUNDS" <<'PY'
import statistics, sys, re
out, rounds = sys.argv[1], int(sys.argv[2])
def rate(name, round):
    text = open(f"{out}/{name}-{round}.txt").read()
    return float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
empty = statistics.median(rate("empty", r) for r in range(1, rounds + 1))
waiting = statistics.median(rate("waiting", r) for r in range(1, rounds + 1))
print("| bookings | requests/s (median) |\n|---|---|")
print(f"| nobody waiting | {empty:.0f} |\n| walk-ins waiting | {waiting:.0f} |\n| ratio | {waiting / empty:.2f} |")
PY
