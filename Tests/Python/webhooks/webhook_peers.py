"""A real webhook receiver that verifies with the standardwebhooks library, and a shop set up
through the API, for the webhook delivery tests."""

import http.server
import itertools
import os
import sys
import threading
import time

from standardwebhooks.webhooks import Webhook

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bbserver import call  # noqa: E402


class Receiver:
    """An HTTP receiver that verifies every delivery with the standardwebhooks library.

    `failures_before_success` answers 500 that many times per webhook-id before a 204;
    `accepting = False` answers 503 to everything."""

    def __init__(self):
        self.lock = threading.Lock()
        self.secret = None
        self.failures_before_success = 0
        self.accepting = True
        self.attempts = []  # (webhook-id, status answered)
        self.delivered = {}  # webhook-id -> verified payload (first success)
        self.verification_errors = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                if len(body) < length:
                    # The sender went away mid-request (a test kills the server with -9): nothing
                    # arrived to verify or answer, as for any receiver.
                    self.close_connection = True
                    return
                headers = {name.lower(): value for name, value in self.headers.items()}
                with receiver.lock:
                    try:
                        payload = Webhook(receiver.secret).verify(body, headers)
                    except Exception as error:  # a delivery that does not verify is a test failure
                        receiver.verification_errors.append(f"{headers.get('webhook-id')}: {error!r}")
                        payload = None
                    event_id = headers.get("webhook-id")
                    failed_so_far = sum(1 for attempt in receiver.attempts if attempt[0] == event_id and attempt[1] >= 500)
                    if not receiver.accepting:
                        status = 503
                    elif failed_so_far < receiver.failures_before_success:
                        status = 500
                    else:
                        status = 204
                        if payload is not None:
                            receiver.delivered.setdefault(event_id, payload)
                    receiver.attempts.append((event_id, status))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def snapshot(self):
        with self.lock:
            return dict(self.delivered), list(self.attempts), list(self.verification_errors)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Shop:
    """A UTC shop with no notice, one barber working around the clock, a service, a client."""

    def __init__(self, server):
        self.server = server
        self.admin = server.admin_token()
        api = server.api
        status, _ = call("PATCH", api + "/shop", self.admin,
                         {"time_zone": "UTC", "min_notice_minutes": 0, "max_advance_days": 3000})
        assert status == 200
        status, barber = call("POST", api + "/barbers", self.admin, {"name": "Sam"})
        assert status == 201, barber
        self.barber = barber["id"]
        day = [{"start": "00:00", "end": "24:00"}]
        weekly = {name: day for name in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}
        status, _ = call("PUT", f"{api}/barbers/{self.barber}/schedule", self.admin, {"weekly": weekly, "buffer_minutes": 0})
        assert status == 200
        status, service = call("POST", api + "/services", self.admin, {"name": "Cut", "duration_minutes": 15, "price_cents": 100})
        assert status == 201, service
        self.service = service["id"]
        status, client = call("POST", api + "/auth/register",
                              body={"email": f"c{time.monotonic_ns()}@py.test", "password": "password123", "name": "Cli"})
        assert status == 201, client
        self.client = client["user"]["id"]
        self.slots = itertools.count()  # next() of a count is atomic: threads may book at once

    def book(self):
        """Books the next free quarter hour from 2030-01-01 on; returns the appointment."""
        start = 1_893_456_000 + 900 * next(self.slots)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start))
        status, appointment = call("POST", self.server.api + "/appointments", self.admin,
                                   {"barber_id": self.barber, "service_id": self.service, "start": stamp, "client_id": self.client})
        assert status == 201, appointment
        return appointment

    def subscribe(self, receiver, events=("*",)):
        status, webhook = call("POST", self.server.api + "/webhooks", self.admin, {"url": receiver.url, "events": list(events)})
        assert status == 201, webhook
        receiver.secret = webhook["secret"]
        return webhook
