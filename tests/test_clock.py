"""The office's clock is Vietnam time whatever the server's timezone."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from plans import clock


@pytest.fixture()
def utc_server():
    """Run as a server set to UTC would (the CI machines are)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_now_is_utc_plus_seven(utc_server):
    utc = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    local = clock.now()
    assert local.tzinfo is None
    assert abs((local - utc) - dt.timedelta(hours=7)) < dt.timedelta(seconds=5)


def test_today_follows_vietnam_date(utc_server):
    assert clock.today() == (dt.datetime.now(dt.UTC) + dt.timedelta(hours=7)).date()
