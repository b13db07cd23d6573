#!/usr/bin/env bash
# Writes a golden data directory for the current on-disk format version into Snapshots/vN/:
# a demo shop, bookings, cancellations and reschedules, at least one snapshot and log records after
# it, cut by kill -9 (so the tail is replayed from the log). Records the digest `replay` prints, and
# checks that the log alone replays to the same digest.
#
# Usage: Snapshots/make-fixture.sh VERSION [BINARY]   e.g. Snapshots/make-fixture.sh 1
# BINARY defaults to .build/debug/bookedbarber (run `swift build` first).
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?format version, e.g. 1}
binary=${2:-.build/debug/bookedbarber}
target="Snapshots/v$version"
[[ -e "$target" ]] && { echo "$target exists; a fixture is never rewritten" >&2; exit 1; }
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
base="http://127.0.0.1:$port/api/v2"
"$binary" serve --demo --port "$port" --data-dir "$work" --bcrypt-cost 4 --snapshot-every 25 >"$work.log" 2>&1 &
server=$!
trap 'kill -9 $server 2>/dev/null || true; rm -rf "$work" "$work.log"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readiness" >/dev/null && break; sleep 0.1; done

token() { curl -sf -X POST "$base/auth/login" -H 'content-type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'; }
admin=$(token admin@demo.bookedbarber.test demo-admin-pass)
client=$(token client@demo.bookedbarber.test demo-client-pass)
post() { curl -s -o /dev/null -w '%{http_code}\n' -X POST "$base$1" -H "authorization: Bearer $2" -H 'content-type: application/json' -d "$3"; }

day=$(python3 -c 'import datetime; d=datetime.date.today()+datetime.timedelta(days=7); d+=datetime.timedelta(days=(7-d.weekday())%7); print(d)')  # a Monday
for hour in 9 10 11 13 14 15 16; do
    for barber in 1 2 3; do
        post /appointments "$client" "{\"barber_id\":$barber,\"service_id\":1,\"start\":\"${day}T$(printf %02d $hour):00:00-05:00\",\"notes\":\"fixture\"}"
    done
done | sort | uniq -c >&2
post /appointments/1/cancel "$client" '{"reason":"fixture cancel"}'
post /appointments/2/complete "$admin" '{}'
sleep 2  # the snapshotter checks once a second
next=$(python3 -c "import datetime; print(datetime.date.fromisoformat('$day')+datetime.timedelta(days=1))")
post /appointments/3/reschedule "$admin" "{\"start\":\"${next}T10:00:00-05:00\",\"barber_id\":1}"
post /appointments/4/no-show "$admin" '{}'
post /barbers/2/time-off "$admin" "{\"start\":\"${day}T16:00:00-05:00\",\"end\":\"${day}T17:00:00-05:00\",\"reason\":\"dentist\"}"
curl -s -o /dev/null -X PATCH "$base/shop" -H "authorization: Bearer $admin" -H 'content-type: application/json' -d '{"cancellation_cutoff_minutes":60}'
kill -9 $server
wait $server 2>/dev/null || true

ls "$work"/snapshot-*.snap >/dev/null  # at least one snapshot
mkdir -p "$target/data"
cp "$work"/wal-*.log "$work"/snapshot-*.snap "$target/data/"
"$binary" replay --data-dir "$target/data" --json >"$target/expected.json"
scratch=$("$binary" replay --data-dir "$target/data" --from-scratch --json | python3 -c 'import sys,json; print(json.load(sys.stdin)["digest"])')
expected=$(python3 -c 'import sys,json; print(json.load(open(sys.argv[1]))["digest"])' "$target/expected.json")
[[ "$scratch" == "$expected" ]] || { echo "log-only replay gives $scratch, snapshot + tail gives $expected" >&2; exit 1; }
cat "$target/expected.json"
