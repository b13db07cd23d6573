#!/usr/bin/env python3
"""Reads the raw outputs of bench/durability.sh and prints its markdown tables.

Usage: durability-report.py OUT_DIR ROUNDS
"""
import collections
import datetime
import glob
import json
import os
import re
import statistics
import sys

out, rounds = sys.argv[1], int(sys.argv[2])


def read(path):
    with open(path) as f:
        return f.read()


def tail(path):
    """The TAIL line of bench/tail-latency.lua plus wrk's Requests/sec, as a dict (ms for latency)."""
    text = read(path)
    m = re.search(r"^TAIL (.*)$", text, re.M)
    if not m:
        raise SystemExit("no TAIL line in %s:\n%s" % (path, text))
    fields = dict(kv.split("=") for kv in m.group(1).split())
    result = {k: int(v) for k, v in fields.items()}
    for key in ("p50_us", "p99_us", "p999_us", "max_us"):
        result[key[:-3]] = result[key] / 1000.0
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    errors = re.search(r"Socket errors: (.*)", text)
    result["socket_errors"] = errors.group(1) if errors else ""
    return result


def median(values):
    return statistics.median(values) if values else float("nan")


def log_lines(path, message):
    """Metadata of the log lines of `path` ending in `message`, with their time as epoch seconds."""
    lines = []
    if not os.path.exists(path):
        return lines
    for line in read(path).splitlines():
        if not line.rstrip().endswith(message):
            continue
        stamp = datetime.datetime.strptime(line.split()[0], "%Y-%m-%dT%H:%M:%S%z").timestamp()
        meta = dict(re.findall(r"(\w+)=(\S+)", line))
        meta["at"] = stamp
        lines.append(meta)
    return lines


def seconds(text):
    return float(text)


def mib(kib):
    return "%.0f MiB" % (int(kib) / 1024)


# ---- machine -------------------------------------------------------------------------------------
print("### Machine\n")
print("```")
print(read(os.path.join(out, "machine.txt")).rstrip())
samples = os.path.join(out, "machine-samples.txt")
if os.path.exists(samples):
    loads, busy = [], collections.Counter()
    ours = {"bookedbarber", "reference-serve", "wrk", "ps", "sleep", "perf", "python3", "curl", "bash", "awk", "du"}
    text = read(samples)
    for block in text.split("== ")[1:]:
        head, *rows = block.strip().splitlines()
        loads.append(float(head.split("loadavg ")[1].split()[0]))
        for row in rows:
            pcpu, _, comm = row.split(None, 2)
            if comm not in ours:
                busy[comm] += float(pcpu)
    n = len(loads)
    print("load average (1 min) over %d samples: min %.2f, median %.2f, max %.2f" % (n, min(loads), median(loads), max(loads)))
    if busy:
        print("other processes (mean %CPU over the samples, top 5): " + ", ".join(
            "%s %.0f%%" % (comm, total / n) for comm, total in busy.most_common(5)))
print("```\n")

# ---- phase 1 -------------------------------------------------------------------------------------
print("### Booking throughput by --fsync mode (wrk -t2 -c64, median of %d interleaved rounds)\n" % rounds)
print("| server | req/s | vs ceiling | P50 ms | P99 ms | P99.9 ms | max ms | non-2xx | req/s per round |")
print("|---|---|---|---|---|---|---|---|---|")
rows = {}
for name in ("ceiling", "always", "everysec", "off"):
    runs = [tail(os.path.join(out, "p1", "%s-%d.txt" % (name, r))) for r in range(1, rounds + 1)]
    rows[name] = runs
labels = {"ceiling": "reference-server GET /constant (ceiling)", "always": "POST /api/v2/appointments, `--fsync always`",
          "everysec": "POST /api/v2/appointments, `--fsync everysec`", "off": "POST /api/v2/appointments, `--fsync off`"}
ceiling = median([r["rps"] for r in rows["ceiling"]])
for name, runs in rows.items():
    rps = median([r["rps"] for r in runs])
    print("| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %d | %s |" % (
        labels[name], rps, rps / ceiling, median([r["p50"] for r in runs]), median([r["p99"] for r in runs]),
        median([r["p999"] for r in runs]), median([r["max"] for r in runs]), sum(r["non2xx"] for r in runs),
        ", ".join("%.0f" % r["rps"] for r in runs)))
figures = dict(line.strip().split("=", 1) for line in open(os.path.join(out, "p1", "figures.txt")) if "=" in line)
print("\nServer peak RSS: " + ", ".join("%s %s" % (m, mib(figures[m + "_hwm_kib"])) for m in ("always", "everysec", "off")))
errors = sorted({r["socket_errors"] for runs in rows.values() for r in runs if r["socket_errors"]})
if errors:
    print("Socket errors: " + "; ".join(errors))

# ---- phase 2 -------------------------------------------------------------------------------------
p2 = os.path.join(out, "p2")
f = dict(line.strip().split("=", 1) for line in open(os.path.join(p2, "figures.txt")) if "=" in line)
scratch = json.loads(read(os.path.join(p2, "replay-from-scratch.json")))
snap_replay = json.loads(read(os.path.join(p2, "replay-snapshot.json")))
inspect = read(os.path.join(p2, "snapshot-inspect.txt"))
uncompressed = int(re.search(r"uncompressed bytes:\s+(\d+)", inspect).group(1))
bulk = tail(os.path.join(p2, "bulk.txt"))
log_only = log_lines(os.path.join(out, "p2-log-only.log"), "recovered")[0]
written = log_lines(os.path.join(out, "p2-log-only.log"), "snapshot written")
from_snapshot = log_lines(os.path.join(out, "p2-snapshot.log"), "recovered")[0]
appointments = sum(scratch["appointments"].values())

print("\n### A data dir of %s appointments\n" % format(appointments, ","))
print("| what | figure |")
print("|---|---|")
print("| appointments in the data dir (`replay --from-scratch`) | %s (%s), last LSN %d |" % (
    format(appointments, ","), ", ".join("%s %d" % kv for kv in sorted(scratch["appointments"].items()) if kv[1]),
    scratch["last_lsn"]))
print("| booking them through the API (`--fsync off`, wrk -c64) | %.0f s, %.0f bookings/s, non-2xx %d |" % (
    seconds(f["bulk_seconds"]), appointments / seconds(f["bulk_seconds"]), bulk["non2xx"]))
print("| log on disk | %.0f MiB in %s segments (%.0f bytes a booking record) |" % (
    int(f["wal_bytes"]) / 2**20, f["wal_segments"], int(f["wal_bytes"]) / scratch["last_lsn"]))
print("| `replay --from-scratch` (log alone, offline) | %.2f s to rebuild (the tool's figure); %.1f s wall with the digest |" % (
    scratch["seconds"], seconds(f["replay_scratch_wall_seconds"])))
print("| **server restart from the log alone** (%s records) | **%.2f s** (`recovered duration`), ready after %.2f s; peak RSS %s |" % (
    format(int(log_only["records_replayed"]), ","), float(log_only["duration"]), seconds(f["log_only_ready_seconds"]),
    mib(f["log_only_hwm_kib"])))
if written:
    w = written[-1]
    print("| snapshot written at SIGTERM (%s appointments, no load) | %.1f MiB file (%.1f MiB of payload before zlib level 1), **%.2f s** (`snapshot written duration`); SIGTERM to exit %.2f s, exit status %s |" % (
        format(int(re.search(r"appointments:\s+(\d+)", inspect).group(1)), ","), int(w["bytes"]) / 2**20,
        uncompressed / 2**20, float(w["duration"]), seconds(f["sigterm_seconds"]), f["sigterm_status"]))
else:
    print("| snapshot written at SIGTERM | none logged |")
print("| `replay` (snapshot, offline) | %.2f s to rebuild; %.1f s wall with the digest |" % (
    snap_replay["seconds"], seconds(f["replay_snapshot_wall_seconds"])))
print("| **server restart from the snapshot**, no tail | **%.2f s** (`recovered duration`), ready after %.2f s; peak RSS %s |" % (
    float(from_snapshot["duration"]), seconds(f["snapshot_ready_seconds"]), mib(f["snapshot_hwm_kib"])))

ready = dict(line.split() for line in open(os.path.join(out, "p3", "ready.txt")))
tail_start = log_lines(os.path.join(out, "p3-server.log"), "recovered")
if tail_start:
    r = tail_start[0]
    print("| **server restart from the snapshot + %s log records** | **%.2f s** (`recovered duration`), ready after %.2f s |" % (
        format(int(r["records_replayed"]), ","), float(r["duration"]), float(ready["p3-server"])))

# ---- phase 3 -------------------------------------------------------------------------------------
p3 = os.path.join(out, "p3")
windows = collections.defaultdict(dict)
for line in open(os.path.join(p3, "windows.txt")):
    name, edge, stamp = line.split()
    windows[name][edge] = float(stamp)
hwm = dict(line.split() for line in open(os.path.join(p3, "hwm.txt")))
snaps = log_lines(os.path.join(out, "p3-server.log"), "snapshot written")
for s in snaps:
    # The log stamps whole seconds: a snapshot ended within [at, at + 1).
    s["end"] = s["at"] + 0.5
    s["start"] = s["end"] - float(s["duration"])
print("\n### Latency under a paced load, with no snapshot and while one is written\n")
print("GET slots: wrk -t1 -c8 with a 5 ms pause per connection between requests; booking: wrk -t1 -c2 with a 20 ms")
print("pause. One server, %s appointments; server peak RSS %s.\n" % (
    format(int(re.search(r"appointments:\s+(\d+)", inspect).group(1)), ","), mib(hwm["p3-server"])))
print("| window | route | req/s | P50 ms | P99 ms | P99.9 ms | max ms | requests > 5 ms | share of the window under a snapshot (snapshot duration) |")
print("|---|---|---|---|---|---|---|---|---|")
summary = collections.defaultdict(list)
for name in sorted(windows, key=lambda n: windows[n]["start"]):
    start, end = windows[name]["start"], windows[name]["end"]
    covered, durations = 0.0, []
    for s in snaps:
        overlap = min(end, s["end"]) - max(start, s["start"])
        if overlap > 0:
            covered += overlap
            durations.append("%.1f s" % float(s["duration"]))
    kind = name.rsplit("-", 1)[0]
    for route in ("slots", "book"):
        t = tail(os.path.join(p3, "%s-%s.txt" % (name, route)))
        summary[(kind, route)].append(t)
        print("| %s | %s | %.0f | %.2f | %.2f | %.2f | %.1f | %d (%.2f%%) | %.0f%%%s |" % (
            name, "GET slots" if route == "slots" else "POST booking", t["rps"], t["p50"], t["p99"], t["p999"], t["max"],
            t["over5ms"], 100.0 * t["over5ms"] / max(1, t["requests"]), 100 * covered / (end - start),
            " (" + ", ".join(durations) + ")" if durations else ""))
print("\nMedians over the windows (requests > 5 ms: all windows of the kind together):\n")
print("| route | window | P50 ms | P99 ms | P99.9 ms | max ms | requests > 5 ms |")
print("|---|---|---|---|---|---|---|")
kinds = {"quiet": "no snapshot", "snapshot": "during a snapshot",
         "snapshot-nice19": "during a snapshot, encoding thread at nice 19"}
for route in ("slots", "book"):
    for kind in kinds:
        runs = summary[(kind, route)]
        if not runs:
            continue
        print("| %s | %s | %.2f | %.2f | %.2f | %.1f | %.2f%% |" % (
            "GET slots" if route == "slots" else "POST booking", kinds[kind],
            median([t["p50"] for t in runs]), median([t["p99"] for t in runs]), median([t["p999"] for t in runs]),
            median([t["max"] for t in runs]),
            100.0 * sum(t["over5ms"] for t in runs) / max(1, sum(t["requests"] for t in runs))))
print("\nSnapshots written under load (phase 3): " + ", ".join(
    "%.1f s / %.1f MiB" % (float(s["duration"]), int(s["bytes"]) / 2**20) for s in snaps))
reniced = os.path.join(p3, "reniced.txt")
if os.path.exists(reniced):
    print("\nReniced threads (tid:previous nice): " + "; ".join(line.strip() for line in open(reniced)))
perf = os.path.join(p3, "perf-by-thread.txt")
if os.path.exists(perf):
    print("\nperf, server CPU samples by thread during the first snapshot window:\n")
    print("```")
    print(read(perf).rstrip())
    print("```")
