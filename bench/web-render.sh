#!/usr/bin/env bash
# Server render time of the booking page (`GET /` of the demo shop: 4 services, 3 barbers, the
# next 14 days with their free times, a day's times by part of day), measured inside the server:
# after a warm-up, REQUESTS sequential requests from one keep-alive connection (wrk -c1), then the
# median (P50) and P99 of route `/` as the server's own latency histogram reports them
# (`GET /api/v2/dashboard/performance/current`, the last minute's requests; the warm-up is kept
# out of it by a pause of 75 s). Also prints the page's size, plain and gzipped.
#
# Run on a quiet machine only (`uptime`: load under 1.0); the figure goes to BENCHMARKS.md.
# Usage: bench/web-render.sh     (after: swift build -c release --scratch-path .build-release)
# Environment: BIN, DURATION (20s), PORT (18095).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build-release/release}
DURATION=${DURATION:-20s}
PORT=${PORT:-18095}
data=$(mktemp -d)
"$BIN/bookedbarber" serve --port "$PORT" --data-dir "$data" --demo --log-level warning --bcrypt-cost 4 --no-rate-limit \
    >"$data.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data" "$data.log"' EXIT
base=http://127.0.0.1:$PORT
until curl -fs "$base/readiness" >/dev/null; do sleep 0.2; done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t1 -c1 -d5s "$base/" >/dev/null      # warm-up
sleep 75                                   # out of the dashboard's one-minute window (61 s was not always enough)
wrk -t1 -c1 -d"$DURATION" --latency "$base/" | sed -n '/Latency Distribution/,/Requests\/sec/p'
token=$(curl -fs -X POST "$base/api/v2/auth/login" -H 'content-type: application/json' \
    -d '{"email":"admin@demo.bookedbarber.test","password":"demo-admin-pass"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
curl -fs "$base/api/v2/dashboard/performance/current" -H "authorization: Bearer $token" | python3 -c '
import sys, json
for route in json.load(sys.stdin)["routes"]:
    if route["route"] in ("/", "GET /"):
        print("server render of / : %d requests, P50 %.3f ms, P95 %.3f ms, P99 %.3f ms"
              % (route["requests"], route["p50_ms"], route["p95_ms"], route["p99_ms"]))'
echo "page size: $(curl -fs "$base/" | wc -c) bytes plain, $(curl -fs -H 'accept-encoding: gzip' "$base/" | wc -c) bytes gzipped"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
