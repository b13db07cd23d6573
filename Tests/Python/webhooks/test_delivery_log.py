"""The deliveries list after a crash: an ended delivery (delivered, or given up after its retries)
is in the write-ahead log with its final attempt, so after kill -9 and a restart it is still
listed as it was, and the state `bookedbarber replay` rebuilds has the live digest."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bbserver import call, wait_for  # noqa: E402
from webhook_peers import Receiver, Shop  # noqa: E402


def test_ended_deliveries_are_listed_after_kill_9_and_replay_has_the_live_digest(server_factory, receiver):
    # Retries a second apart, given up 5 s after the event (the contract's day, shortened).
    server = server_factory(extra=("--allow-private-webhooks", "--webhook-retry-delays", "1", "--webhook-give-up-after", "5",
                                   "--snapshot-every", "4"))
    shop = Shop(server)
    failing = Receiver()
    failing.accepting = False
    try:
        answered_503 = shop.subscribe(failing, events=["appointment.created"])
        delivered_to = shop.subscribe(receiver, events=["appointment.created"])
        # Nothing listens on port 9 of the loopback: every attempt is refused, with an error.
        status, unanswered = call("POST", server.api + "/webhooks", shop.admin,
                                  {"url": "http://127.0.0.1:9/hook", "events": ["appointment.created"]})
        assert status == 201, unanswered
        booked = shop.book()

        def deliveries(webhook):
            status, log = call("GET", f"{server.api}/webhooks/{webhook['id']}/deliveries?limit=200", shop.admin)
            assert status == 200, log
            return log["deliveries"]

        def ended(webhook):
            """The entries whose end is in the log (the route shows `outcome` only then)."""
            return [entry for entry in deliveries(webhook) if "outcome" in entry]

        given_up = wait_for(lambda: ended(answered_503), 60, "the give-up of the 503 endpoint, in the log")
        refused = wait_for(lambda: ended(unanswered), 60, "the give-up of the unanswered endpoint, in the log")
        delivered = wait_for(lambda: ended(delivered_to), 30, "the delivery, in the log")
        assert len(given_up) == 1 and len(refused) == 1 and len(delivered) == 1

        final = given_up[0]
        assert final["outcome"] == "given_up" and final["status_code"] == 503 and "next_attempt_at" not in final
        assert final["attempt"] >= 2, "retried before it was given up"
        assert final["event_id"] == "evt_1" and final["type"] == "appointment.created"
        # Before the crash every attempt is listed once, newest first: the failed ones (in memory)
        # and the final one (from the log, not also from memory).
        attempts = deliveries(answered_503)
        assert [entry["attempt"] for entry in attempts] == list(range(final["attempt"], 0, -1))
        assert attempts[0] == final
        assert all(entry["status_code"] == 503 and "outcome" not in entry and "next_attempt_at" in entry for entry in attempts[1:])
        assert len(failing.snapshot()[1]) == final["attempt"]

        no_answer = refused[0]
        assert no_answer["outcome"] == "given_up" and no_answer["status_code"] is None
        assert no_answer["error"] and len(no_answer["error"].encode()) <= 200
        assert delivered[0]["outcome"] == "delivered" and delivered[0]["status_code"] == 204 and delivered[0]["attempt"] == 1
        assert deliveries(delivered_to) == delivered

        live = server.kill9_and_replay(shop.admin)

        server.start()
        # The final attempts are listed as they were; the failed attempts before a final one
        # were in memory only.
        assert deliveries(answered_503) == given_up
        assert deliveries(unanswered) == refused
        assert deliveries(delivered_to) == delivered
        status, restarted = call("GET", server.api + "/admin/state", shop.admin)
        assert status == 200 and restarted["digest"] == live

        # Nothing ended is owed again: the next booking's deliveries are the only new attempts.
        later = shop.book()
        wait_for(lambda: len(ended(answered_503)) == 2, 60, "the give-up of the next event")
        assert [entry["event_id"] for entry in ended(answered_503)] == ["evt_2", "evt_1"]
        assert ended(answered_503)[1] == final
        wait_for(lambda: later["id"] in {e["data"]["appointment"]["id"] for e in receiver.snapshot()[0].values()}, 30,
                 "the next event at the receiver")
        assert [a["id"] for a in (booked, later)] == sorted(e["data"]["appointment"]["id"] for e in receiver.snapshot()[0].values())
        assert len(receiver.snapshot()[1]) == 2
    finally:
        failing.close()
