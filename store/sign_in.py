"""Signing in: a name and password checked without letting a stranger lock the owner out.

Failed attempts are counted per (user name, client address) and per address (``store.throttle``):
the right password typed from another address is never refused because of them. A success clears
the name's count from that address.

The password hash (argon2id, deliberately slow) is checked outside the writer's turn: reading the
account and the counts takes a shared read, the check takes no lock, and only the outcome is
written, in one short turn. Once an attempt is found to wait, this process remembers it, and
further attempts from that address are refused without touching the store. On a store that
cannot be written (read-only file, full disk) a sign-in still works: its journal entry waits beside
the store (``audit.keep_pending``) and the counts are kept in this process meanwhile. Refused
attempts while an address must wait are journaled once per ``BLOCKED_JOURNAL_SECONDS``, so a flood
does not flood the journal.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from store import audit
from store.accounts import Account, LoginError, password_matches, rehashed, valid_username
from store.backend import Connection
from store.db import Target, connection, locate
from store.journal import write_entry
from store.throttle import LOCK, MEMORY, address_key, known_wait, must_wait, name_key, waiting

BLOCKED_JOURNAL_SECONDS = 60
FAILURE_PAUSE = 1.0
JOURNALED_BLOCKS: dict[str, dt.datetime] = {}


def _read(db: Target, username: str, address: str | None) -> tuple[dict[str, tuple[int, dt.datetime]], tuple | None]:
    """The counts of the attempt's two keys (the store's, or this process's when larger) and the account row."""
    keys = [name_key(username, address), address_key(address)]
    with connection(db) as con:
        stored = {
            row[0]: (row[1], row[2])
            for row in con.execute(
                "SELECT key, failures, last_failed_at FROM login_throttle WHERE key IN (?, ?)", keys
            ).fetchall()
        }
        rows = con.execute(
            "SELECT password_hash, disabled, role, locality_id, must_change FROM users WHERE username = ?", [username]
        ).fetchall()
    with LOCK:
        for key in keys:
            if key in MEMORY and MEMORY[key][0] > stored.get(key, (0,))[0]:
                stored[key] = MEMORY[key]
    return stored, rows[0] if rows else None


def _remember(counts: dict[str, tuple[int, dt.datetime]], keys: list[str], now: dt.datetime) -> None:
    with LOCK:
        for key in keys:
            failures = max(counts.get(key, (0,))[0], MEMORY.get(key, (0,))[0])
            MEMORY[key] = (failures + 1, now)


def _write(
    db: Target,
    entry: audit.NewEntry,
    failed: list[str],
    cleared: str | None,
    counts: dict[str, tuple[int, dt.datetime]],
    rehash: str | None = None,
) -> None:
    """The outcome, in one short turn: the counts, the journal entry and a password hash made again
    with today's parameters (when the store cannot be written, the entry waits beside it and the
    counts are kept in this process)."""

    def counted(con: Connection) -> None:
        if rehash:
            con.execute("UPDATE users SET password_hash = ? WHERE username = ?", [rehash, entry.actor])
        for key in failed:
            con.execute(
                "INSERT INTO login_throttle VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET "
                "failures = login_throttle.failures + 1, last_failed_at = excluded.last_failed_at",
                [key, entry.at],
            )
        if cleared:
            con.execute("DELETE FROM login_throttle WHERE key = ?", [cleared])

    if write_entry(db, entry, counted):
        with LOCK:
            if cleared:
                MEMORY.pop(cleared, None)
    else:
        _remember(counts, failed, entry.at)


def sign_in(db: Path | str, username: str, password: str, now: dt.datetime, address: str | None = None) -> Account:
    """The account for a name and password (journaled), or ``LoginError`` (journaled, counted) after
    ``FAILURE_PAUSE`` seconds: a session sending wrong passwords gets one answer a second, and sleeps
    meanwhile, so a flood of sessions leaves the processor to the people working.

    Unknown names and names that cannot be an account (too long, unprintable) cost the same hash
    check and are counted the same way; such a name is journaled cut to 64 characters.
    """
    try:
        return _sign_in(locate(db), username, password, now, address)
    except LoginError:
        time.sleep(FAILURE_PAUSE)
        raise


def _sign_in(db: Target, username: str, password: str, now: dt.datetime, address: str | None) -> Account:
    name = username if valid_username(username) else username[:64]
    wait = known_wait(name, address, now)
    if not wait:
        counts, row = _read(db, name, address)
        wait = waiting(counts, name, address, now)
        if wait:
            must_wait(name, address, now, wait)
    if wait:
        _journal_blocked(db, name, address, now, wait)
        raise LoginError(f"Đã nhập sai nhiều lần. Hãy đợi {wait} giây rồi thử lại.", wait)
    known = row is not None and valid_username(username)
    ok = password_matches(row[0] if known else None, password) and known
    keys = [name_key(name, address), address_key(address)]
    if not ok:
        entry = audit.NewEntry(now, name, audit.LOGIN_FAILED, "Sai tên đăng nhập hoặc mật khẩu", address=address)
        _write(db, entry, keys, None, counts)
        raise LoginError("Sai tên đăng nhập hoặc mật khẩu.")
    if row[1]:
        _write(
            db, audit.NewEntry(now, name, audit.LOGIN_FAILED, "Tài khoản đã bị khóa", address=address), [], None, counts
        )
        raise LoginError("Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên của thành phố.")
    _write(
        db,
        audit.NewEntry(now, name, audit.LOGIN_OK, "Đăng nhập thành công", address=address),
        [],
        keys[0],
        counts,
        rehashed(row[0], password),
    )
    return Account(name, row[2], row[3], must_change=bool(row[4]))


def _journal_blocked(db: Target, username: str, address: str | None, now: dt.datetime, wait: int) -> None:
    """Journal a refused attempt of a waiting address, at most once per ``BLOCKED_JOURNAL_SECONDS`` per key."""
    key = name_key(username, address)
    with LOCK:
        last = JOURNALED_BLOCKS.get(key)
        if last is not None and (now - last).total_seconds() < BLOCKED_JOURNAL_SECONDS:
            return
        JOURNALED_BLOCKS[key] = now
    entry = audit.NewEntry(
        now, username, audit.LOGIN_FAILED, f"Đăng nhập bị chặn tạm ({wait} giây nữa)", address=address
    )
    _write(db, entry, [], None, {})


def sign_out(db: Path | str, username: str, now: dt.datetime, address: str | None = None) -> None:
    """Journal a sign-out (beside the store when it cannot be written: signing out always works)."""
    _write(locate(db), audit.NewEntry(now, username, audit.LOGOUT, "Đăng xuất", address=address), [], None, {})
