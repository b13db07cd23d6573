"""The waitlist, calendar feeds, live updates by Server-Sent Events and the walk-in board in
headless Chromium against the real server: what appears without a reload appears because the
page heard the event stream (each wait has a deadline and reads the page, never a sleep)."""

import uuid

import icalendar
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select

from conftest import ADMIN, BARBER, CLIENT, XSS
from test_pages import console_errors, expect_no_alert, future_day, sign_in, tab_until, wait


def wait_until_live(browser):
    """The page's stream is open (the indicator says so): events from now on reach it."""
    wait(browser, 60).until(lambda b: b.find_element(By.ID, "live-status").get_attribute("data-state") == "live")
    assert "Live" in browser.find_element(By.ID, "live-status").text


def new_client(api, name="Waitlist Client"):
    email = f"wait-{uuid.uuid4().hex[:10]}@example.test"
    status, body = api.call("POST", "/api/v2/auth/register", {"email": email, "password": "waitlist-pass", "name": name})
    assert status == 201, body
    return email, "waitlist-pass", body["token"], body["user"]["id"]


def full_day(server, name="Waitlist Barber"):
    """A barber of their own working 10:00-10:30 every day, a 30-minute service only they offer,
    and that one start booked by the demo client a few days ahead: a day with no free time."""
    api = server["api"]
    admin = api.token(*ADMIN)
    status, barber = api.call("POST", "/api/v2/barbers", {"name": name}, admin)
    assert status == 201, barber
    week = {day: [{"start": "10:00", "end": "10:30"}] for day in
            ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}
    status, body = api.call("PUT", f"/api/v2/barbers/{barber['id']}/schedule", {"weekly": week}, admin)
    assert status == 200, body
    status, service = api.call("POST", "/api/v2/services", {"name": f"Trim {uuid.uuid4().hex[:4]}", "duration_minutes": 30,
                                                             "price_cents": 2000, "barber_ids": [barber["id"]]}, admin)
    assert status == 201, service
    day = future_day(api)
    client = api.token(*CLIENT)
    status, slots = api.call("GET", f"/api/v2/appointments/slots?service_id={service['id']}&date={day}&barber_id={barber['id']}")
    assert status == 200 and len(slots["slots"]) == 1, slots
    status, booked = api.call("POST", "/api/v2/appointments", {"barber_id": barber["id"], "service_id": service["id"],
                                                               "start": slots["slots"][0]["start"]}, client)
    assert status == 201, booked
    return {"barber": barber["id"], "service": service["id"], "day": day, "booked": booked, "client": client}


def test_a_client_joins_the_waitlist_on_a_full_day_sees_the_offer_appear_live_and_claims_it(browser, server):
    base, api = server["base"], server["api"]
    shop = full_day(server)
    email, password, token, client_id = new_client(api)
    sign_in(browser, base, email, password)
    browser.get(f"{base}/?service_id={shop['service']}&barber_id={shop['barber']}&date={shop['day']}")
    assert "Nothing free? Join the waitlist" in browser.find_element(By.ID, "waitlist-heading").text
    assert browser.find_element(By.ID, "waitlist-date-from").get_attribute("value") == shop["day"]
    browser.find_element(By.CSS_SELECTOR, "#waitlist-form button[type=submit]").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "notice")))
    assert "on the waitlist" in browser.find_element(By.ID, "notice").text
    entry = browser.find_element(By.CSS_SELECTOR, "#waitlist-entries li")
    entry_id = entry.get_attribute("id").split("-")[1]
    assert "Waiting" in entry.text

    # The demo client cancels over the API while /me stays open: the offer appears by itself.
    wait_until_live(browser)
    browser.execute_script("window.pageMarker = 'still the same page'")
    status, body = api.call("POST", f"/api/v2/appointments/{shop['booked']['id']}/cancel", {}, shop["client"])
    assert status == 200, body
    offer = wait(browser, 60).until(ready.presence_of_element_located((By.ID, f"offer-{entry_id}")))
    assert browser.execute_script("return window.pageMarker") == "still the same page"
    assert "held for you until" in offer.text
    offer.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "booked")))
    appointment_id = browser.current_url.split("/me/appointments/")[1].split("?")[0]
    status, appointment = api.call("GET", f"/api/v2/appointments/{appointment_id}", token=token)
    assert status == 200 and appointment["client_id"] == client_id and appointment["start"] == shop["booked"]["start"]
    assert console_errors(browser) == []


def test_the_waitlist_is_joined_with_the_keyboard_alone(browser, server):
    base, api = server["base"], server["api"]
    shop = full_day(server, name="Keyboard Barber")
    email, password, token, _ = new_client(api)
    sign_in(browser, base, email, password)
    browser.get(f"{base}/?service_id={shop['service']}&barber_id={shop['barber']}&date={shop['day']}")
    # Every field of the form is reached by Tab with visible focus; the window is typed in.
    tab_until(browser, "#waitlist-service")
    tab_until(browser, "#waitlist-barber", limit=1)
    # A date or time input takes a Tab per part (month, day, year) before the next field.
    tab_until(browser, "#waitlist-date-from", limit=1)
    tab_until(browser, "#waitlist-date-to", limit=5)
    tab_until(browser, "#waitlist-time-from", limit=5).send_keys("0900AM")
    tab_until(browser, "#waitlist-time-to", limit=5).send_keys("1200PM")
    tab_until(browser, "#waitlist-form button[type=submit]", limit=5).send_keys(Keys.ENTER)
    wait(browser).until(ready.presence_of_element_located((By.ID, "notice")))
    status, body = api.call("GET", "/api/v2/waitlist", token=token)
    assert status == 200 and len(body["entries"]) == 1, body
    joined = body["entries"][0]
    assert (joined["service_id"], joined["barber_id"], joined["date_from"], joined["date_to"]) == \
        (shop["service"], shop["barber"], shop["day"], shop["day"])
    assert (joined["time_from"], joined["time_to"]) == ("09:00", "12:00"), joined
    assert console_errors(browser) == []


def test_a_booking_made_over_the_api_appears_on_the_barber_page_and_the_indicator_says_live(browser, server):
    base, api = server["base"], server["api"]
    client = api.token(*CLIENT)
    sign_in(browser, base, *BARBER)
    wait_until_live(browser)
    browser.execute_script("window.pageMarker = 'still the same page'")
    start = api.first_free_slot(service_id=1, barber_id=1)
    status, booked = api.call("POST", "/api/v2/appointments", {"barber_id": 1, "service_id": 1, "start": start}, client)
    assert status == 201, booked
    wait(browser, 60).until(ready.presence_of_element_located((By.ID, f"appointment-{booked['id']}")))
    assert browser.execute_script("return window.pageMarker") == "still the same page"
    assert browser.find_element(By.ID, "live-status").text.startswith("Live · updated at")
    # Cancelled over the API by the shop (a client could not, this close to the start): the page shows it too.
    status, body = api.call("POST", f"/api/v2/appointments/{booked['id']}/cancel", {}, api.token(*ADMIN))
    assert status == 200, body
    wait(browser, 60).until(lambda b: "Cancelled" in b.find_element(By.ID, f"appointment-{booked['id']}").text)
    assert console_errors(browser) == []

    # Signed out meanwhile (in another tab): the next event says so and does not follow the
    # redirect to the sign-in page, whose new visitor cookie would void an open sign-in form.
    browser.delete_all_cookies()
    start = api.first_free_slot(service_id=1, barber_id=1)
    status, again = api.call("POST", "/api/v2/appointments", {"barber_id": 1, "service_id": 1, "start": start}, client)
    assert status == 201, again
    wait(browser, 60).until(lambda b: b.find_element(By.ID, "live-status").get_attribute("data-state") == "signed-out")
    assert browser.get_cookies() == []
    assert browser.find_elements(By.ID, f"appointment-{again['id']}") == []
    status, body = api.call("POST", f"/api/v2/appointments/{again['id']}/cancel", {}, api.token(*ADMIN))
    assert status == 200, body


def calendar_from(browser, link_id):
    href = browser.find_element(By.ID, link_id).get_attribute("href")
    answer = requests.get(href, timeout=10)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar"), answer.text[:300]
    return icalendar.Calendar.from_ical(answer.content), href


def test_the_feed_links_give_an_ics_that_icalendar_reads_and_a_new_one_revokes_the_old(browser, server):
    base, api = server["base"], server["api"]
    email, password, token, _ = new_client(api, name="Feed Client")
    start = api.first_free_slot(service_id=1, barber_id=1)
    status, booked = api.call("POST", "/api/v2/appointments", {"barber_id": 1, "service_id": 1, "start": start}, token)
    assert status == 201, booked
    uid = f"appointment-{booked['id']}@bookedbarber"
    sign_in(browser, base, email, password)
    wait_until_live(browser)  # the page is whole (its script has run) before the button is pressed
    browser.find_element(By.CSS_SELECTOR, "#feed button[type=submit]").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "feed-address")))
    webcal = browser.find_element(By.ID, "feed-webcal").get_attribute("href")
    calendar, first = calendar_from(browser, "feed-link")
    assert webcal == first.replace("http://", "webcal://", 1)
    assert [str(event["UID"]) for event in calendar.walk("VEVENT")] == [uid]
    shown = browser.find_element(By.ID, "feed-link")
    browser.find_element(By.CSS_SELECTOR, "#feed button[type=submit]").click()
    wait(browser).until(ready.staleness_of(shown))
    wait(browser).until(ready.presence_of_element_located((By.ID, "feed-link")))
    assert browser.find_element(By.ID, "feed-link").get_attribute("href") != first
    assert requests.get(first, timeout=10).status_code == 404
    calendar, _ = calendar_from(browser, "feed-link")
    assert [str(event["UID"]) for event in calendar.walk("VEVENT")] == [uid]

    # The barber's feed holds the same appointment, with the client's name.
    browser.delete_all_cookies()
    sign_in(browser, base, *BARBER)
    wait_until_live(browser)
    browser.find_element(By.CSS_SELECTOR, "#feed button[type=submit]").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "feed-address")))
    calendar, _ = calendar_from(browser, "feed-link")
    mine = [event for event in calendar.walk("VEVENT") if str(event["UID"]) == uid]
    assert len(mine) == 1 and str(mine[0]["SUMMARY"]).endswith("Feed Client"), [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    status, body = api.call("POST", f"/api/v2/appointments/{booked['id']}/cancel", {}, api.token(*ADMIN))
    assert status == 200, body
    assert console_errors(browser) == []


def desk_barber(api):
    """A barber with a login who works around the clock, so that a walk-in can start whenever
    the suite runs."""
    admin = api.token(*ADMIN)
    email = f"desk-{uuid.uuid4().hex[:8]}@example.test"
    status, barber = api.call("POST", "/api/v2/barbers", {"name": "Desk Barber", "email": email, "password": "desk-barber-pass"}, admin)
    assert status == 201, barber
    week = {day: [{"start": "00:00", "end": "24:00"}] for day in
            ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}
    status, body = api.call("PUT", f"/api/v2/barbers/{barber['id']}/schedule", {"weekly": week}, admin)
    assert status == 200, body
    return admin, barber["id"], (email, "desk-barber-pass")


def test_the_queue_board_shows_a_walk_in_checked_in_over_the_api_without_reload(browser, server):
    admin, desk, login = desk_barber(server["api"])
    try:
        board_and_front_desk(browser, server, admin, desk, login)
    finally:
        # Off again, so that the other pages (times of any barber) keep their usual size.
        status, body = server["api"].call("PATCH", f"/api/v2/barbers/{desk}", {"is_active": False}, admin)
        assert status == 200, body


def board_and_front_desk(browser, server, admin, desk, login):
    base, api = server["base"], server["api"]
    browser.get(base + "/queue")
    wait_until_live(browser)
    browser.execute_script("window.pageMarker = 'still the same page'")
    status, walk_in = api.call("POST", "/api/v2/queue", {"name": f"Quinn {XSS} Walker", "service_id": 2, "phone": "555 0199"}, admin)
    assert status == 201, walk_in
    row = wait(browser, 60).until(ready.presence_of_element_located((By.ID, f"walk-in-{walk_in['id']}")))
    assert browser.execute_script("return window.pageMarker") == "still the same page"
    assert "Quinn W." in row.text and "Walker" not in row.text and "555" not in row.text
    assert "about" in row.find_element(By.CLASS_NAME, "estimate").text
    assert browser.find_elements(By.ID, "check-in-form") == []

    # The front desk: full names (the script name as text), check in, start, done.
    browser.delete_all_cookies()
    sign_in(browser, base, *login)
    browser.get(base + "/queue")
    expect_no_alert(browser)
    assert browser.execute_script("return document.body.textContent.includes(arguments[0])", f"Quinn {XSS} Walker")
    assert browser.execute_script("return document.querySelectorAll('script:not([src]):not([type=\"application/json\"])').length") == 0
    browser.find_element(By.ID, "check-in-name").send_keys("Robin Front Desk")
    Select(browser.find_element(By.ID, "check-in-barber")).select_by_value(str(desk))
    browser.find_element(By.CSS_SELECTOR, "#check-in-form button[type=submit]").click()
    wait(browser).until(lambda b: "Robin Front Desk" in b.find_element(By.ID, "line").text)
    status, line = api.call("GET", "/api/v2/queue")
    robin = next(entry for entry in line["entries"] if entry["name"] == "Robin D.")
    start = browser.find_element(By.ID, f"walk-in-{robin['id']}")
    start.find_element(By.CSS_SELECTOR, "form[action$='/start'] button").click()
    wait(browser).until(lambda b: "Robin Front Desk" in b.find_element(By.ID, "serving").text)
    browser.find_element(By.CSS_SELECTOR, f"#walk-in-{robin['id']} form[action$='/done'] button").click()
    wait(browser).until(lambda b: "Robin Front Desk" not in b.find_element(By.ID, "board").text)
    status, body = api.call("POST", f"/api/v2/queue/{walk_in['id']}/leave", {}, admin)
    assert status == 200, body
    assert console_errors(browser) == []


def test_the_script_name_is_inert_on_the_waitlist_and_me(browser, server):
    base, api = server["base"], server["api"]
    email, password, token, _ = new_client(api, name=XSS)
    status, entry = api.call("POST", "/api/v2/waitlist", {"service_id": 1, "barber_id": server["xss_barber"],
                                                           "date_from": future_day(api), "date_to": future_day(api)}, token)
    assert status == 201, entry
    sign_in(browser, base, email, password)
    for path in ["/me", f"/waitlist?service_id=1&barber_id={server['xss_barber']}", f"/?service_id=1&barber_id={server['xss_barber']}"]:
        browser.get(base + path)
        expect_no_alert(browser)
        assert browser.execute_script("return document.body.textContent.includes(arguments[0])", XSS), path
        assert browser.execute_script("return document.querySelectorAll('script:not([src]):not([type=\"application/json\"])').length") == 0
    assert console_errors(browser) == []
