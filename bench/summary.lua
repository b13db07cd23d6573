-- wrk script: GET the analytics summary of the whole shop for RANGE_DAYS days from 2030-01-01,
-- with the admin's token (ADMIN_TOKEN).
local token = os.getenv("ADMIN_TOKEN")
local to = os.getenv("SUMMARY_TO") or "2030-03-31"
request = function()
  return wrk.format("GET", "/api/v2/analytics/summary?from=2030-01-01&to=" .. to, {["Authorization"] = "Bearer " .. token})
end
