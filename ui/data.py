"""Cached access to the catalog and the store for the pages.

The database is prepared once per process (``st.cache_resource``); query results are cached
with ``st.cache_data`` keyed on the database file and its version (modification time and
size of the file and its write-ahead log), so a sheet loaded from the command line while the
app is open shows at the next interaction. :func:`clear_caches` forgets everything after an
upload from the app. Connections are short-lived so that the command-line loader can write
while the app is open. ``$DMST_DATA`` points the app at another plans directory (the
benchmark's 114 localities, the tests); by default it reads ``data/``. The catalog is read again
when a plan file changes (a locality added on the "Thêm địa phương" page shows on every page at
the next interaction, with no restart).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from loaders.demo import DemoSummary, run_demo
from loaders.ingest import IngestResult, ingest_files
from loaders.parsed_sheet import Expected
from plans import clock
from plans.catalog import data_dir, data_files, load_catalog
from plans.model import Catalog
from plans.periods import Period
from reports.build import BuiltReport, report_content, write
from scoring.report import LocalityReport, Snapshot, load_snapshot, locality_reports
from scoring.values import monthly_series
from store.db import connection, db_path, prepare
from store.report_templates import current_template, save_template, template_info
from store.uploads import has_sample_data, stored_file

Files = tuple[tuple[str, bytes], ...]


def catalog_stamp(folder: Path) -> tuple:
    """Name, size and modification time of every catalog file: changes when a plan file is added,
    removed or rewritten (by the "Thêm địa phương" page or by hand), without reading the files."""
    return tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in data_files(folder))


@st.cache_resource(show_spinner=False, max_entries=2)
def _catalog(folder: str, stamp: tuple) -> Catalog:
    return load_catalog(Path(folder))


def catalog() -> Catalog:
    """The plans as data from ``$DMST_DATA`` or ``data/``, read again whenever a plan file changes."""
    folder = data_dir()
    return _catalog(str(folder), catalog_stamp(folder))


@st.cache_resource(show_spinner="Đang chuẩn bị cơ sở dữ liệu…", max_entries=4)
def _database(path: str, fingerprint: str) -> Path:
    return prepare(path, catalog())


def database(path: str) -> Path:
    """Create or migrate the DuckDB file and load the plans into it (once per path and catalog version)."""
    return _database(path, catalog().fingerprint)


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


def store_key() -> tuple[str, str]:
    """(database path, version): the cache key of everything read from the store."""
    path = current_db()
    return str(path), db_version(path)


@st.cache_data(show_spinner=False, max_entries=4)
def _snapshot(path: str, version: str) -> Snapshot:
    return load_snapshot(path, catalog())


@st.cache_data(show_spinner=False, max_entries=64)
def _reports(path: str, version: str, period: str, today: dt.date,
             ids: tuple[str, ...]) -> dict[str, LocalityReport]:
    return locality_reports(_snapshot(path, version), catalog(), Period.parse(period),
                            locality_ids=list(ids), today=today)


@st.cache_data(show_spinner=False, max_entries=8)
def _series(path: str, version: str, start: str, end: str, ids: tuple[str, ...]) -> pd.DataFrame:
    monthly = _snapshot(path, version).monthly
    return monthly_series(monthly[monthly["locality_id"].isin(ids)], catalog().measures,
                          Period.parse(start), Period.parse(end))


@st.cache_data(show_spinner=False, max_entries=4)
def _sample(path: str, version: str) -> bool:
    with connection(path) as con:
        return has_sample_data(con)


@st.cache_data(show_spinner=False, max_entries=16)
def _template(path: str, version: str, locality: str) -> tuple[bytes | None, tuple | None]:
    with connection(path) as con:
        return current_template(con, locality), template_info(con, locality)


@st.cache_data(show_spinner="Đang lập báo cáo…", max_entries=8)
def _built(path: str, version: str, locality: str, period: str, kind: str, today: dt.date) -> BuiltReport:
    content = report_content(catalog(), _snapshot(path, version), locality, Period.parse(period), kind, today)
    return write(content, _template(path, version, locality)[0])


@st.cache_data(show_spinner="Đang kiểm tra các phiếu…", max_entries=4)
def _checked(path: str, version: str, files: Files, expected: Expected | None) -> list[IngestResult]:
    return ingest_files(path, files, expected=expected, dry_run=True, catalog=catalog())


def snapshot() -> Snapshot:
    """Everything read from the store, once until the database changes."""
    return _snapshot(*store_key())


def reports(period: Period, ids: list[str] | None = None) -> dict[str, LocalityReport]:
    """Reports of the given localities (every locality by default) for a month, as of today."""
    chosen = tuple(ids) if ids else tuple(catalog().plans)
    return _reports(*store_key(), str(period), clock.today(), chosen)


def report(locality_id: str, period: Period) -> LocalityReport:
    """The report of one locality for a month."""
    return reports(period, [locality_id])[locality_id]


def series(start: Period, end: Period, ids: list[str]) -> pd.DataFrame:
    """Value as of each month from ``start`` to ``end`` of every measure of the given localities."""
    return _series(*store_key(), str(start), str(end), tuple(ids))


def has_data() -> bool:
    """Has anything been uploaded yet?"""
    return not snapshot().submissions.empty


def sample_loaded() -> bool:
    """Is any value in use sample data (``python -m loaders demo`` or the upload page's button)?"""
    return _sample(*store_key())


def check(files: Files, expected: Expected | None) -> list[IngestResult]:
    """Validate uploaded files and compute what they would change, writing nothing."""
    return _checked(*store_key(), files, expected)


def ingest(files: Files, expected: Expected | None, user: str | None) -> list[IngestResult]:
    """Write the files (each in one transaction, recording who uploaded them) and forget cached
    results so they show at once."""
    results = ingest_files(str(current_db()), files, user=user, expected=expected, catalog=catalog())
    clear_caches()
    return results


def original_file(sha256: str) -> bytes:
    """The bytes of an uploaded file as it was sent (kept forever in the store)."""
    with connection(current_db()) as con:
        return stored_file(con, sha256) or b""


def load_sample_data() -> DemoSummary:
    """Fill the (empty) database with the sample sheets, through the real upload path."""
    summary = run_demo(str(current_db()), catalog())
    clear_caches()
    return summary


def built_report(locality: str, period: Period, kind: str) -> BuiltReport:
    """The report of ``locality`` (or ``all``) at ``period``: what it says, its .docx and .xlsx."""
    return _built(*store_key(), locality, str(period), kind, clock.today())


def report_template(locality: str) -> tuple[bytes | None, tuple | None]:
    """(the locality's own report template or None, (file name, by, at) or None)."""
    return _template(*store_key(), locality)


def use_report_template(locality: str, content: bytes | None, file_name: str, user: str | None) -> None:
    """Make ``content`` the locality's report template (None: back to the default one)."""
    with connection(current_db()) as con:
        save_template(con, locality, content, file_name, user, clock.now())
    clear_caches()


def clear_caches() -> None:
    """Forget cached query results (after an upload, a demo load, a new plan or a new report template)."""
    for cached in (_snapshot, _reports, _series, _sample, _checked, _template, _built):
        cached.clear()


def plans_changed() -> None:
    """After a plan file was written: read the catalog again, load it into the store, forget results."""
    _catalog.clear()
    _database.clear()
    clear_caches()
    current_db()
