"""The live event stream (Server-Sent Events) against the real process: a booking is seen within
a second, each role sees only its own events, Last-Event-ID resumes, the session cookie works,
comment lines keep a quiet stream alive, and the streams per user are bounded. The walk-in
board: `queue.updated` after a check-in on the events stream (whole for staff, the public view
for a client) and on the anonymous board stream `/api/v2/queue/stream`; waitlist events to the
entry's client and not to others; ids stable across kill -9."""

import http.client
import json
import os
import queue
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bbserver import call  # noqa: E402


class Stream:
    """One open stream; its messages (dicts with id/event/data, or {"comment": text}) arrive on a queue."""

    def __init__(self, server, token=None, cookie=None, last_event_id=None, path="/api/v2/events/stream"):
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        headers = {"Accept": "text/event-stream"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if cookie:
            headers["Cookie"] = f"bb_session={cookie}"
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self.connection.request("GET", path, headers=headers)
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.messages = queue.Queue()
        if self.status == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        message = {}
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\r\n")
                if line == "":
                    if message:
                        self.messages.put(message)
                    message = {}
                elif line.startswith(":"):
                    self.messages.put({"comment": line[1:].strip()})
                else:
                    name, _, value = line.partition(":")
                    message[name] = value[1:] if value.startswith(" ") else value
        except Exception:
            pass

    def next_event(self, timeout):
        """The next message that is an event (comments skipped), or an AssertionError at the deadline."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no event within {timeout} s")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                raise AssertionError(f"no event within {timeout} s")
            if "comment" not in message:
                message["json"] = json.loads(message["data"])
                return message

    def close(self):
        # The reader thread holds the socket through the response; shut it down so the server sees the end.
        if self.connection.sock is not None:
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.connection.close()


def set_up(server):
    admin = server.admin_token()
    api = server.api
    assert call("PATCH", api + "/shop", admin, {"time_zone": "UTC", "min_notice_minutes": 0, "max_advance_days": 3000})[0] == 200
    status, barber = call("POST", api + "/barbers", admin, {"name": "Sam"})
    day = [{"start": "00:00", "end": "24:00"}]
    weekly = {name: day for name in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}
    assert call("PUT", f"{api}/barbers/{barber['id']}/schedule", admin, {"weekly": weekly, "buffer_minutes": 0})[0] == 200
    status, service = call("POST", api + "/services", admin, {"name": "Cut", "duration_minutes": 15, "price_cents": 100})
    clients = []
    for name in ["ann", "bob"]:
        status, client = call("POST", api + "/auth/register", body={"email": f"{name}@py.test", "password": "password123", "name": name})
        assert status == 201
        clients.append(client)
    return admin, barber["id"], service["id"], clients


def book(server, admin, barber, service, client, slot):
    start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_893_456_000 + 900 * slot))
    status, appointment = call("POST", server.api + "/appointments", admin,
                               {"barber_id": barber, "service_id": service, "start": start, "client_id": client["user"]["id"]})
    assert status == 201, appointment
    return appointment


def test_bookings_reach_the_right_streams_within_a_second(server_factory):
    server = server_factory(extra=())
    admin, barber, service, (ann, bob) = set_up(server)
    everything = Stream(server, token=admin)
    anns = Stream(server, token=ann["token"])
    bobs = Stream(server, cookie=bob["token"])  # the web pages' session cookie
    assert (everything.status, anns.status, bobs.status) == (200, 200, 200)

    sent = time.monotonic()
    first = book(server, admin, barber, service, ann, 0)
    seen = anns.next_event(timeout=1.0)
    assert time.monotonic() - sent < 1.0
    assert seen["event"] == "appointment.created"
    assert seen["id"] == seen["json"]["id"]
    assert seen["json"]["data"]["appointment"] == first
    assert everything.next_event(timeout=1.0)["json"]["data"]["appointment"]["id"] == first["id"]

    second = book(server, admin, barber, service, bob, 1)
    assert bobs.next_event(timeout=1.0)["json"]["data"]["appointment"]["id"] == second["id"], "bob never sees ann's booking"
    assert everything.next_event(timeout=1.0)["json"]["data"]["appointment"]["id"] == second["id"]
    assert call("POST", f"{server.api}/appointments/{first['id']}/cancel", admin, {})[0] == 200
    cancelled = anns.next_event(timeout=1.0)
    assert cancelled["event"] == "appointment.cancelled" and cancelled["json"]["data"]["appointment"]["status"] == "cancelled"

    # Resume after the first event: the admin gets the two after it, in order.
    resumed = Stream(server, token=admin, last_event_id=seen["id"])
    assert [resumed.next_event(timeout=2.0)["event"] for _ in range(2)] == ["appointment.created", "appointment.cancelled"]
    # An id the server never gave resumes from now.
    future = Stream(server, token=admin, last_event_id="evt_999999")
    future.messages.get(timeout=5)  # the opening comment: the stream is in place
    third = book(server, admin, barber, service, bob, 2)
    assert future.next_event(timeout=1.0)["json"]["data"]["appointment"]["id"] == third["id"]
    for stream in (everything, anns, bobs, resumed, future):
        stream.close()


def test_a_quiet_stream_gets_a_comment_line_within_15_seconds(server_factory):
    server = server_factory(extra=())
    stream = Stream(server, token=server.admin_token())
    opened = stream.messages.get(timeout=5)
    assert "comment" in opened
    started = time.monotonic()
    heartbeat = stream.messages.get(timeout=15)
    assert "comment" in heartbeat and time.monotonic() - started <= 15
    stream.close()


def test_authentication_and_the_bound_on_streams_per_user(server_factory):
    server = server_factory(extra=())
    admin = server.admin_token()
    assert Stream(server).status == 401
    assert Stream(server, token="not-a-token").status == 401
    assert Stream(server, cookie="not-a-token").status == 401
    open_streams = [Stream(server, token=admin) for _ in range(5)]
    assert all(stream.status == 200 for stream in open_streams)
    refused = Stream(server, token=admin)
    assert refused.status == 429
    open_streams[0].close()

    def admitted_again():
        stream = Stream(server, token=admin)
        if stream.status == 200:
            open_streams.append(stream)
            return True
        return False

    # The server notices the closed connection when a write to it fails (a heartbeat at the latest).
    deadline = time.monotonic() + 30
    while not admitted_again():
        assert time.monotonic() < deadline, "a closed stream never gave its place back"
        time.sleep(0.1)
    for stream in open_streams:
        stream.close()


BOARD = "/api/v2/queue/stream"


def check_in(server, admin, service, name, phone=None):
    body = {"name": name, "service_id": service}
    if phone:
        body["phone"] = phone
    status, walk_in = call("POST", server.api + "/queue", admin, body)
    assert status == 201, walk_in
    return walk_in


def test_a_check_in_reaches_staff_clients_and_the_anonymous_board_within_a_second(server_factory):
    server = server_factory(extra=())
    admin, barber, service, (ann, bob) = set_up(server)
    staff = Stream(server, token=admin)
    client = Stream(server, token=ann["token"])
    board = Stream(server, path=BOARD)
    assert (staff.status, client.status, board.status) == (200, 200, 200)
    for stream in (staff, client, board):
        assert "comment" in stream.messages.get(timeout=5)  # the opening comment: the stream is in place

    sent = time.monotonic()
    sam = check_in(server, admin, service, "Sam Taylor", phone="555-0100")
    seen = board.next_event(timeout=1.0)
    assert time.monotonic() - sent < 1.0
    assert seen["event"] == "queue.updated" and seen["id"] == seen["json"]["id"]
    public = seen["json"]["data"]["entries"]
    assert [entry["id"] for entry in public] == [sam["id"]]
    assert public[0]["name"] == "Sam T." and "phone" not in public[0], "the board shows the public view"
    assert public[0]["position"] == 1 and public[0]["status"] == "waiting" and public[0]["estimated_start"]
    assert client.next_event(timeout=1.0)["json"]["data"]["entries"] == public, "a client gets the public view too"
    whole = staff.next_event(timeout=1.0)
    assert whole["id"] == seen["id"]
    assert whole["json"]["data"]["entries"][0]["name"] == "Sam Taylor"
    assert whole["json"]["data"]["entries"][0]["phone"] == "555-0100"
    # What the board pushes is what GET /api/v2/queue answers (one encoder), estimate aside.
    status, listed = call("GET", server.api + "/queue")
    assert status == 200
    assert [{k: v for k, v in e.items() if k != "estimated_start"} for e in listed["entries"]] == \
        [{k: v for k, v in e.items() if k != "estimated_start"} for e in public]

    # The board stream carries nothing but the board: a booking does not reach it, a leave does.
    book(server, admin, barber, service, ann, 100)
    assert staff.next_event(timeout=1.0)["event"] == "appointment.created"
    assert call("POST", f"{server.api}/queue/{sam['id']}/leave", admin)[0] == 200
    left = board.next_event(timeout=1.0)
    assert left["event"] == "queue.updated" and left["json"]["data"]["entries"] == []

    # Last-Event-ID resumes the board after the first push: the second one follows.
    resumed = Stream(server, path=BOARD, last_event_id=seen["id"])
    assert resumed.next_event(timeout=2.0)["id"] == left["id"]
    for stream in (staff, client, board, resumed):
        stream.close()


def test_waitlist_events_reach_their_client_and_staff_and_keep_their_ids_after_kill_9(server_factory):
    server = server_factory(extra=())
    admin, barber, service, (ann, bob) = set_up(server)
    taken = book(server, admin, barber, service, bob, 0)
    day = taken["start"][:10]
    status, entry = call("POST", server.api + "/waitlist", ann["token"],
                         {"service_id": service, "barber_id": barber, "date_from": day, "date_to": day})
    assert status == 201, entry
    anns, bobs, staff = Stream(server, token=ann["token"]), Stream(server, token=bob["token"]), Stream(server, token=admin)
    for stream in (anns, bobs, staff):
        assert "comment" in stream.messages.get(timeout=5)

    assert call("POST", f"{server.api}/appointments/{taken['id']}/cancel", admin, {})[0] == 200
    assert staff.next_event(timeout=1.0)["event"] == "appointment.cancelled"
    offered = staff.next_event(timeout=1.0)
    assert offered["event"] == "waitlist.offered"
    status, listed = call("GET", server.api + "/waitlist", ann["token"])
    assert offered["json"]["data"]["entry"] == listed["entries"][0], "the entry exactly as the API shows it"
    assert offered["json"]["data"]["entry"]["offer"]["start"] == taken["start"]
    assert anns.next_event(timeout=1.0)["id"] == offered["id"]
    assert bobs.next_event(timeout=1.0)["event"] == "appointment.cancelled", "bob's own appointment"
    status, claimed = call("POST", f"{server.api}/waitlist/{entry['id']}/claim", ann["token"])
    assert status == 201, claimed
    kinds = [anns.next_event(timeout=1.0)["event"] for _ in range(2)]
    assert kinds == ["appointment.created", "waitlist.booked"]
    # Neither ann's offer nor her claim reached bob: his next event is his own next booking.
    mine = book(server, admin, barber, service, bob, 200)
    assert bobs.next_event(timeout=1.0)["json"]["data"]["appointment"]["id"] == mine["id"]

    before = [staff.next_event(timeout=1.0) for _ in range(2)]
    for stream in (anns, bobs, staff):
        stream.close()
    server.kill9()
    server.start()
    # The same events under the same ids after the restart.
    resumed = Stream(server, token=admin, last_event_id=offered["id"])
    after = [resumed.next_event(timeout=2.0) for _ in range(2)]
    assert [(e["id"], e["event"], e["json"]) for e in after] == [(e["id"], e["event"], e["json"]) for e in before]
    resumed.close()
