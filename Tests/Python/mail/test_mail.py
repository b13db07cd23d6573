"""Mail through a real sendmail program (Debian's msmtp) to a real SMTP server (aiosmtpd): the
confirmation, the notices of a move and of a cancellation, a reminder, each parsed with Python's
email package and its .ics with the icalendar library; a failing sendmail retried; nothing lost
and nothing sent twice across kill -9; the replayed state equal to the live one."""

import os
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone

import icalendar

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bbserver import call, wait_for  # noqa: E402
from mail_peers import SENDER, Shop, mail_flags, metric, parts  # noqa: E402

HANDED_OFF = "bookedbarber_mail_handed_off_total"
FAILED = "bookedbarber_mail_failed_attempts_total"
PENDING = "bookedbarber_mail_pending"


def rfc3339(text):
    return datetime.fromisoformat(text).timestamp()


def ics_event(part):
    parsed = icalendar.Calendar.from_ical(part.get_content())
    events = parsed.walk("VEVENT")
    assert len(events) == 1
    return parsed, events[0]


def quiet(server, handed_off):
    """Waits until this process has handed off `handed_off` mails and then found nothing owed.

    The pending gauge is set on every look; a 0 read after the count was reached comes from a look
    made after the last hand-off, which would have counted any mail still owed."""
    wait_for(lambda: metric(server, HANDED_OFF) == handed_off and metric(server, PENDING) == 0, 90,
             f"{handed_off} mails handed off and none owed")


def test_confirmation_notices_and_a_reminder_reach_the_smtp_server(server_factory, sink, msmtprc):
    flags = mail_flags(f"msmtp -C {msmtprc} -t -i")
    server = server_factory(extra=flags)
    shop = Shop(server)
    api = server.api

    booked = shop.book()  # 2030-01-01T00:00Z, New York's 19:00 on Monday 31 December 2029
    wait_for(lambda: metric(server, HANDED_OFF) == 1, 60, "the confirmation handed to msmtp")
    wait_for(lambda: len(sink.snapshot()) == 1, 30, "the confirmation at the SMTP server")
    recipients, message, raw = sink.snapshot()[0]
    assert recipients == [shop.email]
    assert message["Message-ID"] == f"<apt-{booked['id']}.confirmation@mail.py.test>"
    assert message["To"].addresses[0].addr_spec == shop.email
    assert message["To"].addresses[0].display_name == Shop.CLIENT_NAME
    assert b"=?UTF-8?B?" in raw.split(b"\r\n\r\n")[0], "the non-ASCII name is an encoded-word"
    assert message["From"].addresses[0].addr_spec == SENDER
    assert message["From"].addresses[0].display_name == "Clip & <Co>"
    assert message["Subject"] == "Booked: Cut & Shave with Sam, Monday 31 December 2029 at 19:00"
    assert message["MIME-Version"] == "1.0"
    assert message["Date"].datetime.tzinfo is not None
    text, html, ics = parts(message)
    assert "Monday 31 December 2029, 19:00–19:15 (America/New_York" in text
    assert f"Hello {Shop.CLIENT_NAME}," in text
    assert "Clip &amp; &lt;Co&gt;" in html and "<Co>" not in html and "&lt;Tést&gt;" in html
    assert ics.get_content_type() == "text/calendar" and ics.get_param("method") == "REQUEST"
    parsed, event = ics_event(ics)
    assert str(parsed["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"appointment-{booked['id']}@bookedbarber"
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == datetime(2030, 1, 1, 0, 0, tzinfo=timezone.utc)
    assert event.decoded("DTEND") == datetime(2030, 1, 1, 0, 15, tzinfo=timezone.utc)
    assert str(event["ORGANIZER"]) == f"mailto:{SENDER}"

    # The same UID as the appointment's entry in the barber's feed.
    status, feed = call("POST", f"{api}/barbers/{shop.barber}/calendar-feed", shop.admin)
    assert status == 201
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{feed['url']}", timeout=10) as response:
        uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(response.read()).walk("VEVENT")]
    assert uids == [str(event["UID"])]

    # A move: a notice with the new time and a higher SEQUENCE; then the cancellation.
    status, moved = call("POST", f"{api}/appointments/{booked['id']}/reschedule", shop.admin, {"start": "2030-01-02T15:00:00Z"})
    assert status == 200, moved
    wait_for(lambda: metric(server, HANDED_OFF) == 2, 60, "the notice of the move")
    status, _ = call("POST", f"{api}/appointments/{booked['id']}/cancel", shop.admin, {"reason": "ill"})
    assert status == 200
    wait_for(lambda: metric(server, HANDED_OFF) == 3, 60, "the notice of the cancellation")
    wait_for(lambda: len(sink.snapshot()) == 3, 30, "three mails at the SMTP server")
    notice = sink.snapshot()[1][1]
    assert notice["Message-ID"] == f"<apt-{booked['id']}.rescheduled.1@mail.py.test>"
    assert notice["Subject"].startswith("Moved: Cut & Shave with Sam, Wednesday 2 January 2030 at 10:00")
    _, _, ics = parts(notice)
    parsed, event = ics_event(ics)
    assert str(parsed["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime(2030, 1, 2, 15, 0, tzinfo=timezone.utc)
    cancellation = sink.snapshot()[2][1]
    assert cancellation["Message-ID"] == f"<apt-{booked['id']}.cancellation@mail.py.test>"
    text, _, ics = parts(cancellation)
    assert "Reason: ill" in text
    assert ics.get_param("method") == "CANCEL"
    parsed, event = ics_event(ics)
    assert str(parsed["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 2
    assert str(event["UID"]) == f"appointment-{booked['id']}@bookedbarber"

    # A reminder whose moment passed while the server was down is sent at start-up: book three
    # hours ahead, stop, and start again with a reminder offset whose moment lies between the
    # booking and now.
    soon = (int(time.time()) // 900 + 13) * 900
    upcoming = shop.book(soon)
    wait_for(lambda: metric(server, HANDED_OFF) == 4, 60, "the confirmation of the upcoming appointment")
    booked_at = rfc3339(upcoming["created_at"])
    wait_for(lambda: time.time() >= booked_at + 3, 10, "three seconds since the booking")
    server.stop()
    offset = soon - int(time.time()) + 1  # its moment: a second or two ago, after the booking
    server.extra = [flag if flag != "24h,2h" else f"24h,{offset}s" for flag in flags]
    server.start()
    quiet(server, 1)
    reminders = [m for _, m, _ in sink.snapshot() if m["Subject"].startswith("Reminder:")]
    assert [m["Message-ID"] for m in reminders] == [f"<apt-{upcoming['id']}.reminder.{offset}s.{soon}@mail.py.test>"], \
        "one reminder: the 24 h one was due before the booking"
    _, _, ics = parts(reminders[0])
    assert ics_event(ics)[1].decoded("DTSTART") == datetime.fromtimestamp(soon, tz=timezone.utc)

    # kill -9 after the hand-off: the replayed and the restarted states equal the live one, and
    # nothing is sent again.
    live = server.kill9_and_replay(shop.admin)
    server.start()
    status, restarted = call("GET", api + "/admin/state", shop.admin)
    assert restarted["digest"] == live
    later = shop.book()
    quiet(server, 1)
    wait_for(lambda: len(sink.snapshot()) == 6, 30, "the next confirmation")
    ids = sink.by_message_id()
    assert all(len(copies) == 1 for copies in ids.values()), {k: len(v) for k, v in ids.items()}
    assert f"<apt-{later['id']}.confirmation@mail.py.test>" in ids
    assert len(ids) == 6


def test_a_failing_sendmail_is_retried_and_nothing_is_lost_or_sent_twice(server_factory, sink, msmtprc, tmp_path):
    flaky = tmp_path / "flaky-sendmail"
    flaky.write_text(
        "#!/usr/bin/env python3\n"
        "import fcntl, os, sys\n"
        "with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'runs'), 'a+') as runs:\n"
        "    fcntl.flock(runs, fcntl.LOCK_EX)\n"
        "    runs.seek(0)\n"
        "    run = len(runs.read().splitlines()) + 1\n"
        "    runs.write(f'{run}\\n')\n"
        "if run <= 2:\n"
        "    sys.stdin.read()\n"
        "    print(f'flaky-sendmail: refusing run {run}', file=sys.stderr)\n"
        "    sys.exit(1)\n"
        "os.execvp('msmtp', ['msmtp'] + sys.argv[1:])\n")
    flaky.chmod(0o755)
    server = server_factory(extra=mail_flags(f"{flaky} -C {msmtprc} -t -i"))
    shop = Shop(server)
    booked = [shop.book() for _ in range(3)]
    quiet(server, 3)
    assert metric(server, FAILED) == 2
    assert len((tmp_path / "runs").read_text().splitlines()) == 5
    ids = sink.by_message_id()
    assert sorted(ids) == sorted(f"<apt-{a['id']}.confirmation@mail.py.test>" for a in booked)
    assert all(len(copies) == 1 for copies in ids.values())


def test_mails_pending_at_kill_9_are_sent_after_the_restart(server_factory, sink, msmtprc, tmp_path):
    broken = tmp_path / "broken-sendmail"
    broken.write_text("#!/bin/sh\ncat >/dev/null\necho 'broken-sendmail: queue unavailable' >&2\nexit 75\n")
    broken.chmod(0o755)
    server = server_factory(extra=mail_flags(str(broken), retry="60"))
    shop = Shop(server)
    booked = [shop.book() for _ in range(2)]
    wait_for(lambda: (metric(server, FAILED) or 0) >= 2, 60, "both first attempts failed")
    assert metric(server, HANDED_OFF) == 0
    server.kill9()
    server.extra = mail_flags(f"msmtp -C {msmtprc} -t -i")
    server.start()
    quiet(server, 2)
    ids = sink.by_message_id()
    assert sorted(ids) == sorted(f"<apt-{a['id']}.confirmation@mail.py.test>" for a in booked)


def test_bad_mail_settings_stop_the_start_with_a_clear_error(tmp_path):
    binary = os.environ["BOOKEDBARBER_BINARY"]
    cases = [
        (["--sendmail", "msmtp -t -i"], "--mail-from"),
        (["--sendmail", "msmtp -t", "--mail-from", "a,b@x.test"], "--mail-from"),
        (["--sendmail", "/no/such/sendmail -t", "--mail-from", SENDER], "not an executable"),
        (["--sendmail", "msmtp 'unclosed", "--mail-from", SENDER], "not a command line"),
        (["--sendmail", "msmtp -t", "--mail-from", SENDER, "--reminders", "24"], "--reminders"),
        (["--reminders", "2h,soon"], "--reminders"),
    ]
    for flags, words in cases:
        result = subprocess.run([binary, "serve", "--port", "0", "--data-dir", str(tmp_path / "data")] + flags,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode != 0, flags
        assert words in result.stderr, (flags, result.stderr)
        assert not (tmp_path / "data").exists(), "refused before touching the data directory"
