"""A real bookedbarber process for the Python suites under Tests/Python: `server_factory` starts
the binary named by BOOKEDBARBER_BINARY (the debug build next to the Swift test bundle) on a
free port with a data directory of its own, and stops it after the test."""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

ADMIN = ("admin@py.test", "admin-password")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout, what):
    """Polls `condition` until it is true; fails with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def call(method, url, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, (json.loads(raw) if raw else None)


class Server:
    def __init__(self, data_dir, extra):
        self.port = free_port()
        self.data_dir = data_dir
        self.extra = extra
        self.process = None
        self.log = open(data_dir + ".log", "ab")

    @property
    def api(self):
        return f"http://127.0.0.1:{self.port}/api/v2"

    def start(self):
        binary = os.environ["BOOKEDBARBER_BINARY"]
        self.process = subprocess.Popen(
            [binary, "serve", "--port", str(self.port), "--data-dir", self.data_dir, "--bcrypt-cost", "4",
             "--admin-email", ADMIN[0], "--admin-password", ADMIN[1], "--no-rate-limit"] + self.extra,
            stdout=self.log, stderr=self.log)

        def ready():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readiness", timeout=1) as response:
                    return response.status == 200
            except Exception:
                assert self.process.poll() is None, "the server exited: " + open(self.data_dir + ".log").read()[-3000:]
                return False

        wait_for(ready, 60, "the server to be ready")

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def kill9_and_replay(self, token):
        """Reads the live state digest, kill -9s the server, and checks that `bookedbarber replay`
        of its data directory gives the same digest; returns it."""
        status, live = call("GET", self.api + "/admin/state", token)
        assert status == 200, live
        self.kill9()
        replayed = subprocess.run([os.environ["BOOKEDBARBER_BINARY"], "replay", "--data-dir", self.data_dir, "--json"],
                                  capture_output=True, text=True, check=True)
        assert json.loads(replayed.stdout)["digest"] == live["digest"]
        return live["digest"]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def admin_token(self):
        status, body = call("POST", self.api + "/auth/login", body={"email": ADMIN[0], "password": ADMIN[1]})
        assert status == 200, body
        return body["token"]


@pytest.fixture
def data_dir():
    directory = tempfile.mkdtemp(prefix="bb-webhooks-")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def server_factory(data_dir):
    servers = []

    def make(extra=("--allow-private-webhooks", "--webhook-retry-delays", "1")):
        server = Server(data_dir, list(extra))
        servers.append(server)
        server.start()
        return server

    yield make
    for server in servers:
        server.stop()
