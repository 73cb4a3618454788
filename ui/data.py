"""Cached access to the catalog and the store for the pages.

The database is prepared once per process and catalog version (``st.cache_resource``).
Freshness is per locality: a small query (:func:`store.queries.store_state`, cached on the
database file's version — modification time and size of the file and its write-ahead log) gives
each locality's version (its newest submission id), its months and whether sample data is in use.
Reports, series and built report files are cached per locality, keyed on that locality's version,
so a sheet loaded for one locality (from the app or the command line while the app is open)
recomputes that locality's results only, at the next interaction; the city-wide views compute the
missing localities in one query. Connections are short-lived so that the command-line loader can
write while the app is open. ``$DMST_DATA`` points the app at another plans directory (the
benchmarks' localities, the tests); by default it reads ``data/``. The catalog is read again when a
plan file changes (a locality added on the "Thêm địa phương" page shows on every page at the next
interaction, with no restart); its parsed form is kept in a cache file beside the plans
(``plans.catalog.load_catalog``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from loaders.demo import DemoSummary, run_demo
from loaders.ingest import IngestResult, ingest_files
from loaders.parsed_sheet import Expected
from plans import clock
from plans.catalog import data_dir, load_catalog, stamp
from plans.model import Catalog
from plans.periods import Period
from reports.body import Notes
from reports.build import CITY, BuiltReport, read_inputs, write
from reports.build import report_content as content_of
from reports.content import ReportContent
from reports.template_check import TemplateProblem, usable
from reports.templates import reset_template, set_template
from scoring.report import LocalityReport, locality_reports, read_indicators
from store import accounts, audit, backup, closing, queries
from store.accounts import Account, RightsError
from store.db import connection, db_path, prepare, version, writing
from store.errors import StoreError
from store.journal import write_entry
from store.locks import app_presence
from store.report_templates import current_template, template_info
from store.sample_data import Removed
from store.sample_data import remove_sample_data as remove_sample
from store.uploads import record_rejections, stored_file

Files = tuple[tuple[str, bytes], ...]
log = logging.getLogger("dmst.ui")
MAX_CACHED_REPORTS = 8000


STAMP_SECONDS = 1.0


@st.cache_data(ttl=STAMP_SECONDS, show_spinner=False)
def _stamp(folder: str) -> str:
    """The catalog stamp of a folder (``plans.catalog.stamp``), looked at again at most every
    ``STAMP_SECONDS`` (a page asks for the catalog many times per run; at national scale one look
    is ~3,300 file stats)."""
    return stamp(Path(folder))


@st.cache_resource(show_spinner=False, max_entries=2)
def _catalog(folder: str, stamp: str) -> Catalog:
    return load_catalog(Path(folder))


def catalog() -> Catalog:
    """The plans as data from ``$DMST_DATA`` or ``data/``, read again when a plan file changes
    (noticed within ``STAMP_SECONDS``)."""
    folder = data_dir()
    return _catalog(str(folder), _stamp(str(folder)))


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


@st.cache_data(show_spinner=False, max_entries=4)
def _state(path: str, version: str) -> pd.DataFrame:
    with connection(path) as con:
        return queries.store_state(con)


def state() -> pd.DataFrame:
    """Per locality with uploads: version, first_period, latest_period, sample (re-read after any write)."""
    path = current_db()
    return _state(str(path), version(path))


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


@st.cache_resource(show_spinner=False, max_entries=16)
def _indicators(
    path: str, fingerprint: str, period: str, measures: tuple[str, ...], today: dt.date, versions: tuple[int, ...]
) -> dict[str, list[dict]]:
    with connection(path) as con:
        return read_indicators(con, catalog(), Period.parse(period), measures=measures)


def indicators(period: Period, measures: Sequence[str]) -> dict[str, list[dict]]:
    """Every locality's rows of its indicators on ``measures`` at ``period`` (no tasks, points or
    submissions: what a view of all localities' indicators needs); computed again when any
    locality gets an upload. Shared, not copied: read-only."""
    ids = list(catalog().plans)
    return _indicators(
        str(current_db()), catalog().fingerprint, str(period), tuple(measures), clock.today(), versions(ids)
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _series(
    path: str, fingerprint: str, start: str, end: str, ids: tuple[str, ...], versions: tuple[int, ...]
) -> pd.DataFrame:
    with connection(path) as con:
        return queries.value_series(con, ids, start, end)


@st.cache_data(show_spinner=False, max_entries=16)
def _log(path: str, locality_id: str, version: int) -> pd.DataFrame:
    with connection(path) as con:
        return queries.submission_log(con, locality_id)


@st.cache_data(show_spinner=False, max_entries=16)
def _template(path: str, version: str, locality: str) -> tuple[bytes | None, tuple | None]:
    with connection(path) as con:
        return current_template(con, locality), template_info(con, locality)


@st.cache_data(show_spinner="Đang lập báo cáo…", max_entries=8)
def _content(
    path: str, stamp: tuple, locality: str, period: str, kind: str, today: dt.date, notes: Notes
) -> ReportContent:
    month = Period.parse(period)
    scored = reports(month, list(catalog().plans) if locality == CITY else [locality])
    with connection(path) as con:
        inputs = read_inputs(con, catalog(), locality, month, today, scored, kind)
    return content_of(catalog(), inputs, locality, month, kind, today, notes)


@st.cache_data(show_spinner=False, max_entries=8)
def _files(path: str, stamp: tuple, locality: str, period: str, kind: str, today: dt.date, notes: Notes) -> BuiltReport:
    return write(_content(path, stamp, locality, period, kind, today, notes), report_template(locality)[0])


@st.cache_data(show_spinner=False, max_entries=16)
def _monthly(path: str, fingerprint: str, locality_id: str, upto: str, version: int) -> pd.DataFrame:
    with connection(path) as con:
        return queries.monthly_values(con, [locality_id], upto)


@st.cache_data(show_spinner="Đang kiểm tra các phiếu…", max_entries=4)
def _checked(path: str, version: str, files: Files, expected: Expected | None, account: Account) -> list[IngestResult]:
    return ingest_files(path, files, user=account, expected=expected, dry_run=True, catalog=catalog())


def reports(period: Period, ids: list[str] | None = None) -> dict[str, LocalityReport]:
    """Reports of the given localities (every locality by default) for a month, as of today."""
    return _report_cache().get(period, list(ids) if ids else list(catalog().plans))


def report(locality_id: str, period: Period) -> LocalityReport:
    """The report of one locality for a month (refused for a locality the signed-in account may not see)."""
    account = st.session_state.get("account")
    if account is not None and not account.can_read(locality_id):
        raise RightsError(f"Tài khoản {account.username} chỉ được xem {account.scope}.")
    return reports(period, [locality_id])[locality_id]


def series(start: Period, end: Period, ids: list[str]) -> pd.DataFrame:
    """Value as of each month from ``start`` to ``end`` of every measure of the given localities."""
    return _series(str(current_db()), catalog().fingerprint, str(start), str(end), tuple(ids), versions(ids))


def monthly_values(locality_id: str, upto: Period) -> pd.DataFrame:
    """A locality's combined value of each measure in every month up to ``upto`` in which it was
    reported (``store.queries.monthly_values``): what projections fit their pace on."""
    return _monthly(str(current_db()), catalog().fingerprint, locality_id, str(upto), versions([locality_id])[0])


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


def sample_shown(ids: Sequence[str], period: Period) -> bool:
    """Do sample sheets count in what a page shows of these localities at ``period`` (one of them has
    a sample sheet in use for that month or before: its values carry on to later months)?"""
    rows = state()
    rows = rows[rows["locality_id"].isin(list(ids)) & rows["sample_from"].notna()]
    return bool((rows["sample_from"] <= str(period)).any())


def check(files: Files, expected: Expected | None, account: Account) -> list[IngestResult]:
    """Validate uploaded files and compute what they would change (and whether ``account`` may
    write them), writing nothing."""
    path = current_db()
    return _checked(str(path), version(path), files, expected, account)


def ingest(files: Files, expected: Expected | None, account: Account, address: str | None) -> list[IngestResult]:
    """Write the files (a few per short transaction, as ``account``, whose rights the store checks);
    the localities they touch get a new version, so only their results are computed again."""
    return ingest_files(str(current_db()), files, user=account, expected=expected, catalog=catalog(), address=address)


def original_file(sha256: str, locality_id: str, account: Account) -> bytes:
    """The bytes of an uploaded file of ``locality_id`` as it was sent (kept forever in the store)."""
    if not account.can_read(locality_id):
        raise RightsError(f"Tài khoản {account.username} không được xem phiếu của {locality_id}.")
    with connection(current_db()) as con:
        return stored_file(con, sha256, locality_id) or b""


def load_sample_data(
    account: Account, progress: Callable[[int, int], None] | None = None, address: str | None = None
) -> DemoSummary:
    """Fill the (empty) database with the sample sheets, through the real upload path (admin only);
    ``progress(done, total)`` after each group of sheets."""
    if not account.is_admin:
        raise RightsError("Chỉ quản trị viên mới được nạp dữ liệu mẫu.")
    return run_demo(str(current_db()), catalog(), progress=progress, address=address)


def remove_sample_data(account: Account, address: str | None) -> Removed:
    """Delete every sample sheet (admin only, journaled: :mod:`store.sample_data`), and forget what
    was computed from them."""
    removed = remove_sample(current_db(), account, clock.now(), address)
    st.cache_data.clear()
    _report_cache.clear()
    _indicators.clear()
    return removed


def _report_key(locality: str, period: Period, kind: str, notes: Notes) -> tuple:
    """What a report is kept under: it changes when one of its localities gets an upload, its
    template changes, or the office's own text changes."""
    ids = list(catalog().plans) if locality == CITY else [locality]
    stamp = (catalog().fingerprint, versions(ids), report_template(locality)[1])
    return str(current_db()), stamp, locality, str(period), kind, clock.today(), notes


def report_content(locality: str, period: Period, kind: str, notes: Notes = Notes()) -> ReportContent:
    """What the report of ``locality`` (or ``all``) at ``period`` says, with the office's own text
    (for the preview); kept as :func:`_report_key` says."""
    return _content(*_report_key(locality, period, kind, notes))


def built_report(locality: str, period: Period, kind: str, notes: Notes = Notes()) -> BuiltReport:
    """The report with its .docx and .xlsx, written from :func:`report_content`: asked for when
    someone downloads it, not when the page opens (the .docx of one locality takes 0.5–0.7 s)."""
    return _files(*_report_key(locality, period, kind, notes))


def report_template(locality: str) -> tuple[bytes | None, tuple | None]:
    """(the locality's own report template or None, (file name, by, at) or None)."""
    path = current_db()
    return _template(str(path), version(path), locality)


def template_problems(locality: str) -> list[str]:
    """Why the locality's own template may not be used any more (one stored before today's checks),
    or nothing (also for the default one)."""
    own = report_template(locality)[0]
    if own is None:
        return []
    try:
        usable(own)
    except TemplateProblem as problem:
        return problem.problems
    return []


def use_report_template(
    locality: str, content: bytes | None, file_name: str, account: Account, address: str | None
) -> None:
    """Make ``content`` the locality's report template (None: back to the default one), as
    ``python -m reports template set/reset`` does: checked again, the right checked by the store, journaled."""
    if content is None:
        reset_template(current_db(), account, locality, address)
    else:
        set_template(current_db(), account, locality, content, file_name, address)


def journal(
    account: Account, locality_id: str | None, search: audit.Search = audit.Search(), limit: int = 2000
) -> list[audit.Entry]:
    """Audit entries an account may read: an admin everything (or one locality), an office its locality;
    narrowed by ``search``, newest first, at most ``limit``."""
    if account.role == accounts.VIEWER:
        raise RightsError("Tài khoản chỉ xem không được xem nhật ký.")
    if not account.is_admin:
        locality_id = account.locality_id
    with connection(current_db()) as con:
        return audit.entries(con, locality_id, limit=limit, search=search)


def journal_actors(account: Account) -> list[str]:
    """The names in the part of the journal ``account`` may read (for the journal's account filter)."""
    if account.role == accounts.VIEWER:
        raise RightsError("Tài khoản chỉ xem không được xem nhật ký.")
    with connection(current_db()) as con:
        return audit.actors(con, None if account.is_admin else account.locality_id)


def journal_refused(results: Sequence[IngestResult], account: Account, address: str | None) -> None:
    """Journal the files a check refused (a refused upload leaves its row, though nothing is written),
    each once per session however often the page runs again; nothing when the store cannot be written."""
    seen = st.session_state.setdefault("journaled_refusals", set())
    fresh = [r for r in results if not r.accepted and (r.sha256, tuple(p.message for p in r.errors)) not in seen]
    if not fresh:
        return
    try:
        with writing(current_db()) as con:
            record_rejections(
                con,
                clock.now(),
                account.username,
                address,
                [
                    (
                        r.file_name,
                        r.identity.locality_id if r.identity else None,
                        r.identity.period if r.identity else None,
                        [p.message for p in r.errors],
                    )
                    for r in fresh
                ],
            )
    except (StoreError, OSError) as err:
        log.warning("%d refused uploads not journaled: %s", len(fresh), err)
        return
    seen.update((r.sha256, tuple(p.message for p in r.errors)) for r in fresh)


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
def _daily_backups(path: str) -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=backup.run_daily, args=(path, stop), name="dmst-daily-backup", daemon=True).start()
    return stop


def start_daily_backups() -> None:
    """Start the daily copy of the database (README), once per app process: a thread of its own
    looks every few minutes whether one is due, so that no page ever waits for a backup."""
    _daily_backups(str(current_db()))


def plan_added(account: Account, doc: dict, file_name: str, content: bytes, address: str | None) -> None:
    """Journal a locality added from its plan document (the plan file is already written)."""
    if not account.is_admin:
        raise RightsError("Chỉ quản trị viên mới được thêm địa phương.")
    name = ", ".join(doc.get("aliases", [])[:1]) or doc["id"]
    entry = audit.NewEntry(
        clock.now(),
        account.username,
        audit.PLAN_ADDED,
        f"Thêm địa phương {name} (plans/{doc['id']}.yaml, từ {file_name})",
        doc["id"],
        address=address,
        detail={
            "locality_id": doc["id"],
            "file_name": file_name,
            "size_bytes": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "indicators": len(doc.get("indicators", [])),
            "tasks": len(doc.get("tasks", [])),
        },
    )
    write_entry(current_db(), entry)


def plans_changed() -> None:
    """After a plan file was written: read the catalog again and load it into the store (results
    cached for the former catalog are keyed on its fingerprint and are not used again)."""
    _stamp.clear()
    _catalog.clear()
    _database.clear()
    current_db()
