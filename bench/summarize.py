#!/usr/bin/env python3
"""Reads the wrk outputs of bench/run.sh and prints medians and ratios to the references as markdown."""
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


def rows(names):
    table = {}
    for name in names:
        runs = [parse("%s/%s-%d.txt" % (out, name, r)) for r in range(1, rounds + 1)]
        row = {key: statistics.median(run[key] for run in runs) for key in ("rps", "p50", "p90", "p99")}
        row["non2xx"] = sum(run["non2xx"] for run in runs)
        row["all_rps"] = [round(run["rps"]) for run in runs]
        row["socket_errors"] = "; ".join(sorted(set(run["socket_errors"] for run in runs)))
        table[name] = row
    return table


labels = {
    "nio": "raw SwiftNIO constant JSON", "hummingbird": "Hummingbird constant JSON", "health": "GET /health",
    "slots": "GET /api/v2/appointments/slots (one barber, one day)", "me": "GET /api/v2/auth/me",
    "book": "POST /api/v2/appointments (each a new slot, fsync always)",
}
many = rows(["nio", "hummingbird", "health", "slots", "me", "book"])
print("With many connections (median of %d rounds):" % rounds)
print()
print("| route | req/s | vs raw NIO | vs Hummingbird | P50 ms | P90 ms | P99 ms | non-2xx | req/s per round |")
print("|---|---|---|---|---|---|---|---|---|")
for name, row in many.items():
    print("| %s | %.0f | %.2f | %.2f | %.3f | %.3f | %.3f | %d | %s |" % (
        labels[name], row["rps"], row["rps"] / many["nio"]["rps"], row["rps"] / many["hummingbird"]["rps"],
        row["p50"], row["p90"], row["p99"], row["non2xx"], ", ".join(map(str, row["all_rps"]))))

one = rows(["nio1", "hummingbird1", "health1", "book1"])
fsync = statistics.median(float(open("%s/fsync-%d.txt" % (out, r)).read()) for r in range(1, rounds + 1))
print()
print("With one connection (median of %d rounds):" % rounds)
print()
print("| route | P50 ms | P90 ms | P99 ms | req/s |")
print("|---|---|---|---|---|")
for name, row in one.items():
    print("| %s | %.3f | %.3f | %.3f | %.0f |" % (labels[name[:-1]], row["p50"], row["p90"], row["p99"], row["rps"]))
book, hb, health = one["book1"]["p50"], one["hummingbird1"]["p50"], one["health1"]["p50"]
print()
print("fsync P50 (server's dashboard, after the one-connection bookings): %.3f ms" % fsync)
print("booking P50 %.3f ms vs fsync P50 + Hummingbird P50 + 0.1 ms = %.3f ms" % (book, fsync + hb + 0.1))
print("/health P50 / Hummingbird P50 = %.2f" % (health / hb))
print()
print("server peak RSS: %.1f MiB; socket errors: %s" % (rss_kib / 1024, many["book"]["socket_errors"]))
