#!/usr/bin/env python3
"""Sets up a benchmark shop through the public API, as admin.

UTC shop, no minimum notice, a 10-year horizon, BARBERS barbers working 00:00-24:00 every day,
one 15-minute service, and one client. Prints the client's token (for the wrk scripts).
Usage: setup-shop.py BASE_URL ADMIN_EMAIL ADMIN_PASSWORD BARBERS
"""
import json
import sys
import urllib.request

base, email, password, barbers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def call(method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(request, data) as response:
        return json.loads(response.read() or b"null")


admin = call("POST", "/api/v2/auth/login", {"email": email, "password": password})["token"]
call("PATCH", "/api/v2/shop", {"time_zone": "UTC", "min_notice_minutes": 0, "max_advance_days": 3660,
                               "slot_interval_minutes": 15}, admin)
day = [{"start": "00:00", "end": "24:00"}]
weekly = {d: day for d in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}
for index in range(barbers):
    barber = call("POST", "/api/v2/barbers", {"name": "Bench %d" % index}, admin)
    call("PUT", "/api/v2/barbers/%d/schedule" % barber["id"], {"weekly": weekly, "buffer_minutes": 0}, admin)
call("POST", "/api/v2/services", {"name": "Quick trim", "duration_minutes": 15, "price_cents": 1000}, admin)
client = call("POST", "/api/v2/auth/register", {"email": "bench@client.test", "password": "bench-password",
                                                "name": "Bench"})
print(client["token"])
