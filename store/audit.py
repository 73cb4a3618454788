"""The audit trail: who did what, when, from where — appended, never changed.

This module has only :func:`record` (an ``INSERT``) and readers: nothing in the software updates
or deletes ``audit_log``. Writers call :func:`record` on the connection of their own write
transaction, so an action and its entry are committed together or not at all.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

LOGIN_OK, LOGIN_FAILED, LOGOUT = "login", "login_failed", "logout"
SUBMITTED, REPLACED, REJECTED = "submitted", "replaced", "rejected"
CLOSED, REOPENED = "closed", "reopened"
USER_ADDED, USER_DISABLED, PASSWORD_CHANGED = "user_added", "user_disabled", "password_changed"
RESTORED = "restored"
ACTION_LABELS = {
    LOGIN_OK: "Đăng nhập", LOGIN_FAILED: "Đăng nhập sai", LOGOUT: "Đăng xuất",
    SUBMITTED: "Nộp phiếu", REPLACED: "Nộp lại (thay phiếu)", REJECTED: "Phiếu bị từ chối",
    CLOSED: "Khóa tháng", REOPENED: "Mở lại tháng",
    USER_ADDED: "Tạo tài khoản", USER_DISABLED: "Khóa tài khoản", PASSWORD_CHANGED: "Đổi mật khẩu",
    RESTORED: "Phục hồi cơ sở dữ liệu",
}


@dataclass(frozen=True)
class Entry:
    """One line of the audit trail."""

    id: int
    at: dt.datetime
    actor: str | None
    address: str | None
    action: str
    locality_id: str | None
    period: str | None
    summary: str
    detail: object

    def as_dict(self) -> dict:
        """JSON-ready (time as ISO text)."""
        return {"id": self.id, "at": self.at.isoformat(timespec="seconds"), "actor": self.actor,
                "address": self.address, "action": self.action, "locality_id": self.locality_id,
                "period": self.period, "summary": self.summary, "detail": self.detail}


def record(con: duckdb.DuckDBPyConnection, at: dt.datetime, actor: str | None, action: str, summary: str,
           locality_id: str | None = None, period: str | None = None, address: str | None = None,
           detail: object = None) -> None:
    """Append one entry (``detail`` is stored as JSON: e.g. before/after values of a re-upload)."""
    record_many(con, [(at, actor, action, summary, locality_id, period, address, detail)])


def record_many(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple]) -> None:
    """Append several entries in one statement, in order; each row holds :func:`record`'s
    arguments after ``con``, all eight (a batch of uploads writes one entry per sheet)."""
    if not rows:
        return
    columns = list(zip(*[(at, actor, address, action, locality_id, period, summary,
                          None if detail is None else json.dumps(detail, ensure_ascii=False))
                         for at, actor, action, summary, locality_id, period, address, detail in rows]))
    names = ["at_time", "actor", "address", "action", "locality_id", "period", "summary", "detail"]
    con.register("new_audit_rows", pa.table({name: pa.array(column, pa.timestamp("us") if name == "at_time" else pa.string())
                                             for name, column in zip(names, columns)}))
    try:
        con.execute(f"INSERT INTO audit_log ({', '.join(names)}) SELECT {', '.join(names)} FROM new_audit_rows")
    finally:
        con.unregister("new_audit_rows")


def entries(con: duckdb.DuckDBPyConnection, locality_id: str | None = None, limit: int | None = None) -> list[Entry]:
    """Entries newest first; with ``locality_id`` only those about that locality."""
    where, params = ("WHERE locality_id = ?", [locality_id]) if locality_id else ("", [])
    tail = f" LIMIT {int(limit)}" if limit else ""
    rows = con.execute("SELECT id, at_time, actor, address, action, locality_id, period, summary, detail "
                       f"FROM audit_log {where} ORDER BY id DESC{tail}", params).fetchall()
    return [Entry(*row[:8], json.loads(row[8]) if row[8] else None) for row in rows]
