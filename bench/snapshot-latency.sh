#!/usr/bin/env bash
# Request latency while snapshots are written (issue 3), on a large data dir that already exists.
#
# With the binary format a snapshot of 1,000,000 appointments takes about a second, too short for
# the "during a snapshot" windows of bench/durability.sh (phase 3) to land on one. Here the server
# of a "snapshots" window runs with --snapshot-interval 1, so with the booking trickle of the load
# it writes one snapshot after another for the whole window; the server of a "quiet" window writes
# none. Each window restarts the server from a fresh copy of DATA and runs the paced load of
# bench/durability.sh phase 3: GET slots (bench/slots-paced.lua, wrk -t1 -c8, 5 ms pause per
# connection) and bookings (bench/book-paced.lua, wrk -t1 -c2, 20 ms pause), --fsync everysec.
# Prints, per window, the TAIL figures of both loads and the snapshots written during it.
#
# Usage: bench/snapshot-latency.sh DATA_DIR
#   DATA_DIR: a data dir holding the bench/setup-shop.py shop (admin bench@admin.test, client
#   bench@client.test, 200 barbers), e.g. phase 2's of `RESULTS=dir bench/durability.sh`.
# Environment: ROUNDS (3), WINDOW (15 s), BIN (.build-release/release), PORT (18140).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:?usage: bench/snapshot-latency.sh DATA_DIR}
ROUNDS=${ROUNDS:-3}
WINDOW=${WINDOW:-15}
BIN=${BIN:-.build-release/release}
PORT=${PORT:-18140}
url=http://127.0.0.1:$PORT
work=$(mktemp -d /tmp/bb-snaplat.XXXXXX)
server=""
cleanup() {
    if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# run NAME SNAPSHOT_INTERVAL DAY_OFFSET: one window on a fresh copy of DATA.
run() {
    local name=$1 interval=$2 day=$3
    rm -rf "$work/data" && cp -r "$DATA" "$work/data"
    "$BIN/bookedbarber" serve --port "$PORT" --data-dir "$work/data" --fsync everysec --no-rate-limit --log-level info \
        --snapshot-every 1000000000000 --snapshot-interval "$interval" >"$work/$name.log" 2>&1 &
    server=$!
    until curl -sf "$url/readiness" >/dev/null 2>&1; do
        kill -0 "$server" 2>/dev/null || { echo "server died: $(tail -3 "$work/$name.log")" >&2; exit 1; }
        sleep 0.05
    done
    TOKEN=$(curl -sf -X POST "$url/api/v2/auth/login" -H 'Content-Type: application/json' \
        -d '{"email":"bench@client.test","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    export TOKEN
    local before
    before=$(grep -c 'snapshot written' "$work/$name.log" || true)
    DELAY_MS=5 wrk -t1 -c8 -d"${WINDOW}s" -s bench/slots-paced.lua "$url" >"$work/$name-slots.txt" &
    local slots=$!
    BARBERS=200 THREADS=1 DELAY_MS=20 DAY_OFFSET=$day wrk -t1 -c2 -d"${WINDOW}s" -s bench/book-paced.lua "$url" \
        >"$work/$name-book.txt" &
    local book=$!
    wait "$slots" "$book"
    local written durations
    written=$(( $(grep -c 'snapshot written' "$work/$name.log" || true) - before ))
    durations=$({ grep 'snapshot written' "$work/$name.log" || true; } | sed -E 's/.*duration=([0-9.]+) seconds.*/\1/' | tr '\n' ' ')
    kill -9 "$server"
    wait "$server" 2>/dev/null || true
    server=""
    python3 - "$name" "$work/$name-slots.txt" "$work/$name-book.txt" "$written" "$durations" <<'PY'
import re, sys
name, slots, book, written, durations = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def tail(path):
    m = re.search(r"^TAIL (.*)$", open(path).read(), re.M)
    return {k: int(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
row = []
for path in (slots, book):
    t = tail(path)
    row += ["%.2f" % (t["p50_us"] / 1000), "%.2f" % (t["p99_us"] / 1000), "%.2f" % (t["p999_us"] / 1000),
            "%.2f" % (t["max_us"] / 1000), "%d / %d" % (t["over5ms"], t["requests"])]
spans = " ".join("%.2f" % float(d) for d in durations.split())
print("| %s | %s | %s | %s |" % (name, " | ".join(row), written, spans or "-"))
PY
}

echo "| window | slots P50 ms | P99 | P99.9 | max | over 5 ms / requests | booking P50 ms | P99 | P99.9 | max | over 5 ms / requests | snapshots written | their durations, s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
    run "quiet-$round" 100000000 $((300 + 2 * round))
    run "snapshots-$round" 1 $((301 + 2 * round))
done
