"""Fixtures of the webhook delivery tests: the shared server, a receiver."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bbserver import data_dir, server_factory  # noqa: E402,F401  (fixtures)
from webhook_peers import Receiver  # noqa: E402


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()
