-- wrk helper: include after a request script (dofile) to print tail latency and status counts in
-- a machine-readable line at the end of the run:
--   TAIL p50_us=… p99_us=… p999_us=… max_us=… over5ms=… requests=… non2xx=… errors=… duration_us=…
-- (over5ms: about how many requests took longer than 5 ms, found by bisecting
-- latency:percentile(), since wrk 4.1 does not hand its histogram to Lua.)
-- Also optional pacing: DELAY_MS (per connection, between requests) turns wrk into a moderate,
-- roughly fixed-rate load (connections / DELAY_MS requests per ms at most).
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
if delay_ms > 0 then
  delay = function() return delay_ms end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local over = 0
  if latency.max > 5000 then
    local lo, hi = 0, 100 -- percentile(lo) <= 5 ms < percentile(hi)
    for _ = 1, 50 do
      local mid = (lo + hi) / 2
      if latency:percentile(mid) > 5000 then hi = mid else lo = mid end
    end
    over = math.floor((100 - lo) / 100 * summary.requests + 0.5)
  end
  io.write(string.format(
    "TAIL p50_us=%d p99_us=%d p999_us=%d max_us=%d over5ms=%d requests=%d non2xx=%d errors=%d duration_us=%d\n",
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max, over,
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout, summary.duration))
end
