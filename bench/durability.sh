#!/usr/bin/env bash
# Durability benchmark of the release build (issue 3): what the write-ahead log and snapshots cost.
#
#   1. Booking throughput and latency (P50/P99/P99.9/max) of POST /api/v2/appointments, wrk with
#      2 threads and 64 connections as bench/run.sh, in --fsync always, everysec and off (a fresh
#      data dir and shop each), against the reference-server ceiling, ROUNDS interleaved rounds.
#   2. A data dir of BULK (1,000,000) appointments booked through the API (--fsync off): the count
#      checked with `replay --from-scratch`, recovery time of a server restart from the log alone,
#      the snapshot a graceful SIGTERM writes (size, write time), offline replay from it, and
#      restarts from snapshot + a short log tail.
#   3. With that state loaded, a moderate paced load (GET slots, 8 connections, and a booking
#      trickle, 2 connections) in windows of P3_DURATION seconds, alternately with no snapshot
#      and while a snapshot is being written, P3_ROUNDS rounds.
#
# Prints markdown tables (bench/durability-report.py). Every process it starts is stopped by PID
# on exit, and its temporary directory is removed (set RESULTS=dir to keep the raw outputs).
#
# Usage: bench/durability.sh     (after: swift build -c release --scratch-path .build-release)
# Environment: ROUNDS (3), DURATION (10s), BULK (1000000), TAIL (10000), P3_ROUNDS (3),
#   P3_DURATION (15), BIN (.build-release/release), RESULTS (unset), PERF (0; 1 = perf record -g of
#   the server during the first snapshot window, report in RESULTS), RENICE (0; 1 = a third window
#   each round: during a snapshot whose encoding thread is reniced to 19), BASE_PORT (18110).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build-release/release}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
BULK=${BULK:-1000000}
TAIL=${TAIL:-10000}
P3_ROUNDS=${P3_ROUNDS:-3}
P3_DURATION=${P3_DURATION:-15}
PERF=${PERF:-0}
RENICE=${RENICE:-0}
BASE_PORT=${BASE_PORT:-18110}
BARBERS=200
ADMIN=(--admin-email bench@admin.test --admin-password bench-admin-pass)
NO_SNAPSHOTS=(--snapshot-every 1000000000000 --snapshot-interval 100000000)
export BARBERS

work=$(mktemp -d /tmp/bb-durability.XXXXXX)
out=$work/out
mkdir -p "$out/p1" "$out/p2" "$out/p3"
pids=()
sampler_pid=
started=$(date +%s)

cleanup() {
    local pid
    {
        kill -TERM "$sampler_pid" || true
        for pid in "${pids[@]}"; do [ "$pid" = "$sampler_pid" ] || kill -9 "$pid" || true; done
        for pid in "${pids[@]}"; do wait "$pid" || true; done
    } 2>/dev/null
    if [ -n "${RESULTS:-}" ]; then mkdir -p "$RESULTS" && cp -r "$out/." "$RESULTS/"; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%4ds] %s\n' $(($(date +%s) - started)) "$*" >&2; }
now() { date +%s.%N; }
forget() { local gone=$1 kept=() pid; for pid in "${pids[@]}"; do [ "$pid" = "$gone" ] || kept+=("$pid"); done; pids=("${kept[@]}"); }

# start_server NAME DATA_DIR PORT FLAGS... : starts bookedbarber serve, logging to $out/NAME.log;
# sets $server_pid.
start_server() {
    local name=$1 dir=$2 port=$3
    shift 3
    mkdir -p "$dir"
    # --no-rate-limit: the load comes from one address, far over any per-client budget.
    "$BIN/bookedbarber" serve --port "$port" --data-dir "$dir" --bcrypt-cost 4 --no-rate-limit --log-level info "${ADMIN[@]}" "$@" \
        >"$out/$name.log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
}

# wait_ready PORT PID TIMEOUT_S : until /readiness answers 200; fails if the server died.
wait_ready() {
    local port=$1 pid=$2 limit=$(($(date +%s) + $3))
    until curl -sf "http://127.0.0.1:$port/readiness" >/dev/null 2>&1; do
        kill -0 "$pid" 2>/dev/null || { log "server $pid died"; return 1; }
        [ "$(date +%s)" -lt "$limit" ] || { log "server $pid not ready after $3 s"; return 1; }
        sleep 0.05
    done
}

# stop_server PID SIGNAL TIMEOUT_S : signal it and wait for it to exit (SIGKILL after the timeout).
# (The braces' 2>/dev/null keeps bash from reporting "Killed" for each one.)
stop_server() {
    local pid=$1 signal=$2 limit=$(($(date +%s) + $3))
    {
        kill "-$signal" "$pid" || true
        while kill -0 "$pid"; do
            if [ "$(date +%s)" -ge "$limit" ]; then kill -9 "$pid"; fi
            sleep 0.05
        done
        wait "$pid" && stop_status=0 || stop_status=$?
    } 2>/dev/null
    forget "$pid"
}

metrics_lsn() { curl -sf "http://127.0.0.1:$1/metrics" | awk '/^bookedbarber_wal_lsn / {printf "%d\n", $2}'; }
hwm_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
seconds_since() { python3 -c "import sys; print('%.3f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$(now)"; }
record() { echo "$1=$2" >>"$out/p2/figures.txt"; }

# Machine conditions: sampled every 10 s in the background (load average, busiest processes).
sample_machine() {
    local sleeper=
    trap 'kill $sleeper 2>/dev/null; exit 0' TERM
    while true; do
        {
            echo "== $(date -u +%FT%TZ) loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
            ps -eo pcpu,pid,comm --sort=-pcpu | sed -n '2,6p'
        } >>"$out/machine-samples.txt"
        sleep 10 &
        sleeper=$!
        wait "$sleeper"
    done
}
{
    echo "date: $(date -u +%FT%TZ)"
    echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources Package.swift || echo ' + uncommitted changes in Sources')"
    echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "memory: $(free -m | awk '/Mem:/ {print $2}') MiB"
    echo "kernel: $(uname -r)"
    echo "swift: $(swift --version 2>&1 | head -1)"
    echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
    echo "binary: $BIN/bookedbarber, built $(date -u -r "$BIN/bookedbarber" +%FT%TZ)"
    echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/machine.txt"
python3 - "$work" >>"$out/machine.txt" <<'EOF'
import os, sys, time
path = os.path.join(sys.argv[1], "sync-probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
times = []
for _ in range(100):
    os.write(fd, b"x" * 256)
    start = time.perf_counter(); os.fdatasync(fd); times.append((time.perf_counter() - start) * 1000)
os.close(fd); os.remove(path)
times.sort()
print("fdatasync of a 256-byte append in the temp dir: p50 %.2f ms, p99 %.2f ms" % (times[50], times[98]))
EOF
sample_machine &
sampler_pid=$!
pids+=("$sampler_pid")

#### 1. Booking throughput by --fsync mode ##########################################################
log "phase 1: booking with --fsync always / everysec / off vs the ceiling, $ROUNDS rounds of $DURATION"
ref_port=$BASE_PORT
"$BIN/reference-server" --port "$ref_port" >/dev/null 2>&1 &
ref_pid=$!
pids+=("$ref_pid")
declare -A mode_port mode_pid mode_token
port=$((BASE_PORT + 1))
for mode in always everysec off; do
    start_server "p1-$mode" "$work/p1-$mode" "$port" --fsync "$mode" "${NO_SNAPSHOTS[@]}"
    mode_pid[$mode]=$server_pid
    mode_port[$mode]=$port
    port=$((port + 1))
done
for mode in always everysec off; do
    wait_ready "${mode_port[$mode]}" "${mode_pid[$mode]}" 60
    mode_token[$mode]=$(python3 bench/setup-shop.py "http://127.0.0.1:${mode_port[$mode]}" bench@admin.test bench-admin-pass $BARBERS)
done
until curl -sf "http://127.0.0.1:$ref_port/constant" >/dev/null; do sleep 0.05; done
for round in $(seq "$ROUNDS"); do
    wrk -t2 -c64 -d"$DURATION" --latency -s bench/tail-latency.lua "http://127.0.0.1:$ref_port/constant" \
        >"$out/p1/ceiling-$round.txt"
    for mode in always everysec off; do
        TOKEN=${mode_token[$mode]} THREADS=2 DAY_OFFSET=$((round * 200)) \
            wrk -t2 -c64 -d"$DURATION" --latency -s bench/book-paced.lua "http://127.0.0.1:${mode_port[$mode]}" \
            >"$out/p1/$mode-$round.txt"
    done
    log "  round $round done"
done
for mode in always everysec off; do
    echo "${mode}_hwm_kib=$(hwm_kib "${mode_pid[$mode]}")" >>"$out/p1/figures.txt"
    stop_server "${mode_pid[$mode]}" 9 10 # data thrown away: no final snapshot needed
    rm -rf "$work/p1-$mode"
done
stop_server "$ref_pid" TERM 10

#### 2. A data dir of BULK appointments: recovery, snapshot ########################################
port=$((BASE_PORT + 5))
url=http://127.0.0.1:$port
data=$work/big
log "phase 2: booking $BULK appointments (--fsync off, no snapshots)"
start_server p2-load "$data" "$port" --fsync off "${NO_SNAPSHOTS[@]}"
wait_ready "$port" "$server_pid" 60
TOKEN=$(python3 bench/setup-shop.py "$url" bench@admin.test bench-admin-pass $BARBERS)
export TOKEN
target=$(($(metrics_lsn "$port") + BULK))
t0=$(now)
THREADS=2 LIMIT=$BULK DAY_OFFSET=0 wrk -t2 -c64 -d900s -s bench/book-bulk.lua "$url" >"$out/p2/bulk.txt" &
wrk_pid=$!
pids+=("$wrk_pid")
while kill -0 "$wrk_pid" 2>/dev/null && [ "$(metrics_lsn "$port")" -lt "$target" ]; do sleep 1; done
record bulk_seconds "$(seconds_since "$t0")"
kill -INT "$wrk_pid" 2>/dev/null || true
wait "$wrk_pid" || true
forget "$wrk_pid"
record bulk_lsn "$(metrics_lsn "$port")"
record load_hwm_kib "$(hwm_kib "$server_pid")"
# A crash, not a graceful stop: SIGTERM would write a snapshot and drop the log segments it
# covers, and the next steps need the whole log. With --fsync off every acknowledged record was
# written (page cache), which a process crash does not lose.
stop_server "$server_pid" 9 10
record wal_bytes "$(du -cb "$data"/wal-*.log | tail -1 | cut -f1)"
record wal_segments "$(ls "$data"/wal-*.log | wc -l)"

log "  replay --from-scratch (the log alone, offline)"
t0=$(now)
"$BIN/bookedbarber" replay --data-dir "$data" --from-scratch --json >"$out/p2/replay-from-scratch.json"
record replay_scratch_wall_seconds "$(seconds_since "$t0")"

# Books TAIL more appointments on the running server (wrk on day DAY_OFFSET), then stops wrk.
# Usage: book_tail N DAY_OFFSET   (output in $out/p2/tail-N.txt)
book_tail() {
    local target=$(($(metrics_lsn "$port") + TAIL))
    THREADS=2 LIMIT=$TAIL DAY_OFFSET=$2 wrk -t2 -c16 -d120s -s bench/book-bulk.lua "$url" >"$out/p2/tail-$1.txt" &
    wrk_pid=$!
    pids+=("$wrk_pid")
    while kill -0 "$wrk_pid" 2>/dev/null && [ "$(metrics_lsn "$port")" -lt "$target" ]; do sleep 0.2; done
    kill -INT "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" || true
    forget "$wrk_pid"
}

log "  restart from the log alone"
t0=$(now)
start_server p2-log-only "$data" "$port" --fsync off "${NO_SNAPSHOTS[@]}"
wait_ready "$port" "$server_pid" 300
record log_only_ready_seconds "$(seconds_since "$t0")"
record log_only_hwm_kib "$(hwm_kib "$server_pid")"
# A tail of new records after the recovery, so the restarts below replay a tail too.
book_tail 1 60
log "  graceful SIGTERM (final snapshot)"
t0=$(now)
stop_server "$server_pid" TERM 300
record sigterm_seconds "$(seconds_since "$t0")"
record sigterm_status "$stop_status"
snapshot=$(ls "$data"/snapshot-*.snap | tail -1)
record snapshot_file_bytes "$(stat -c %s "$snapshot")"
"$BIN/bookedbarber" snapshot inspect "$snapshot" >"$out/p2/snapshot-inspect.txt"

log "  replay (snapshot, offline)"
t0=$(now)
"$BIN/bookedbarber" replay --data-dir "$data" --json >"$out/p2/replay-snapshot.json"
record replay_snapshot_wall_seconds "$(seconds_since "$t0")"

log "  restart from the snapshot"
t0=$(now)
start_server p2-snapshot "$data" "$port" --fsync off "${NO_SNAPSHOTS[@]}"
wait_ready "$port" "$server_pid" 300
record snapshot_ready_seconds "$(seconds_since "$t0")"
record snapshot_hwm_kib "$(hwm_kib "$server_pid")"
book_tail 2 61
stop_server "$server_pid" 9 10 # a crash: the next start replays the tail after the snapshot

#### 3. Latency while snapshots are written ########################################################
# One server on that data dir (its start is another recovery: snapshot + TAIL records), taking a
# snapshot only after SNAP_EVERY records. Each round: a "quiet" window (paced slots load and a
# booking trickle, fewer records than SNAP_EVERY, so no snapshot), then a burst of SNAP_EVERY
# bookings (outside any window) that makes a snapshot due, 1.5 s for it to start (the server
# checks every second), and a "snapshot" window with the same load while it is written; then
# wait for it to end. --fsync everysec, so that booking latency is not the disk's fdatasync time.
SNAP_EVERY=10000
log "phase 3: paced load, quiet vs during a snapshot, $P3_ROUNDS rounds of ${P3_DURATION}s windows"
t0=$(now)
start_server p3-server "$data" "$port" --fsync everysec --snapshot-every $SNAP_EVERY --snapshot-interval 100000000
wait_ready "$port" "$server_pid" 300
echo "p3-server $(seconds_since "$t0")" >>"$out/p3/ready.txt"
snapshots_logged() { grep -c 'snapshot written' "$out/p3-server.log" || true; }
# window NAME DAY_OFFSET : the paced load for P3_DURATION seconds, both wrk in parallel.
window() {
    echo "$1 start $(now)" >>"$out/p3/windows.txt"
    DELAY_MS=5 wrk -t1 -c8 -d"${P3_DURATION}s" -s bench/slots-paced.lua "$url" >"$out/p3/$1-slots.txt" &
    local slots_pid=$!
    pids+=("$slots_pid")
    THREADS=1 DELAY_MS=20 DAY_OFFSET=$2 wrk -t1 -c2 -d"${P3_DURATION}s" -s bench/book-paced.lua "$url" >"$out/p3/$1-book.txt" &
    local book_pid=$!
    pids+=("$book_pid")
    wait "$slots_pid" || true
    wait "$book_pid" || true
    forget "$slots_pid"
    forget "$book_pid"
    echo "$1 end $(now)" >>"$out/p3/windows.txt"
}
# snapshot_window NAME DAY_OFFSET NICE : burst, then the window while the snapshot is written
# (with NICE set, its encoding thread, libdispatch's utility-QoS worker, reniced to NICE during
# the window and set back after).
snapshot_window() {
    local name=$1 day=$2 nice=${3:-} before target wrk_pid perf_pid= tid reniced=() limit
    before=$(snapshots_logged)
    target=$(($(metrics_lsn "$port") + SNAP_EVERY))
    THREADS=2 LIMIT=$SNAP_EVERY DAY_OFFSET=$((150 + day)) wrk -t2 -c16 -d120s -s bench/book-bulk.lua "$url" \
        >"$out/p3/burst-$name.txt" &
    wrk_pid=$!
    pids+=("$wrk_pid")
    while kill -0 "$wrk_pid" 2>/dev/null && [ "$(metrics_lsn "$port")" -lt "$target" ]; do sleep 0.1; done
    kill -INT "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" || true
    forget "$wrk_pid"
    sleep 1.5
    if [ -n "$nice" ]; then
        for tid in $(grep -l 'utility-qos' /proc/"$server_pid"/task/*/comm 2>/dev/null | cut -d/ -f5); do
            reniced+=("$tid:$(awk '{print $19}' /proc/"$server_pid"/task/"$tid"/stat)")
            renice -n "$nice" -p "$tid" >/dev/null
        done
        echo "$name reniced ${reniced[*]:-none}" >>"$out/p3/reniced.txt"
    fi
    if [ "$PERF" = 1 ] && [ "$name" = snapshot-1 ]; then
        perf record -F 499 -g -p "$server_pid" -o "$out/p3/perf.data" >/dev/null 2>&1 &
        perf_pid=$!
        pids+=("$perf_pid")
    fi
    window "$name" "$day"
    for tid in "${reniced[@]}"; do renice -n "${tid#*:}" -p "${tid%%:*}" >/dev/null 2>&1 || true; done
    if [ -n "$perf_pid" ]; then
        kill -INT "$perf_pid"
        wait "$perf_pid" || true
        forget "$perf_pid"
        perf report -i "$out/p3/perf.data" --no-children --sort comm --stdio 2>/dev/null | grep -E '^ +[0-9]' \
            >"$out/p3/perf-by-thread.txt" || true
        perf report -i "$out/p3/perf.data" --children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' \
            | head -80 | cut -c1-220 >"$out/p3/perf-symbols.txt" || true
    fi
    limit=$(($(date +%s) + 180))
    while [ "$(snapshots_logged)" -le "$before" ] && [ "$(date +%s)" -lt "$limit" ]; do sleep 0.5; done
}
for round in $(seq "$P3_ROUNDS"); do
    window "quiet-$round" $((100 + 3 * round))
    snapshot_window "snapshot-$round" $((101 + 3 * round))
    if [ "$RENICE" = 1 ]; then snapshot_window "snapshot-nice19-$round" $((102 + 3 * round)) 19; fi
    log "  round $round done"
done
echo "p3-server $(hwm_kib "$server_pid")" >>"$out/p3/hwm.txt"
stop_server "$server_pid" 9 10

echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"
echo "total seconds: $(($(date +%s) - started))" >>"$out/machine.txt"
python3 bench/durability-report.py "$out" "$ROUNDS"
