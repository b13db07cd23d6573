"""The real peers of the mail tests: an SMTP server (aiosmtpd) that keeps every message it
receives, msmtp (Debian's) configured to deliver to it, and a shop set up through the API."""

import email
import email.policy
import os
import re
import stat
import sys
import threading
import time
import urllib.request

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bbserver import call, free_port  # noqa: E402

SENDER = "shop@mail.py.test"


class SMTPSink:
    """An SMTP server on 127.0.0.1 that accepts everything and keeps (envelope recipients,
    parsed message) of each mail, in arrival order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                with sink.lock:
                    sink.messages.append((list(envelope.rcpt_tos), message, envelope.content))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def snapshot(self):
        with self.lock:
            return list(self.messages)

    def by_message_id(self):
        ids = {}
        for _, message, _ in self.snapshot():
            ids.setdefault(message["Message-ID"], []).append(message)
        return ids

    def close(self):
        self.controller.stop()


def msmtp_config(sink, directory):
    """An msmtprc that hands every mail to `sink`, no authentication, no TLS."""
    path = os.path.join(str(directory), "msmtprc")
    with open(path, "w") as rc:
        rc.write(f"account default\nhost 127.0.0.1\nport {sink.port}\nauth off\ntls off\nfrom {SENDER}\n")
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return path


def metric(server, name):
    """The value of an unlabelled metric of the server's /metrics, or None."""
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=10) as response:
        text = response.read().decode()
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(found.group(1)) if found else None


def mail_flags(sendmail, reminders="24h,2h", retry="1"):
    return ["--sendmail", sendmail, "--mail-from", SENDER, "--reminders", reminders, "--mail-retry-delays", retry]


def parts(message):
    """(text, html, calendar part) of a mail of the server's shape, checking that shape:
    multipart/mixed of multipart/alternative (text/plain, text/html) and text/calendar."""
    assert message.get_content_type() == "multipart/mixed"
    top = list(message.iter_parts())
    assert [part.get_content_type() for part in top] == ["multipart/alternative", "text/calendar"]
    alternative = list(top[0].iter_parts())
    assert [part.get_content_type() for part in alternative] == ["text/plain", "text/html"]
    for part in alternative:
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] in ("base64", "quoted-printable")
    assert top[1].get_filename() == "appointment.ics"
    return alternative[0].get_content(), alternative[1].get_content(), top[1]


class Shop:
    """A New York shop with no notice, one barber working around the clock, a service, and a
    client whose name needs encoding in a header."""

    CLIENT_NAME = "Zoë <Tést> O'Brien"

    def __init__(self, server):
        self.server = server
        self.admin = server.admin_token()
        api = server.api
        status, _ = call("PATCH", api + "/shop", self.admin,
                         {"time_zone": "America/New_York", "min_notice_minutes": 0, "max_advance_days": 3000,
                          "name": "Clip & <Co>", "cancellation_cutoff_minutes": 0})
        assert status == 200
        status, barber = call("POST", api + "/barbers", self.admin, {"name": "Sam"})
        assert status == 201, barber
        self.barber = barber["id"]
        day = [{"start": "00:00", "end": "24:00"}]
        weekly = {name: day for name in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}
        assert call("PUT", f"{api}/barbers/{self.barber}/schedule", self.admin, {"weekly": weekly, "buffer_minutes": 0})[0] == 200
        status, service = call("POST", api + "/services", self.admin, {"name": "Cut & Shave", "duration_minutes": 15, "price_cents": 100})
        assert status == 201, service
        self.service = service["id"]
        self.email = f"zoe{time.monotonic_ns()}@py.test"
        status, client = call("POST", api + "/auth/register",
                              body={"email": self.email, "password": "password123", "name": self.CLIENT_NAME})
        assert status == 201, client
        self.client = client["user"]["id"]
        self.slot = 0

    def book(self, start=None):
        """Books `start` (Unix seconds), or the next free quarter hour from 2030-01-01 on."""
        if start is None:
            start = 1_893_456_000 + 900 * self.slot
            self.slot += 1
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start))
        status, appointment = call("POST", self.server.api + "/appointments", self.admin,
                                   {"barber_id": self.barber, "service_id": self.service, "start": stamp, "client_id": self.client})
        assert status == 201, appointment
        return appointment
