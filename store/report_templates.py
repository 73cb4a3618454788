"""The Word templates offices upload for their reports: one current template per locality
(``all``: the city report). Every upload is kept; clearing a template records an empty row,
so the default template applies again and the history stays.
"""
from __future__ import annotations

import datetime as dt

import duckdb


def current_template(con: duckdb.DuckDBPyConnection, locality_id: str) -> bytes | None:
    """The locality's current template, or None for the default one."""
    row = con.execute("SELECT content FROM report_templates WHERE locality_id = ? ORDER BY id DESC LIMIT 1",
                      [locality_id]).fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


def template_info(con: duckdb.DuckDBPyConnection, locality_id: str) -> tuple[str, str | None, dt.datetime] | None:
    """(file name, uploaded by, uploaded at) of the current template, or None for the default one."""
    row = con.execute("SELECT file_name, uploaded_by, uploaded_at, content IS NULL FROM report_templates "
                      "WHERE locality_id = ? ORDER BY id DESC LIMIT 1", [locality_id]).fetchone()
    return None if row is None or row[3] else (row[0], row[1], row[2])


def save_template(con: duckdb.DuckDBPyConnection, locality_id: str, content: bytes | None, file_name: str,
                  uploaded_by: str | None, uploaded_at: dt.datetime) -> None:
    """Record a new current template (``content`` None: back to the default)."""
    con.execute("INSERT INTO report_templates (locality_id, file_name, content, uploaded_by, uploaded_at) "
                "VALUES (?, ?, ?, ?, ?)", [locality_id, file_name, content, uploaded_by, uploaded_at])
