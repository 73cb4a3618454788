"""The rules the store's tables keep (the keys and CHECK constraints beside the tables in
``store/schema.sql``), read from the database itself, and the step that gives a store made before
them the rules it lacks (schema 7 → 8; any later change of a rule the same way).

Which rules a store lacks: the schema is created in a scratch place (DuckDB: an in-memory database;
PostgreSQL: temporary tables inside a savepoint rolled back at once) and its constraints compared
with the store's, table by table. Before anything changes, every row of a table concerned is checked
against each rule it lacks: a row that breaks one stops the step with a Vietnamese
:class:`~store.errors.StoreError` naming the table, the rule and the row, and the caller's transaction
rolls back (nothing changed). Then PostgreSQL adds the constraints (``ALTER TABLE … ADD
CONSTRAINT``: the table, its rows, triggers and indexes stay as they are); DuckDB, which cannot add a
constraint to a table, rebuilds each table concerned: the old one renamed, the new one created as the
schema says, every row copied in its order, the old one dropped — all in the caller's transaction, so
ids, sequences and the audit trail's hash chain (the same columns, the same values) are kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from store.backend import Connection, columns_of, is_postgres
from store.errors import StoreError

_SHOWN_COLUMNS = 8
_SHOWN_CHARS = 60
_CHECK = re.compile(r"^CHECK ?\((.*)\)$", re.S)


@dataclass(frozen=True)
class Rule:
    """One constraint of a table, as the database writes it."""

    table: str
    kind: str  # PRIMARY KEY, UNIQUE, CHECK or NOT NULL
    name: str
    definition: str
    columns: tuple[str, ...]

    @property
    def condition(self) -> str:
        """What a row must satisfy, as a SQL condition (a row breaks it when it is false)."""
        if self.kind == "NOT NULL":
            return f"{self.columns[0]} IS NOT NULL"
        match = _CHECK.match(self.definition)
        return match.group(1) if match else self.definition


def _duckdb_rules(con: duckdb.DuckDBPyConnection) -> list[Rule]:
    rows = con.execute(
        "SELECT table_name, constraint_type, constraint_name, constraint_text, constraint_column_names "
        "FROM duckdb_constraints() WHERE database_name = current_database() AND schema_name = current_schema() "
        "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'CHECK', 'NOT NULL')"
    ).fetchall()
    return [Rule(table, kind, name, text, tuple(columns)) for table, kind, name, text, columns in rows]


def _postgres_rules(con: Connection, namespace: str) -> list[Rule]:
    """The constraints and NOT NULL columns of the tables of a schema (``namespace``: a SQL expression)."""
    keys = con.execute(
        "SELECT r.relname, CASE c.contype WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' ELSE 'CHECK' END, "
        "c.conname, pg_get_constraintdef(c.oid), "
        "ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) "
        "      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) "
        f"FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid WHERE r.relnamespace = {namespace} "
        "AND c.contype IN ('p', 'u', 'c')"
    ).fetchall()
    not_null = con.execute(
        "SELECT r.relname, a.attname FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid "
        f"WHERE r.relnamespace = {namespace} AND r.relkind = 'r' AND a.attnum > 0 AND a.attnotnull "
        "AND NOT a.attisdropped"
    ).fetchall()
    return [Rule(table, kind, name, text, tuple(columns)) for table, kind, name, text, columns in keys] + [
        Rule(table, "NOT NULL", f"{table}_{column}_not_null", "NOT NULL", (column,)) for table, column in not_null
    ]


def _by_table(rules: list[Rule]) -> dict[str, set[Rule]]:
    out: dict[str, set[Rule]] = {}
    for rule in rules:
        out.setdefault(rule.table, set()).add(rule)
    return out


def _scratch_duckdb(schema: str) -> tuple[dict[str, set[Rule]], dict[str, str]]:
    """The rules of each table of the schema, and each table's CREATE statement (an in-memory DuckDB)."""
    scratch = duckdb.connect()
    try:
        scratch.execute(schema)
        creates = dict(
            scratch.execute(
                "SELECT table_name, sql FROM duckdb_tables() WHERE schema_name = current_schema()"
            ).fetchall()
        )
        return _by_table(_duckdb_rules(scratch)), creates
    finally:
        scratch.close()


def _scratch_postgres(con: Connection, schema: str) -> dict[str, set[Rule]]:
    """The rules of each table of the schema, created as temporary tables in a savepoint rolled back
    at once (inside the caller's transaction)."""
    con.execute("SAVEPOINT schema_rules")
    try:
        con.execute("SET LOCAL search_path = pg_temp")
        con.execute(schema)
        return _by_table(_postgres_rules(con, "pg_my_temp_schema()"))
    finally:
        con.execute("ROLLBACK TO SAVEPOINT schema_rules")


def _shown(value: object) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value))} byte>"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _row_text(names: Sequence[str], row: Sequence, first: Sequence[str]) -> str:
    """A row as ``column=value, …`` (the rule's columns first, at most a few columns)."""
    order = list(first) + [name for name in names if name not in first]
    values = dict(zip(names, row))
    shown = [f"{name}={_shown(values[name])}" for name in order[:_SHOWN_COLUMNS]]
    return ", ".join(shown) + (", …" if len(order) > _SHOWN_COLUMNS else "")


def breach(con: Connection, rule: Rule) -> str | None:
    """The first row of the table that breaks the rule, described (``None`` when every row keeps it)."""
    if rule.kind in ("PRIMARY KEY", "UNIQUE"):
        keys = ", ".join(rule.columns)
        nulls = " OR ".join(f"{column} IS NULL" for column in rule.columns)
        if rule.kind == "PRIMARY KEY":
            found = con.execute(f"SELECT {keys} FROM {rule.table} WHERE {nulls} LIMIT 1").fetchone()
            if found:
                return f"{_row_text(rule.columns, found, rule.columns)} (khóa để trống)"
        twice = con.execute(
            f"SELECT {keys}, count(*) FROM {rule.table} WHERE NOT ({nulls}) GROUP BY {keys} HAVING count(*) > 1 "
            f"ORDER BY {keys} LIMIT 1"
        ).fetchone()
        return f"{_row_text(rule.columns, twice[:-1], rule.columns)} (có {twice[-1]} dòng)" if twice else None
    result = con.execute(f"SELECT * FROM {rule.table} WHERE NOT ({rule.condition}) LIMIT 1")
    found = result.fetchone()
    if found is None:
        return None
    return _row_text([column[0] for column in result.description], found, rule.columns)


def _refuse(rule: Rule, row: str, version: str) -> StoreError:
    message = (
        f"Chưa nâng cấp được cơ sở dữ liệu lên phiên bản {version}: bảng {rule.table} có dòng trái quy tắc "
        f"{rule.definition} ({rule.kind}): {row}. Chưa thay đổi gì; hãy sửa hoặc xóa dòng này rồi mở lại."
    )
    return StoreError(message, message)


def _add_postgres(con: Connection, missing: set[Rule], extra: set[Rule]) -> None:
    """Drop the constraints the schema no longer has, add those it has and the table lacks."""
    for rule in sorted(extra, key=lambda r: r.name):
        if rule.kind == "NOT NULL":
            con.execute(f"ALTER TABLE {rule.table} ALTER COLUMN {rule.columns[0]} DROP NOT NULL")
        else:
            con.execute(f"ALTER TABLE {rule.table} DROP CONSTRAINT {rule.name}")
    for rule in sorted(missing, key=lambda r: r.name):
        if rule.kind == "NOT NULL":
            con.execute(f"ALTER TABLE {rule.table} ALTER COLUMN {rule.columns[0]} SET NOT NULL")
        else:
            con.execute(f"ALTER TABLE {rule.table} ADD CONSTRAINT {rule.name} {rule.definition}")


def _rebuild_duckdb(con: Connection, table: str, create: str) -> None:
    """The table made again as the schema says, with every row in its order (DuckDB keeps insertion order)."""
    old = f"{table}_before_rules"
    con.execute(f"ALTER TABLE {table} RENAME TO {old}")
    con.execute(create)
    kept = set(columns_of(con, old))
    names = ", ".join(column for column in columns_of(con, table) if column in kept)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {old}")
    con.execute(f"DROP TABLE {old}")


def apply(con: Connection, schema: str, version: str) -> list[str]:
    """Give the store's tables the rules of ``schema`` (the text of ``store/schema.sql``) they lack, inside
    the caller's transaction; the tables changed. A row breaking a rule: ``StoreError`` before any change."""
    if is_postgres(con):
        wanted, creates = _scratch_postgres(con, schema), {}
        have = _by_table(_postgres_rules(con, "current_schema()::regnamespace"))
    else:
        wanted, creates = _scratch_duckdb(schema)
        have = _by_table(_duckdb_rules(con))
    changed = sorted(table for table in wanted if table in have and wanted[table] != have[table])
    for table in changed:
        for rule in sorted(wanted[table] - have[table], key=lambda r: (r.kind, r.name)):
            row = breach(con, rule)
            if row is not None:
                raise _refuse(rule, row, version)
    for table in changed:
        if is_postgres(con):
            _add_postgres(con, wanted[table] - have[table], have[table] - wanted[table])
        else:
            _rebuild_duckdb(con, table, creates[table])
    return changed
