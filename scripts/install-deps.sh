#!/usr/bin/env bash
# Installs the system packages BookedBarber needs on a fresh Debian machine that already has Swift.
#   zlib1g-dev  the zlib headers and library (compression and CRC of the log and snapshots)
#   prometheus  promtool, which the tests use to check deploy/alerts.yml and its unit tests
#   wrk         HTTP load generator, for the benchmarks in BENCHMARKS.md (optional: --with-bench)
# and the Python peers of the tests under Tests/Python (pytest, run from `swift test`):
#   standardwebhooks  verifies webhook signatures (Tests/Python/webhooks)
#   icalendar         parses the calendar feeds (Tests/Python/feeds)
set -euo pipefail
packages=(zlib1g-dev prometheus)
[[ "${1:-}" == "--with-bench" ]] && packages+=(wrk)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "system packages present: ${packages[*]}"
python_packages=(pytest standardwebhooks icalendar)
python3 -m pip install -q "${python_packages[@]}"
echo "python packages present: ${python_packages[*]}"
