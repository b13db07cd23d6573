"""Calendar feeds parsed by the icalendar library: the right instants on a daylight-saving day,
stable UIDs, SEQUENCE growing with each change, cancelled events kept, ETag/304, revocation."""

import os
import sys
import urllib.request
from datetime import datetime, timezone

import icalendar

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bbserver import call  # noqa: E402


def fetch(server, path, etag=None):
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}")
    if etag:
        request.add_header("If-None-Match", etag)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_barber_and_client_feeds(server_factory):
    server = server_factory(extra=())
    admin = server.admin_token()
    api = server.api
    status, _ = call("PATCH", api + "/shop", admin, {"time_zone": "America/New_York", "min_notice_minutes": 0,
                                                     "max_advance_days": 3000, "name": "Clip, Shave; & Co"})
    assert status == 200
    status, barber = call("POST", api + "/barbers", admin, {"name": "Sam", "email": "sam@py.test", "password": "barber-password"})
    assert status == 201
    day = [{"start": "08:00", "end": "18:00"}]
    weekly = {name: day for name in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}
    assert call("PUT", f"{api}/barbers/{barber['id']}/schedule", admin, {"weekly": weekly, "buffer_minutes": 0})[0] == 200
    long_name = "Cut, wash; style \\ and a hot towel finish with beard oil — the full treatment"
    status, service = call("POST", api + "/services", admin, {"name": long_name, "duration_minutes": 45, "price_cents": 100})
    assert status == 201
    status, client = call("POST", api + "/auth/register", body={"email": "ana@py.test", "password": "password123", "name": "Ana, Jr."})
    assert status == 201
    client_token = client["token"]

    def book(start):
        status, appointment = call("POST", api + "/appointments", admin,
                                   {"barber_id": barber["id"], "service_id": service["id"], "start": start, "client_id": client["user"]["id"]})
        assert status == 201, appointment
        return appointment

    # 2030-03-10 is the day New York springs forward (02:00 EST -> 03:00 EDT); 2030-11-03 falls back.
    spring = book("2030-03-10T09:00:00-04:00")
    autumn = book("2030-11-03T08:30:00-05:00")
    later = book("2030-03-11T10:00:00-04:00")

    status, feed = call("POST", f"{api}/barbers/{barber['id']}/calendar-feed", admin)
    assert status == 201 and feed["url"].startswith("/calendar/") and feed["url"].endswith(".ics")
    status, headers, body = fetch(server, feed["url"])
    assert status == 200
    assert headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(body)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {f"appointment-{a['id']}@bookedbarber" for a in (spring, autumn, later)}
    first = events[f"appointment-{spring['id']}@bookedbarber"]
    assert first.decoded("DTSTART") == datetime(2030, 3, 10, 13, 0, tzinfo=timezone.utc)
    assert first.decoded("DTEND") == datetime(2030, 3, 10, 13, 45, tzinfo=timezone.utc)
    fall = events[f"appointment-{autumn['id']}@bookedbarber"]
    assert fall.decoded("DTSTART") == datetime(2030, 11, 3, 13, 30, tzinfo=timezone.utc)
    assert str(first["SUMMARY"]) == long_name + " — Ana, Jr."
    assert str(first["STATUS"]) == "CONFIRMED"
    assert int(first["SEQUENCE"]) == 0
    assert "DTSTAMP" in first
    # An x-property is TEXT (RFC 5545 3.8.8.2), escaped; icalendar hands it back as written.
    assert "X-WR-CALNAME:Clip\\, Shave\\; & Co — Sam\r\n".encode() in body
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
    assert b"\n" not in body.replace(b"\r\n", b"")

    etag = headers["ETag"]
    assert fetch(server, feed["url"], etag)[0] == 304

    # A change grows SEQUENCE, changes the ETag; a cancelled appointment stays, CANCELLED.
    assert call("POST", f"{api}/appointments/{spring['id']}/reschedule", admin, {"start": "2030-03-10T11:00:00-04:00"})[0] == 200
    assert call("POST", f"{api}/appointments/{later['id']}/cancel", admin, {})[0] == 200
    status, headers, body = fetch(server, feed["url"], etag)
    assert status == 200 and headers["ETag"] != etag
    events = {str(event["UID"]): event for event in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    moved = events[f"appointment-{spring['id']}@bookedbarber"]
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART") == datetime(2030, 3, 10, 15, 0, tzinfo=timezone.utc)
    gone = events[f"appointment-{later['id']}@bookedbarber"]
    assert str(gone["STATUS"]) == "CANCELLED" and int(gone["SEQUENCE"]) == 1

    # The client's own feed: their appointments, no client name in the summary.
    status, mine = call("POST", api + "/auth/me/calendar-feed", client_token)
    assert status == 201
    status, _, body = fetch(server, mine["url"])
    assert status == 200
    summaries = [str(event["SUMMARY"]) for event in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    assert summaries == [long_name] * 3

    # A barber may make their own feed, a client may not make a barber's; a new POST revokes.
    status, sam = call("POST", api + "/auth/login", body={"email": "sam@py.test", "password": "barber-password"})
    assert call("POST", f"{api}/barbers/{barber['id']}/calendar-feed", sam["token"])[0] == 201
    assert fetch(server, feed["url"])[0] == 404, "the barber's new feed revoked the admin's"
    assert call("POST", f"{api}/barbers/{barber['id']}/calendar-feed", client_token)[0] == 403
    assert call("POST", f"{api}/barbers/999/calendar-feed", admin)[0] == 404
    assert call("POST", api + "/auth/me/calendar-feed")[0] == 401
    assert fetch(server, "/calendar/not-a-token.ics")[0] == 404
    assert fetch(server, "/calendar/" + mine["url"].split("/")[-1][:-4])[0] == 404

    # Feeds survive a restart (tokens are in the log).
    server.kill9()
    server.start()
    assert fetch(server, mine["url"])[0] == 200
