#!/usr/bin/env bash
# Booking throughput with events and one webhook endpoint subscribed (issue 11), against a
# BASELINE build from before events existed, in interleaved rounds on the same machine; and the
# delivery lag P50/P99 under that load, read from the current build's own histogram
# (bookedbarber_webhook_delivery_lag_seconds: from an event's record to its 2xx). After each
# round of the current build the script waits until all its deliveries are done (and says how
# long that took), so the next round, of either build, runs without that backlog. Last, the lag
# below saturation: the current build paced at about PACED_CONNECTIONS * 1000 / PACED_DELAY_MS
# bookings per second (2,000 by default), read from the difference of its histogram.
#
# The receiver is `reference-server --raw-nio` on loopback (bare SwiftNIO, answers every POST
# with 200 at once; it stands in for a shop's service on another machine, so it should take as
# little of these cores as it can), so the current build runs with --allow-private-webhooks.
# Run only on a quiet machine (`uptime` load < 1).
#
# Usage: BASELINE=/path/to/older/bookedbarber bench/webhook-throughput.sh
#        (after: swift build -c release --scratch-path .build-release)
# Environment: ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (2), BARBERS (200), BIN,
#   PACED_CONNECTIONS (16), PACED_DELAY_MS (8), PACED_DURATION (20s).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build-release/release}
BASELINE=${BASELINE:?set BASELINE to the bookedbarber executable of the build to compare with}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
BARBERS=${BARBERS:-200}
PACED_CONNECTIONS=${PACED_CONNECTIONS:-16}
PACED_DELAY_MS=${PACED_DELAY_MS:-8}
PACED_DURATION=${PACED_DURATION:-20s}
RECEIVER_PORT=18291
out=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$out"
}
trap cleanup EXIT

"$BIN/reference-server" --raw-nio --port $RECEIVER_PORT >/dev/null &
pids+=($!)

# start NAME PORT EXECUTABLE EXTRA...: a server with a fresh data dir and shop; sets TOKEN.
start() {
    local name=$1 port=$2 executable=$3
    shift 3
    mkdir -p "$out/data-$name"
    "$executable" serve --port "$port" --data-dir "$out/data-$name" --log-level warning --bcrypt-cost 4 --no-rate-limit \
        --admin-email bench@admin.test --admin-password bench-admin-pass "$@" &
    pids+=($!)
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readiness" >/dev/null && break; sleep 0.1; done
    TOKEN=$(python3 bench/setup-shop.py "http://127.0.0.1:$port" bench@admin.test bench-admin-pass "$BARBERS")
}

start baseline 18292 "$BASELINE"
BASELINE_TOKEN=$TOKEN
start current 18293 "$BIN/bookedbarber" --allow-private-webhooks
CURRENT_TOKEN=$TOKEN
# Webhooks are the admin's (setup-shop.py prints the client's token, which books).
ADMIN_TOKEN=$(curl -sf -X POST "http://127.0.0.1:18293/api/v2/auth/login" -H 'content-type: application/json' \
    -d '{"email":"bench@admin.test","password":"bench-admin-pass"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
curl -sf -X POST "http://127.0.0.1:18293/api/v2/webhooks" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook\",\"events\":[\"*\"]}" >/dev/null
export BARBERS THREADS

# catch_up ROUND: waits until every booking's appointment.created is delivered (attempts
# without failures), so no backlog of the current build runs during the next round; notes how
# long the deliveries took after the round's load ended.
metric() { awk -v name="$1" '$1 == name {print int($2)}' "$out/scrape.txt"; }
catch_up() {
    local load_end delivered booked
    load_end=$(date +%s.%N)
    for _ in $(seq 900); do
        curl -sf "http://127.0.0.1:18293/metrics" >"$out/scrape.txt"
        delivered=$(( $(metric bookedbarber_webhook_delivery_attempts_total) - $(metric bookedbarber_webhook_delivery_failures_total) ))
        booked=$(metric 'bookedbarber_appointments{status="confirmed"}')
        if (( delivered >= booked )); then
            echo "round $1: deliveries caught up $(python3 -c "print(round($(date +%s.%N) - $load_end, 1))") s after the load ($delivered delivered, $booked bookings)"
            return
        fi
        sleep 0.5
    done
    echo "round $1: deliveries did not catch up within 7.5 minutes: $delivered of $booked bookings" >&2
    exit 1
}

run() {
    local name=$1 port=$2 token=$3 round=$4
    TOKEN=$token DAY_OFFSET=$((round * 200)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/book.lua \
        "http://127.0.0.1:$port" >"$out/$name-$round.txt"
    if [[ $name == current ]]; then catch_up "$round"; fi
}

for round in $(seq "$ROUNDS"); do
    if (( round % 2 )); then
        run baseline 18292 "$BASELINE_TOKEN" "$round"
        run current 18293 "$CURRENT_TOKEN" "$round"
    else
        run current 18293 "$CURRENT_TOKEN" "$round"
        run baseline 18292 "$BASELINE_TOKEN" "$round"
    fi
done
curl -sf "http://127.0.0.1:18293/metrics" >"$out/metrics.txt"
# Then the lag below saturation: PACED_CONNECTIONS connections each booking every PACED_DELAY_MS
# for PACED_DURATION on the current build (its lag histogram read before and after).
TOKEN=$CURRENT_TOKEN DAY_OFFSET=$(((ROUNDS + 1) * 200)) DELAY_MS=$PACED_DELAY_MS wrk -t1 -c"$PACED_CONNECTIONS" \
    -d"$PACED_DURATION" -s bench/book-paced.lua "http://127.0.0.1:18293" >"$out/paced.txt"
catch_up paced
curl -sf "http://127.0.0.1:18293/metrics" >"$out/metrics-paced.txt"
python3 - "$out" "$ROUNDS" <<'PY'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])

def parse(path):
    text = open(path).read()
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), int(bad.group(1)) if bad else 0

rows = {name: [parse("%s/%s-%d.txt" % (out, name, r)) for r in range(1, rounds + 1)] for name in ("baseline", "current")}
base = statistics.median(rps for rps, _ in rows["baseline"])
print("| build | booking req/s (median of %d) | vs baseline | non-2xx | per round |" % rounds)
print("|---|---|---|---|---|")
for name in ("baseline", "current"):
    median = statistics.median(rps for rps, _ in rows[name])
    print("| %s | %.0f | %.3f | %d | %s |" % (name, median, median / base, sum(b for _, b in rows[name]),
                                            [round(rps) for rps, _ in rows[name]]))
def histogram(name):
    metrics = open("%s/%s" % (out, name)).read()
    buckets = {float(le): float(count) for le, count in
               re.findall(r'bookedbarber_webhook_delivery_lag_seconds_bucket\{le="([^"+]+)"\} (\S+)', metrics)}
    return buckets, float(re.search(r"bookedbarber_webhook_delivery_lag_seconds_count (\S+)", metrics).group(1))

def quantile(buckets, total, q):
    for le, count in sorted(buckets.items()):
        if count >= q * total:
            return le
    return float("inf")

saturated, saturated_total = histogram("metrics.txt")
print("\nunder the rounds' load: %.0f deliveries; delivery lag P50 <= %g s, P99 <= %g s (histogram bucket bounds)"
      % (saturated_total, quantile(saturated, saturated_total, 0.5), quantile(saturated, saturated_total, 0.99)))
after, after_total = histogram("metrics-paced.txt")
paced = {le: after[le] - saturated.get(le, 0) for le in after}
paced_total = after_total - saturated_total
rate = re.search(r"Requests/sec:\s+([\d.]+)", open(out + "/paced.txt").read()).group(1)
print("paced, %s bookings/s: %.0f deliveries; delivery lag P50 <= %g s, P99 <= %g s"
      % (rate, paced_total, quantile(paced, paced_total, 0.5), quantile(paced, paced_total, 0.99)))
PY
