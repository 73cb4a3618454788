"""Errors reach the user as a Vietnamese message, never as a traceback."""

from __future__ import annotations

import pytest
from page_fixtures import open_page

from store.db import StoreLockedError
from ui import data, tables
from ui.guard import GENERIC_MESSAGE

pytestmark = pytest.mark.both_backends

LOCKED = "Cơ sở dữ liệu đang được một tiến trình khác mở. Hãy thử lại sau ít giây."


@pytest.mark.parametrize(
    "module, name, page, error, shown",
    [
        (tables, "status_counts", "views/overview.py", ZeroDivisionError("boom"), GENERIC_MESSAGE),
        (data, "locality_reports", "views/compare.py", StoreLockedError(LOCKED), LOCKED),
    ],
    ids=["a_failing_page_shows_a_vietnamese_error", "a_locked_store_is_explained"],
)
def test_an_error_under_a_page_reaches_the_user_in_vietnamese(
    known_db, monkeypatch: pytest.MonkeyPatch, module, name, page, error, shown
):
    def failing(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(module, name, failing)
    at = open_page(page)
    assert not at.exception
    assert [e.value for e in at.error] == [shown]
    assert "Traceback" not in shown and "boom" not in shown
