#!/usr/bin/env bash
# A/B comparison of two release builds: both servers run side by side (each with its own shop,
# bench/setup-shop.py) and wrk loads one at a time, A then B for each route, round after round,
# so the machine's drift hits both alike. Each round starts with Hummingbird's constant answer
# (A's reference-server) as the yardstick. Prints req/s and P50 per route and build.
#
# Usage: bench/ab.sh DIR_A DIR_B      (each DIR holding bookedbarber, its resources bundle and
#                                      reference-server, e.g. copies of .build-release/release)
# Environment: ROUNDS (2), ROUTES ("health me"; of health me slots book), DURATION (8s),
#   CONN (64; 1 for one-connection latency), SERVER_ARGS (more `serve` options for both
#   servers, e.g. "--fsync off").
# Check `uptime` before and after: a figure from a busy machine is not a figure.
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1; B=$2
ROUNDS=${ROUNDS:-2}; ROUTES=${ROUTES:-"health me"}; DURATION=${DURATION:-8s}; CONN=${CONN:-64}
data_a=$(mktemp -d); data_b=$(mktemp -d)
start() { # dir port data
  "$1/bookedbarber" serve --port $2 --data-dir "$3" --log-level warning --bcrypt-cost 4 --no-rate-limit \
    --admin-email bench@admin.test --admin-password bench-admin-pass ${SERVER_ARGS:-} >/dev/null 2>&1 &
  echo $!
}
pa=$(start "$A" 18101 "$data_a"); pb=$(start "$B" 18102 "$data_b")
"$A/reference-server" --port 18103 >/dev/null 2>&1 & ph=$!
# The servers are not this shell's children (started in $(...)): wait for them to go (their
# drain writes a snapshot) before removing their data directories.
trap 'kill $pa $pb $ph 2>/dev/null || true; while kill -0 $pa 2>/dev/null || kill -0 $pb 2>/dev/null; do sleep 0.1; done; rm -rf "$data_a" "$data_b"' EXIT
for p in 18101 18102; do until curl -sf "http://127.0.0.1:$p/readiness" >/dev/null; do sleep 0.1; done; done
TA=$(python3 bench/setup-shop.py http://127.0.0.1:18101 bench@admin.test bench-admin-pass 200)
TB=$(python3 bench/setup-shop.py http://127.0.0.1:18102 bench@admin.test bench-admin-pass 200)
export BARBERS=200 THREADS=1
run() { # port token route
  local args
  case $3 in
    health) args=("http://127.0.0.1:$1/health");;
    book) args=(-s bench/book.lua "http://127.0.0.1:$1");;
    me) args=(-s bench/me.lua "http://127.0.0.1:$1");;
    slots) args=(-s bench/slots.lua "http://127.0.0.1:$1");;
    hb) args=("http://127.0.0.1:18103/constant");;
  esac
  TOKEN=$2 DAY_OFFSET=$DAY wrk -t1 -c$CONN -d$DURATION --latency "${args[@]}" | awk '/Requests\/sec/ {r=$2} $1=="50%" {p=$2} END {printf "%8.0f %s", r, p}'
}
DAY=0
for round in $(seq $ROUNDS); do
  DAY=$((round*400))
  printf "round %d  HB: %s\n" $round "$(run 0 x hb)"
  for route in $ROUTES; do
    DAY=$((DAY+50)); a=$(run 18101 $TA $route); DAY=$((DAY+50)); b=$(run 18102 $TB $route)
    printf "  %-7s A %s   B %s\n" $route "$a" "$b"
  done
done
