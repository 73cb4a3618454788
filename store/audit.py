"""The audit trail: who did what, when, from where — appended, never changed, and shown to be unchanged.

This module has only appenders (:func:`record`, :func:`record_many`) and readers: nothing in the
software updates or deletes ``audit_log``. Writers call them on the connection of their own write
transaction, so an action and its entry are committed together or not at all.

DuckDB has no triggers or grants to forbid a ``DELETE``, so every entry is chained: ``row_hash`` is
the SHA-256 of the previous entry's hash and the entry's own content, and :func:`verify` walks the
chain; an entry changed, removed or inserted outside this module (with a SQL tool on the file)
breaks it from that entry on, and ``python -m store audit --verify`` and the page "Nhật ký" say where.
On PostgreSQL a trigger also refuses every ``UPDATE``, ``DELETE`` and ``TRUNCATE`` of the table
(``store/sql/postgres/schema.sql``); the chain still shows what its owner could do by dropping it.
Entries written while the store could not be written (read-only file, full disk: a sign-in must
still work) wait in a file beside the store (:func:`keep_pending`) and are chained in at the next write
(:func:`merge_pending`). A PostgreSQL store has no file beside it (its app servers may be several
machines): such an entry goes to the server's log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from store.backend import Connection, insert_rows, transaction
from store.postgres import is_url

log = logging.getLogger("dmst.audit")
GENESIS = "0" * 64

LOGIN_OK, LOGIN_FAILED, LOGOUT = "login", "login_failed", "logout"
SUBMITTED, REPLACED, REJECTED = "submitted", "replaced", "rejected"
CLOSED, REOPENED = "closed", "reopened"
USER_ADDED, USER_DISABLED, PASSWORD_CHANGED = "user_added", "user_disabled", "password_changed"
USER_ENABLED, USER_CHANGED = "user_enabled", "user_changed"
RESTORED, BACKED_UP, COPIED = "restored", "backed_up", "copied"
TEMPLATE_SET, TEMPLATE_RESET = "template_set", "template_reset"
PLAN_ADDED = "plan_added"
SAMPLE_REMOVED = "sample_removed"
ACTION_LABELS = {
    LOGIN_OK: "Đăng nhập",
    LOGIN_FAILED: "Đăng nhập sai",
    LOGOUT: "Đăng xuất",
    SUBMITTED: "Nộp phiếu",
    REPLACED: "Nộp lại (thay phiếu)",
    REJECTED: "Phiếu bị từ chối",
    CLOSED: "Khóa tháng",
    REOPENED: "Mở lại tháng",
    USER_ADDED: "Tạo tài khoản",
    USER_DISABLED: "Khóa tài khoản",
    PASSWORD_CHANGED: "Đổi mật khẩu",
    USER_ENABLED: "Mở lại tài khoản",
    USER_CHANGED: "Đổi vai trò, địa phương của tài khoản",
    RESTORED: "Phục hồi cơ sở dữ liệu",
    BACKED_UP: "Sao lưu cơ sở dữ liệu",
    COPIED: "Chép cơ sở dữ liệu",
    TEMPLATE_SET: "Đổi mẫu báo cáo",
    TEMPLATE_RESET: "Dùng lại mẫu báo cáo mặc định",
    PLAN_ADDED: "Thêm địa phương",
    SAMPLE_REMOVED: "Xóa dữ liệu mẫu",
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
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds"),
            "actor": self.actor,
            "address": self.address,
            "action": self.action,
            "locality_id": self.locality_id,
            "period": self.period,
            "summary": self.summary,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class NewEntry:
    """An entry to append (``detail``: anything JSON can write, e.g. before/after values of a re-upload)."""

    at: dt.datetime
    actor: str | None
    action: str
    summary: str
    locality_id: str | None = None
    period: str | None = None
    address: str | None = None
    detail: object = None


def _digest(
    previous: str,
    entry_id: int,
    at: dt.datetime,
    actor: str | None,
    address: str | None,
    action: str,
    locality_id: str | None,
    period: str | None,
    summary: str,
    detail: str | None,
) -> str:
    """The chained hash of one entry, from the previous entry's hash and this entry's columns."""
    content = json.dumps(
        [
            previous,
            entry_id,
            at.isoformat(timespec="microseconds"),
            actor,
            address,
            action,
            locality_id,
            period,
            summary,
            detail,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _last_hash(con: Connection) -> str:
    row = con.execute("SELECT row_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row and row[0] else GENESIS


def record_many(con: Connection, new: Sequence[NewEntry]) -> None:
    """Append entries in order, chained to the last one (one read of the chain's end, one insert)."""
    if not new:
        return
    previous = _last_hash(con)
    ids = sorted(
        row[0] for row in con.execute("SELECT nextval('audit_seq') FROM generate_series(1, ?)", [len(new)]).fetchall()
    )
    rows = []
    for entry_id, e in zip(ids, new):
        detail = None if e.detail is None else json.dumps(e.detail, ensure_ascii=False)
        previous = _digest(
            previous, entry_id, e.at, e.actor, e.address, e.action, e.locality_id, e.period, e.summary, detail
        )
        rows.append(
            [entry_id, e.at, e.actor, e.address, e.action, e.locality_id, e.period, e.summary, detail, previous]
        )
    # one statement: a batch of a thousand sheets writes a thousand entries
    insert_rows(
        con,
        "audit_log",
        ["id", "at_time", "actor", "address", "action", "locality_id", "period", "summary", "detail", "row_hash"],
        rows,
    )


def record(
    con: Connection,
    at: dt.datetime,
    actor: str | None,
    action: str,
    summary: str,
    locality_id: str | None = None,
    period: str | None = None,
    address: str | None = None,
    detail: object = None,
) -> None:
    """Append one entry (see :class:`NewEntry`)."""
    record_many(con, [NewEntry(at, actor, action, summary, locality_id, period, address, detail)])


def verify(con: Connection) -> int | None:
    """The id of the first entry whose chain is broken (changed, removed before it, or inserted by
    other means), or ``None`` when the whole trail is as this module wrote it."""
    previous = GENESIS
    cursor = con.execute(
        "SELECT id, at_time, actor, address, action, locality_id, period, summary, detail, row_hash "
        "FROM audit_log ORDER BY id"
    )
    while rows := cursor.fetchmany(10_000):
        for row in rows:
            if row[9] != _digest(previous, *row[:9]):
                return row[0]
            previous = row[9]
    return None


def chain_existing(con: Connection) -> None:
    """Chain the entries of a store written before the chain existed (they are trusted as they are)."""
    previous = GENESIS
    rows = con.execute(
        "SELECT id, at_time, actor, address, action, locality_id, period, summary, detail "
        "FROM audit_log WHERE row_hash IS NULL ORDER BY id"
    ).fetchall()
    hashes = []
    for row in rows:
        previous = _digest(previous, *row)
        hashes.append([previous, row[0]])
    if hashes:
        con.executemany("UPDATE audit_log SET row_hash = ? WHERE id = ?", hashes)


def pending_file(db: Path | str) -> Path | None:
    """Where entries wait while the store cannot be written: ``<database>.journal-pending.jsonl``; None for
    a PostgreSQL store (see the module)."""
    if is_url(db):
        return None
    db = Path(db)
    return db.with_name(db.name + ".journal-pending.jsonl")


def keep_pending(db: Path | str, entry: NewEntry) -> None:
    """Keep an entry beside the store until it can be written (or, when even that file cannot be
    written, or the store is PostgreSQL, in the server's log): a sign-in on a read-only or full store
    is still journaled."""
    line = json.dumps(
        {
            "at": entry.at.isoformat(timespec="microseconds"),
            "actor": entry.actor,
            "action": entry.action,
            "summary": entry.summary,
            "locality_id": entry.locality_id,
            "period": entry.period,
            "address": entry.address,
            "detail": entry.detail,
        },
        ensure_ascii=False,
    )
    path = pending_file(db)
    if path is not None:
        try:
            with open(path, "a", encoding="utf-8") as out:
                out.write(line + "\n")
            return
        except OSError:
            pass
    log.error("journal entry not written (the store cannot be written, nor a file beside it): %s", line)


def merge_pending(con: Connection, db: Path | str) -> int:
    """Chain the waiting entries in (in the caller's write turn) and remove their file; how many."""
    path = pending_file(db)
    if path is None or not path.exists():
        return 0
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    new = [
        NewEntry(
            dt.datetime.fromisoformat(e["at"]),
            e["actor"],
            e["action"],
            e["summary"],
            e["locality_id"],
            e["period"],
            e["address"],
            e["detail"],
        )
        for e in lines
    ]
    with transaction(con):
        record_many(con, new)
    path.unlink(missing_ok=True)
    return len(new)


@dataclass(frozen=True)
class Search:
    """Which entries to read (an empty part does not narrow): kinds of action, accounts (actors),
    localities, and a time window ``since`` ≤ time < ``until``."""

    actions: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    localities: tuple[str, ...] = ()
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def sql(self) -> tuple[list[str], list[object]]:
        """WHERE conditions (with placeholders) and their parameters."""
        conditions, params = [], []
        for column, values in (("action", self.actions), ("actor", self.actors), ("locality_id", self.localities)):
            if values:
                conditions.append(f"{column} IN ({', '.join('?' * len(values))})")
                params += list(values)
        if self.since is not None:
            conditions.append("at_time >= ?")
            params.append(self.since)
        if self.until is not None:
            conditions.append("at_time < ?")
            params.append(self.until)
        return conditions, params


def entries(
    con: Connection, locality_id: str | None = None, limit: int | None = None, search: Search = Search()
) -> list[Entry]:
    """Entries newest first; with ``locality_id`` only those about that locality; narrowed by ``search``."""
    conditions, params = search.sql()
    if locality_id:
        conditions.insert(0, "locality_id = ?")
        params.insert(0, locality_id)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    tail = f" LIMIT {int(limit)}" if limit else ""
    rows = con.execute(
        "SELECT id, at_time, actor, address, action, locality_id, period, summary, detail "
        f"FROM audit_log {where} ORDER BY id DESC{tail}",
        params,
    ).fetchall()
    return [Entry(*row[:8], json.loads(row[8]) if row[8] else None) for row in rows]


def actors(con: Connection, locality_id: str | None = None) -> list[str]:
    """The names that appear in the trail (of one locality's entries, with ``locality_id``), sorted."""
    where, params = ("WHERE locality_id = ?", [locality_id]) if locality_id else ("", [])
    rows = con.execute(f"SELECT DISTINCT actor FROM audit_log {where} ORDER BY actor", params).fetchall()
    return [row[0] for row in rows if row[0]]
