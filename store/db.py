"""Owns the store: where it is, how to open it, its schema, and the catalog tables.

The store is an embedded DuckDB file (the default: ``data/dmst.duckdb`` or the path in ``$DMST_DB``)
or a PostgreSQL database (``DMST_DB=postgresql://user@host/database``: several app servers share it,
:mod:`store.postgres`); the same functions serve both.

DuckDB lets only one process hold a database file open, so every user of the store opens
short-lived connections with :func:`connection` and closes them at once; a second process
(the CLI while the app runs) waits up to ``LOCK_WAIT_SECONDS`` for the file and then gets a
clear Vietnamese :class:`StoreLockedError` (naming the program and PID that DuckDB reports)
instead of a raw DuckDB error. Every write goes through :func:`writing`: one writer at a time
(:mod:`store.locks` for a file; one advisory lock of the database for PostgreSQL), so two sessions
or processes never interleave their transactions. A file that cannot be written is opened
read-only, so reading commands still work. Preparing an up-to-date store writes nothing, so the
file (and the app's caches keyed on :func:`version`) stay as they are.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb
import psycopg

from plans import settings
from plans.catalog import load_catalog
from plans.model import Catalog
from plans.vocabulary import TASK_SHEET_STATUSES, label
from store import audit, measure_months, postgres, schema_rules
from store.backend import Connection, columns_of, dialect, insert_rows, transaction
from store.errors import (
    DB_ERRORS,
    READ_ONLY,
    StoreError,
    StoreLockedError,
    StoreMissingError,
    StoreReadOnlyError,
    explain,
    unreachable,
)
from store.locks import busy, reader_lock, write_wait_seconds, writer_lock
from store.sql import SQL_DIR

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "dmst.duckdb"
SCHEMA_VERSION = "8"  # 2: task statuses as codes; 3: original files' bytes in upload_contents;
# 4: accounts, closed months, the audit trail and current_keys (one current submission per key);
# 5: measure_months (each locality's combined monthly values, filled by prepare);
# 6: latest_values and latest_tasks (as of each locality's latest month, filled by prepare);
# 7: the audit trail chained (audit_log.row_hash); sign-in failures per (name, address) and per address;
#    sign-in sessions kept in the store (sessions); one-time passwords (users.must_change);
# 8: the rules beside the tables (keys and CHECK constraints of schema.sql, store/schema_rules.py)
LOCK_WAIT_SECONDS = 15.0
MEMORY_LIMIT = "1GB"  # DuckDB's working memory per open database (it spills to disk beyond it)
SCHEMA_FILE = Path(__file__).with_name("schema.sql")
_SCHEMA_SQL = {
    "duckdb": (SCHEMA_FILE, SQL_DIR / "duckdb" / "value_rules.sql"),
    "postgres": (SCHEMA_FILE, SQL_DIR / "postgres" / "value_rules.sql", SQL_DIR / "postgres" / "schema.sql"),
}
_HOLDER = re.compile(r"held in (.+?) \(PID (\d+)\)")
CATALOG_TABLES = (
    "localities",
    "phases",
    "report_deadlines",
    "reviews",
    "plan_groups",
    "units",
    "common_groups",
    "measures",
    "indicators",
    "tasks",
    "frameworks",
    "framework_groups",
    "framework_items",
    "framework_ratings",
)
Target = Path | str
"""Where a store is: a DuckDB file, or a PostgreSQL address (``postgresql://…``)."""
DB_HELP = "tệp DuckDB hoặc địa chỉ postgresql://… (mặc định $DMST_DB hoặc data/dmst.duckdb)"
"""The command lines' help for ``--db``."""


def db_path() -> Target:
    """The store: ``$DMST_DB`` when set (a file, or a ``postgresql://`` address), else ``data/dmst.duckdb``."""
    return locate(settings.text("DMST_DB")) if settings.is_set("DMST_DB") else DEFAULT_DB


def locate(target: Path | str | None) -> Target:
    """The store named by ``target`` (a path, an address; None: :func:`db_path`), as a ``Path`` for a
    file and as the address itself for PostgreSQL (a ``Path`` would fold its ``//``)."""
    if target is None or target == "":
        return db_path()
    return target if postgres.is_url(target) else Path(target)


def described(target: Target) -> str:
    """The store as the operator's messages name it (an address without its password)."""
    return postgres.shown(target) if postgres.is_url(target) else str(target)


def locked_message(path: Path | None, duckdb_message: str) -> str:
    """What to tell the user when another program holds the file (with the program and PID DuckDB
    names); without ``path`` (for a page) the file is not named."""
    holder = _HOLDER.search(duckdb_message)
    who = f" ({Path(holder.group(1)).name}, PID {holder.group(2)})" if holder else ""
    where = f" {path}" if path else ""
    return (
        f"Cơ sở dữ liệu{where} đang bị một chương trình khác giữ{who}. Nếu đó là công cụ bên ngoài "
        f"(DuckDB CLI, DBeaver…), hãy đóng kết nối của công cụ đó tới tệp này; nếu đó là một lần nạp khác "
        f"đang chạy, hãy đợi lần nạp đó xong rồi làm lại."
    )


def _read_only_problem(err: BaseException) -> bool:
    text = str(err).lower()
    return any(word in text for word in ("permission denied", "read-only file system", "read only file system"))


def _open(path: Path, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(path))
            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            return con
        except duckdb.ResourceInUseException:
            # Another thread of this process is closing the last connection to the file just now
            # (DuckDB's instance cache): try again in a moment.
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
        except duckdb.IOException as err:
            if _read_only_problem(err) and path.exists():
                con = duckdb.connect(str(path), read_only=True)
                con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
                return con
            if "lock" not in str(err).lower():
                if _read_only_problem(err):
                    raise StoreReadOnlyError(f"{READ_ONLY} ({path})", READ_ONLY) from err
                raise
            if time.monotonic() >= deadline:
                raise StoreLockedError(locked_message(path, str(err)), locked_message(None, str(err))) from err
            time.sleep(0.05)


def _folder(target: Path) -> None:
    """Create the database's folder, or explain in Vietnamese why it cannot be."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        cause = explain(err)
        raise StoreMissingError(
            f"Không tạo được thư mục {target.parent} cho cơ sở dữ liệu: {cause}",
            f"Không tạo được thư mục cho cơ sở dữ liệu: {cause}",
        ) from err


@contextmanager
def _postgres(url: str, snapshot: bool) -> Iterator[postgres.PgConnection]:
    """A pooled PostgreSQL connection; a server that cannot be reached is a Vietnamese ``StoreError``."""
    stack = ExitStack()
    try:
        con = stack.enter_context(postgres.connection(url, snapshot))
    except psycopg.OperationalError as err:
        raise unreachable(postgres.shown(url), err) from err
    with stack:
        yield con


@contextmanager
def connection(path: Path | str | None = None, wait_seconds: float | None = None) -> Iterator[Connection]:
    """Open the store, yield it, close it (a file that cannot be written: read-only; PostgreSQL:
    every statement of the block sees the same snapshot).

    A lock held by another process is waited for ``wait_seconds`` (default ``LOCK_WAIT_SECONDS``).
    """
    target = locate(path)
    if postgres.is_url(target):
        with _postgres(target, snapshot=True) as con:
            yield con
        return
    _folder(target)
    wait = LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
    with reader_lock(target, wait):
        con = _open(target, wait)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def writing(path: Path | str | None = None) -> Iterator[Connection]:
    """A connection for one short write: taken only when it is this writer's turn (a file: see
    :mod:`store.locks`; PostgreSQL: :func:`store.postgres.writer_turn`, waited for up to
    ``DMST_WRITE_WAIT`` seconds). Journal entries that waited beside the store while it could not be
    written are chained in first."""
    target = locate(path)
    if postgres.is_url(target):
        wait = write_wait_seconds()
        with _postgres(target, snapshot=False) as con, ExitStack() as turn:
            try:
                turn.enter_context(postgres.writer_turn(con, wait))
            except TimeoutError as err:
                raise busy(wait) from err
            audit.merge_pending(con, target)
            yield con
        return
    _folder(target)
    with writer_lock(target), connection(target) as con:
        audit.merge_pending(con, target)
        yield con


@contextmanager
def writing_transaction(path: Path | str | None = None) -> Iterator[Connection]:
    """The writer's turn (:func:`writing`) with everything done in it as one transaction."""
    with writing(path) as con, transaction(con):
        yield con


def _meta(con: Connection, key: str) -> str | None:
    """A value of the ``meta`` table (``None`` when absent, or when the table is not there yet)."""
    if not columns_of(con, "meta"):
        return None
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _task_status_codes(con: Connection) -> None:
    """Schema 1 → 2: task statuses are stored as codes (``done``), not labels (``Hoàn thành``).
    Rewrites the labels a schema-1 store holds; a store already on codes is unchanged."""
    for status in TASK_SHEET_STATUSES:
        con.execute("UPDATE task_updates SET status = ? WHERE status = ?", [str(status), label(status)])


def _move_originals(con: Connection) -> None:
    """Schema 2 → 3: the original files' bytes leave ``upload_files`` (its ``content`` column) for
    ``upload_contents``; a store without that column is unchanged."""
    columns = set(columns_of(con, "upload_files"))
    if "content" not in columns:
        return
    con.execute(
        "INSERT INTO upload_contents SELECT sha256, content FROM upload_files WHERE content IS NOT NULL "
        "ON CONFLICT DO NOTHING"
    )
    con.execute("ALTER TABLE upload_files DROP COLUMN content")


def _one_current_per_key(con: Connection) -> None:
    """Schema 3 → 4: fill ``current_keys``. A store written before it may hold two current
    submissions for one key (two sessions confirming at once): the latest stays current."""
    if con.execute("SELECT count(*) FROM current_keys").fetchall()[0][0]:
        return
    con.execute("""
        UPDATE submissions SET is_current = FALSE WHERE is_current AND id NOT IN (
            SELECT max(id) FROM submissions WHERE is_current
            GROUP BY locality_id, unit_code, lower(village), period)""")
    con.execute("""
        INSERT INTO current_keys SELECT locality_id, unit_code, lower(village), period, id
        FROM submissions WHERE is_current""")


def _latest_month_kept(con: Connection) -> None:
    """Schema 5 → 6: ``measure_month_versions`` records each locality's latest month (``through``),
    as of which ``latest_values`` and ``latest_tasks`` are kept; every locality of a store without
    it is made stale, so that ``prepare`` computes them all."""
    columns = set(columns_of(con, "measure_month_versions"))
    if "through" in columns:
        return
    con.execute("ALTER TABLE measure_month_versions ADD COLUMN through VARCHAR")
    con.execute("DELETE FROM measure_month_versions")


def _chained_journal(con: Connection) -> None:
    """Schema 6 → 7: ``audit_log.row_hash`` chains the trail (the existing entries are chained as they
    are); failed sign-ins move from ``login_failures`` (per name) to ``login_throttle`` (per name and
    address, and per address): the former counts are dropped, which only forgives past failures;
    ``users.must_change`` marks one-time passwords (none before)."""
    columns = set(columns_of(con, "audit_log"))
    if "row_hash" not in columns:
        con.execute("ALTER TABLE audit_log ADD COLUMN row_hash VARCHAR")
    audit.chain_existing(con)
    con.execute("DROP TABLE IF EXISTS login_failures")
    if "must_change" not in set(columns_of(con, "users")):
        con.execute("ALTER TABLE users ADD COLUMN must_change BOOLEAN DEFAULT FALSE")


def _table_rules(con: Connection) -> None:
    """Schema 7 → 8: the keys and CHECK constraints of ``schema.sql`` (:mod:`store.schema_rules`; refused,
    with nothing changed, when a row breaks one)."""
    schema_rules.apply(con, SCHEMA_FILE.read_text(encoding="utf-8"), SCHEMA_VERSION)


# Every step from schema 1 up, in order; each one detects what it has to do and leaves a store
# that already has it unchanged, so a store of any earlier version (or of no version) is brought up to date.
_MIGRATIONS = (
    _task_status_codes,
    _move_originals,
    _one_current_per_key,
    _latest_month_kept,
    _chained_journal,
    _table_rules,
)


def schema_sql(kind: str) -> tuple[str, str]:
    """The schema files' text for a dialect (``store/schema.sql``, then the dialect's value rules and
    extras) and its digest."""
    sql = "\n".join(path.read_text(encoding="utf-8") for path in _SCHEMA_SQL[kind])
    return sql, hashlib.sha256(sql.encode("utf-8")).hexdigest()


def needs_schema(con: Connection) -> bool:
    """True when the store was built from another schema (or not at all)."""
    return not (
        _meta(con, "schema_sha256") == schema_sql(dialect(con))[1] and _meta(con, "schema_version") == SCHEMA_VERSION
    )


def _set_meta(con: Connection, values: dict[str, str]) -> None:
    for key, value in values.items():
        con.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value]
        )


def ensure_schema(con: Connection) -> bool:
    """Create missing tables, views and the value rules (``sql/<dialect>/value_rules.sql``), bring an
    older store up to date (:data:`_MIGRATIONS`), record the schema version; True if it wrote.

    The digest of the schema files is kept in ``meta``: a store already built from the same
    schema is left untouched (not even rewritten with the same content).
    """
    sql, digest = schema_sql(dialect(con))
    if not needs_schema(con):
        return False
    with transaction(con):
        con.execute(sql)
        for migrate in _MIGRATIONS:
            migrate(con)
        _set_meta(con, {"schema_version": SCHEMA_VERSION, "schema_sha256": digest})
    return True


def _picked(record: object, names: str) -> tuple:
    """The attributes of ``record`` named in ``names`` (space-separated), in order; tuples as lists (the
    list columns)."""
    return tuple(list(v) if isinstance(v, tuple) else v for v in (getattr(record, name) for name in names.split()))


_MEASURE_FIELDS = "code name unit kind accumulation combine common_group direction default_unit"
_INDICATOR_FIELDS = "name text group measure comparator target target_year every_year responsible_unit source note"
_TASK_FIELDS = "name section lead_units coordinating_units output deadline_text deadline recurrence note source"
_ITEM_FIELDS = "code group name method measure comparator threshold max_points rule"


def _rows(catalog: Catalog) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {name: [] for name in CATALOG_TABLES}
    for ord_, group in enumerate(catalog.common_groups):
        rows["common_groups"].append((group["code"], group["name"], ord_))
    for ord_, m in enumerate(catalog.measures.values()):
        rows["measures"].append((*_picked(m, _MEASURE_FIELDS), ord_))
    for ord_, plan in enumerate(catalog.plans.values()):
        meta = plan.meta
        rows["localities"].append(
            (
                plan.id,
                plan.ward_code,
                plan.name,
                plan.kind,
                list(plan.aliases),
                meta.get("title"),
                meta.get("number"),
                meta.get("date_text"),
                meta.get("signer"),
                meta.get("signer_title"),
                meta.get("start_year"),
                meta.get("end_year"),
                meta.get("seed"),
                ord_,
            )
        )
        for i, ph in enumerate(plan.phases):
            rows["phases"].append(
                (plan.id, ph["name"], ph["start_year"], ph["end_year"], ph.get("description"), ph["source"], i)
            )
        for rd in plan.report_deadlines:
            rows["report_deadlines"].append((plan.id, rd["name"], rd["day"], rd["month"], rd["source"]))
        for rv in plan.reviews:
            rows["reviews"].append((plan.id, rv["name"], rv["year"], rv["source"]))
        for i, g in enumerate(plan.groups):
            rows["plan_groups"].append((plan.id, str(g["code"]), g["name"], g["source"], i))
        for i, u in enumerate(plan.units):
            rows["units"].append((plan.id, u["code"], u["name"], u["source"], i))
        for i, ind in enumerate(plan.indicators):
            rows["indicators"].append((ind.code, plan.id, *_picked(ind, _INDICATOR_FIELDS), i))
        for i, t in enumerate(plan.tasks):
            rows["tasks"].append((t.code, plan.id, *_picked(t, _TASK_FIELDS), i))
    for fw in catalog.frameworks.values():
        rows["frameworks"].append((fw.id, fw.name, fw.locality_id, fw.valid_from, fw.valid_to, fw.source))
        for i, g in enumerate(fw.groups):
            rows["framework_groups"].append((fw.id, g["code"], g["name"], g["max_points"], i))
        for i, it in enumerate(fw.items):
            rows["framework_items"].append(
                (fw.id, *_picked(it, _ITEM_FIELDS), json.dumps(list(it.steps)), it.source, i)
            )
        for r in fw.ratings:
            rows["framework_ratings"].append((fw.id, r["name"], r["min_points"]))
    return rows


def _measure_rules(catalog: Catalog) -> str:
    """A digest of what the combined monthly values depend on in the catalog: each measure's
    accumulation and combine rule (when it changes, every locality's months are computed again)."""
    rules = sorted((m.code, str(m.accumulation), str(m.combine)) for m in catalog.measures.values())
    return hashlib.sha256(json.dumps(rules).encode()).hexdigest()


def sync_catalog(con: Connection, catalog: Catalog) -> bool:
    """Load the plan files into the catalog tables when they changed; True if it wrote.

    Idempotent: the fingerprint of the data files is kept in ``meta``; an unchanged
    catalog writes nothing. When a measure's accumulation or combine rule changed, every
    locality's computed months are marked stale (``store.measure_months``). Each table is
    written in one bulk insert (:func:`store.backend.insert_rows`). Upload tables are never touched.
    """
    if _meta(con, "catalog_fingerprint") == catalog.fingerprint:
        return False
    with transaction(con):
        for table, values in _rows(catalog).items():
            con.execute(f"DELETE FROM {table}")
            insert_rows(con, table, columns_of(con, table), values)
        rules = _measure_rules(catalog)
        if _meta(con, "measure_rules") != rules:
            con.execute("DELETE FROM measure_month_versions")
        _set_meta(con, {"catalog_fingerprint": catalog.fingerprint, "measure_rules": rules})
    return True


def _current(target: Target, catalog: Catalog) -> tuple[bool, bool]:
    """(schema and catalog up to date, some locality's computed months stale)."""
    if not postgres.is_url(target) and not Path(target).exists():
        return False, False
    with connection(target) as con:
        if needs_schema(con):
            return False, True
        return _meta(con, "catalog_fingerprint") == catalog.fingerprint, bool(measure_months.stale(con))


def prepare(path: Path | str | None = None, catalog: Catalog | None = None) -> Target:
    """Create or migrate the store, load the catalog and bring stale computed months up to date
    (``store.measure_months``); return where it is (:func:`locate`).

    An up-to-date store is only read (so a read-only file is fine: stale months are then combined
    when asked for); otherwise the writer's turn is taken. A read-only file that needs migrating
    gets a Vietnamese :class:`StoreReadOnlyError`.
    """
    target = locate(path)
    catalog = catalog or load_catalog()
    current, stale = _current(target, catalog)
    if current and not stale:
        return target
    try:
        with writing(target) as con:
            ensure_schema(con)
            sync_catalog(con, catalog)
            measure_months.refresh_stale(con)
    except StoreLockedError:
        raise
    except (*DB_ERRORS, OSError, StoreError) as err:
        cause = explain(err)
        if current and cause == READ_ONLY:
            return target
        kind = StoreReadOnlyError if cause == READ_ONLY else StoreError
        raise kind(
            f"Không cập nhật được cơ sở dữ liệu {described(target)}: {cause}",
            f"Không cập nhật được cơ sở dữ liệu: {cause}",
        ) from err
    return target


def version(target: Target) -> str:
    """A token that changes whenever the store is written (the app's caches are keyed on it): for a
    file, the modification time and size of the file and its write-ahead log; for PostgreSQL, the
    newest journal entry and submission (every change the pages show is journaled, and submissions
    written by other means count too)."""
    if postgres.is_url(target):
        with connection(target) as con:
            row = con.execute("SELECT (SELECT max(id) FROM audit_log), (SELECT max(id) FROM submissions)").fetchone()
        return f"{row[0]}:{row[1]}"
    parts = []
    for file in (Path(target), Path(f"{target}.wal")):
        if file.exists():
            info = file.stat()
            parts.append(f"{info.st_mtime_ns}:{info.st_size}")
    return "/".join(parts)
