"""The two backends of the store as one: the type of a connection, which dialect it speaks, and the
one way to write many rows at once (:func:`insert_rows`).

A store is an embedded DuckDB file (the default: one office, one city) or a PostgreSQL database
(``postgresql://…``: several app servers, see :mod:`store.postgres`). Both take the same SQL
except in a few files of ``store/sql/postgres/`` and ``store/sql/duckdb/``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import duckdb
import pyarrow as pa

from store.postgres import PgConnection

Connection = duckdb.DuckDBPyConnection | PgConnection
"""An open store: a DuckDB connection, or a PostgreSQL one with the same methods."""
DUCKDB, POSTGRES = "duckdb", "postgres"
_PG_TYPES: dict[str, dict[str, str]] = {}


def dialect(con: Connection) -> str:
    """``"postgres"`` or ``"duckdb"``."""
    return POSTGRES if isinstance(con, PgConnection) else DUCKDB


def is_postgres(con: Connection) -> bool:
    return isinstance(con, PgConnection)


@contextmanager
def transaction(con: Connection) -> Iterator[Connection]:
    """One transaction on ``con``: committed when the block ends, rolled back if it raises (the only
    place the store begins, commits and rolls back)."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


def columns_of(con: Connection, table: str) -> list[str]:
    """The columns of a table, in order."""
    return [
        row[0]
        for row in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
            [table],
        ).fetchall()
    ]


def _pg_types(con: PgConnection, table: str) -> dict[str, str]:
    if table not in _PG_TYPES:
        _PG_TYPES[table] = dict(
            con.execute(
                "SELECT column_name, format_type(atttypid, atttypmod) FROM information_schema.columns c "
                "JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))"
                "::regclass AND a.attname = c.column_name WHERE c.table_name = ? AND c.table_schema = current_schema()",
                [table],
            ).fetchall()
        )
    return _PG_TYPES[table]


def insert_rows(
    con: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence], on_conflict: str = ""
) -> None:
    """Insert many rows in one statement: the store's only bulk path (catalog, sheets, journal, copies).

    DuckDB reads them as an Arrow table (far faster than bound parameters; types inferred, a column
    of only NULLs cast by the INSERT); PostgreSQL takes them by ``COPY``, or, with ``on_conflict``
    (e.g. ``ON CONFLICT DO NOTHING``; not for array columns), as one array per column.
    """
    if not rows:
        return
    names = ", ".join(columns)
    if isinstance(con, PgConnection):
        if not on_conflict:
            con.copy_rows(table, columns, rows)
            return
        types = _pg_types(con, table)
        arrays = ", ".join(f"?::{types[name]}[]" for name in columns)
        con.execute(
            f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {on_conflict}",
            [list(values) for values in zip(*rows)],
        )
        return
    data = pa.table({name: pa.array(list(values)) for name, values in zip(columns, zip(*rows))})
    view = f"new_{table}_rows"
    con.register(view, data)
    try:
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view} {on_conflict}")
    finally:
        con.unregister(view)
