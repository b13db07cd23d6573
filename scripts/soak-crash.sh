#!/usr/bin/env bash
# Crash soak: the kill -9 test of the real server (ServerProcessTests) with many more cycles than
# the suite runs. Each cycle books from 8 concurrent clients, kills the server with SIGKILL at a
# random moment, restarts it and checks that every acknowledged booking survived, that ids are not
# reused and that no barber is double-booked; a graceful SIGTERM at the end must exit 0.
# The server runs with --no-rate-limit (ServerProcess.start): the 8 clients share one address.
# Usage: scripts/soak-crash.sh [CYCLES]   (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
BOOKEDBARBER_CRASH_CYCLES=${1:-100} swift test --filter ServerProcessTests
