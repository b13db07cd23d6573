#!/usr/bin/env bash
# The 50,000-user load test through nginx, plus the ceiling of this stack in the same run.
#
#  1. installs nginx if missing (apt-get), builds the server (release) and the load test (release);
#  2. raises `ulimit -n` to the hard limit; starts `bookedbarber serve` on 127.0.0.1:$SERVER_PORT and
#     nginx (a config derived from deploy/nginx.conf: plain HTTP, listening on 127.0.0.2-5, reuseport,
#     upstream keep-alive to the server) and `reference-server` on 127.0.0.1:$REFERENCE_PORT;
#  3. ceiling: the load test's --ceiling mode against reference-server (closed model, CEILING_CONNECTIONS);
#  4. the booking run: USERS users on USERS connections through nginx, PROCESSES worker processes
#     (each holds USERS/PROCESSES sockets, under the 20,000 open-file limit per process), spread over
#     the four nginx addresses (under 28,000 ephemeral ports per address pair), --setup and --verify;
#  5. prints the report, server peak RSS and the ratio to the ceiling, and stops what it started by PID.
#
# Usage: LoadTests/run-50k.sh
# Environment: USERS (50000), PROCESSES (4), RATE (1000 req/s offered), DURATION (240 s), RAMP_UP (120 s:
#   the users' registrations, a bcrypt hash each, are spread over it), FSYNC (always),
#   NGINX_WORKERS (4), CEILING_CONNECTIONS (64), CEILING_DURATION (10), OUT (directory for the JSON reports
#   and nginx's error log).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
USERS=${USERS:-50000}
PROCESSES=${PROCESSES:-4}
RATE=${RATE:-1000}
DURATION=${DURATION:-240}
RAMP_UP=${RAMP_UP:-120}
FSYNC=${FSYNC:-always}
NGINX_WORKERS=${NGINX_WORKERS:-4}
CEILING_CONNECTIONS=${CEILING_CONNECTIONS:-64}
CEILING_DURATION=${CEILING_DURATION:-10}
SERVER_PORT=${SERVER_PORT:-18280}
REFERENCE_PORT=${REFERENCE_PORT:-18281}
PROXY_PORT=${PROXY_PORT:-18288}
ADDRESSES=(127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5)

if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx-light || apt-get install -y nginx || exit 2
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

hard=$(ulimit -Hn)
ulimit -n "$hard"
echo "ulimit -n: $(ulimit -n)"
per_process=$(( (USERS + PROCESSES - 1) / PROCESSES ))
if (( per_process + 200 > $(ulimit -n) )); then
    echo "USERS/PROCESSES = $per_process connections per process exceeds the open-file limit; raise PROCESSES" >&2
    exit 2
fi

(cd "$repo" && swift build -c release --scratch-path .build-release >&2) || exit 2
BIN="$repo/.build-release/release"
LOADTEST="$BIN/loadtest"
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
work=$(mktemp -d)
server="" proxy="" reference=""
cleanup() {
    for pid in $proxy $reference $server; do kill "$pid" 2>/dev/null; done
    for pid in $proxy $reference $server; do wait "$pid" 2>/dev/null; done
    cp "$work/nginx/error.log" "$OUT/nginx-error.log" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/data" "$work/nginx"
# --no-rate-limit: nginx is the only peer and, not being named with --trusted-proxy, would be one
# client for the whole load; naming it would still leave the 50k users on a few loopback
# addresses. The run measures capacity, not the limiter, so the limiter is off.
"$BIN/bookedbarber" serve --port "$SERVER_PORT" --data-dir "$work/data" --fsync "$FSYNC" --bcrypt-cost 4 --no-rate-limit \
    --admin-email load@admin.test --admin-password load-admin-pass --log-level warning &
server=$!
"$BIN/reference-server" --port "$REFERENCE_PORT" >/dev/null &
reference=$!

# deploy/nginx.conf for loopback: plain HTTP on several addresses, the same proxy settings.
listens=""
for address in "${ADDRESSES[@]}"; do listens+="        listen $address:$PROXY_PORT reuseport backlog=4096;"$'\n'; done
cat >"$work/nginx/nginx.conf" <<CONF
$( [[ $(id -u) == 0 ]] && echo "user root;" )
worker_processes $NGINX_WORKERS;
worker_rlimit_nofile $hard;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections $(( hard - 100 )); }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    upstream bookedbarber {
        server 127.0.0.1:$SERVER_PORT;
        keepalive 64;
        keepalive_requests 100000;
        keepalive_timeout 25s;           # under the server's --idle-timeout (30 s): see deploy/nginx.conf
    }
    server {
$listens
        client_max_body_size 64k;
        client_body_timeout 10s;
        # The load test opens every user's connection before the run and a user sends its first
        # request up to RAMP_UP later; with deploy/nginx.conf's 10 s, nginx closed the unused
        # connections after 10 s (about 46,000 reconnects a run), and a registration sent just
        # as one closed got no answer. Long enough for the ramp instead.
        client_header_timeout $((RAMP_UP + 60))s;
        large_client_header_buffers 4 16k;
        keepalive_timeout 600s;          # a load-test user may wait DURATION*USERS/RATE between requests
        keepalive_requests 1000000;
        send_timeout 10s;
        location / {
            proxy_pass http://bookedbarber;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Request-Id \$request_id;
            proxy_connect_timeout 2s;
            proxy_read_timeout 15s;
            proxy_send_timeout 15s;
            proxy_next_upstream off;
        }
        location = /metrics {
            allow 127.0.0.1;
            deny all;
            proxy_pass http://bookedbarber;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
CONF
"$NGINX" -t -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>&1 | grep -v "^$" >&2 || exit 2
"$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
proxy=$!

for _ in $(seq 200); do
    curl -sf "http://127.0.0.1:$SERVER_PORT/readiness" >/dev/null && curl -sf "http://127.0.0.1:$REFERENCE_PORT/constant" >/dev/null \
        && curl -sf "http://${ADDRESSES[0]}:$PROXY_PORT/health" >/dev/null && break
    sleep 0.1
done

echo "== ceiling: reference-server GET /constant, $CEILING_CONNECTIONS connections, closed model, ${CEILING_DURATION}s"
"$LOADTEST" --ceiling --target "http://127.0.0.1:$REFERENCE_PORT" --users "$CEILING_CONNECTIONS" \
    --duration "$CEILING_DURATION" --json-out "$OUT/ceiling.json"

# The kernel's TCP counters around the booking run (machine-wide): a full listen queue (nginx's or
# the server's) drops connection attempts, which the peer retries after a second or more.
tcp_counters() {
    awk '/^TcpExt:/ { if (!seen) { split($0, header); seen = 1 } else { split($0, values); for (i = 2; i <= NF; i++) print header[i], values[i] } }' /proc/net/netstat \
        | grep -E '^(ListenOverflows|ListenDrops|TCPSynRetrans|TCPTimeouts|TCPAbortOnTimeout) '
}
tcp_counters >"$OUT/tcp-before.txt"
# And the accept queues of the server's and nginx's listening sockets, five times a second
# (`ss`: Recv-Q is the queue's length, Send-Q its limit, the backlog).
sampler=
if command -v ss >/dev/null; then
    (while kill -0 "$server" 2>/dev/null; do
        ss -ltnH "( sport = :$SERVER_PORT or sport = :$PROXY_PORT )" | awk '{ print $4, $2, $3 }'
        sleep 0.2
    done) >"$OUT/listen-queues.txt" &
    sampler=$!
fi

targets=()
for address in "${ADDRESSES[@]}"; do targets+=(--target "http://$address:$PROXY_PORT"); done
echo "== booking: $USERS users, $USERS connections through nginx, $PROCESSES processes, offered $RATE req/s, ${DURATION}s"
echo "   $LOADTEST ${targets[*]} --users $USERS --connections $USERS --processes $PROCESSES --rate $RATE --duration $DURATION --ramp-up $RAMP_UP --setup --verify"
"$LOADTEST" "${targets[@]}" --users "$USERS" --connections "$USERS" --processes "$PROCESSES" --rate "$RATE" \
    --duration "$DURATION" --ramp-up "$RAMP_UP" --setup --verify --admin-email load@admin.test --admin-password load-admin-pass \
    --request-timeout 30 --json-out "$OUT/booking.json"
status=$?
tcp_counters >"$OUT/tcp-after.txt"
[[ -n $sampler ]] && kill "$sampler" 2>/dev/null

rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
python3 - "$OUT/ceiling.json" "$OUT/booking.json" "$rss_kib" <<'PY'
import json, sys
ceiling, booking = (json.load(open(p)) for p in sys.argv[1:3])
rss = int(sys.argv[3])
print("== summary")
print("ceiling (reference-server, direct): %.0f req/s" % ceiling["achieved_rps"])
print("booking flow through nginx: offered %s req/s, achieved %.0f req/s = %.3f of the ceiling" % (
    booking.get("offered_rps"), booking["achieved_rps"], booking["achieved_rps"] / ceiling["achieved_rps"]))
print("connections opened %d; server peak RSS %.1f MiB" % (booking["connections_opened"], rss / 1024))
for kind, k in sorted(booking["kinds"].items()):
    c = k["corrected"]
    print("  %-11s p50 %.3f  p99 %.3f  p99.9 %.3f ms (corrected; raw p99 %.3f)" % (kind, c["p50_ms"], c["p99_ms"], c["p99_9_ms"], k["raw"]["p99_ms"]))
print("verification:", "PASS" if booking.get("verification_passed") else "FAIL")
PY
echo "kernel TCP counters during the booking run (all sockets of the machine):"
paste "$OUT/tcp-before.txt" "$OUT/tcp-after.txt" | awk '{ printf "  %s %d\n", $1, $4 - $2 }'
if [[ -s $OUT/listen-queues.txt ]]; then
    echo "longest accept queue seen (address, length, backlog):"
    sort -k1,1 -k2,2n "$OUT/listen-queues.txt" | awk '{ last[$1] = $0 } END { for (a in last) print "  " last[a] }'
fi
echo "JSON reports in $OUT"
exit $status
