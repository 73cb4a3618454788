"""Errors reach the user as a Vietnamese message, never as a traceback."""

from __future__ import annotations

import pytest
from page_fixtures import open_page

from store.db import StoreLockedError
from ui import data, tables
from ui.guard import GENERIC_MESSAGE

pytestmark = pytest.mark.both_backends


def test_a_failing_page_shows_a_vietnamese_error(known_db, monkeypatch: pytest.MonkeyPatch):
    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(tables, "status_counts", broken)
    at = open_page("views/overview.py")
    assert not at.exception
    assert [e.value for e in at.error] == [GENERIC_MESSAGE]
    assert "Traceback" not in GENERIC_MESSAGE and "boom" not in GENERIC_MESSAGE


def test_a_locked_store_is_explained(known_db, monkeypatch: pytest.MonkeyPatch):
    def locked(*_args, **_kwargs):
        raise StoreLockedError("Cơ sở dữ liệu đang được một tiến trình khác mở. Hãy thử lại sau ít giây.")

    monkeypatch.setattr(data, "locality_reports", locked)
    at = open_page("views/compare.py")
    assert not at.exception
    assert any("đang được một tiến trình khác mở" in e.value for e in at.error)
