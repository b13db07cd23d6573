#!/usr/bin/env bash
# Server render time of the staff pages: `/analytics` over 31 days (a bar per day) and over 366
# days (a bar per week), `/clients` and a client's record, for a shop of BARBERS barbers with
# APPOINTMENTS appointments in the coming 30 days (bench/setup-shop.py's UTC shop, booked through
# the API). Measured inside the server: after a warm-up, wrk -c1 sends sequential requests with
# the admin's session cookie for DURATION each, then the server's own P50/P95/P99 of each route
# (`GET /api/v2/dashboard/performance/current`, the last minute: the script waits 75 s before each
# route so only that route's timed requests are in the window). Also prints each page's size.
#
# Run on a quiet machine only (`uptime`: load under 1.0); the figures go to BENCHMARKS.md.
# Usage: bench/staff-pages.sh     (after: swift build -c release --scratch-path .build-release)
# Environment: BIN (.build-release/release), DURATION (20s), PORT (18096), BARBERS (10), APPOINTMENTS (2000).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build-release/release}
DURATION=${DURATION:-20s}
PORT=${PORT:-18096}
BARBERS=${BARBERS:-10}
APPOINTMENTS=${APPOINTMENTS:-2000}
data=$(mktemp -d)
"$BIN/bookedbarber" serve --port "$PORT" --data-dir "$data" --admin-email admin@bench.test --admin-password bench-admin-pass \
    --log-level warning --bcrypt-cost 4 --no-rate-limit --fsync off >"$data.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data" "$data.log" "$data.jar"' EXIT
base=http://127.0.0.1:$PORT
until curl -fs "$base/readiness" >/dev/null; do sleep 0.2; done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
client=$(python3 bench/setup-shop.py "$base" admin@bench.test bench-admin-pass "$BARBERS")
python3 - "$base" "$client" "$BARBERS" "$APPOINTMENTS" <<'PY'
import datetime, json, sys, urllib.request
base, token, barbers, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
start = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
for index in range(count):
    at = start + datetime.timedelta(minutes=15 * (index // barbers))
    body = json.dumps({"barber_id": 1 + index % barbers, "service_id": 1, "start": at.strftime("%Y-%m-%dT%H:%M:%SZ")}).encode()
    request = urllib.request.Request(base + "/api/v2/appointments", body, method="POST")
    request.add_header("content-type", "application/json")
    request.add_header("authorization", "Bearer " + token)
    urllib.request.urlopen(request).read()
PY
# Sign in through the login form, as a browser does: the visitor cookie, the form's CSRF token.
csrf=$(curl -fs -c "$data.jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -b "$data.jar" -c "$data.jar" -o /dev/null --data-urlencode "csrf=$csrf" \
    --data-urlencode email=admin@bench.test --data-urlencode password=bench-admin-pass "$base/login"
session=$(awk '$6 == "bb_session" { print $7 }' "$data.jar")
admin=$(curl -fs -X POST "$base/api/v2/auth/login" -H 'content-type: application/json' \
    -d '{"email":"admin@bench.test","password":"bench-admin-pass"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
today=$(date -u +%F)
month=$(date -u -d '+30 days' +%F)
year_start=$(date -u -d '-335 days' +%F)
for path in "/analytics?from=$today&to=$month" "/analytics?from=$year_start&to=$month" "/clients" "/clients/2"; do
    route=${path%%\?*}
    [[ $route == /clients/2 ]] && route="/clients/{id}"
    wrk -t1 -c1 -d5s -H "Cookie: bb_session=$session" "$base$path" >/dev/null     # warm-up
    sleep 75                                                                      # out of the one-minute window (61 s was not always enough)
    wrk -t1 -c1 -d"$DURATION" -H "Cookie: bb_session=$session" "$base$path" >/dev/null
    curl -fs "$base/api/v2/dashboard/performance/current" -H "authorization: Bearer $admin" | python3 -c '
import sys, json
route = sys.argv[1]
for line in json.load(sys.stdin)["routes"]:
    if line["route"] == route:
        print(f"{sys.argv[2]}: {line[\"requests\"]} requests, server P50 {line[\"p50_ms\"]:.3f} ms, P95 {line[\"p95_ms\"]:.3f} ms, P99 {line[\"p99_ms\"]:.3f} ms")' "$route" "$path"
    echo "  size: $(curl -fs -H "Cookie: bb_session=$session" "$base$path" | wc -c) bytes"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
