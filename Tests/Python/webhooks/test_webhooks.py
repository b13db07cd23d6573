"""Webhook deliveries against a real receiver that verifies each one with the standardwebhooks
library: signatures, retries of a failing receiver, delivery after kill -9, redelivery, and
refusal of targets inside the server's own network."""

import os
import re
import sys
import threading
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bbserver import call, wait_for  # noqa: E402
from webhook_peers import Shop  # noqa: E402


def test_every_change_is_delivered_signed_and_verifies(server_factory, receiver):
    server = server_factory()
    shop = Shop(server)
    webhook = shop.subscribe(receiver)
    booked = [shop.book() for _ in range(5)]
    status, cancelled = call("POST", f"{server.api}/appointments/{booked[0]['id']}/cancel", shop.admin, {"reason": "ill"})
    assert status == 200
    status, moved = call("POST", f"{server.api}/appointments/{booked[1]['id']}/reschedule", shop.admin,
                         {"start": "2030-01-02T10:00:00Z"})
    assert status == 200, moved
    status, _ = call("POST", f"{server.api}/appointments/{booked[2]['id']}/complete", shop.admin)
    assert status == 200

    wait_for(lambda: len(receiver.snapshot()[0]) == 8, 30, "8 events at the receiver")
    delivered, attempts, errors = receiver.snapshot()
    assert errors == []
    events = sorted(delivered.values(), key=lambda event: int(event["id"][4:]))
    assert [event["type"] for event in events] == ["appointment.created"] * 5 + [
        "appointment.cancelled", "appointment.rescheduled", "appointment.completed"]
    assert [event["data"]["appointment"]["id"] for event in events] == [a["id"] for a in booked] + [
        booked[0]["id"], booked[1]["id"], booked[2]["id"]]
    assert events[0]["data"]["appointment"] == booked[0]
    assert events[5]["data"]["appointment"]["status"] == "cancelled"
    assert events[6]["data"]["appointment"]["start"] == "2030-01-02T10:00:00+00:00"
    assert all(set(event) == {"id", "type", "created_at", "data"} for event in events)
    assert len({event["id"] for event in events}) == 8

    def logged():
        status, log = call("GET", f"{server.api}/webhooks/{webhook['id']}/deliveries?limit=3", shop.admin)
        assert status == 200
        return log["deliveries"] if len(log["deliveries"]) == 3 else None

    entries = wait_for(logged, 30, "3 attempts in the delivery log")
    assert all(entry["status_code"] == 204 and entry["attempt"] == 1 for entry in entries)
    assert {"event_id", "type", "attempt", "status_code", "duration_ms", "at"} <= set(entries[0])

    # Redelivery: the same event, the same webhook-id, once more.
    first = events[0]["id"]
    before = sum(1 for attempt in attempts if attempt[0] == first)
    status, _ = call("POST", f"{server.api}/webhooks/{webhook['id']}/deliveries/{first}/redeliver", shop.admin)
    assert status == 202
    wait_for(lambda: sum(1 for a in receiver.snapshot()[1] if a[0] == first) == before + 1, 30, "the redelivery")
    assert receiver.snapshot()[2] == []


def test_a_failing_receiver_gets_retries_then_everything(server_factory, receiver):
    server = server_factory()
    shop = Shop(server)
    receiver.failures_before_success = 2
    webhook = shop.subscribe(receiver, events=["appointment.created"])
    booked = [shop.book() for _ in range(3)]
    wait_for(lambda: len(receiver.snapshot()[0]) == 3, 60, "3 deliveries after retries")
    delivered, attempts, errors = receiver.snapshot()
    assert errors == []
    assert sorted(event["data"]["appointment"]["id"] for event in delivered.values()) == sorted(a["id"] for a in booked)
    for event_id in delivered:
        assert [status for (name, status) in attempts if name == event_id] == [500, 500, 204]

    def logged():
        status, log = call("GET", f"{server.api}/webhooks/{webhook['id']}/deliveries?limit=50", shop.admin)
        assert status == 200
        return log["deliveries"] if len(log["deliveries"]) == 9 else None

    entries = wait_for(logged, 30, "9 attempts in the delivery log (logged once the outcome is durable)")
    for event_id in delivered:
        mine = [entry for entry in reversed(entries) if entry["event_id"] == event_id]
        assert [entry["attempt"] for entry in mine] == [1, 2, 3]
        assert [entry["status_code"] for entry in mine] == [500, 500, 204]
        assert "next_attempt_at" in mine[0] and "next_attempt_at" not in mine[2]

    # Deliveries in the metrics: 9 attempts, 6 of them failed, 3 delivered with a lag.
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=10) as response:
        metrics = response.read().decode()
    assert re.search(r"^bookedbarber_webhook_delivery_attempts_total 9$", metrics, re.M), metrics
    assert re.search(r"^bookedbarber_webhook_delivery_failures_total 6$", metrics, re.M)
    assert re.search(r"^bookedbarber_webhook_delivery_lag_seconds_count 3$", metrics, re.M)


def test_deliveries_pending_at_kill_9_are_made_after_restart(server_factory, receiver):
    server = server_factory()
    shop = Shop(server)
    receiver.accepting = False
    shop.subscribe(receiver, events=["appointment.created"])
    booked = [shop.book() for _ in range(12)]
    wait_for(lambda: len(receiver.snapshot()[1]) >= 1, 30, "a refused first attempt")
    server.kill9()
    receiver.accepting = True
    server.start()
    wait_for(lambda: len(receiver.snapshot()[0]) == 12, 60, "all 12 events after the restart")
    delivered, _, errors = receiver.snapshot()
    assert errors == []
    assert sorted(event["data"]["appointment"]["id"] for event in delivered.values()) == sorted(a["id"] for a in booked)
    for event in delivered.values():
        status, _ = call("GET", f"{server.api}/appointments/{event['data']['appointment']['id']}", shop.admin)
        assert status == 200, "no event names an appointment that does not exist"


def test_delivered_events_are_not_repeated_after_a_restart(server_factory, receiver):
    server = server_factory()
    shop = Shop(server)
    webhook = shop.subscribe(receiver, events=["appointment.created"])
    booked = [shop.book() for _ in range(4)]

    def logged_as_delivered():
        # The delivery log shows an attempt once its outcome is in the write-ahead log.
        status, log = call("GET", f"{server.api}/webhooks/{webhook['id']}/deliveries", shop.admin)
        return status == 200 and sum(1 for entry in log["deliveries"] if entry["status_code"] == 204) == 4

    wait_for(logged_as_delivered, 30, "4 deliveries logged")
    server.stop()
    server.start()
    later = shop.book()
    wait_for(lambda: len(receiver.snapshot()[0]) == 5, 30, "the booking after the restart")
    _, attempts, _ = receiver.snapshot()
    assert len(attempts) == 5, "a delivery finished before the stop is not repeated"
    assert sorted(e["data"]["appointment"]["id"] for e in receiver.snapshot()[0].values()) == sorted(
        [a["id"] for a in booked] + [later["id"]])


def test_targets_inside_the_servers_network_are_refused(server_factory):
    server = server_factory(extra=())
    admin = server.admin_token()
    for url in ["http://127.0.0.1:9/hook", "http://[::1]:9/", "http://10.0.0.5/", "http://169.254.169.254/latest/meta-data",
                "http://localhost:9/hook", "gopher://93.184.215.14/"]:
        status, body = call("POST", server.api + "/webhooks", admin, {"url": url, "events": ["*"]})
        assert status == 422 and body["error"]["code"] == "validation_failed", (url, body)
    status, body = call("POST", server.api + "/webhooks", admin, {"url": "https://93.184.215.14/", "events": ["appointment.booked"]})
    assert status == 422 and body["error"]["code"] == "validation_failed"


def test_twenty_kill_9_rounds_under_booking_load_lose_no_created_event(server_factory, receiver):
    server = server_factory()
    shop = Shop(server)
    shop.subscribe(receiver, events=["appointment.created"])
    acknowledged = []
    lock = threading.Lock()
    for _ in range(20):
        stop = threading.Event()

        def load():
            while not stop.is_set():
                try:
                    appointment = shop.book()
                except Exception:  # the server was killed mid-request: not acknowledged
                    return
                with lock:
                    acknowledged.append(appointment["id"])

        workers = [threading.Thread(target=load) for _ in range(4)]
        for worker in workers:
            worker.start()
        count = len(acknowledged)
        wait_for(lambda: len(acknowledged) >= count + 8, 30, "bookings acknowledged in this round")
        server.kill9()
        stop.set()
        for worker in workers:
            worker.join()
        server.start()
    ids = set(acknowledged)
    wait_for(lambda: ids <= {e["data"]["appointment"]["id"] for e in receiver.snapshot()[0].values()}, 120,
             "every acknowledged booking's appointment.created at the receiver")
    delivered, _, errors = receiver.snapshot()
    assert errors == []
    for event in delivered.values():
        status, _ = call("GET", f"{server.api}/appointments/{event['data']['appointment']['id']}", shop.admin)
        assert status == 200, "no event names an appointment that does not exist"


def test_notification_state_after_kill_9_and_replay_equals_the_live_state(server_factory, receiver):
    """Events, webhook progress and feed tokens: the live digest before kill -9 equals the digest
    `bookedbarber replay` rebuilds from the data directory, and the restarted server's."""
    server = server_factory(extra=("--allow-private-webhooks", "--webhook-retry-delays", "1", "--snapshot-every", "7"))
    shop = Shop(server)
    webhook = shop.subscribe(receiver, events=["appointment.created", "appointment.cancelled"])
    booked = [shop.book() for _ in range(10)]
    for appointment in booked[:3]:
        assert call("POST", f"{server.api}/appointments/{appointment['id']}/cancel", shop.admin, {})[0] == 200
    assert call("POST", server.api + "/auth/me/calendar-feed", shop.admin)[0] == 201

    def all_logged():
        status, log = call("GET", f"{server.api}/webhooks/{webhook['id']}/deliveries?limit=200", shop.admin)
        return status == 200 and sum(1 for entry in log["deliveries"] if entry["status_code"] == 204) == 13

    wait_for(all_logged, 30, "13 deliveries logged")
    live = server.kill9_and_replay(shop.admin)
    server.start()
    status, restarted = call("GET", server.api + "/admin/state", shop.admin)
    assert restarted["digest"] == live
    # Nothing delivered before the crash is owed again: the receiver sees no new attempt.
    later = shop.book()
    wait_for(lambda: later["id"] in {e["data"]["appointment"]["id"] for e in receiver.snapshot()[0].values()}, 30, "the next event")
    assert len(receiver.snapshot()[1]) == 14


def test_a_webhook_subscribed_to_the_waitlist_receives_the_offer_and_the_claim(server_factory, receiver):
    """An endpoint subscribed to the three waitlist types gets the offer a cancellation makes and
    the claim, verified by the standardwebhooks library, with the entry as the API shows it and
    nothing else; the state with these events, after kill -9, equals the live one and the replay's."""
    server = server_factory()
    shop = Shop(server)
    shop.subscribe(receiver, events=["waitlist.offered", "waitlist.expired", "waitlist.booked"])
    taken = shop.book()
    day = taken["start"][:10]
    status, client = call("POST", server.api + "/auth/register",
                          body={"email": "waiting@py.test", "password": "password123", "name": "Wai Ting"})
    assert status == 201, client
    token = client["token"]
    status, entry = call("POST", server.api + "/waitlist", token,
                         {"service_id": shop.service, "barber_id": shop.barber, "date_from": day, "date_to": day})
    assert status == 201, entry
    assert call("POST", f"{server.api}/appointments/{taken['id']}/cancel", shop.admin, {})[0] == 200

    wait_for(lambda: len(receiver.snapshot()[0]) == 1, 30, "the offer at the receiver")
    offered = next(iter(receiver.snapshot()[0].values()))
    status, listed = call("GET", server.api + "/waitlist", token)
    assert status == 200
    assert offered["type"] == "waitlist.offered"
    assert offered["data"] == {"entry": listed["entries"][0]}
    assert offered["data"]["entry"]["status"] == "offered"
    assert offered["data"]["entry"]["offer"]["start"] == taken["start"]

    status, claimed = call("POST", f"{server.api}/waitlist/{entry['id']}/claim", token)
    assert status == 201, claimed
    wait_for(lambda: len(receiver.snapshot()[0]) == 2, 30, "the claim at the receiver")
    delivered, _, errors = receiver.snapshot()
    assert errors == []
    events = sorted(delivered.values(), key=lambda event: int(event["id"][4:]))
    assert [event["type"] for event in events] == ["waitlist.offered", "waitlist.booked"], \
        "the appointment events of the cancel and the claim are not subscribed"
    assert events[1]["data"]["entry"]["status"] == "booked"
    assert events[1]["data"]["entry"]["appointment_id"] == claimed["id"]

    live = server.kill9_and_replay(shop.admin)
    server.start()
    status, restarted = call("GET", server.api + "/admin/state", shop.admin)
    assert restarted["digest"] == live
