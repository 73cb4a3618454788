"""The journal can be trusted about where a sign-in came from, and no other site can frame the app:
tried in Debian's chromium against the app as ``scripts/run.sh`` serves it (``serve.py``)."""

from __future__ import annotations

import urllib.request

import pytest
from page_fixtures import build_known_db, ensure_account
from test_browser import served_app, sign_in

from store.db import connection

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def last_sign_in_address(db) -> str | None:
    with connection(db) as con:
        row = con.execute("SELECT address FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def signed_in_with(browser, url: str, headers: dict[str, str]) -> None:
    context = browser.new_context(extra_http_headers=headers, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{url}/tong-quan")
    sign_in(page)
    page.get_by_role("heading", name="Tổng quan").first.wait_for(timeout=60_000)
    context.close()


@pytest.mark.parametrize(
    "trusted, expected",
    [("", "127.0.0.1"), ("127.0.0.1", "10.20.30.40")],
    ids=["no proxy trusted", "the local proxy trusted"],
)
def test_the_journal_takes_the_connection_address_and_a_forwarded_one_only_from_a_trusted_proxy(
    browser, tmp_path, catalog, trusted, expected
):
    db = build_known_db(tmp_path / "dmst.duckdb", catalog)
    ensure_account("admin", path=db)
    with served_app(tmp_path, DMST_DB=str(db), DMST_TRUSTED_PROXIES=trusted, DMST_BACKUP_KEEP="0") as url:
        signed_in_with(browser, url, {"X-Forwarded-For": "10.20.30.40", "X-Dmst-Client-Address": "6.6.6.6"})
    assert last_sign_in_address(db) == expected


def test_no_other_site_can_frame_the_app(tmp_path, catalog):
    db = build_known_db(tmp_path / "dmst.duckdb", catalog)
    with served_app(tmp_path, DMST_DB=str(db), DMST_BACKUP_KEEP="0") as url:
        for path in ("/", "/tong-quan", "/so-sanh?dia_phuong=binh_giang"):
            with urllib.request.urlopen(url + path, timeout=30) as reply:
                assert reply.headers["X-Frame-Options"] == "DENY", path
                assert reply.headers["Content-Security-Policy"] == "frame-ancestors 'none'", path
                assert reply.headers["X-Content-Type-Options"] == "nosniff", path
