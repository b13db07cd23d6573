#!/usr/bin/env bash
# CPU profile of the release server under one route's load: `perf record -g` on the server while
# wrk drives ROUTE for DURATION, then the hottest symbols (self and with children) from
# `perf report`. For finding where a route's time goes (issue 9), not for figures: the profile's
# shares are valid on a busy machine too, its request rate is not.
#
# Usage: bench/profile.sh ROUTE        ROUTE: health | slots | me | book | summary (90 days, 200 barbers)
#                                       | page (the booking page `/` of the demo shop, as bench/web-render.sh)
#        (after: swift build -c release --scratch-path .build-release)
# Environment: DURATION (15s), CONNECTIONS (64), BARBERS (200), BIN, OUT (a directory to keep
#   perf.data and the reports in; a temporary one by default), TOP (40 lines of each report).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUTE=${1:?usage: bench/profile.sh health|slots|me|book|summary|page}
BIN=${BIN:-.build-release/release}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
BARBERS=${BARBERS:-200}
TOP=${TOP:-40}
PORT=18095
OUT=${OUT:-$(mktemp -d)}
data=$(mktemp -d)
mkdir -p "$OUT"

shop=(--admin-email bench@admin.test --admin-password bench-admin-pass)
[[ $ROUTE == page ]] && shop=(--demo)
"$BIN/bookedbarber" serve --port $PORT --data-dir "$data" --log-level warning --bcrypt-cost 4 --no-rate-limit "${shop[@]}" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
until curl -sf "http://127.0.0.1:$PORT/readiness" >/dev/null; do sleep 0.1; done
if [[ $ROUTE != page ]]; then
    TOKEN=$(python3 bench/setup-shop.py "http://127.0.0.1:$PORT" bench@admin.test bench-admin-pass "$BARBERS")
    ADMIN_TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v2/auth/login" -H 'content-type: application/json' \
        -d '{"email":"bench@admin.test","password":"bench-admin-pass"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
fi
export TOKEN=${TOKEN:-} ADMIN_TOKEN=${ADMIN_TOKEN:-} BARBERS THREADS=1

case $ROUTE in
    health) target=("http://127.0.0.1:$PORT/health") ;;
    slots) target=(-s bench/slots.lua "http://127.0.0.1:$PORT") ;;
    me) target=(-s bench/me.lua "http://127.0.0.1:$PORT") ;;
    book) target=(-s bench/book.lua "http://127.0.0.1:$PORT") ;;
    summary) target=(-s bench/summary.lua "http://127.0.0.1:$PORT") ;;
    page) target=("http://127.0.0.1:$PORT/") ;;
    *) echo "unknown route $ROUTE" >&2; exit 2 ;;
esac

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "${target[@]}" >"$OUT/wrk.txt" &
loader=$!
sleep 1
seconds=${DURATION%s}
perf record -F 999 -g --call-graph dwarf,16384 -p "$server" -o "$OUT/perf.data" -- sleep $((seconds - 2)) 2>"$OUT/perf-record.txt"
wait $loader
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "Requests/sec|Latency" "$OUT/wrk.txt"
set +o pipefail  # head ends the report pipes early, by design
demangle() { if command -v swift >/dev/null; then swift demangle --simplified; else cat; fi; }
perf report -i "$OUT/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' \
    | head -"$TOP" | demangle | cut -c1-200 >"$OUT/self.txt"
perf report -i "$OUT/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' \
    | head -"$TOP" | demangle | cut -c1-200 >"$OUT/children.txt"
echo "== self (symbol, share of samples) =="
cat "$OUT/self.txt"
echo "== with children =="
cat "$OUT/children.txt"
echo "perf data and reports in $OUT"
