"""Closing a month: once a locality's office has compiled a month, its figures stop changing.

Every close and reopen is kept in ``period_locks``; the latest decides. A month nobody closed
or reopened is closed automatically ``DMST_AUTO_CLOSE_DAYS`` days after its deadline (the 5th
of the next month), unless the setting is 0 or empty (never). A sheet is judged at its upload time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from plans import settings
from plans.deadlines import sheet_due_date
from plans.periods import Period
from plans.text import fmt_date, fmt_datetime
from store import audit
from store.accounts import Account, RightsError, require_write
from store.backend import Connection
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
            return (
                f"{month} của {place} đã tự động khóa ngày {fmt_date(self.at.date())} "
                f"({auto_close_days()} ngày sau hạn nộp); không nhận thêm phiếu. {reopen}"
            )
        return (
            f"{month} của {place} đã được {self.by} khóa lúc {fmt_datetime(self.at)}; không nhận thêm phiếu. {reopen}"
        )


def auto_close_days() -> int:
    """``$DMST_AUTO_CLOSE_DAYS`` (default 60); 0 turns the automatic close off."""
    return settings.integer("DMST_AUTO_CLOSE_DAYS")


def closure(con: Connection, locality_id: str, period: str, today: dt.date) -> Closure | None:
    """Why ``period`` is closed for ``locality_id`` on ``today``, or ``None`` when it is open."""
    return closures(con, [(locality_id, period, today)]).get((locality_id, period, today))


def closures(con: Connection, months: Sequence[tuple[str, str, dt.date]]) -> dict[tuple[str, str, dt.date], Closure]:
    """Of these (locality, month, day judged), the closed ones and why (one query for any number)."""
    wanted = list(dict.fromkeys(months))
    if not wanted:
        return {}
    latest = {
        (lid, period): (closed, by, at)
        for lid, period, closed, by, at in con.execute(
            "SELECT DISTINCT ON (p.locality_id, p.period) p.locality_id, p.period, p.closed, p.by_user, p.at_time "
            "FROM period_locks p "
            "JOIN (SELECT unnest($ids::text[]) AS locality_id, unnest($periods::text[]) AS period) w "
            "ON w.locality_id = p.locality_id AND w.period = p.period ORDER BY p.locality_id, p.period, p.id DESC",
            {"ids": [m[0] for m in wanted], "periods": [m[1] for m in wanted]},
        ).fetchall()
    }
    days = auto_close_days()
    found = {}
    for lid, period, today in wanted:
        row = latest.get((lid, period))
        if row is not None:
            if row[0]:
                found[(lid, period, today)] = (row[1], row[2], False)
            continue
        closes = sheet_due_date(Period.parse(period)) + dt.timedelta(days=days)
        if days and today > closes:
            found[(lid, period, today)] = (None, dt.datetime.combine(closes, dt.time()), True)
    places = (
        dict(
            con.execute(
                "SELECT id, name FROM localities WHERE id IN (SELECT unnest($ids::text[]))",
                {"ids": sorted({key[0] for key in found})},
            ).fetchall()
        )
        if found
        else {}
    )
    return {
        key: Closure(key[0], key[1], by, at, automatic, places.get(key[0], ""))
        for key, (by, at, automatic) in found.items()
    }


def require_open(con: Connection, locality_id: str, period: str, today: dt.date) -> None:
    """Refuse (``PeriodClosedError``) a write to a closed month."""
    require_all_open(con, [(locality_id, period, today)])


def require_all_open(con: Connection, months: Sequence[tuple[str, str, dt.date]]) -> None:
    """Refuse (``PeriodClosedError``, naming the first closed one) a write to any closed month of these."""
    closed = closures(con, months)
    if closed:
        raise PeriodClosedError(next(iter(closed.values())).message())


def close_month(
    con: Connection,
    account: Account,
    locality_id: str,
    period: str,
    now: dt.datetime,
    reason: str | None = None,
    address: str | None = None,
) -> None:
    """Close a month (an office for its locality, or an admin)."""
    require_write(account, locality_id, "khóa tháng")
    con.execute(
        "INSERT INTO period_locks (locality_id, period, closed, by_user, at_time, reason) VALUES (?, ?, TRUE, ?, ?, ?)",
        [locality_id, period, account.username, now, reason],
    )
    audit.record(
        con,
        now,
        account.username,
        audit.CLOSED,
        f"Khóa {Period.parse(period).label}",
        locality_id,
        period,
        address,
        {"reason": reason} if reason else None,
    )


def reopen_month(
    con: Connection,
    account: Account,
    locality_id: str,
    period: str,
    now: dt.datetime,
    reason: str,
    address: str | None = None,
) -> None:
    """Reopen a month (admin only, with a reason)."""
    if not account.is_admin:
        raise RightsError(f"Chỉ quản trị viên mới được mở lại tháng đã khóa ({account.username} là {account.role}).")
    if not reason.strip():
        raise StoreError('Mở lại tháng phải ghi lý do (--reason "…").')
    con.execute(
        "INSERT INTO period_locks (locality_id, period, closed, by_user, at_time, reason) "
        "VALUES (?, ?, FALSE, ?, ?, ?)",
        [locality_id, period, account.username, now, reason],
    )
    audit.record(
        con,
        now,
        account.username,
        audit.REOPENED,
        f"Mở lại {Period.parse(period).label}: {reason}",
        locality_id,
        period,
        address,
        {"reason": reason},
    )
