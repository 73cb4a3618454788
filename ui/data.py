"""Cached access to the catalog and the store for the pages.

The database is prepared once per process (``st.cache_resource``); query results are cached
with ``st.cache_data`` keyed on the database file and cleared after an upload
(:func:`clear_caches`) so new numbers show at once. Connections are short-lived so that the
command-line loader can write while the app is open.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from loaders.catalog import Catalog, load_catalog
from loaders.periods import Period
from scoring.report import LocalityReport, Snapshot, load_snapshot, locality_reports
from store.db import db_path, prepare


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    """The plans as data (read once per process)."""
    return load_catalog()


@st.cache_resource(show_spinner="Đang chuẩn bị cơ sở dữ liệu…")
def database(path: str) -> Path:
    """Create or migrate the DuckDB file and load the plans into it (once per process and path)."""
    return prepare(path, catalog())


def current_db() -> Path:
    """The database file of this app ($DMST_DB or data/dmst.duckdb), prepared."""
    return database(str(db_path()))


@st.cache_data(show_spinner=False)
def snapshot(path: str) -> Snapshot:
    """Everything read from the store, once until the next upload."""
    return load_snapshot(path, catalog())


@st.cache_data(show_spinner=False)
def reports(path: str, period: str, today: dt.date) -> dict[str, LocalityReport]:
    """Reports of every locality for a month."""
    return locality_reports(snapshot(path), catalog(), Period.parse(period), today=today)


def clear_caches() -> None:
    """Forget cached query results (after an upload or a demo load)."""
    snapshot.clear()
    reports.clear()
