"""Owns the DuckDB file: where it is, how to open it, its schema, and the catalog tables.

DuckDB lets only one process hold a database file open, so every user of the store opens
short-lived connections with :func:`connection` and closes them at once; a second process
(the CLI while the app runs) waits up to ``LOCK_WAIT_SECONDS`` for the file and then gets a
clear Vietnamese :class:`StoreLockedError` (naming the program and PID that DuckDB reports)
instead of a raw DuckDB error. Every write goes through :func:`writing`: one writer at a time
(:mod:`store.locks`), so two sessions or processes never interleave their transactions. A file
that cannot be written is opened read-only, so reading commands still work. Preparing an
up-to-date store writes nothing, so the file (and the app's caches keyed on its modification
time) stay as they are.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from plans import settings
from plans.catalog import load_catalog
from plans.model import Catalog
from plans.vocabulary import TASK_SHEET_STATUSES, label
from store import audit, measure_months
from store.errors import READ_ONLY, StoreError, StoreLockedError, StoreMissingError, StoreReadOnlyError, explain
from store.locks import reader_lock, writer_lock
from store.sql import SQL_DIR

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "dmst.duckdb"
SCHEMA_VERSION = "7"  # 2: task statuses as codes; 3: original files' bytes in upload_contents;
# 4: accounts, closed months, the audit trail and current_keys (one current submission per key);
# 5: measure_months (each locality's combined monthly values, filled by prepare);
# 6: latest_values and latest_tasks (as of each locality's latest month, filled by prepare);
# 7: the audit trail chained (audit_log.row_hash); sign-in failures per (name, address) and per address;
#    sign-in sessions kept in the store (sessions); one-time passwords (users.must_change)
LOCK_WAIT_SECONDS = 15.0
MEMORY_LIMIT = "1GB"  # DuckDB's working memory per open database (it spills to disk beyond it)
_SCHEMA_SQL = (Path(__file__).with_name("schema.sql"), SQL_DIR / "value_rules.sql")
_HOLDER = re.compile(r"held in (.+?) \(PID (\d+)\)")
CATALOG_TABLES = (
    "localities", "phases", "report_deadlines", "reviews", "plan_groups", "units", "common_groups",
    "measures", "indicators", "tasks", "frameworks", "framework_groups", "framework_items",
    "framework_ratings",
)


def db_path() -> Path:
    """The database file: ``$DMST_DB`` when set, else ``data/dmst.duckdb``."""
    return Path(settings.text("DMST_DB")) if settings.is_set("DMST_DB") else DEFAULT_DB


def locked_message(path: Path | None, duckdb_message: str) -> str:
    """What to tell the user when another program holds the file (with the program and PID DuckDB
    names); without ``path`` (for a page) the file is not named."""
    holder = _HOLDER.search(duckdb_message)
    who = f" ({Path(holder.group(1)).name}, PID {holder.group(2)})" if holder else ""
    where = f" {path}" if path else ""
    return (f"Cơ sở dữ liệu{where} đang bị một chương trình khác giữ{who}. Nếu đó là công cụ bên ngoài "
            f"(DuckDB CLI, DBeaver…), hãy đóng kết nối của công cụ đó tới tệp này; nếu đó là một lần nạp khác "
            f"đang chạy, hãy đợi lần nạp đó xong rồi làm lại.")


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
                raise StoreReadOnlyError(f"{READ_ONLY} ({path})", READ_ONLY) if _read_only_problem(err) else err
            if time.monotonic() >= deadline:
                raise StoreLockedError(locked_message(path, str(err)), locked_message(None, str(err))) from err
            time.sleep(0.05)


def _folder(target: Path) -> None:
    """Create the database's folder, or explain in Vietnamese why it cannot be."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        cause = explain(err)
        raise StoreMissingError(f"Không tạo được thư mục {target.parent} cho cơ sở dữ liệu: {cause}",
                                f"Không tạo được thư mục cho cơ sở dữ liệu: {cause}") from err


@contextmanager
def connection(path: Path | str | None = None,
               wait_seconds: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database, yield it, close it (read-only when the file cannot be written).

    A lock held by another process is waited for ``wait_seconds`` (default ``LOCK_WAIT_SECONDS``).
    """
    target = Path(path) if path else db_path()
    _folder(target)
    wait = LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
    with reader_lock(target, wait):
        con = _open(target, wait)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def writing(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one short write: taken only when it is this writer's turn (see :mod:`store.locks`).
    Journal entries that waited beside the store while it could not be written are chained in first."""
    target = Path(path) if path else db_path()
    _folder(target)
    with writer_lock(target), connection(target) as con:
        audit.merge_pending(con, target)
        yield con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction on ``con``: committed when the block ends, rolled back if it raises."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def writing_transaction(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The writer's turn (:func:`writing`) with everything done in it as one transaction."""
    with writing(path) as con, transaction(con):
        yield con


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A value of the ``meta`` table (``None`` when absent, or when the table is not there yet)."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'meta'"
                       ).fetchone()[0]:
        return None
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _task_status_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Schema 1 → 2: task statuses are stored as codes (``done``), not labels (``Hoàn thành``).
    Rewrites the labels a schema-1 store holds; a store already on codes is unchanged."""
    for status in TASK_SHEET_STATUSES:
        con.execute("UPDATE task_updates SET status = ? WHERE status = ?", [str(status), label(status)])


def _move_originals(con: duckdb.DuckDBPyConnection) -> None:
    """Schema 2 → 3: the original files' bytes leave ``upload_files`` (its ``content`` column) for
    ``upload_contents``; a store without that column is unchanged."""
    columns = {row[0] for row in con.execute("DESCRIBE upload_files").fetchall()}
    if "content" not in columns:
        return
    con.execute("INSERT INTO upload_contents SELECT sha256, content FROM upload_files WHERE content IS NOT NULL "
                "ON CONFLICT DO NOTHING")
    con.execute("ALTER TABLE upload_files DROP COLUMN content")


def _one_current_per_key(con: duckdb.DuckDBPyConnection) -> None:
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


def _latest_month_kept(con: duckdb.DuckDBPyConnection) -> None:
    """Schema 5 → 6: ``measure_month_versions`` records each locality's latest month (``through``),
    as of which ``latest_values`` and ``latest_tasks`` are kept; every locality of a store without
    it is made stale, so that ``prepare`` computes them all."""
    columns = {row[0] for row in con.execute("DESCRIBE measure_month_versions").fetchall()}
    if "through" in columns:
        return
    con.execute("ALTER TABLE measure_month_versions ADD COLUMN through VARCHAR")
    con.execute("DELETE FROM measure_month_versions")


def _chained_journal(con: duckdb.DuckDBPyConnection) -> None:
    """Schema 6 → 7: ``audit_log.row_hash`` chains the trail (the existing entries are chained as they
    are); failed sign-ins move from ``login_failures`` (per name) to ``login_throttle`` (per name and
    address, and per address): the former counts are dropped, which only forgives past failures;
    ``users.must_change`` marks one-time passwords (none before)."""
    columns = {row[0] for row in con.execute("DESCRIBE audit_log").fetchall()}
    if "row_hash" not in columns:
        con.execute("ALTER TABLE audit_log ADD COLUMN row_hash VARCHAR")
    audit.chain_existing(con)
    con.execute("DROP TABLE IF EXISTS login_failures")
    if "must_change" not in {row[0] for row in con.execute("DESCRIBE users").fetchall()}:
        con.execute("ALTER TABLE users ADD COLUMN must_change BOOLEAN DEFAULT FALSE")


# Every step from schema 1 up, in order; each one detects what it has to do and leaves a store
# that already has it unchanged, so a store of any earlier version (or of no version) is brought up to date.
_MIGRATIONS = (_task_status_codes, _move_originals, _one_current_per_key, _latest_month_kept, _chained_journal)


def _schema() -> tuple[str, str]:
    """The schema files' text and its digest."""
    sql = "\n".join(path.read_text(encoding="utf-8") for path in _SCHEMA_SQL)
    return sql, hashlib.sha256(sql.encode("utf-8")).hexdigest()


def needs_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the store was built from another schema (or not at all)."""
    return not (_meta(con, "schema_sha256") == _schema()[1] and _meta(con, "schema_version") == SCHEMA_VERSION)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create missing tables, views and the value macros (``sql/value_rules.sql``), record the
    schema version; True if it wrote.

    The digest of the schema files is kept in ``meta``: a store already built from the same
    schema is left untouched (not even rewritten with the same content).
    """
    sql, digest = _schema()
    if not needs_schema(con):
        return False
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(sql)
        for migrate in _MIGRATIONS:
            migrate(con)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('schema_sha256', ?)",
                    [SCHEMA_VERSION, digest])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return True


def _rows(catalog: Catalog) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {name: [] for name in CATALOG_TABLES}
    for ord_, group in enumerate(catalog.common_groups):
        rows["common_groups"].append((group["code"], group["name"], ord_))
    for ord_, m in enumerate(catalog.measures.values()):
        rows["measures"].append((m.code, m.name, m.unit, m.kind, m.accumulation, m.combine,
                                 m.common_group, m.direction, m.default_unit, ord_))
    for ord_, plan in enumerate(catalog.plans.values()):
        meta = plan.meta
        rows["localities"].append((
            plan.id, plan.ward_code, plan.name, plan.kind, list(plan.aliases), meta.get("title"),
            meta.get("number"), meta.get("date_text"), meta.get("signer"), meta.get("signer_title"),
            meta.get("start_year"), meta.get("end_year"), meta.get("seed"), ord_))
        for i, ph in enumerate(plan.phases):
            rows["phases"].append((plan.id, ph["name"], ph["start_year"], ph["end_year"],
                                   ph.get("description"), ph["source"], i))
        for rd in plan.report_deadlines:
            rows["report_deadlines"].append((plan.id, rd["name"], rd["day"], rd["month"], rd["source"]))
        for rv in plan.reviews:
            rows["reviews"].append((plan.id, rv["name"], rv["year"], rv["source"]))
        for i, g in enumerate(plan.groups):
            rows["plan_groups"].append((plan.id, str(g["code"]), g["name"], g["source"], i))
        for i, u in enumerate(plan.units):
            rows["units"].append((plan.id, u["code"], u["name"], u["source"], i))
        for i, ind in enumerate(plan.indicators):
            rows["indicators"].append((
                ind.code, plan.id, ind.name, ind.text, ind.group, ind.measure, ind.comparator,
                ind.target, ind.target_year, ind.every_year, ind.responsible_unit, ind.source,
                ind.note, i))
        for i, t in enumerate(plan.tasks):
            rows["tasks"].append((
                t.code, plan.id, t.name, t.section, list(t.lead_units), list(t.coordinating_units),
                t.output, t.deadline_text, t.deadline, t.recurrence, t.note, t.source, i))
    for fw in catalog.frameworks.values():
        rows["frameworks"].append((fw.id, fw.name, fw.locality_id, fw.valid_from, fw.valid_to, fw.source))
        for i, g in enumerate(fw.groups):
            rows["framework_groups"].append((fw.id, g["code"], g["name"], g["max_points"], i))
        for i, it in enumerate(fw.items):
            rows["framework_items"].append((
                fw.id, it.code, it.group, it.name, it.method, it.measure, it.comparator, it.threshold,
                it.max_points, it.rule, json.dumps(list(it.steps)), it.source, i))
        for r in fw.ratings:
            rows["framework_ratings"].append((fw.id, r["name"], r["min_points"]))
    return rows


def _measure_rules(catalog: Catalog) -> str:
    """A digest of what the combined monthly values depend on in the catalog: each measure's
    accumulation and combine rule (when it changes, every locality's months are computed again)."""
    rules = sorted((m.code, str(m.accumulation), str(m.combine)) for m in catalog.measures.values())
    return hashlib.sha256(json.dumps(rules).encode()).hexdigest()


def sync_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> bool:
    """Load the plan files into the catalog tables when they changed; True if it wrote.

    Idempotent: the fingerprint of the data files is kept in ``meta``; an unchanged
    catalog writes nothing. When a measure's accumulation or combine rule changed, every
    locality's computed months are marked stale (``store.measure_months``). Each table is
    written in one bulk insert (an Arrow table), not row by row. Upload tables are never touched.
    """
    if _meta(con, "catalog_fingerprint") == catalog.fingerprint:
        return False
    con.execute("BEGIN TRANSACTION")
    try:
        for table, values in _rows(catalog).items():
            con.execute(f"DELETE FROM {table}")
            if values:
                names = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
                con.register("catalog_rows", pa.table({name: list(column) for name, column in zip(names, zip(*values))}))
                con.execute(f"INSERT INTO {table} SELECT * FROM catalog_rows")
                con.unregister("catalog_rows")
        rules = _measure_rules(catalog)
        if _meta(con, "measure_rules") != rules:
            con.execute("DELETE FROM measure_month_versions")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('catalog_fingerprint', ?), ('measure_rules', ?)",
                    [catalog.fingerprint, rules])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return True


def _current(target: Path, catalog: Catalog) -> tuple[bool, bool]:
    """(schema and catalog up to date, some locality's computed months stale)."""
    if not target.exists():
        return False, False
    with connection(target) as con:
        if needs_schema(con):
            return False, True
        return _meta(con, "catalog_fingerprint") == catalog.fingerprint, bool(measure_months.stale(con))


def prepare(path: Path | str | None = None, catalog: Catalog | None = None) -> Path:
    """Create or migrate the database, load the catalog and bring stale computed months up to date
    (``store.measure_months``); return its path.

    An up-to-date store is only read (so a read-only file is fine: stale months are then combined
    when asked for); otherwise the writer's turn is taken. A read-only file that needs migrating
    gets a Vietnamese :class:`StoreReadOnlyError`.
    """
    target = Path(path) if path else db_path()
    catalog = catalog or load_catalog()
    current, stale = _current(target, catalog)
    if current and not stale:
        return target
    try:
        with writing(target) as con:
            ensure_schema(con)
            sync_catalog(con, catalog)
            measure_months.refresh_stale(con)
    except (duckdb.Error, OSError) as err:
        cause = explain(err)
        if current and cause == READ_ONLY:
            return target
        kind = StoreReadOnlyError if cause == READ_ONLY else StoreError
        raise kind(f"Không cập nhật được cơ sở dữ liệu {target}: {cause}",
                   f"Không cập nhật được cơ sở dữ liệu: {cause}") from err
    return target
