"""Removing the sample data (``python -m loaders demo``, the upload page's button) once it has served.

Sample sheets are not anybody's report: unlike real submissions, which are never deleted, they are
removed whole — their submissions, values, task lines, the keys that point at them and their
original files (unless a real submission sent the same file) — in one transaction with a journal
entry, and the months of the localities they touched are computed again. A real sheet that replaced
a sample one stays, as the sheet in use. Everything else (real sheets, accounts, locks, the journal,
whose entries about the sample sheets stay) is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from store import audit, measure_months
from store.accounts import Account, RightsError
from store.db import writing_transaction

SAMPLE = "SELECT id FROM submissions WHERE is_sample"


@dataclass(frozen=True)
class Removed:
    """What a removal took away."""

    sheets: int
    localities: tuple[str, ...]


def remove_sample_data(
    db: Path | str | None, account: Account | None, now: dt.datetime, address: str | None = None
) -> Removed:
    """Delete every sample sheet (an admin, or ``None``: the server's operator); journaled."""
    if account is not None and not account.is_admin:
        raise RightsError(f"Chỉ quản trị viên mới được xóa dữ liệu mẫu ({account.username} là {account.role}).")
    with writing_transaction(db) as con:
        sheets, places = con.execute(
            "SELECT count(*), array_agg(DISTINCT locality_id ORDER BY locality_id) FROM submissions WHERE is_sample"
        ).fetchone()
        if sheets:
            for table, column in (
                ("submission_values", "submission_id"),
                ("task_updates", "submission_id"),
                ("current_keys", "submission_id"),
            ):
                con.execute(f"DELETE FROM {table} WHERE {column} IN ({SAMPLE})")
            con.execute(f"UPDATE submissions SET replaces = NULL WHERE replaces IN ({SAMPLE})")
            unused = (
                "SELECT sha256 FROM upload_files WHERE sha256 NOT IN "
                "(SELECT file_sha256 FROM submissions WHERE NOT is_sample)"
            )
            con.execute(f"DELETE FROM upload_contents WHERE sha256 IN ({unused})")
            con.execute(f"DELETE FROM upload_files WHERE sha256 IN ({unused})")
            con.execute("DELETE FROM submissions WHERE is_sample")
            measure_months.forget(con, places)
            measure_months.refresh(con, places)
            audit.record(
                con,
                now,
                account.username if account else None,
                audit.SAMPLE_REMOVED,
                f"Xóa dữ liệu mẫu: {sheets} phiếu mẫu của {len(places)} địa phương",
                address=address,
                detail={"sheets": sheets, "localities": places},
            )
    return Removed(int(sheets), tuple(places or ()))
