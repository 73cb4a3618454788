"""Every SQL statement that writes or reads uploaded monthly sheets.

A submission is identified by (locality, unit, village, period); ``village`` is '' except for
village sheets and is matched without regard to case. Uploading the same key again keeps the
earlier submission and its values as history (``is_current = false``) and inserts the new one
with ``replaces`` pointing at it. The original file is kept once per SHA-256: its name and size
in ``upload_files``, its bytes in ``upload_contents`` (read only to download it again). Each write is one transaction: all of it or nothing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb


@dataclass(frozen=True)
class CurrentSubmission:
    """The current submission of a key, with its values and task updates."""

    id: int
    file_sha256: str
    village: str
    uploaded_at: dt.datetime
    values: dict[str, tuple[float | None, float | None, float | None]]
    tasks: dict[str, tuple[str | None, float | None]]


@dataclass(frozen=True)
class NewSubmission:
    """Everything one accepted sheet writes."""

    locality_id: str
    unit_code: str
    village: str
    period: str
    file_name: str
    file_sha256: str
    content: bytes
    uploaded_by: str | None
    uploaded_at: dt.datetime
    template_version: str
    is_sample: bool
    n_blank: int
    # (measure, value, numerator, denominator, evidence, note, sheet_row)
    values: Sequence[tuple] = field(default_factory=tuple)
    # (task_code, status, percent, evidence, sheet_row)
    tasks: Sequence[tuple] = field(default_factory=tuple)


_CURRENT = """
SELECT id, file_sha256, village, uploaded_at FROM submissions
WHERE locality_id = ? AND unit_code = ? AND lower(village) = lower(?) AND period = ? AND is_current
ORDER BY id DESC LIMIT 1
"""


def current_submission(con: duckdb.DuckDBPyConnection, locality_id: str, unit_code: str, village: str,
                       period: str) -> CurrentSubmission | None:
    """The current submission for a key, or ``None`` if the key was never uploaded."""
    row = con.execute(_CURRENT, [locality_id, unit_code, village, period]).fetchone()
    if row is None:
        return None
    values = {m: (v, n, d) for m, v, n, d in con.execute(
        "SELECT measure, value, numerator, denominator FROM submission_values WHERE submission_id = ?", [row[0]]
    ).fetchall()}
    tasks = {t: (s, p) for t, s, p in con.execute(
        "SELECT task_code, status, percent FROM task_updates WHERE submission_id = ?", [row[0]]
    ).fetchall()}
    return CurrentSubmission(row[0], row[1], row[2], row[3], values, tasks)


def current_reporters(con: duckdb.DuckDBPyConnection, locality_id: str, period: str) -> list[tuple[str, str]]:
    """(unit code, village) of every current submission of a locality for a month, oldest first."""
    return con.execute(
        "SELECT unit_code, village FROM submissions WHERE locality_id = ? AND period = ? AND is_current ORDER BY id",
        [locality_id, period]).fetchall()


def _insert_many(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple]) -> None:
    if not rows:
        return
    marks = "(" + ", ".join("?" * len(rows[0])) + ")"
    params = [item for row in rows for item in row]
    con.execute(f"INSERT INTO {table} VALUES " + ", ".join([marks] * len(rows)), params)


def save_submission(con: duckdb.DuckDBPyConnection, new: NewSubmission) -> tuple[int, int | None]:
    """Write one submission in one transaction; return (new id, id of the submission it replaced)."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("INSERT INTO upload_files (sha256, file_name, size_bytes, first_uploaded_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT DO NOTHING", [new.file_sha256, new.file_name, len(new.content), new.uploaded_at])
        con.execute("INSERT INTO upload_contents VALUES (?, ?) ON CONFLICT DO NOTHING", [new.file_sha256, new.content])
        old = con.execute(_CURRENT, [new.locality_id, new.unit_code, new.village, new.period]).fetchone()
        replaced = old[0] if old else None
        if replaced is not None:
            con.execute("UPDATE submissions SET is_current = FALSE WHERE id = ?", [replaced])
        new_id = con.execute(
            "INSERT INTO submissions (locality_id, unit_code, village, period, file_name, file_sha256, uploaded_by, "
            "uploaded_at, replaces, is_current, is_sample, template_version, n_values, n_blank, n_tasks) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?, ?) RETURNING id",
            [new.locality_id, new.unit_code, old[2] if old else new.village, new.period, new.file_name,
             new.file_sha256, new.uploaded_by, new.uploaded_at, replaced, new.is_sample, new.template_version,
             len(new.values), new.n_blank, len(new.tasks)],
        ).fetchone()[0]
        _insert_many(con, "submission_values", [(new_id, *row) for row in new.values])
        _insert_many(con, "task_updates", [(new_id, *row) for row in new.tasks])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return new_id, replaced


def has_sample_data(con: duckdb.DuckDBPyConnection) -> bool:
    """True when any current submission is sample data (the app then shows "Dữ liệu mẫu")."""
    return bool(con.execute("SELECT count(*) FROM submissions WHERE is_sample AND is_current").fetchone()[0])


def submission_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many submissions (current or not) the store holds."""
    return int(con.execute("SELECT count(*) FROM submissions").fetchone()[0])


def stored_file(con: duckdb.DuckDBPyConnection, sha256: str) -> bytes | None:
    """The original bytes of an uploaded file, by SHA-256."""
    row = con.execute("SELECT content FROM upload_contents WHERE sha256 = ?", [sha256]).fetchone()
    return bytes(row[0]) if row else None
