"""PostgreSQL as the store (``DMST_DB=postgresql://user@host/database``, psycopg 3).

The store's modules speak to a connection as to DuckDB's: ``con.execute(sql, params)`` with ``?`` or
``$name`` parameters, then ``fetchone``/``fetchall``/``fetchmany``/``df``; ``begin``, ``commit`` and
``rollback``. :class:`PgConnection` offers the same on a pooled psycopg connection, so the SQL the
two dialects agree on is written once (its parameters passed on as psycopg's ``%s``/``%(name)s``),
and the few statements they do not agree on live in ``store/sql/postgres/``.

Reading: a connection opened to read answers every statement of its block from one snapshot
(``REPEATABLE READ``), as a reader of the DuckDB file sees no writer's commit while it holds the
file. Writing: writers take turns through one advisory lock of the database (:func:`writer_turn`),
the rule the DuckDB file's lock keeps on one machine, kept here by PostgreSQL itself, so it holds
for app processes on several machines; readers never wait for it. A writer that does not take
turns (a SQL tool) is still refused by the constraints (one current sheet per key is a unique index).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

import duckdb
import pandas as pd
import psycopg
import pyarrow as pa
from psycopg import errors as pg_errors
from psycopg_pool import ConnectionPool

from plans import settings

SCHEMES = ("postgresql://", "postgres://")
WRITER_LOCK = 7_401_926_026  # the advisory lock of the writer's turn (any number, the same for every writer)
CONNECT_SECONDS = 10
_POOLS: dict[tuple[int, str], ConnectionPool] = {}
_POOLS_LOCK = threading.Lock()
_PARAMETER = re.compile(r"--[^\n]*|'(?:[^']|'')*'|\$\$.*?\$\$|::|\?|\$[A-Za-z_]\w*|%", re.S)
_ARROW_TYPES = {
    16: pa.bool_(),
    17: pa.binary(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    25: pa.string(),
    1043: pa.string(),
    700: pa.float32(),
    701: pa.float64(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1009: pa.list_(pa.string()),
    1015: pa.list_(pa.string()),
}
_LOCAL = threading.local()


def is_url(target: object) -> bool:
    """True for a PostgreSQL address (``postgresql://…``), False for a DuckDB file."""
    return isinstance(target, str) and target.startswith(SCHEMES)


def shown(url: str) -> str:
    """The address without its password (for messages and logs)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


@lru_cache(maxsize=512)
def to_psycopg(sql: str) -> str:
    """DuckDB's parameters (``?``, ``$name``) as psycopg's (``%s``, ``%(name)s``); a ``%`` doubled, in
    comments and strings too (psycopg reads the whole text)."""

    def one(match: re.Match) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if token.startswith("$") and not token.startswith("$$"):
            return f"%({token[1:]})s"
        return token.replace("%", "%%")

    return _PARAMETER.sub(one, sql)


def _arrow(cursor: psycopg.Cursor, rows: list[tuple]) -> pa.Table:
    """Rows as an Arrow table typed by their PostgreSQL columns (numeric: double)."""
    names = [column.name for column in cursor.description]
    columns = list(zip(*rows)) if rows else [()] * len(names)
    arrays = []
    for column, values in zip(cursor.description, columns):
        kind = _ARROW_TYPES.get(column.type_code, pa.float64() if column.type_code == 1700 else None)
        values = [float(v) for v in values] if column.type_code == 1700 else list(values)
        arrays.append(pa.array(values, type=kind))
    return pa.table(arrays, names=names)


def _converter() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB of this thread, which turns Arrow tables into DataFrames exactly as a DuckDB store's
    ``df()`` does (the same dtypes whichever the backend)."""
    if not hasattr(_LOCAL, "duck"):
        _LOCAL.duck = duckdb.connect()
    return _LOCAL.duck


class Result:
    """What :meth:`PgConnection.execute` returns: DuckDB's fetch methods over a psycopg cursor."""

    def __init__(self, cursor: psycopg.Cursor) -> None:
        self._cursor = cursor

    @property
    def description(self) -> list | None:
        return self._cursor.description

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall()

    def fetchmany(self, size: int) -> list[tuple]:
        return self._cursor.fetchmany(size)

    def arrow(self) -> pa.Table:
        return _arrow(self._cursor, self._cursor.fetchall())

    def df(self) -> pd.DataFrame:
        return _converter().from_arrow(self.arrow()).df()


class PgConnection:
    """A pooled psycopg connection with the DuckDB connection's methods that the store uses (see the module).

    ``snapshot``: statements outside :meth:`begin` … :meth:`commit` share one ``REPEATABLE READ``
    transaction, committed when the block of :func:`connection` ends (a reader's view); otherwise each
    statement commits on its own (a writer, who holds the turn)."""

    dialect = "postgres"

    def __init__(self, raw: psycopg.Connection, url: str, snapshot: bool) -> None:
        self.raw, self.url, self._snapshot = raw, url, snapshot
        self._open: str | None = None  # None, "snapshot" or "explicit"

    def execute(self, sql: str, params: Sequence | dict | None = None) -> Result:
        if self._snapshot and self._open is None:
            self.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            self._open = "snapshot"
        try:
            return Result(self.raw.execute(sql if params is None else to_psycopg(sql), params))
        except psycopg.Error:
            if self._open == "snapshot":  # as with DuckDB, a failed statement does not spoil the next one
                self.raw.rollback()
                self._open = None
            raise

    def executemany(self, sql: str, rows: Sequence[Sequence]) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(to_psycopg(sql), rows)

    def begin(self) -> None:
        if self._open == "snapshot":
            self.raw.execute("COMMIT")
        self.raw.execute("BEGIN")
        self._open = "explicit"

    def commit(self) -> None:
        self.raw.execute("COMMIT")
        self._open = None

    def rollback(self) -> None:
        self.raw.execute("ROLLBACK")
        self._open = None

    def finish(self, ok: bool) -> None:
        """End the block: a reader's snapshot committed (what it wrote stays, as DuckDB's statements
        commit on their own), an explicit transaction left open rolled back."""
        if self._open == "snapshot" and ok:
            self.commit()
        elif self._open is not None and not self.raw.closed:
            self.rollback()

    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
        """``COPY`` rows into a table (the fast bulk path)."""
        with self.raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def close(self) -> None:
        """Nothing: the pool keeps the connection (for code written for DuckDB's ``close``)."""


def _configure(raw: psycopg.Connection) -> None:
    raw.execute("SET application_name = 'dmst'")


def _pool(url: str) -> ConnectionPool:
    """This process's pool of connections to ``url`` (the first time, one connection is tried at once,
    so that a wrong address fails with its cause, not after a pool's timeout)."""
    key = (os.getpid(), url)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            psycopg.connect(url, connect_timeout=CONNECT_SECONDS).close()
            pool = ConnectionPool(
                url,
                min_size=1,
                max_size=settings.integer("DMST_PG_CONNECTIONS"),
                kwargs={"autocommit": True, "connect_timeout": CONNECT_SECONDS},
                configure=_configure,
                check=ConnectionPool.check_connection,
                timeout=60,
                name=f"dmst-{len(_POOLS)}",
                open=True,
            )
            _POOLS[key] = pool
        return pool


def close_pool(url: str) -> None:
    """Close this process's connections to ``url`` (before its database is dropped or copied as a template)."""
    with _POOLS_LOCK:
        pool = _POOLS.pop((os.getpid(), url), None)
    if pool is not None:
        pool.close()


@contextmanager
def connection(url: str, snapshot: bool = True) -> Iterator[PgConnection]:
    """A pooled connection for one block (see :class:`PgConnection`)."""
    with _pool(url).connection() as raw:
        con = PgConnection(raw, url, snapshot)
        try:
            yield con
        except BaseException:
            con.finish(ok=False)
            raise
        con.finish(ok=True)


def vacuum_analyze(url: str, tables: Sequence[str]) -> None:
    """``VACUUM (ANALYZE)`` these tables now (outside any transaction, as VACUUM must run): after a bulk load
    (:func:`store.transfer.copy_store`), so that the first queries are planned with statistics and read rows
    already marked visible, rather than when autovacuum comes, minutes later, competing with them. (Right
    after copying 3,300 localities × 60 months, before autovacuum, one locality's report took 4.1 s against
    0.8 s on DuckDB: its task lines' query ran with parallel workers, planned without statistics.)"""
    with connection(url, snapshot=False) as con:
        for table in tables:
            con.raw.execute(f"VACUUM (ANALYZE) {table}")


@contextmanager
def writer_turn(con: PgConnection, wait_seconds: float) -> Iterator[None]:
    """Hold the writer's turn of the database (one advisory lock), waiting for it up to ``wait_seconds``;
    ``TimeoutError`` when it does not come. Released when the block ends (or the connection is lost)."""
    con.raw.execute(f"SET lock_timeout = '{max(int(wait_seconds * 1000), 1)}ms'")
    try:
        con.raw.execute("SELECT pg_advisory_lock(%s)", [WRITER_LOCK])
    except pg_errors.LockNotAvailable as err:
        raise TimeoutError(f"writer's turn not had in {wait_seconds:.0f} s") from err
    finally:
        con.raw.execute("RESET lock_timeout")
    try:
        yield
    finally:
        if not con.raw.closed and not con.raw.broken:
            if con.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                con.raw.rollback()
            con.raw.execute("SELECT pg_advisory_unlock(%s)", [WRITER_LOCK])


def writers_waiting(con: PgConnection) -> bool:
    """True when another connection waits for the writer's turn."""
    return bool(
        con.raw.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND (classid::bigint << 32 | objid::bigint) = %s",
            [WRITER_LOCK],
        ).fetchone()[0]
    )
