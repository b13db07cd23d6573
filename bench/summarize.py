#!/usr/bin/env python3
"""Reads wrk outputs of bench/run.sh and prints medians and ratios to the ceiling as markdown."""
import re
import statistics
import sys

out, rounds, rss_kib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse(path):
    text = open(path).read()
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))}
    for pct in ("50", "90", "99"):
        result["p" + pct] = to_ms(re.search(r"^\s+%s%%\s+(\S+)" % pct, text, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    result["non2xx"] = int(bad.group(1)) if bad else 0
    errors = re.search(r"Socket errors: (.*)", text)
    result["socket_errors"] = errors.group(1) if errors else "none"
    return result


rows = {}
for name in ("ceiling", "slots", "book"):
    runs = [parse("%s/%s-%d.txt" % (out, name, r)) for r in range(1, rounds + 1)]
    rows[name] = {key: statistics.median(run[key] for run in runs) for key in ("rps", "p50", "p90", "p99")}
    rows[name]["non2xx"] = sum(run["non2xx"] for run in runs)
    rows[name]["all_rps"] = [round(run["rps"]) for run in runs]
    rows[name]["socket_errors"] = "; ".join(sorted(set(run["socket_errors"] for run in runs)))

labels = {"ceiling": "Hummingbird constant JSON (ceiling)", "slots": "GET /api/v2/appointments/slots (one barber, one day)",
          "book": "POST /api/v2/appointments (each a new slot)"}
print("| route | req/s (median of %d) | vs ceiling | P50 ms | P90 ms | P99 ms | non-2xx | req/s per round |" % rounds)
print("|---|---|---|---|---|---|---|---|")
for name in ("ceiling", "slots", "book"):
    row = rows[name]
    print("| %s | %.0f | %.2f | %.3f | %.3f | %.3f | %d | %s |" % (
        labels[name], row["rps"], row["rps"] / rows["ceiling"]["rps"], row["p50"], row["p90"], row["p99"],
        row["non2xx"], ", ".join(map(str, row["all_rps"]))))
print()
print("server peak RSS: %.1f MiB; socket errors: %s" % (rss_kib / 1024, rows["book"]["socket_errors"]))
