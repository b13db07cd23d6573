#!/usr/bin/env bash
# Instructions per request of the release server, counted by valgrind's callgrind: the same total
# for the same binary and requests whatever else the machine does, so two builds can be compared
# on a busy machine. For each kind (health, me, slots, book) it zeroes the counters, sends COUNT
# requests over one connection (bench/callgrind-client.py), dumps, and divides the instructions of
# every thread of the server (event loops, log writer) by COUNT.
#
# Usage: bench/callgrind.sh BINARY [COUNT]    e.g. bench/callgrind.sh .build-release/release/bookedbarber 2000
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$1
count=${2:-2000}
port=$((21000 + RANDOM % 5000))
out=$(mktemp -d)
data=$(mktemp -d)
valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" --dump-instr=no \
    "$binary" serve --port "$port" --data-dir "$data" --log-level warning --bcrypt-cost 4 --no-rate-limit \
    --admin-email bench@admin.test --admin-password bench-admin-pass 2>"$out/valgrind.log" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data" "$out"' EXIT
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/readiness" >/dev/null && break; sleep 0.5; done
token=$(python3 bench/setup-shop.py "http://127.0.0.1:$port" bench@admin.test bench-admin-pass 10)
offset=0
echo "| kind | requests | instructions per request |"
echo "|---|---|---|"
for kind in health me slots book; do
    python3 bench/callgrind-client.py "$port" "$token" "$kind" 200 "$offset"  # warm-up
    offset=$((offset + 200))
    callgrind_control -z "$server" >/dev/null
    python3 bench/callgrind-client.py "$port" "$token" "$kind" "$count" "$offset"
    offset=$((offset + count))
    rm -f "$out"/cg.out.*
    callgrind_control -d "$kind" "$server" >/dev/null
    total=$(cat "$out"/cg.out.* | awk '/^summary:/ {sum += $2} END {print sum}')
    echo "| $kind | $count | $((total / count)) |"
done
