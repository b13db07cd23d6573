#!/usr/bin/env bash
# Installs the system packages BookedBarber needs on a fresh Debian machine that already has Swift.
#   zlib1g-dev  the zlib headers and library (compression and CRC of the log and snapshots)
#   prometheus  promtool, which the tests use to check deploy/alerts.yml and its unit tests
#   chromium, chromium-driver  headless browser and its WebDriver, for the browser suite
#               (Tests/Python/web, run from `swift test` by WebBrowserSuiteTests)
#   fonts-liberation  a font for the pages the browser renders (recommends are not installed)
#   msmtp       the sendmail-compatible SMTP client the mail suite hands mail to (Tests/Python/mail)
#   wrk         HTTP load generator, for the benchmarks in BENCHMARKS.md (optional: --with-bench)
# and the Python packages the Python suites use:
#   pytest, selenium  the browser suite's runner and WebDriver client
#   icalendar         parses the .ics the confirmation page offers
#   requests          the suite's plain HTTP calls (a forged cross-site form post)
#   standardwebhooks  verifies webhook signatures (Tests/Python/webhooks); icalendar also parses
#                     the calendar feeds (Tests/Python/feeds) and the mailed invitations
#   aiosmtpd          the SMTP server the mail suite receives mail with (Tests/Python/mail)
set -euo pipefail
packages=(zlib1g-dev prometheus chromium chromium-driver fonts-liberation msmtp)
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
python_packages=(pytest selenium icalendar requests standardwebhooks aiosmtpd)
python3 -m pip install -q "${python_packages[@]}"
echo "python packages present: ${python_packages[*]}"
