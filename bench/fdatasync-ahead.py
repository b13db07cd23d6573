#!/usr/bin/env python3
"""What a log record's fdatasync costs on this disk, appending vs. written ahead.

Appends of 200 bytes (about one booking record), each followed by `fdatasync`, to a file that
grows (as the log's segments do today: `O_APPEND`), then the same writes into a file whose
blocks were written (zeros) and synced beforehand, so the sync has data to flush but no file
size or extent to record in the file system's journal. Prints the P50 and P99 of the sync and
the process's CPU time per write + sync, for each mode twice, interleaved.

Usage: bench/fdatasync-ahead.py [DIRECTORY]   (default: the current one; use the data disk)
Environment: WRITES (3000 per run).
"""
import os
import sys
import time

directory = sys.argv[1] if len(sys.argv) > 1 else "."
writes = int(os.environ.get("WRITES", "3000"))
record = b"x" * 200


def run(written_ahead: bool) -> tuple[float, float, float]:
    path = os.path.join(directory, "fdatasync-ahead.test")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | (0 if written_ahead else os.O_APPEND))
    try:
        if written_ahead:
            os.write(fd, b"\0" * (writes * len(record) + 4096))
            os.fsync(fd)
            os.lseek(fd, 0, os.SEEK_SET)
        times = []
        cpu = time.process_time()
        for _ in range(writes):
            os.write(fd, record)
            start = time.perf_counter()
            os.fdatasync(fd)
            times.append(time.perf_counter() - start)
        cpu = (time.process_time() - cpu) / writes
    finally:
        os.close(fd)
        os.remove(path)
    times.sort()
    return times[len(times) // 2] * 1e6, times[int(len(times) * 0.99)] * 1e6, cpu * 1e6


for written_ahead in (False, True, False, True):
    p50, p99, cpu = run(written_ahead)
    mode = "written ahead" if written_ahead else "appending"
    print(f"{mode:<14} fdatasync P50 {p50:5.0f} µs  P99 {p99:5.0f} µs  CPU per write + fdatasync {cpu:4.0f} µs")
