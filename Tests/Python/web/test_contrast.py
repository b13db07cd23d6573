"""Contrast AA in headless Chromium, measured on what the browser painted (wcag.py): the text of
every page, each with something on it (appointments booked, cancelled and completed, a time off,
a walk-in, a webhook, a refused sign-in), at desktop and phone width; and the focus outline of
every control on the booking path (booking page, confirm page, the booked page), reached with Tab
as a keyboard user does."""

import uuid
from datetime import date, timedelta

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready

from conftest import ADMIN, BARBER, CLIENT, REPORT, XSS
from test_pages import register_and_book, sign_in, wait
from wcag import describe_failure, focus_ring, text_contrast


@pytest.fixture(scope="module")
def shop(staff_server):
    """Something of every kind on the pages: the demo client's appointments with Alex (one
    cancelled, one completed, one to come), a time off of Alex's, a walk-in, a webhook."""
    api = staff_server["api"]
    admin, client = api.token(*ADMIN), api.token(*CLIENT)
    booked = []
    for _ in range(3):
        start = api.first_free_slot(service_id=1, barber_id=1, days=range(1, 8))
        status, body = api.call("POST", "/api/v2/appointments", {"barber_id": 1, "service_id": 1, "start": start}, client)
        assert status == 201, body
        booked.append(body)
    assert api.call("POST", f"/api/v2/appointments/{booked[0]['id']}/cancel", {}, client)[0] == 200
    assert api.call("POST", f"/api/v2/appointments/{booked[1]['id']}/complete", {}, admin)[0] == 200
    day = date.fromisoformat(booked[2]["start"][:10])
    status, body = api.call("POST", "/api/v2/barbers/1/time-off", {"start": f"{day.isoformat()}T16:00:00{booked[2]['start'][19:]}",
                                                                    "end": f"{day.isoformat()}T17:00:00{booked[2]['start'][19:]}",
                                                                    "reason": "Dentist"}, admin)
    assert status == 201, body
    status, body = api.call("POST", "/api/v2/queue", {"name": "Sam Taylor", "service_id": 1, "phone": "555 0123"}, admin)
    assert status == 201, body
    status, hook = api.call("POST", "/api/v2/webhooks", {"url": "http://127.0.0.1:9/contrast", "events": ["appointment.no_show"],
                                                         "description": f"Front desk {XSS}"}, admin)
    assert status == 201, hook
    return {"client_id": booked[0]["client_id"], "webhook": hook["id"]}


def visit_contrast_pages(browser, server, shop):
    """Every page as the visitor it is for: yields its name after loading it."""
    base, api = server["base"], server["api"]
    browser.get(base + "/")
    yield "book"
    browser.find_element(By.CSS_SELECTOR, "a.time").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "register-form")))
    yield "book, confirm (/book)"
    browser.get(base + "/login")
    yield "login"
    browser.find_element(By.ID, "email").send_keys(CLIENT[0])
    browser.find_element(By.ID, "password").send_keys("not-the-password")
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error, .problem")))
    yield "login, refused"
    register_and_book(browser, server)
    yield "booked"
    browser.delete_all_cookies()
    sign_in(browser, base, *CLIENT)
    browser.get(base + "/me")
    yield "me"
    browser.get(base + "/waitlist")
    yield "waitlist"
    browser.delete_all_cookies()
    sign_in(browser, base, *BARBER)
    browser.get(base + "/barber")
    yield "barber"
    browser.get(base + "/queue")
    yield "queue, front desk"
    browser.get(base + f"/clients/{shop['client_id']}")
    yield "client record"
    browser.delete_all_cookies()
    sign_in(browser, base, *ADMIN)
    today = date.fromisoformat(api.shop_date(0))
    for name, path in [("admin", "/admin"), ("clients", "/clients"),
                       ("analytics", f"/analytics?from={today.isoformat()}&to={(today + timedelta(days=13)).isoformat()}"),
                       ("webhooks", "/admin/webhooks"), ("webhook", f"/admin/webhooks/{shop['webhook']}")]:
        browser.get(base + path)
        yield name
    browser.delete_all_cookies()
    browser.get(base + "/queue")
    yield "queue, board"


@pytest.mark.parametrize("width,label", [(1280, "desktop"), (360, "phone")])
def test_the_text_of_every_page_meets_wcag_aa_contrast(staff_browser, staff_server, shop, width, label):
    browser = staff_browser
    browser.set_window_size(width, 900)
    failures, pages, checked = [], 0, 0
    for page in visit_contrast_pages(browser, staff_server, shop):
        assert browser.find_element(By.TAG_NAME, "h1").text not in ("Not allowed", "Not found", "Something is not right"), page
        measured = text_contrast(browser)
        assert measured["checked"] > 5, f"{page}: only {measured['checked']} elements with text were measured"
        failures += [describe_failure(f"{page} ({label})", failure) for failure in measured["failures"]]
        pages, checked = pages + 1, checked + measured["checked"]
    REPORT.append(f"contrast ({label}): {checked} elements with text measured on {pages} pages, {len(failures)} under AA")
    assert failures == [], "text under WCAG AA contrast:\n" + "\n".join(failures)


def focus_rings(browser, page, limit=400):
    """Tabs through the open page from its top until focus leaves it or comes round again; each
    focused element's outline must be drawn (at least 2 px) at 3:1 against what is behind it."""
    problems, seen = [], []
    for _ in range(limit):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        ring = focus_ring(browser)
        if ring is None or (seen and (ring["element"], ring["text"]) == seen[0]):
            return seen, problems
        seen.append((ring["element"], ring["text"]))
        if ring["style"] == "none" or ring["width"] < 2 or ring["ratio"] < 3:
            problems.append(f"{page}: {ring['element']} “{ring['text']}”: outline {ring['style']} {ring['width']:g} px "
                            f"{ring['colour']} on {ring['background']} (of {ring['behind']}) is {ring['ratio']}:1, under 3:1")
    raise AssertionError(f"{page}: {limit} Tabs never left the page nor came round again")


@pytest.mark.parametrize("width,label", [(1280, "desktop"), (360, "phone")])
def test_the_focus_outline_on_the_booking_path_contrasts_with_what_is_behind_it(staff_browser, staff_server, width, label):
    browser, base = staff_browser, staff_server["base"]
    browser.set_window_size(width, 900)
    browser.get(base + "/")
    seen, problems = focus_rings(browser, f"book ({label})")
    assert any("a.time" in element for element, _ in seen) and any("input" in element for element, _ in seen), seen
    browser.find_element(By.CSS_SELECTOR, "a.time").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "register-form")))
    confirm, more = focus_rings(browser, f"confirm ({label})")
    assert any("register-password" in element for element, _ in confirm), confirm
    browser.find_element(By.ID, "register-name").send_keys("Focus Client")
    browser.find_element(By.ID, "register-email").send_keys(f"focus-{uuid.uuid4().hex[:10]}@example.test")
    browser.find_element(By.ID, "register-password").send_keys("focus-client-pass")
    browser.find_element(By.CSS_SELECTOR, "#register-form button[type=submit]").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "booked")))
    booked, last = focus_rings(browser, f"booked ({label})")
    assert any("add-to-calendar" in element for element, _ in booked), booked
    REPORT.append(f"focus outlines ({label}): {len(seen)} controls on the booking page, {len(confirm)} on the confirm page, "
                  f"{len(booked)} on the booked page")
    assert problems + more + last == [], "focus outlines under 3:1:\n" + "\n".join(problems + more + last)
