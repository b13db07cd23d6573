#!/usr/bin/env bash
# Analytics benchmark (issue 10), release builds of this branch (BIN) and of the code before the
# aggregates (BASE_BIN, e.g. main at the merge base), on one machine in one run:
#
#   1. Booking throughput: POST /api/v2/appointments with wrk -t2 -c64 for DURATION (bench/book.lua,
#      --fsync off, 200 barbers), ROUNDS rounds, BASE_BIN and BIN alternately on fresh data dirs.
#   2. A data dir of BULK (1,000,000) appointments booked through the API by BASE_BIN (its log
#      then holds no record this branch added, so both builds read it), stopped with SIGTERM (which
#      writes a snapshot). Recovery time (start to /readiness) and memory (VmRSS once ready, VmHWM)
#      of both builds, from snapshot + log and from the log alone, ROUNDS rounds each.
#   3. Summary time at SMALL (10,000) and BULK appointments, BIN, over the same barbers and days (the
#      small shop has one appointment per barber and day: 200 barbers x 50 days, the 1,000,000 fill 52
#      days), so the two differ in appointments, not in what the summary reports: SAMPLES requests one after another
#      of a 90-day and of a 366-day summary (admin, the whole shop). Per batch: median and P99 of the
#      round trip on loopback (a persistent connection; an upper bound of the server's time), and
#      the server's own P50/P99 of the route from /api/v2/dashboard/performance/current (its window
#      is the last minute, so the script waits WINDOW_WAIT seconds between batches).
#
# Run it only on a quiet machine (load average under 1.0); it says so when it is not.
# Usage: swift build -c release --scratch-path .build-release
#        git worktree add /tmp/bb-base "$(git merge-base HEAD main)" && \
#          (cd /tmp/bb-base && swift build -c release --scratch-path .build-release)
#        BASE_BIN=/tmp/bb-base/.build-release/release bench/analytics.sh
# Environment: BIN (.build-release/release), BASE_BIN (required), ROUNDS (3), DURATION (10s),
#   BULK (1000000), SMALL (10000), SAMPLES (300), WINDOW_WAIT (75), BASE_PORT (18150).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build-release/release}
BASE_BIN=${BASE_BIN:?set BASE_BIN to a release build of the code before the aggregates}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
BULK=${BULK:-1000000}
SMALL=${SMALL:-10000}
SAMPLES=${SAMPLES:-300}
WINDOW_WAIT=${WINDOW_WAIT:-75}
PORT=${BASE_PORT:-18150}
BARBERS=200
export BARBERS
ADMIN=(--admin-email bench@admin.test --admin-password bench-admin-pass)
NO_SNAPSHOTS=(--snapshot-every 1000000000000 --snapshot-interval 100000000)
url=http://127.0.0.1:$PORT
work=$(mktemp -d /tmp/bb-analytics.XXXXXX)
server=""
cleanup() {
    if [[ -n $server ]]; then kill -9 "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
log() { echo "[$(date -u +%T)] $*" >&2; }

load=$(cut -d' ' -f1 /proc/loadavg)
echo "date: $(date -u +%FT%TZ); commit $(git rev-parse --short HEAD); $(nproc) cpus; load average at start: $load"
python3 -c "import sys; sys.exit(0 if float('$load') < 1.0 else 1)" || echo "WARNING: the machine is not quiet (load $load): figures are not comparable"

# start BIN_DIR DATA_DIR FLAGS... : starts a server and waits for /readiness; sets `server` and
# `ready_seconds` (seconds from start to ready). Not in a subshell: `server` must stay set.
start() {
    local bin=$1 dir=$2
    shift 2
    mkdir -p "$dir"
    local began
    began=$(date +%s.%N)
    "$bin/bookedbarber" serve --port "$PORT" --data-dir "$dir" --bcrypt-cost 4 --no-rate-limit --fsync off "${ADMIN[@]}" "$@" \
        >>"$work/server.log" 2>&1 &
    server=$!
    until curl -sf "$url/readiness" >/dev/null 2>&1; do
        kill -0 "$server" 2>/dev/null || { log "server died: $(tail -3 "$work/server.log")"; exit 1; }
        sleep 0.02
    done
    ready_seconds=$(python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$began" "$(date +%s.%N)")
}
stop() { kill "-${1:-TERM}" "$server"; wait "$server" 2>/dev/null || true; server=""; }
memory() { awk '/VmRSS|VmHWM/ {printf "%s %d MiB  ", $1, $2 / 1024}' "/proc/$server/status"; }
admin_token() {
    curl -sf -X POST "$url/api/v2/auth/login" -H 'Content-Type: application/json' \
        -d '{"email":"bench@admin.test","password":"bench-admin-pass"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
# book COUNT : books exactly COUNT appointments (bench/book-bulk.lua) into the running server.
# wrk does not always end when both threads have stopped, so the count is watched on /metrics
# (confirmed appointments) and wrk is ended once it is reached.
book() {
    LIMIT=$1 SLOTS_PER_DAY=${2:-96} THREADS=2 TOKEN=$TOKEN wrk -t2 -c64 -d3600s -s bench/book-bulk.lua "$url" >"$work/bulk.txt" &
    local loader=$!
    until [[ $(curl -sf "$url/metrics" | awk '/^bookedbarber_appointments\{status="confirmed"\}/ {printf "%d", $2}') -ge $1 ]]; do
        kill -0 "$loader" 2>/dev/null || break
        sleep 1
    done
    kill "$loader" 2>/dev/null || true
    wait "$loader" 2>/dev/null || true
}

log "1. booking throughput, $ROUNDS rounds of $DURATION"
for round in $(seq "$ROUNDS"); do
    for build in "$BASE_BIN" "$BIN"; do
        rm -rf "$work/tp"
        start "$build" "$work/tp" "${NO_SNAPSHOTS[@]}"
        TOKEN=$(python3 bench/setup-shop.py "$url" bench@admin.test bench-admin-pass "$BARBERS")
        rps=$(TOKEN=$TOKEN THREADS=2 DAY_OFFSET=$((round * 10)) wrk -t2 -c64 -d"$DURATION" -s bench/book.lua "$url" | awk '/Requests\/sec/ {print $2}')
        echo "throughput round $round $([[ $build == "$BIN" ]] && echo aggregates || echo before): $rps requests/s"
        stop
    done
done

log "2. $BULK appointments booked by the build before the aggregates"
start "$BASE_BIN" "$work/bulk" "${NO_SNAPSHOTS[@]}"
TOKEN=$(python3 bench/setup-shop.py "$url" bench@admin.test bench-admin-pass "$BARBERS")
book "$BULK"
stop TERM
for round in $(seq "$ROUNDS"); do
    for build in "$BASE_BIN" "$BIN"; do
        name=$([[ $build == "$BIN" ]] && echo aggregates || echo before)
        for source in snapshot log; do
            rm -rf "$work/copy" && cp -r "$work/bulk" "$work/copy"
            [[ $source == log ]] && rm -f "$work/copy"/snapshot-*
            start "$build" "$work/copy" "${NO_SNAPSHOTS[@]}"
            echo "recovery round $round $name from $source: $ready_seconds s to ready, $(memory)"
            stop KILL
        done
    done
done

# summaries LABEL : the latency batches against the running BIN server.
summaries() {
    local token
    token=$(admin_token)
    for range in "2030-01-01 2030-03-31" "2030-01-01 2031-01-01"; do
        set -- $range
        python3 - "$PORT" "$token" "$1" "$2" "$SAMPLES" "$1" <<'PY' | sed "s/^/summary $LABEL: /"
import http.client, json, statistics, sys, time
port, token, first, last, samples = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
connection = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": "Bearer " + token}
times = []
for _ in range(samples):
    began = time.perf_counter()
    connection.request("GET", "/api/v2/analytics/summary?from=%s&to=%s" % (first, last), headers=headers)
    response = connection.getresponse()
    body = response.read()
    times.append((time.perf_counter() - began) * 1000)
    assert response.status == 200, body
days = len(json.loads(body)["days"])
connection.request("GET", "/api/v2/dashboard/performance/current", headers=headers)
dashboard = json.loads(connection.getresponse().read())
route = [r for r in dashboard["routes"] if "analytics/summary" in r["route"]]
server = ("server p50 %.3f ms p99 %.3f ms (%d requests)" % (route[0]["p50_ms"], route[0]["p99_ms"], route[0]["requests"])) if route else "server: route not in the dashboard"
times.sort()
print("%d days: round trip median %.3f ms, p99 %.3f ms; %s" % (days, statistics.median(times), times[int(len(times) * 0.99) - 1], server))
PY
        sleep "$WINDOW_WAIT"  # the dashboard's window is the last minute: let this batch leave it
    done
}

log "3. summary time at $BULK appointments"
rm -rf "$work/copy" && cp -r "$work/bulk" "$work/copy"
start "$BIN" "$work/copy" "${NO_SNAPSHOTS[@]}"
LABEL="$BULK appointments" summaries
stop KILL

log "3. summary time at $SMALL appointments"
rm -rf "$work/small"
start "$BIN" "$work/small" "${NO_SNAPSHOTS[@]}"
TOKEN=$(python3 bench/setup-shop.py "$url" bench@admin.test bench-admin-pass "$BARBERS")
book "$SMALL" 1
LABEL="$SMALL appointments" summaries
stop KILL
