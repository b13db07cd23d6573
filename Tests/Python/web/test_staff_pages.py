"""The staff's pages in headless Chromium against the real server (the demo shop, started with
--allow-private-webhooks so a receiver on this host can take deliveries): a client's record
opened from the barber page, notes saved and refused to a client; a webhook added, its secret
shown once, a real delivery (verified by the standardwebhooks library with that secret) in its
log and redelivered; the analytics charts drawn; budgets, phone width, labels, console."""

import os
import sys
from datetime import date, timedelta

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready

from conftest import ADMIN, BARBER, CLIENT, XSS
from test_pages import check_page_on_screen, console_errors, expect_no_alert, sign_in, wait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "webhooks"))
from webhook_peers import Receiver  # noqa: E402
from bbserver import wait_for  # noqa: E402


def book(api, token, barber_id=1, service_id=1, days=range(0, 7)):
    start = api.first_free_slot(service_id=service_id, barber_id=barber_id, days=days)
    status, body = api.call("POST", "/api/v2/appointments", {"barber_id": barber_id, "service_id": service_id, "start": start}, token)
    assert status == 201, body
    return body


def session_cookies(browser):
    return {cookie["name"]: cookie["value"] for cookie in browser.get_cookies()}


def test_the_admin_notes_a_client_from_the_barber_page_and_a_client_cannot_open_the_record(staff_browser, staff_server):
    browser, base, api = staff_browser, staff_server["base"], staff_server["api"]
    client = api.token(*CLIENT)
    appointment = book(api, client)
    sign_in(browser, base, *ADMIN)
    browser.get(base + "/barber?barber_id=1")
    browser.find_element(By.CSS_SELECTOR, f"#appointment-{appointment['id']} a[href$='/client']").click()
    wait(browser).until(lambda b: b.current_url.endswith(f"/clients/{appointment['client_id']}"))
    assert browser.find_element(By.ID, "client-name").text == "Demo Client"
    assert "+1 555 0100" in browser.find_element(By.ID, "contact").text
    assert str(appointment["id"]) in browser.find_element(By.ID, "history-table").text

    note = f"Prefers scissors. {XSS}"
    field = browser.find_element(By.ID, "notes-text")
    field.clear()
    field.send_keys(note)
    browser.find_element(By.CSS_SELECTOR, "#notes-form button[type=submit]").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "notes-saved")))
    expect_no_alert(browser)
    assert browser.find_element(By.ID, "notes-text").get_attribute("value") == note
    status, record = api.call("GET", f"/api/v2/clients/{appointment['client_id']}", token=api.token(*ADMIN))
    assert status == 200 and record["notes"] == note
    assert console_errors(browser) == []

    # The client signs in and asks for their own record: 403, and the notes are not in it.
    browser.delete_all_cookies()
    sign_in(browser, base, *CLIENT)
    browser.get(base + f"/clients/{appointment['client_id']}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Not allowed"
    assert "Prefers scissors" not in browser.page_source
    refused = requests.get(base + f"/clients/{appointment['client_id']}", cookies=session_cookies(browser), timeout=10)
    assert refused.status_code == 403 and "Prefers scissors" not in refused.text
    assert not browser.find_elements(By.CSS_SELECTOR, "header a[href='/clients']")


def test_the_admin_adds_a_webhook_sees_its_secret_once_and_its_log_shows_a_real_delivery(staff_browser, staff_server):
    browser, base, api = staff_browser, staff_server["base"], staff_server["api"]
    receiver = Receiver()
    try:
        sign_in(browser, base, *ADMIN)
        browser.find_element(By.ID, "webhooks-link").click()
        wait(browser).until(ready.presence_of_element_located((By.ID, "new-webhook")))
        browser.find_element(By.ID, "new-url").send_keys(receiver.url)
        browser.find_element(By.ID, "new-event-appointment.created").click()
        browser.find_element(By.ID, "new-description").send_keys(f"Front desk {XSS}")
        browser.find_element(By.CSS_SELECTOR, "#new-webhook button[type=submit]").click()
        wait(browser).until(ready.presence_of_element_located((By.ID, "webhook-secret")))
        secret = browser.find_element(By.ID, "webhook-secret").get_attribute("value")
        assert secret.startswith("whsec_")
        assert "only time it is shown" in browser.find_element(By.ID, "secret").text
        page = browser.current_url
        receiver.secret = secret

        browser.refresh()
        wait(browser).until(ready.presence_of_element_located((By.ID, "secret-gone")))
        assert "whsec_" not in browser.page_source
        assert not browser.find_elements(By.ID, "webhook-secret")

        appointment = book(api, api.token(*CLIENT), barber_id=2)
        wait_for(lambda: receiver.snapshot()[0], 30, "a verified delivery at the receiver")
        delivered, attempts, errors = receiver.snapshot()
        assert errors == [], errors
        event_id, payload = next(iter(delivered.items()))
        assert payload["type"] == "appointment.created" and payload["data"]["appointment"]["id"] == appointment["id"]

        def logged(b):
            b.get(page.split("?")[0])
            rows = b.find_elements(By.CSS_SELECTOR, "#delivery-table tbody tr")
            return rows and event_id in rows[0].text and "204" in rows[0].text

        wait(browser).until(logged)
        row = browser.find_element(By.CSS_SELECTOR, "#delivery-table tbody tr")
        assert "appointment.created" in row.text
        row.find_element(By.CSS_SELECTOR, "button").click()
        wait(browser).until(ready.presence_of_element_located((By.ID, "redelivered")))
        wait_for(lambda: sum(1 for attempt in receiver.snapshot()[1] if attempt[0] == event_id) >= 2, 30, "the redelivery")
        assert receiver.snapshot()[2] == []
        browser.get(base + "/admin/webhooks")
        assert f"Front desk {XSS}" in browser.find_element(By.ID, "webhook-table").text
        expect_no_alert(browser)
        assert console_errors(browser) == []
    finally:
        receiver.close()


def test_the_analytics_page_draws_its_charts_from_the_summary(staff_browser, staff_server):
    browser, base, api = staff_browser, staff_server["base"], staff_server["api"]
    client = api.token(*CLIENT)
    for barber in (1, 1, 2, 3):
        book(api, client, barber_id=barber, days=range(1, 8))
    start = api.shop_date(0)
    end = (date.fromisoformat(start) + timedelta(days=8)).isoformat()
    admin = api.token(*ADMIN)
    status, summary = api.call("GET", f"/api/v2/analytics/summary?from={start}&to={end}", token=admin)
    assert status == 200, summary

    sign_in(browser, base, *ADMIN)
    browser.get(base + f"/analytics?from={start}&to={end}")
    for chart in ["revenue-chart", "utilisation-chart", "heat-map"]:
        svg = browser.find_element(By.ID, chart)
        assert svg.size["width"] > 300, chart
        assert browser.find_element(By.CSS_SELECTOR, f"#{chart} > title").get_attribute("textContent"), chart
    for chart in ["revenue-chart", "heat-map"]:
        assert browser.find_element(By.CSS_SELECTOR, f"#{chart} > desc").get_attribute("textContent"), chart
    # Each heat-map cell: its drawn size, its shade, the number written after it (none for 0).
    cells = browser.execute_script("""
        return [...document.querySelectorAll('#heat-map rect')].map(r => {
            const box = r.getBBox(), next = r.nextElementSibling;
            return {area: box.width * box.height, shade: r.getAttribute('class'),
                    count: next && next.tagName === 'text' ? Number(next.textContent) : 0};
        });""")
    assert len(cells) == 168
    assert min(cell["area"] for cell in cells) > 0, "heat-map cells have no size"
    counts = [cell["count"] for cell in cells]
    assert counts == [n for day in summary["hours"] for n in day]
    assert cells[counts.index(max(counts))]["shade"] == "h4"
    assert all((cell["shade"] == "h0") == (cell["count"] == 0) for cell in cells)
    # The revenue bars: one group per day, the tallest drawn bar on the day of the most revenue.
    heights = browser.execute_script("""
        return [...document.querySelectorAll('#revenue-chart g[data-date]')].map(g => {
            const bar = g.querySelector('rect.booked');
            return bar ? bar.getBoundingClientRect().height : 0;
        });""")
    revenue = [day["revenue_booked_cents"] for day in summary["days"]]
    assert len(heights) == len(revenue)
    assert heights.index(max(heights)) == revenue.index(max(revenue)) and max(heights) > 0
    assert len(browser.find_elements(By.CSS_SELECTOR, "#utilisation-chart rect.used")) == len(summary["barbers"]) == 3
    csv = requests.get(browser.find_element(By.ID, "daily-csv").get_attribute("href"), cookies=session_cookies(browser), timeout=10)
    assert csv.status_code == 200 and csv.text.splitlines()[0].startswith("date,appointments")
    assert console_errors(browser) == []

    browser.delete_all_cookies()
    sign_in(browser, base, *BARBER)
    browser.get(base + f"/analytics?from={start}&to={end}&barber_id=2")
    assert browser.find_element(By.ID, "figures-heading").text == "Your figures"
    assert not browser.find_elements(By.ID, "range-barber")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#utilisation-chart rect.used")) == 1
    assert console_errors(browser) == []


def visit_staff_pages(browser, server):
    """Each new page as the staff member it is for: yields (name, path) after loading it."""
    base, api = server["base"], server["api"]
    sign_in(browser, base, *ADMIN)
    today = date.fromisoformat(api.shop_date(0))
    coming = f"/analytics?from={today.isoformat()}&to={(today + timedelta(days=13)).isoformat()}"
    for name, path in [("clients", "/clients"), ("analytics", coming), ("webhooks", "/admin/webhooks")]:
        browser.get(base + path)
        yield name, path
    status, hook = api.call("POST", "/api/v2/webhooks", {"url": "http://127.0.0.1:9/unused", "events": ["appointment.no_show"],
                                                         "description": "for the page budget"}, api.token(*ADMIN))
    assert status == 201, hook
    browser.get(base + f"/admin/webhooks/{hook['id']}")
    yield "webhook", f"/admin/webhooks/{hook['id']}"
    browser.delete_all_cookies()
    sign_in(browser, base, *BARBER)
    status, me = api.call("GET", "/api/v2/auth/me", token=api.token(*CLIENT))
    browser.get(base + f"/clients/{me['id']}")
    yield "client", browser.current_url.replace(base, "")


@pytest.mark.parametrize("width,label", [(1280, "desktop"), (360, "phone")])
def test_the_staff_pages_fit_their_budgets_and_the_screen_without_console_errors(staff_browser, staff_server, width, label):
    browser = staff_browser
    browser.set_window_size(width, 900)
    for name, path in visit_staff_pages(browser, staff_server):
        assert browser.find_element(By.TAG_NAME, "h1").text not in ("Not allowed", "Not found", "Something is not right"), name
        check_page_on_screen(browser, name, width, label)
