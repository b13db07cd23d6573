-- wrk script: book exactly LIMIT appointments through POST /api/v2/appointments, in bench/book.lua's
-- slot order (barber, then time of day, then day, from DAY_OFFSET), then go idle. After its share
-- of LIMIT a thread sends GET /health only and stops at the answer to its last booking, so the
-- count is exact; wrk itself still runs for its -d. THREADS must equal wrk's -t.
dofile("bench/book.lua")
local limit = tonumber(os.getenv("LIMIT"))
local book = request
local sent = 0
local quota
-- wrk calls request() once on thread 0 before connecting, to check the script, and discards the
-- answer: give it a /health request so no slot is skipped.
local checked = false

request = function()
  quota = quota or math.floor(limit / nthreads) + ((id < limit % nthreads) and 1 or 0)
  if id == 0 and not checked then
    checked = true
    return wrk.format("GET", "/health")
  end
  if sent < quota then
    sent = sent + 1
    return book()
  end
  return wrk.format("GET", "/health")
end

local booked = 0 -- answers to bookings (201, or an error); /health answers 200
response = function(status, headers, body)
  if status ~= 200 then booked = booked + 1 end
  if booked >= quota then wrk.thread:stop() end
end
dofile("bench/tail-latency.lua")
