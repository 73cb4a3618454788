"""The Word templates offices upload for their reports: one current template per locality
(``all``: the city report). Every upload is kept; clearing a template records an empty row,
so the default template applies again and the history stays.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from store import audit
from store.accounts import Account, RightsError
from store.backend import Connection

CITY = "all"


def current_template(con: Connection, locality_id: str) -> bytes | None:
    """The locality's current template, or None for the default one."""
    row = con.execute(
        "SELECT content FROM report_templates WHERE locality_id = ? ORDER BY id DESC LIMIT 1", [locality_id]
    ).fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


def template_info(con: Connection, locality_id: str) -> tuple[str, str | None, dt.datetime] | None:
    """(file name, uploaded by, uploaded at) of the current template, or None for the default one."""
    row = con.execute(
        "SELECT file_name, uploaded_by, uploaded_at, content IS NULL FROM report_templates "
        "WHERE locality_id = ? ORDER BY id DESC LIMIT 1",
        [locality_id],
    ).fetchone()
    return None if row is None or row[3] else (row[0], row[1], row[2])


def may_change_template(account: Account, locality_id: str) -> bool:
    """An office may change its own locality's template, an admin any (``all``, the city report's, only an admin)."""
    return account.is_admin or (locality_id != CITY and account.can_write(locality_id))


def require_template_right(account: Account, locality_id: str) -> None:
    """Refuse (``RightsError``) unless ``account`` :func:`may_change_template`."""
    if may_change_template(account, locality_id):
        return
    scope = "cả thành phố" if locality_id == CITY else locality_id
    raise RightsError(f"Tài khoản {account.username} không được đổi mẫu báo cáo của {scope}.")


def save_template(
    con: Connection,
    account: Account,
    locality_id: str,
    content: bytes | None,
    file_name: str,
    now: dt.datetime,
    address: str | None = None,
) -> None:
    """Record a new current template (``content`` None: back to the default) and journal it, in the
    caller's transaction; ``content`` must have passed ``reports.template_check``."""
    require_template_right(account, locality_id)
    con.execute(
        "INSERT INTO report_templates (locality_id, file_name, content, uploaded_by, uploaded_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [locality_id, file_name, content, account.username, now],
    )
    scope = None if locality_id == CITY else locality_id
    if content is None:
        audit.record(
            con,
            now,
            account.username,
            audit.TEMPLATE_RESET,
            "Dùng lại mẫu báo cáo mặc định",
            scope,
            address=address,
            detail={"locality_id": locality_id},
        )
    else:
        digest = hashlib.sha256(content).hexdigest()
        audit.record(
            con,
            now,
            account.username,
            audit.TEMPLATE_SET,
            f"Đổi mẫu báo cáo: {file_name}",
            scope,
            address=address,
            detail={"locality_id": locality_id, "file_name": file_name, "size_bytes": len(content), "sha256": digest},
        )
