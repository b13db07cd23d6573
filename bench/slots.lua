-- wrk script: GET the slots of one barber for one day, barbers and days varying per request.
local barbers = tonumber(os.getenv("BARBERS") or "200")
local counter = 0
request = function()
  counter = counter + 1
  local barber = counter % barbers + 1
  local day = 1 + counter % 28
  return wrk.format("GET", string.format("/api/v2/appointments/slots?service_id=1&barber_id=%d&date=2030-02-%02d", barber, day))
end
