-- wrk script: GET /api/v2/auth/me with the client's token (an authenticated read).
local token = os.getenv("TOKEN")
request = function()
  return wrk.format("GET", "/api/v2/auth/me", {["Authorization"] = "Bearer " .. token})
end
