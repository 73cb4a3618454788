"""Cached access to the catalog and the store for the pages.

The database is prepared once per process (``st.cache_resource``). Freshness is per locality:
a small query (:func:`store.queries.store_state`, cached on the database file's version —
modification time and size of the file and its write-ahead log) gives each locality's version
(its newest submission id), its months and whether sample data is in use. Reports are cached per
locality, keyed on that locality's version, so a sheet loaded for one locality (from the app or
the command line while the app is open) recomputes that locality's results only, at the next
interaction; the city-wide views compute the missing localities in one query. Connections are
short-lived so that the command-line loader can write while the app is open. ``$DMST_DATA``
points the app at another plans directory (the benchmarks' localities); by default it reads ``data/``.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

import pandas as pd
import streamlit as st

from loaders import clock
from loaders.catalog import DATA_DIR, Catalog, load_catalog
from loaders.demo import DemoSummary, run_demo
from loaders.ingest import IngestResult, ingest_files
from loaders.periods import Period
from scoring.report import LocalityReport, locality_reports
from store import queries
from store.db import connection, db_path, prepare
from store.uploads import stored_file

Files = tuple[tuple[str, bytes], ...]
MAX_CACHED_REPORTS = 8000


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    """The plans as data (read once per process) from ``$DMST_DATA`` or ``data/``."""
    return load_catalog(Path(os.environ.get("DMST_DATA") or DATA_DIR))


@st.cache_resource(show_spinner="Đang chuẩn bị cơ sở dữ liệu…")
def database(path: str) -> Path:
    """Create or migrate the DuckDB file and load the plans into it (once per process and path)."""
    return prepare(path, catalog())


def current_db() -> Path:
    """The database file of this app ($DMST_DB or data/dmst.duckdb), prepared."""
    return database(str(db_path()))


def db_version(path: Path | str) -> str:
    """A token that changes whenever the database file or its write-ahead log is written."""
    parts = []
    for file in (Path(path), Path(f"{path}.wal")):
        if file.exists():
            info = file.stat()
            parts.append(f"{info.st_mtime_ns}:{info.st_size}")
    return "/".join(parts)


@st.cache_data(show_spinner=False, max_entries=4)
def _state(path: str, version: str) -> pd.DataFrame:
    with connection(path) as con:
        return queries.store_state(con)


def state() -> pd.DataFrame:
    """Per locality with uploads: version, first_period, latest_period, sample (re-read after any write)."""
    path = current_db()
    return _state(str(path), db_version(path))


def versions(ids: list[str]) -> tuple[int, ...]:
    """The version of each locality (0 when it has no upload yet)."""
    known = dict(zip(state()["locality_id"], state()["version"]))
    return tuple(int(known.get(lid, 0)) for lid in ids)


class _Reports:
    """Locality reports kept per (database, catalog, locality, version, month, today), least
    recently used dropped first; shared by every session of the process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: OrderedDict[tuple, LocalityReport] = OrderedDict()

    def get(self, period: Period, ids: list[str]) -> dict[str, LocalityReport]:
        path, today, fingerprint = str(current_db()), clock.today(), catalog().fingerprint
        keys = {lid: (path, fingerprint, lid, version, str(period), today) for lid, version in zip(ids, versions(ids))}
        with self.lock:
            found = {lid: self.items[key] for lid, key in keys.items() if key in self.items}
            for lid in found:
                self.items.move_to_end(keys[lid])
        missing = [lid for lid in ids if lid not in found]
        if missing:
            fresh = locality_reports(path, catalog(), period, missing, today=today)
            with self.lock:
                for lid, report in fresh.items():
                    self.items[keys[lid]] = report
                while len(self.items) > MAX_CACHED_REPORTS:
                    self.items.popitem(last=False)
            found.update(fresh)
        return {lid: found[lid] for lid in ids}


@st.cache_resource(show_spinner=False)
def _report_cache() -> _Reports:
    return _Reports()


@st.cache_data(show_spinner=False, max_entries=16)
def _series(path: str, start: str, end: str, ids: tuple[str, ...], versions: tuple[int, ...]) -> pd.DataFrame:
    with connection(path) as con:
        return queries.value_series(con, ids, start, end)


@st.cache_data(show_spinner=False, max_entries=16)
def _log(path: str, locality_id: str, version: int) -> pd.DataFrame:
    with connection(path) as con:
        return queries.submission_log(con, locality_id)


@st.cache_data(show_spinner="Đang kiểm tra các phiếu…", max_entries=4)
def _checked(path: str, version: str, files: Files, expected: tuple | None) -> list[IngestResult]:
    return ingest_files(path, files, expected=expected, dry_run=True, catalog=catalog())


def reports(period: Period, ids: list[str] | None = None) -> dict[str, LocalityReport]:
    """Reports of the given localities (every locality by default) for a month, as of today."""
    return _report_cache().get(period, list(ids) if ids else list(catalog().plans))


def report(locality_id: str, period: Period) -> LocalityReport:
    """The report of one locality for a month."""
    return reports(period, [locality_id])[locality_id]


def series(start: Period, end: Period, ids: list[str]) -> pd.DataFrame:
    """Value as of each month from ``start`` to ``end`` of every measure of the given localities."""
    return _series(str(current_db()), str(start), str(end), tuple(ids), versions(ids))


def submission_log(locality_id: str) -> pd.DataFrame:
    """A locality's submissions, current and replaced, newest first."""
    return _log(str(current_db()), locality_id, versions([locality_id])[0])


def has_data() -> bool:
    """Has anything been uploaded yet?"""
    return not state().empty


def latest_period() -> Period | None:
    """The most recent month with any current submission."""
    latest = state()["latest_period"].dropna()
    return Period.parse(latest.max()) if len(latest) else None


def first_period() -> Period | None:
    """The earliest month with any current submission."""
    first = state()["first_period"].dropna()
    return Period.parse(first.min()) if len(first) else None


def sample_loaded() -> bool:
    """Is any value in use sample data (``python -m loaders demo`` or the upload page's button)?"""
    return bool(state()["sample"].any())


def check(files: Files, expected: tuple | None) -> list[IngestResult]:
    """Validate uploaded files and compute what they would change, writing nothing."""
    path = current_db()
    return _checked(str(path), db_version(path), files, expected)


def ingest(files: Files, expected: tuple | None, user: str | None) -> list[IngestResult]:
    """Write the files (each in one transaction, recording who uploaded them); the localities they
    touch get a new version, so only their results are computed again."""
    return ingest_files(str(current_db()), files, user=user, expected=expected, catalog=catalog())


def original_file(sha256: str) -> bytes:
    """The bytes of an uploaded file as it was sent (kept forever in the store)."""
    with connection(current_db()) as con:
        return stored_file(con, sha256) or b""


def load_sample_data() -> DemoSummary:
    """Fill the (empty) database with the sample sheets, through the real upload path."""
    return run_demo(str(current_db()), catalog())
