"""The store's SQL files, read once: ``store/sql/<name>.sql`` where DuckDB and PostgreSQL agree, and
``store/sql/<dialect>/<name>.sql`` where they do not (the value rules, the queries built on them).

Each per-backend pair gives the same rows for the same data: ``tests/test_values_sql.py`` and the
store's tests run on both backends.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).parent


@cache
def text(name: str, dialect: str = "duckdb") -> str:
    """The text of ``store/sql/<dialect>/<name>.sql``, or of ``store/sql/<name>.sql`` when both dialects share it."""
    own = SQL_DIR / dialect / f"{name}.sql"
    return (own if own.exists() else SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
