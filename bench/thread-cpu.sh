#!/usr/bin/env bash
# Where one request's CPU goes, by thread: the release server under one connection's load
# (`wrk -c1`) for DURATION, with each thread's user and system CPU time and its voluntary and
# involuntary context switches (from /proc/<pid>/task/*/stat and status) divided by the requests
# served. A voluntary switch is a thread going to sleep: a wake-up that a one-connection request
# waits for. For finding where a lone request's latency goes (issue 9), not for figures of speed.
#
# Usage: bench/thread-cpu.sh ROUTE      ROUTE: health | me | slots | book
# Environment: BIN (.build-release/release), DURATION (10s), SERVER_ARGS (more `serve` options,
#   e.g. "--fsync off").
set -euo pipefail
cd "$(dirname "$0")/.."
ROUTE=${1:?usage: bench/thread-cpu.sh health|me|slots|book}
BIN=${BIN:-.build-release/release}
DURATION=${DURATION:-10s}
PORT=18096
data=$(mktemp -d); before=$(mktemp); after=$(mktemp)
"$BIN/bookedbarber" serve --port $PORT --data-dir "$data" --log-level warning --bcrypt-cost 4 --no-rate-limit \
  --admin-email bench@admin.test --admin-password bench-admin-pass ${SERVER_ARGS:-} >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data" "$before" "$after"' EXIT
until curl -sf "http://127.0.0.1:$PORT/readiness" >/dev/null; do sleep 0.1; done
TOKEN=$(python3 bench/setup-shop.py "http://127.0.0.1:$PORT" bench@admin.test bench-admin-pass 200)
export TOKEN BARBERS=200 THREADS=1
case $ROUTE in
  health) args=("http://127.0.0.1:$PORT/health");;
  me) args=(-s bench/me.lua "http://127.0.0.1:$PORT");;
  slots) args=(-s bench/slots.lua "http://127.0.0.1:$PORT");;
  book) args=(-s bench/book.lua "http://127.0.0.1:$PORT");;
  *) echo "unknown route $ROUTE" >&2; exit 2;;
esac
DAY_OFFSET=10 wrk -t1 -c1 -d3s "${args[@]}" >/dev/null  # warm up
# One line per thread: id, name, user ticks, system ticks, voluntary and involuntary switches.
threads() {
  for task in /proc/$server/task/*; do
    printf '%s %s %s %s\n' "${task##*/}" "$(tr ' ' _ <"$task/comm")" "$(awk '{print $14, $15}' "$task/stat")" \
      "$(awk '/^voluntary_ctxt_switches/ {v=$2} /^nonvoluntary_ctxt_switches/ {n=$2} END {print v, n}' "$task/status")"
  done | sort
}
threads >"$before"
out=$(DAY_OFFSET=100 wrk -t1 -c1 -d"$DURATION" --latency "${args[@]}")
threads >"$after"
requests=$(awk '/requests in/ {print $1}' <<<"$out")
echo "$ROUTE ${SERVER_ARGS:-}: $requests requests, P50 $(awk '$1=="50%" {print $2}' <<<"$out")"
join "$before" "$after" | awk -v n="$requests" -v tick="$(getconf CLK_TCK)" '
  { user = ($8 - $3) / tick / n * 1e6; sys = ($9 - $4) / tick / n * 1e6
    vol = ($10 - $5) / n; invol = ($11 - $6) / n; tu += user; ts += sys
    if (user + sys >= 0.5 || vol >= 0.05)
      printf "  %-18s user %6.1f µs  system %6.1f µs  voluntary switches %.2f  involuntary %.2f\n", $2, user, sys, vol, invol }
  END { printf "  all threads        user %6.1f µs  system %6.1f µs per request\n", tu, ts }'
