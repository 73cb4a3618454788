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
import logging
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
from store import accounts, audit, backup, closing
from store.accounts import Account, RightsError
from store.db import connection, db_path, prepare, writing
from store.errors import StoreError
from store.locks import app_presence
from store.report_templates import current_template, save_template, template_info
from store.uploads import has_sample_data, stored_file

Files = tuple[tuple[str, bytes], ...]
log = logging.getLogger("dmst.ui")


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
    prepared = prepare(path, catalog())
    app_presence(prepared)
    return prepared


def database(path: str) -> Path:
    """Create or migrate the DuckDB file and load the plans into it (once per path and catalog version),
    and mark it as used by this app (a restore refuses it while the app runs)."""
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
def _checked(path: str, version: str, files: Files, expected: Expected | None,
             account: Account) -> list[IngestResult]:
    return ingest_files(path, files, user=account, expected=expected, dry_run=True, catalog=catalog())


def snapshot() -> Snapshot:
    """Everything read from the store, once until the database changes."""
    return _snapshot(*store_key())


def reports(period: Period, ids: list[str] | None = None) -> dict[str, LocalityReport]:
    """Reports of the given localities (every locality by default) for a month, as of today."""
    chosen = tuple(ids) if ids else tuple(catalog().plans)
    return _reports(*store_key(), str(period), clock.today(), chosen)


def report(locality_id: str, period: Period) -> LocalityReport:
    """The report of one locality for a month (refused for a locality the signed-in account may not see)."""
    account = st.session_state.get("account")
    if account is not None and not account.can_read(locality_id):
        raise RightsError(f"Tài khoản {account.username} chỉ được xem {account.scope}.")
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


def check(files: Files, expected: Expected | None, account: Account) -> list[IngestResult]:
    """Validate uploaded files and compute what they would change (and whether ``account`` may
    write them), writing nothing."""
    return _checked(*store_key(), files, expected, account)


def ingest(files: Files, expected: Expected | None, account: Account, address: str | None) -> list[IngestResult]:
    """Write the files (a few per short transaction, as ``account``, whose rights the store checks)
    and forget cached results so they show at once."""
    results = ingest_files(str(current_db()), files, user=account, expected=expected, catalog=catalog(),
                           address=address)
    clear_caches()
    return results


def original_file(sha256: str, locality_id: str, account: Account) -> bytes:
    """The bytes of an uploaded file of ``locality_id`` as it was sent (kept forever in the store)."""
    if not account.can_read(locality_id):
        raise RightsError(f"Tài khoản {account.username} không được xem phiếu của {locality_id}.")
    with connection(current_db()) as con:
        return stored_file(con, sha256) or b""


def load_sample_data(account: Account) -> DemoSummary:
    """Fill the (empty) database with the sample sheets, through the real upload path (admin only)."""
    if not account.is_admin:
        raise RightsError("Chỉ quản trị viên mới được nạp dữ liệu mẫu.")
    summary = run_demo(str(current_db()), catalog())
    clear_caches()
    return summary


def built_report(locality: str, period: Period, kind: str) -> BuiltReport:
    """The report of ``locality`` (or ``all``) at ``period``: what it says, its .docx and .xlsx."""
    return _built(*store_key(), locality, str(period), kind, clock.today())


def report_template(locality: str) -> tuple[bytes | None, tuple | None]:
    """(the locality's own report template or None, (file name, by, at) or None)."""
    return _template(*store_key(), locality)


def use_report_template(locality: str, content: bytes | None, file_name: str, account: Account) -> None:
    """Make ``content`` the locality's report template (None: back to the default one); an office for
    its own locality, an admin for any (and for the city report, ``all``)."""
    if not (account.is_admin or (locality != "all" and account.can_write(locality))):
        raise RightsError(f"Tài khoản {account.username} không được đổi mẫu báo cáo của {locality}.")
    with writing(current_db()) as con:
        save_template(con, locality, content, file_name, account.username, clock.now())
    clear_caches()


def has_accounts() -> bool:
    """Is there any account yet? (If not, the first screen creates the first admin.)"""
    with connection(current_db()) as con:
        return accounts.count_users(con) > 0


def first_admin(username: str, password: str, address: str | None) -> Account:
    """Create the first admin account (refused once any account exists)."""
    with writing(current_db()) as con:
        return accounts.add_user(con, username, password, accounts.ADMIN, None, clock.now(), by=username,
                                 address=address, first_admin=True)


def login(username: str, password: str, address: str | None) -> Account:
    """Check a name and password (logged in the audit trail); ``LoginError`` when refused."""
    with writing(current_db()) as con:
        return accounts.authenticate(con, username, password, clock.now(), address)


def log_out(account: Account, address: str | None) -> None:
    with writing(current_db()) as con:
        audit.record(con, clock.now(), account.username, audit.LOGOUT, "Đăng xuất", address=address)


def account_now(username: str) -> Account | None:
    """The account as stored now (``None`` if it was removed); a disabled one ends its sessions."""
    with connection(current_db()) as con:
        return accounts.get_user(con, username)


def journal(account: Account, locality_id: str | None) -> list[audit.Entry]:
    """Audit entries an account may read: an admin everything (or one locality), an office its locality."""
    if account.role == accounts.VIEWER:
        raise RightsError("Tài khoản chỉ xem không được xem nhật ký.")
    if not account.is_admin:
        locality_id = account.locality_id
    with connection(current_db()) as con:
        return audit.entries(con, locality_id, limit=2000)


def month_closure(locality_id: str, period: Period) -> closing.Closure | None:
    """Why a month is closed for a locality today, or ``None``."""
    with connection(current_db()) as con:
        return closing.closure(con, locality_id, str(period), clock.today())


def close_month(account: Account, locality_id: str, period: Period, address: str | None) -> None:
    with writing(current_db()) as con:
        closing.close_month(con, account, locality_id, str(period), clock.now(), address=address)


def reopen_month(account: Account, locality_id: str, period: Period, reason: str, address: str | None) -> None:
    with writing(current_db()) as con:
        closing.reopen_month(con, account, locality_id, str(period), clock.now(), reason, address)


@st.cache_resource(show_spinner=False)
def _daily_backup(path: str, day: dt.date) -> Path | None:
    return backup.daily_backup(path, clock.now())


def daily_backup() -> Path | None:
    """Today's automatic copy of the database (once a day per app process; see README). A failed
    copy is logged for the server's operator and does not stop the pages."""
    try:
        return _daily_backup(str(current_db()), clock.today())
    except (StoreError, OSError) as err:
        log.error("daily backup failed: %s", err)
        return None


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
