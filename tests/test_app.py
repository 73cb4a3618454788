"""The app starts under AppTest on a fresh database, speaks Vietnamese, and its first screen creates
the first admin account."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from store.accounts import Account
from store.db import connection

VIETNAMESE_TITLES = {"Tổng quan", "Danh mục chỉ tiêu, nhiệm vụ và bộ chỉ số"}
APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_app_starts_on_a_fresh_database_and_creates_the_first_admin(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("DMST_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert path.exists()
    assert at.title[0].value == "Tạo tài khoản quản trị đầu tiên"
    at.text_input(key="setup_username").input("thanhpho")
    at.text_input(key="setup_password").input("mật khẩu đủ dài")
    at.text_input(key="setup_again").input("mật khẩu khác")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Hai lần nhập mật khẩu không giống nhau."]
    at.text_input(key="setup_again").input("mật khẩu đủ dài")
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value in VIETNAMESE_TITLES, at.title[0].value
    assert at.session_state["account"] == Account("thanhpho", "admin", None)
    with connection(path) as con:
        assert con.execute("SELECT username, role, locality_id FROM users").fetchall() == [("thanhpho", "admin", None)]
    again = AppTest.from_file(APP, default_timeout=60).run()
    assert again.title[0].value == "Đăng nhập"
