"""The app starts under AppTest on a fresh database and speaks Vietnamese."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

VIETNAMESE_TITLES = {"Tổng quan", "Danh mục chỉ tiêu, nhiệm vụ và bộ chỉ số"}
APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_app_starts_on_a_fresh_database(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("DMST_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert path.exists()
    title = at.title[0].value
    assert title in VIETNAMESE_TITLES, title
