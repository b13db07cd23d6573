"""The pages in headless Chromium against the real server: what a client, a barber and an admin
do, and the properties every page must keep (no console errors, CSRF, inert user values,
keyboard use, size budgets, phone width)."""

import os
import urllib.parse
import uuid

import icalendar
import pytest
import requests
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ADMIN, BARBER, REPORT, XSS

SCREENSHOTS = os.environ.get("BOOKEDBARBER_SCREENSHOTS") == "1"
SCREENSHOT_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "docs", "screenshots")


def wait(browser, seconds=30):
    # A condition that reads the page may run while the browser replaces it (a form was just
    # submitted, a live part swapped in): an element of the old page is then stale, which
    # Chromium reports as a stale element or as "Node with given id does not belong to the
    # document", so the wait tries again.
    return WebDriverWait(browser, seconds, ignored_exceptions=[StaleElementReferenceException, WebDriverException])


def console_errors(browser):
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def expect_no_alert(browser):
    try:
        alert = browser.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    raise AssertionError(f"an alert opened: {text}")


def sign_in(browser, base, email, password):
    browser.get(base + "/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait(browser).until(lambda b: "/login" not in b.current_url)


def future_day(api):
    """A shop-local date two or more days ahead on which the demo barbers work (not a Sunday),
    so that a booking on it can still be cancelled or moved online."""
    from datetime import date

    return next(day for day in (api.shop_date(offset) for offset in range(2, 9)) if date.fromisoformat(day).weekday() != 6)


def register_and_book(browser, server):
    """From the booking page, a few days ahead: the first free time, then register inline and confirm."""
    base = server["base"]
    browser.get(f"{base}/?date={future_day(server['api'])}")
    browser.find_element(By.CSS_SELECTOR, "a.time").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "register-form")))
    email = f"web-{uuid.uuid4().hex[:10]}@example.test"
    browser.find_element(By.ID, "register-name").send_keys("Web Client")
    browser.find_element(By.ID, "register-email").send_keys(email)
    browser.find_element(By.ID, "register-password").send_keys("web-client-pass")
    browser.find_element(By.CSS_SELECTOR, "#register-form button[type=submit]").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "booked")))
    return email


def test_a_new_client_books_from_the_booking_page_sees_it_in_me_and_cancels(browser, server):
    base, api = server["base"], server["api"]
    email = register_and_book(browser, server)
    summary = browser.find_element(By.ID, "summary").text
    assert "Confirmed" in summary
    appointment_id = browser.current_url.split("/me/appointments/")[1].split("?")[0]

    # "Add to calendar": the .ics of that appointment, read by a real iCalendar parser.
    cookies = {cookie["name"]: cookie["value"] for cookie in browser.get_cookies()}
    assert "bb_session" in cookies
    href = browser.find_element(By.ID, "add-to-calendar").get_attribute("href")
    calendar = icalendar.Calendar.from_ical(requests.get(href, cookies=cookies, timeout=10).content)
    events = [part for part in calendar.walk("VEVENT")]
    assert len(events) == 1 and str(events[0]["UID"]) == f"appointment-{appointment_id}@bookedbarber"

    browser.get(base + "/me")
    upcoming = browser.find_element(By.ID, "upcoming")
    assert upcoming.find_element(By.ID, f"appointment-{appointment_id}")
    assert "Cancel or change until" in upcoming.text
    upcoming.find_element(By.CSS_SELECTOR, f"#appointment-{appointment_id} button.danger").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "notice")))
    assert "cancelled" in browser.find_element(By.ID, "notice").text
    assert "Cancelled" in browser.find_element(By.ID, "past").text

    token = api.token(email, "web-client-pass")
    status, body = api.call("GET", f"/api/v2/appointments/{appointment_id}", token=token)
    assert status == 200 and body["status"] == "cancelled"
    assert console_errors(browser) == []


def test_a_barber_marks_one_complete_and_a_booking_made_meanwhile_appears_live(browser, server):
    base, api = server["base"], server["api"]
    client = api.token("client@demo.bookedbarber.test", "demo-client-pass")
    first_start = api.first_free_slot(service_id=2, barber_id=1)
    status, first = api.call("POST", "/api/v2/appointments", {"barber_id": 1, "service_id": 2, "start": first_start}, client)
    assert status == 201, first

    sign_in(browser, base, *BARBER)
    assert browser.current_url.endswith("/barber")
    entry = browser.find_element(By.ID, f"appointment-{first['id']}")
    assert "Demo Client" in entry.text
    assert browser.find_elements(By.CSS_SELECTOR, "#schedule .entry.gap"), "no gaps are shown"
    entry.find_element(By.CSS_SELECTOR, "form[action$='/complete'] button").click()
    wait(browser).until(lambda b: "Completed" in b.find_element(By.ID, f"appointment-{first['id']}").text)

    # A booking over the API while the page stays open (its event stream open): it appears
    # without a reload.
    wait(browser, 60).until(lambda b: b.find_element(By.ID, "live-status").get_attribute("data-state") == "live")
    browser.execute_script("window.pageMarker = 'still the same page'")
    second_start = api.first_free_slot(service_id=2, barber_id=1)
    status, second = api.call("POST", "/api/v2/appointments", {"barber_id": 1, "service_id": 2, "start": second_start}, client)
    assert status == 201, second
    wait(browser, 60).until(ready.presence_of_element_located((By.ID, f"appointment-{second['id']}")))
    assert browser.execute_script("return window.pageMarker") == "still the same page"
    assert browser.find_element(By.ID, "live-status").text.startswith("Live · updated at")
    status, body = api.call("GET", f"/api/v2/appointments/{first['id']}", token=client)
    assert body["status"] == "completed"
    assert console_errors(browser) == []


def test_the_admin_edits_a_schedule_and_the_booking_page_changes(browser, server):
    base, api = server["base"], server["api"]
    from datetime import date

    # A weekday a few days ahead (the demo barbers work Monday to Saturday).
    day = next(date.fromisoformat(api.shop_date(offset)) for offset in range(3, 10)
               if date.fromisoformat(api.shop_date(offset)).weekday() < 5)
    weekday = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][day.weekday()]
    sign_in(browser, base, *ADMIN)
    field = browser.find_element(By.ID, f"schedule-2-{weekday}")
    field.clear()
    field.send_keys("14:00-15:00")
    browser.find_element(By.CSS_SELECTOR, "#schedule-form-2 button[type=submit]").click()
    # The typed value is in the old page's field at once: wait for the page the save redirects
    # to, then read the saved schedule there.
    wait(browser).until(ready.staleness_of(field))
    wait(browser).until(lambda b: b.find_element(By.ID, f"schedule-2-{weekday}").get_attribute("value") == "14:00-15:00")

    browser.get(f"{base}/?service_id=1&barber_id=2&date={day.isoformat()}")
    times = [link.text for link in browser.find_elements(By.CSS_SELECTOR, "#times a.time")]
    assert times == ["14:00", "14:15", "14:30"], times
    assert console_errors(browser) == []


def test_a_form_without_its_csrf_token_is_refused(browser, server):
    base = server["base"]
    browser.get(base + "/login")
    browser.execute_script("document.querySelector('#login-form input[name=csrf]').remove()")
    browser.find_element(By.ID, "email").send_keys(ADMIN[0])
    browser.find_element(By.ID, "password").send_keys(ADMIN[1])
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait(browser).until(lambda b: "This form has expired" in b.find_element(By.TAG_NAME, "h1").text)
    assert "security token" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert "bb_session" not in {cookie["name"] for cookie in browser.get_cookies()}

    # The same from outside a page: a cross-site form post carries the cookies but no token.
    session = requests.Session()
    session.get(base + "/login", timeout=10)
    forged = session.post(base + "/login", data={"email": ADMIN[0], "password": ADMIN[1]}, allow_redirects=False, timeout=10)
    assert forged.status_code == 403 and "text/html" in forged.headers["content-type"]
    assert "bb_session" not in forged.cookies


def test_the_script_name_is_inert_text_on_every_page(browser, server):
    base, xss = server["base"], server["xss_barber"]
    # A client named like the barber books with the barber: both names reach every page.
    browser.get(base + f"/?service_id=1&barber_id={xss}")
    browser.find_element(By.CSS_SELECTOR, "a.time").click()
    browser.find_element(By.ID, "register-name").send_keys(XSS)
    browser.find_element(By.ID, "register-email").send_keys(f"xss-{uuid.uuid4().hex[:8]}@example.test")
    browser.find_element(By.ID, "register-password").send_keys("web-client-pass")
    browser.find_element(By.CSS_SELECTOR, "#register-form button[type=submit]").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "booked")))
    pages = [f"/?service_id=1&barber_id={xss}", browser.current_url.replace(base, ""), "/me"]
    for path in pages:
        browser.get(base + path)
        expect_no_alert(browser)
        assert browser.execute_script("return document.body.textContent.includes(arguments[0])", XSS), path
        assert browser.execute_script("return document.querySelectorAll('script:not([src]):not([type=\"application/json\"])').length") == 0
    browser.delete_all_cookies()
    sign_in(browser, base, *ADMIN)
    for path in [f"/barber?barber_id={xss}", "/admin"]:
        browser.get(base + path)
        expect_no_alert(browser)
        assert browser.execute_script("return document.body.textContent.includes(arguments[0])", XSS), path
        assert browser.execute_script("return document.querySelectorAll('script:not([src]):not([type=\"application/json\"])').length") == 0
    assert console_errors(browser) == []


def tab_until(browser, matches, limit=80):
    for _ in range(limit):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if browser.execute_script(f"return document.activeElement.matches({matches!r})"):
            outline = browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"no visible focus on {matches}"
            return browser.switch_to.active_element
    raise AssertionError(f"Tab never reached {matches}")


def test_the_whole_booking_works_with_the_keyboard_alone(browser, server):
    base = server["base"]
    browser.get(base + "/")
    # Service: arrow to the second one, then show the times of the day chosen for it.
    tab_until(browser, "input[name=service_id]").send_keys(Keys.ARROW_DOWN)
    assert browser.execute_script("return document.querySelector('input[name=service_id]:checked').value") == "2"
    tab_until(browser, "form.choose button[type=submit]").send_keys(Keys.ENTER)
    wait(browser).until(lambda b: "service_id=2" in b.current_url)
    tab_until(browser, "a.time").send_keys(Keys.ENTER)
    wait(browser).until(ready.presence_of_element_located((By.ID, "register-form")))
    tab_until(browser, "#register-name").send_keys("Keyboard Client")
    for field, text in [("#register-email", f"keys-{uuid.uuid4().hex[:8]}@example.test"), ("#register-phone", "555 0101"),
                        ("#register-password", "keyboard-pass")]:
        tab_until(browser, field, limit=1).send_keys(text)
    tab_until(browser, "#register-notes", limit=1)
    tab_until(browser, "#register-form button[type=submit]", limit=1).send_keys(Keys.ENTER)
    wait(browser).until(ready.presence_of_element_located((By.ID, "booked")))
    assert "Beard trim" in browser.find_element(By.ID, "summary").text
    assert console_errors(browser) == []


def page_sizes(browser):
    """The HTML's and the assets' decoded sizes, from the browser's Resource Timing."""
    return browser.execute_script("""
        const page = performance.getEntriesByType('navigation')[0];
        const assets = performance.getEntriesByType('resource').filter(e => e.name.includes('/static/'));
        return {html: page.decodedBodySize, assets: assets.reduce((sum, e) => sum + e.decodedBodySize, 0),
                count: assets.length};""")


def visit_every_page(browser, server):
    """Each page as the visitor it is for: yields (name, path) after loading it."""
    base = server["base"]
    browser.get(base + "/")
    yield "book", "/"
    browser.find_element(By.CSS_SELECTOR, "a.time").click()
    yield "confirm", browser.current_url.replace(base, "")
    browser.get(base + "/login")
    yield "login", "/login"
    register_and_book(browser, server)
    yield "booked", browser.current_url.replace(base, "")
    browser.get(base + "/me")
    yield "me", "/me"
    browser.get(base + "/waitlist")
    yield "waitlist", "/waitlist"
    browser.get(base + "/me")
    browser.find_element(By.CSS_SELECTOR, "#upcoming a[href$='/reschedule']").click()
    yield "reschedule", browser.current_url.replace(base, "")
    browser.delete_all_cookies()
    sign_in(browser, base, *BARBER)
    yield "barber", "/barber"
    status, body = server["api"].call("POST", "/api/v2/queue", {"name": "Sam Taylor", "service_id": 1, "phone": "555 0123"},
                                      server["api"].token(*ADMIN))
    assert status == 201, body
    browser.get(base + "/queue")
    yield "queue", "/queue"
    browser.delete_all_cookies()
    sign_in(browser, base, *ADMIN)
    yield "admin", "/admin"
    browser.delete_all_cookies()
    browser.get(base + "/queue")
    yield "board", "/queue"


def check_page_on_screen(browser, name, width, label):
    """The open page `name` at `width` (`label` desktop or phone): HTML under 30 KB and assets under
    60 KB (sizes reported at desktop width), no wider than the screen, every input labelled, no
    console errors; a screenshot when BOOKEDBARBER_SCREENSHOTS is set."""
    sizes = page_sizes(browser)
    if label == "desktop":
        REPORT.append(f"{name}: HTML {sizes['html']} bytes, {sizes['count']} assets {sizes['assets']} bytes (decoded)")
    assert sizes["html"] < 30 * 1024, (name, sizes)
    assert sizes["assets"] < 60 * 1024, (name, sizes)
    overflow = browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} is {overflow} px wider than the {label} screen"
    unlabelled = browser.execute_script("""
        return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name);""")
    assert unlabelled == [], (name, unlabelled)
    assert console_errors(browser) == [], name
    if SCREENSHOTS:
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, min(max(height, 700), 4000))
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        browser.save_screenshot(os.path.join(SCREENSHOT_DIR, f"{name}-{label}.png"))
        browser.set_window_size(width, 900)


@pytest.mark.parametrize("width,label", [(1280, "desktop"), (360, "phone")])
def test_every_page_fits_its_budgets_and_the_screen_without_console_errors(browser, server, width, label):
    browser.set_window_size(width, 900)
    for name, path in visit_every_page(browser, server):
        check_page_on_screen(browser, name, width, label)


def test_first_contentful_paint_of_the_booking_page_is_measured(browser, server):
    timings = []
    for _ in range(5):
        browser.get(server["base"] + "/?fcp=" + uuid.uuid4().hex)
        paint = wait(browser).until(lambda b: b.execute_script(
            "const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null"))
        timings.append(paint)
    timings.sort()
    REPORT.append(f"booking page first contentful paint (Chromium, loopback, 5 loads): median {timings[2]:.0f} ms, "
                  f"all {', '.join(f'{t:.0f}' for t in timings)} ms")
    assert all(t > 0 for t in timings)
