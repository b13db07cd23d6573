"""The browser suite's fixtures: the real server binary with the demo shop (`server`, and
`staff_server`, one per module, taking private webhook targets), an API helper, and one headless
Chromium driven by Selenium (Debian's chromium and chromium-driver)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bbserver import wait_for  # noqa: E402

XSS = "<script>alert(1)</script>"
ADMIN = ("admin@demo.bookedbarber.test", "demo-admin-pass")
BARBER = ("alex@demo.bookedbarber.test", "demo-barber-pass")
CLIENT = ("client@demo.bookedbarber.test", "demo-client-pass")
REPORT = []


def pytest_terminal_summary(terminalreporter):
    for line in REPORT:
        terminalreporter.write_line(line)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class API:
    """The JSON API of the same server, for setting up and checking what the pages did."""

    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None, token=None):
        request = urllib.request.Request(self.base + path, method=method)
        if body is not None:
            request.data = json.dumps(body).encode()
            request.add_header("content-type", "application/json")
        if token:
            request.add_header("authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                text = answer.read().decode()
                return answer.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            return error.code, json.loads(text) if text.startswith("{") else text

    def token(self, email, password):
        status, body = self.call("POST", "/api/v2/auth/login", {"email": email, "password": password})
        assert status == 200, body
        return body["token"]

    def first_free_slot(self, service_id, barber_id, days=range(0, 7)):
        """The first bookable start of that barber in the coming days (shop-local dates)."""
        for offset in days:
            date = self.shop_date(offset)
            status, body = self.call("GET", f"/api/v2/appointments/slots?service_id={service_id}&date={date}&barber_id={barber_id}")
            assert status == 200, body
            if body["slots"]:
                return body["slots"][0]["start"]
        raise AssertionError("no free slot in the coming days")

    def shop_date(self, offset):
        from datetime import datetime, timedelta
        from zoneinfo import ZoneInfo

        status, shop = self.call("GET", "/api/v2/shop")
        return (datetime.now(ZoneInfo(shop["time_zone"])) + timedelta(days=offset)).date().isoformat()


@pytest.fixture(scope="session")
def server():
    binary = os.environ["BOOKEDBARBER_BINARY"]
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        log = open(os.path.join(data, "server.log"), "w+")
        process = subprocess.Popen(
            [binary, "serve", "--port", str(port), "--data-dir", os.path.join(data, "state"), "--demo",
             "--bcrypt-cost", "4", "--no-rate-limit"],
            stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/readiness", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise AssertionError("the server did not become ready:\n" + log.read())
            time.sleep(0.1)
        api = API(base)
        admin = api.token(*ADMIN)
        status, barber = api.call("POST", "/api/v2/barbers", {"name": XSS}, admin)
        assert status == 201, barber
        week = {day: [{"start": "09:00", "end": "17:00"}] for day in
                ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}
        status, body = api.call("PUT", f"/api/v2/barbers/{barber['id']}/schedule", {"weekly": week}, admin)
        assert status == 200, body
        yield {"base": base, "api": api, "xss_barber": barber["id"]}
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                     "--disable-extensions", "--no-first-run", "--lang=en-US"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_page_load_timeout(60)
    yield browser
    browser.quit()


def signed_out(driver, base):
    """The shared browser, signed out of `base` and at desktop size, its console log emptied."""
    driver.set_window_size(1280, 900)
    driver.get(base + "/login")
    driver.delete_all_cookies()
    driver.get_log("browser")
    return driver


@pytest.fixture
def browser(driver, server):
    """The shared browser, signed out of the demo shop."""
    return signed_out(driver, server["base"])


@pytest.fixture(scope="module")
def staff_server():
    """The demo shop on a port of its own, taking private webhook targets."""
    binary = os.environ["BOOKEDBARBER_BINARY"]
    port = free_port()
    data = tempfile.mkdtemp(prefix="bb-staff-")
    log = open(os.path.join(data, "server.log"), "w+")
    process = subprocess.Popen(
        [binary, "serve", "--port", str(port), "--data-dir", os.path.join(data, "state"), "--demo", "--bcrypt-cost", "4",
         "--no-rate-limit", "--allow-private-webhooks", "--webhook-retry-delays", "1"],
        stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def is_ready():
        assert process.poll() is None, "the server exited:\n" + open(os.path.join(data, "server.log")).read()[-3000:]
        try:
            with urllib.request.urlopen(base + "/readiness", timeout=2) as answer:
                return answer.status == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    try:
        wait_for(is_ready, 60, "the server to be ready")
        yield {"base": base, "api": API(base)}
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def staff_browser(driver, staff_server):
    """The shared browser, signed out of the staff pages' shop."""
    return signed_out(driver, staff_server["base"])
