#!/usr/bin/env python3
"""Sends exactly COUNT requests of one KIND over one keep-alive connection, for bench/callgrind.sh.

KIND: health, me (GET /api/v2/auth/me), slots (one barber, one day), book (each a new slot).
Usage: callgrind-client.py PORT TOKEN KIND COUNT OFFSET   (OFFSET shifts the booked slots)
"""
import http.client
import json
import sys
import time

port, token, kind, count, offset = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
auth = {"authorization": "Bearer " + token}
base = 1893456000  # 2030-01-01T00:00:00Z
for index in range(count):
    if kind == "health":
        connection.request("GET", "/health")
    elif kind == "me":
        connection.request("GET", "/api/v2/auth/me", headers=auth)
    elif kind == "slots":
        connection.request("GET", "/api/v2/appointments/slots?service_id=1&barber_id=%d&date=2030-02-%02d"
                           % (index % 10 + 1, 1 + index % 28))
    elif kind == "book":
        n = offset + index
        start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + (n // (96 * 10)) * 86400 + (n % 96) * 900))
        body = json.dumps({"barber_id": (n // 96) % 10 + 1, "service_id": 1, "start": start})
        connection.request("POST", "/api/v2/appointments", body=body, headers={**auth, "content-type": "application/json"})
    response = connection.getresponse()
    response.read()
    if response.status >= 300:
        sys.exit("%s request %d: status %d" % (kind, index, response.status))
