"""Sign-in sessions kept in the store, so that a reload, a new tab or a restart of the app keeps them.

A session is created at sign-in: a random 256-bit token (:func:`new_token`) that the browser keeps in
the ``HttpOnly`` cookie :data:`COOKIE` (``ui/web.py`` sets it), of which the store keeps only the
SHA-256, with the account, when it began and was last used, the address and the browser. It ends
at sign-out, after ``$DMST_IDLE_MINUTES`` without use, ``$DMST_SESSION_HOURS`` after it began, or at
once when its account is disabled, its password changed or reset, or its role or locality changed
(:func:`end_sessions`). An ended session is kept (who, when, why), never reused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from plans import settings
from store.backend import Connection

COOKIE = "dmst_phien"
SIGNED_OUT, EXPIRED, IDLE, ACCOUNT_CHANGED = "dang_xuat", "het_han", "khong_dung", "tai_khoan_doi"
TOUCH_SECONDS = 60


@dataclass(frozen=True)
class Found:
    """What a token is: its session's hash and account name, or why it is not valid (``ended``)."""

    token_hash: str
    username: str | None
    ended: str | None
    last_seen: dt.datetime | None


def new_token() -> str:
    """A session token: 256 random bits, URL-safe text."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=settings.number("DMST_IDLE_MINUTES"))


def lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.number("DMST_SESSION_HOURS"))


def open_session(con: Connection, username: str, now: dt.datetime, address: str | None, user_agent: str | None) -> str:
    """Start a session for ``username``; returns its token (never stored)."""
    token = new_token()
    con.execute(
        "INSERT INTO sessions (token_hash, username, created_at, last_seen, address, user_agent) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [token_hash(token), username, now, now, address, (user_agent or "")[:300]],
    )
    return token


def find(con: Connection, token: str, now: dt.datetime) -> Found:
    """The session of ``token`` as of ``now``: its account name, or why it ended (idle and
    lifetime limits are applied here, so a session past them counts as ended even before it is marked)."""
    digest = token_hash(token)
    row = con.execute(
        "SELECT username, created_at, last_seen, end_reason FROM sessions WHERE token_hash = ?", [digest]
    ).fetchone()
    if row is None:
        return Found(digest, None, SIGNED_OUT, None)
    username, created, seen, reason = row
    if reason is None and now - created > lifetime():
        reason = EXPIRED
    elif reason is None and now - seen > idle_limit():
        reason = IDLE
    return Found(digest, None if reason else username, reason, seen)


def touch(con: Connection, digest: str, now: dt.datetime) -> None:
    """Record that the session was used now."""
    con.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ? AND ended_at IS NULL", [now, digest])


def end_session(con: Connection, digest: str, now: dt.datetime, reason: str) -> None:
    con.execute(
        "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE token_hash = ? AND ended_at IS NULL",
        [now, reason, digest],
    )


def end_sessions(con: Connection, username: str, now: dt.datetime, reason: str, keep: str | None = None) -> int:
    """End every open session of ``username`` (but ``keep``, a token hash); how many."""
    ended = con.execute(
        "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE username = ? AND ended_at IS NULL "
        "AND token_hash <> ? RETURNING token_hash",
        [now, reason, username, keep or ""],
    ).fetchall()
    return len(ended)


def last_sign_ins(con: Connection) -> dict[str, dt.datetime]:
    """Each account's latest sign-in (the start of its newest session)."""
    return dict(con.execute("SELECT username, max(created_at) FROM sessions GROUP BY username").fetchall())
