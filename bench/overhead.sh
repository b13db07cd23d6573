#!/usr/bin/env bash
# What metrics, limits, rate limiting and headers cost (issue 5): booking and slot throughput of
# the current release build with all of them on, against a BASELINE build without them, in
# interleaved rounds on the same machine, with the reference-server ceiling in each round.
#
# "On" means: metrics recorded for every request, with /metrics scraped once a second during the
# run (as Prometheus would, more often); the performance window fed; the connection limit, request
# timeout and header limit in place; rate limiting ON with a budget far above what wrk sends from
# its one address (so every request pays for the bucket but none is refused); security headers;
# gzip on (the answers measured are below its 1 KiB threshold except slots). The baseline is a
# release build from before the operations work (set BASELINE to its bookedbarber executable).
#
# Usage: BASELINE=/path/to/old/bookedbarber bench/overhead.sh
#        (after: swift build -c release --scratch-path .build-release)
# Environment: ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (2), BARBERS (200), BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build-release/release}
BASELINE=${BASELINE:?set BASELINE to the bookedbarber executable of the build to compare with}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
BARBERS=${BARBERS:-200}
REFERENCE_PORT=18191
out=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$out"
}
trap cleanup EXIT

"$BIN/reference-server" --port $REFERENCE_PORT >/dev/null &
pids+=($!)

# start NAME PORT EXECUTABLE EXTRA...: a server with a fresh data dir and shop; sets TOKEN.
start() {
    local name=$1 port=$2 executable=$3
    shift 3
    mkdir -p "$out/data-$name"
    "$executable" serve --port "$port" --data-dir "$out/data-$name" --log-level warning --bcrypt-cost 4 \
        --admin-email bench@admin.test --admin-password bench-admin-pass "$@" &
    pids+=($!)
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readiness" >/dev/null && break; sleep 0.1; done
    TOKEN=$(python3 bench/setup-shop.py "http://127.0.0.1:$port" bench@admin.test bench-admin-pass "$BARBERS")
}

start baseline 18192 "$BASELINE"
BASELINE_TOKEN=$TOKEN
start current 18193 "$BIN/bookedbarber" --rate-limit 1000000 --rate-burst 1000000
CURRENT_TOKEN=$TOKEN
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$REFERENCE_PORT/constant" >/dev/null && break; sleep 0.1; done
export BARBERS THREADS

# run NAME PORT TOKEN ROUND SCRAPE: slots then booking against one server.
run() {
    local name=$1 port=$2 token=$3 round=$4 scrape=$5 scraper=""
    if [[ $scrape == 1 ]]; then
        (while true; do curl -sf "http://127.0.0.1:$port/metrics" -o /dev/null; sleep 1; done) &
        scraper=$!
    fi
    TOKEN=$token wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/slots.lua "http://127.0.0.1:$port" \
        >"$out/$name-slots-$round.txt"
    TOKEN=$token DAY_OFFSET=$((round * 200)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/book.lua \
        "http://127.0.0.1:$port" >"$out/$name-book-$round.txt"
    if [[ -n $scraper ]]; then kill "$scraper"; wait "$scraper" 2>/dev/null || true; fi
}

for round in $(seq "$ROUNDS"); do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$REFERENCE_PORT/constant" >"$out/ceiling-$round.txt"
    if (( round % 2 )); then
        run baseline 18192 "$BASELINE_TOKEN" "$round" 0
        run current 18193 "$CURRENT_TOKEN" "$round" 1
    else
        run current 18193 "$CURRENT_TOKEN" "$round" 1
        run baseline 18192 "$BASELINE_TOKEN" "$round" 0
    fi
done
curl -sf "http://127.0.0.1:18193/metrics" >"$out/metrics.txt"
python3 - "$out" "$ROUNDS" <<'PY'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])

def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

def parse(path):
    text = open(path).read()
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
            "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1)),
            "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)),
            "non2xx": int(bad.group(1)) if bad else 0}

def median(name):
    runs = [parse("%s/%s-%d.txt" % (out, name, r)) for r in range(1, rounds + 1)]
    row = {k: statistics.median(run[k] for run in runs) for k in ("rps", "p50", "p99")}
    row["non2xx"] = sum(run["non2xx"] for run in runs)
    row["all"] = [round(run["rps"]) for run in runs]
    return row

ceiling = median("ceiling")
print("| workload | build | req/s (median of %d) | vs baseline | vs ceiling | P50 ms | P99 ms | non-2xx | req/s per round |" % rounds)
print("|---|---|---|---|---|---|---|---|---|")
print("| GET /constant | reference-server | %.0f | | 1.00 | %.2f | %.2f | %d | %s |" % (
    ceiling["rps"], ceiling["p50"], ceiling["p99"], ceiling["non2xx"], ceiling["all"]))
for workload, label in (("book", "POST /api/v2/appointments"), ("slots", "GET /api/v2/appointments/slots")):
    base = median("baseline-" + workload)
    for build in ("baseline", "current"):
        row = median("%s-%s" % (build, workload))
        print("| %s | %s | %.0f | %.3f | %.3f | %.2f | %.2f | %d | %s |" % (
            label, build, row["rps"], row["rps"] / base["rps"], row["rps"] / ceiling["rps"], row["p50"], row["p99"],
            row["non2xx"], row["all"]))
metrics = open(out + "/metrics.txt").read()
limited = sum(float(v) for v in re.findall(r'bookedbarber_http_requests_total\{[^}]*status="4xx"[^}]*\} (\S+)', metrics))
print("\ncurrent build, 4xx answers counted by its own metrics over the whole run: %.0f" % limited)
PY
