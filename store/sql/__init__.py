"""The store's SQL files (``store/sql/*.sql``: the value rules and the read queries), read once."""
from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).parent


@cache
def text(name: str) -> str:
    """The text of ``store/sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
