"""Fixtures of the mail tests: the shared server fixtures, an SMTP sink (aiosmtpd) and msmtp
configured to hand mail to it."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bbserver import data_dir, server_factory  # noqa: E402,F401  (fixtures)
from mail_peers import SMTPSink, msmtp_config  # noqa: E402


@pytest.fixture
def sink():
    sink = SMTPSink()
    yield sink
    sink.close()


@pytest.fixture
def msmtprc(sink, tmp_path):
    return msmtp_config(sink, tmp_path)
