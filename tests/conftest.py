"""Shared fixtures, one home: the real catalog, prepared DuckDB files (copied, not rebuilt, per
test), a database with known values for the page tests, a second process holding the lock, and a
headless Chromium for the browser tests."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from page_fixtures import build_known_db

from plans.catalog import load_catalog
from plans.model import Catalog
from store import db as store_db
from store import sign_in, throttle
from store.db import prepare

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The five plans as the software reads them from data/."""
    return load_catalog()


@pytest.fixture(scope="session")
def prepared_store(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    """A database with the schema and the catalog, made once; tests get copies of it."""
    return prepare(tmp_path_factory.mktemp("prepared") / "dmst.duckdb", catalog)


@pytest.fixture()
def db(tmp_path: Path, prepared_store: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh DuckDB file with the schema and the catalog loaded (a copy of ``prepared_store``);
    ``DMST_DB`` points at it."""
    path = tmp_path / "dmst.duckdb"
    shutil.copyfile(prepared_store, path)
    monkeypatch.setenv("DMST_DB", str(path))
    return path


@pytest.fixture()
def held(db, monkeypatch: pytest.MonkeyPatch):
    """Another process holds the database read-write (as the DuckDB CLI or DBeaver would); yields its PID."""
    monkeypatch.setattr(store_db, "LOCK_WAIT_SECONDS", 0.5)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
                               "sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ok"
    yield holder.pid
    holder.stdin.close()
    holder.wait(timeout=30)


@pytest.fixture(scope="session")
def known_store(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    """The known database, built once per session (tests get a copy)."""
    return build_known_db(tmp_path_factory.mktemp("known") / "known.duckdb", catalog)


@pytest.fixture()
def known_db(known_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the known database; ``DMST_DB`` points at it, Streamlit's data caches empty."""
    path = tmp_path / "dmst.duckdb"
    shutil.copyfile(known_store, path)
    monkeypatch.setenv("DMST_DB", str(path))
    st.cache_data.clear()
    return path


@pytest.fixture()
def empty_db(db: Path) -> Path:
    """A fresh database without any upload (the ``db`` fixture), data caches empty."""
    st.cache_data.clear()
    return db


@pytest.fixture(autouse=True)
def fresh_sign_in_state(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no address this process remembers as waiting, and without the second a
    refused sign-in waits before answering (``store.sign_in.FAILURE_PAUSE``: tests that try many wrong
    passwords need not wait; ``tests/test_trust.py`` checks the pause itself)."""
    monkeypatch.setattr(sign_in, "FAILURE_PAUSE", 0.0)
    for remembered in (throttle.MEMORY, throttle.WAITING_UNTIL, sign_in.JOURNALED_BLOCKS):
        remembered.clear()


@pytest.fixture(autouse=True)
def no_daily_backup(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's daily backup thread copies the store and journals it; only the backup tests want that
    (they set ``DMST_BACKUP_KEEP`` themselves)."""
    monkeypatch.setenv("DMST_BACKUP_KEEP", "0")


@pytest.fixture(autouse=True)
def months_stay_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures load months of 2026 long after their deadline: no automatic close unless a test
    sets ``DMST_AUTO_CLOSE_DAYS`` itself (tests/test_trust.py)."""
    monkeypatch.setenv("DMST_AUTO_CLOSE_DAYS", "0")


@pytest.fixture()
def browser():
    """Headless Chromium (Debian's chromium; Playwright cannot download its own here)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def browser_page(browser):
    """A page as tall as a whole overview, so one screenshot shows everything."""
    return browser.new_page(viewport={"width": 1440, "height": 2400}, locale="vi-VN")
