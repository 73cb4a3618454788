"""Closing a month: once a locality's office has compiled a month, its figures stop changing.

Every close and reopen is kept in ``period_locks``; the latest decides. A month nobody closed
or reopened is closed automatically ``DMST_AUTO_CLOSE_DAYS`` days after its deadline (the 5th
of the next month), unless the setting is 0 or empty (never). A sheet is judged at its upload time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from plans import settings
from plans.deadlines import sheet_due_date
from plans.periods import Period
from plans.text import fmt_date, fmt_datetime
from store import audit
from store.accounts import Account, RightsError, require_write
from store.errors import StoreError


class PeriodClosedError(StoreError):
    """The month is closed for this locality (message names who closed it and when)."""


@dataclass(frozen=True)
class Closure:
    """Why a month is closed: by whom and when, or automatically on ``at`` (``place``: the locality's
    name as the catalog writes it)."""

    locality_id: str
    period: str
    by: str | None
    at: dt.datetime
    automatic: bool
    place: str = ""

    def message(self) -> str:
        """Who closed the month, when, and who may open it again (in the names a clerk knows)."""
        month, place = Period.parse(self.period).label, self.place or self.locality_id
        reopen = "Chỉ quản trị viên (tài khoản admin) mở lại được, kèm lý do."
        if self.automatic:
            return (f"{month} của {place} đã tự động khóa ngày {fmt_date(self.at.date())} "
                    f"({auto_close_days()} ngày sau hạn nộp); không nhận thêm phiếu. {reopen}")
        return (f"{month} của {place} đã được {self.by} khóa lúc {fmt_datetime(self.at)}; không nhận thêm phiếu. "
                f"{reopen}")


def auto_close_days() -> int:
    """``$DMST_AUTO_CLOSE_DAYS`` (default 60); 0 turns the automatic close off."""
    return settings.integer("DMST_AUTO_CLOSE_DAYS")


def closure(con: duckdb.DuckDBPyConnection, locality_id: str, period: str, today: dt.date) -> Closure | None:
    """Why ``period`` is closed for ``locality_id`` on ``today``, or ``None`` when it is open."""
    rows = con.execute("SELECT closed, by_user, at_time FROM period_locks WHERE locality_id = ? AND period = ? "
                       "ORDER BY id DESC LIMIT 1", [locality_id, period]).fetchall()
    row = rows[0] if rows else None
    if row is not None and not row[0]:
        return None
    if row is not None:
        return Closure(locality_id, period, row[1], row[2], False, _place(con, locality_id))
    days = auto_close_days()
    if not days:
        return None
    closes = sheet_due_date(Period.parse(period)) + dt.timedelta(days=days)
    if today > closes:
        return Closure(locality_id, period, None, dt.datetime.combine(closes, dt.time()), True, _place(con, locality_id))
    return None


def _place(con: duckdb.DuckDBPyConnection, locality_id: str) -> str:
    """The locality's name in the store's catalog (its id when the catalog does not have it)."""
    row = con.execute("SELECT name FROM localities WHERE id = ?", [locality_id]).fetchone()
    return row[0] if row else locality_id


def require_open(con: duckdb.DuckDBPyConnection, locality_id: str, period: str, today: dt.date) -> None:
    """Refuse (``PeriodClosedError``) a write to a closed month."""
    closed = closure(con, locality_id, period, today)
    if closed is not None:
        raise PeriodClosedError(closed.message())


def close_month(con: duckdb.DuckDBPyConnection, account: Account, locality_id: str, period: str,
                now: dt.datetime, reason: str | None = None, address: str | None = None) -> None:
    """Close a month (an office for its locality, or an admin)."""
    require_write(account, locality_id, "khóa tháng")
    con.execute("INSERT INTO period_locks (locality_id, period, closed, by_user, at_time, reason) "
                "VALUES (?, ?, TRUE, ?, ?, ?)", [locality_id, period, account.username, now, reason])
    audit.record(con, now, account.username, audit.CLOSED, f"Khóa {Period.parse(period).label}", locality_id,
                 period, address, {"reason": reason} if reason else None)


def reopen_month(con: duckdb.DuckDBPyConnection, account: Account, locality_id: str, period: str,
                 now: dt.datetime, reason: str, address: str | None = None) -> None:
    """Reopen a month (admin only, with a reason)."""
    if not account.is_admin:
        raise RightsError(f"Chỉ quản trị viên mới được mở lại tháng đã khóa ({account.username} là {account.role}).")
    if not reason.strip():
        raise StoreError("Mở lại tháng phải ghi lý do (--reason \"…\").")
    con.execute("INSERT INTO period_locks (locality_id, period, closed, by_user, at_time, reason) "
                "VALUES (?, ?, FALSE, ?, ?, ?)", [locality_id, period, account.username, now, reason])
    audit.record(con, now, account.username, audit.REOPENED, f"Mở lại {Period.parse(period).label}: {reason}",
                 locality_id, period, address, {"reason": reason})
