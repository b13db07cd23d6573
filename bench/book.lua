-- wrk script: POST /api/v2/appointments, each request a distinct 15-minute slot.
-- Request i of thread t books slot n = t + threads * i: barber n % BARBERS, then slots of the day,
-- then days, starting DAY_OFFSET days after 2030-01-01 (so separate rounds never collide).
-- SLOTS_PER_DAY (96, the whole day) below 96 spreads the bookings over more days: with 1, each
-- barber gets one appointment a day at 00:00 (bench/analytics.sh's small shop).
local token = os.getenv("TOKEN")
local barbers = tonumber(os.getenv("BARBERS") or "200")
local day_offset = tonumber(os.getenv("DAY_OFFSET") or "0")
local per_day = tonumber(os.getenv("SLOTS_PER_DAY") or "96")
local base = 1893456000 -- 2030-01-01T00:00:00Z
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  nthreads = tonumber(os.getenv("THREADS") or "2")
end

request = function()
  local n = id + nthreads * counter
  counter = counter + 1
  local barber = n % barbers + 1
  local slot = math.floor(n / barbers)
  local start = base + (day_offset + math.floor(slot / per_day)) * 86400 + (slot % per_day) * 900
  local body = string.format('{"barber_id":%d,"service_id":1,"start":"%s"}', barber, os.date("!%Y-%m-%dT%H:%M:%SZ", start))
  return wrk.format("POST", "/api/v2/appointments",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
