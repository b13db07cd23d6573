-- wrk script: GET the slots of one barber for one day (as bench/slots.lua), barbers and days
-- varying, paced by DELAY_MS per connection; prints the TAIL line of bench/tail-latency.lua.
-- Days are SLOTS_DAY_OFFSET + (0..27) days after 2030-01-01 (default 200: days no benchmark
-- books, so every answer lists 96 slots, like bench/slots.lua on a fresh shop).
local barbers = tonumber(os.getenv("BARBERS") or "200")
local day_offset = tonumber(os.getenv("SLOTS_DAY_OFFSET") or "200")
local base = 1893456000 -- 2030-01-01T00:00:00Z
local counter = 0
request = function()
  counter = counter + 1
  local barber = counter % barbers + 1
  local day = os.date("!%Y-%m-%d", base + (day_offset + counter % 28) * 86400)
  return wrk.format("GET", string.format("/api/v2/appointments/slots?service_id=1&barber_id=%d&date=%s", barber, day))
end
dofile("bench/tail-latency.lua")
