"""Accounts and sign-in sessions for the pages: signing in and out, the session of a cookie, the
first admin, a person's own password, and the accounts page's actions (each an admin's right,
checked by the store and journaled there).

A session's last use is written at most once a minute (``store.sessions.TOUCH_SECONDS``), in a
turn of its own; on a store that cannot be written a sign-in still works, for the tab only.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from plans import clock
from store import account_admin, accounts, sessions, sign_in
from store.account_admin import Created
from store.accounts import Account
from store.db import connection, writing_transaction
from store.errors import DB_ERRORS, DISK_FULL, READ_ONLY, StoreError, explain
from ui.data import catalog, current_db

_TOUCHED: dict[str, float] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Session:
    """What a session token is worth now: its account, or why it is not valid any more."""

    account: Account | None
    ended: str | None
    token_hash: str


def has_accounts() -> bool:
    """Is there any account yet? (If not, the first screen creates the first admin.)"""
    with connection(current_db()) as con:
        return accounts.count_users(con) > 0


def first_admin(username: str, password: str, address: str | None) -> Account:
    """Create the first admin account (refused once any account exists)."""
    with writing_transaction(current_db()) as con:
        return accounts.add_user(
            con, username, password, accounts.ADMIN, None, clock.now(), address=address, first_admin=True
        )


def login(username: str, password: str, address: str | None) -> Account:
    """Check a name and password (journaled); ``LoginError`` when refused (``store.sign_in``)."""
    return sign_in.sign_in(current_db(), username, password, clock.now(), address)


def open_session(account: Account, address: str | None, user_agent: str | None) -> str | None:
    """A new session for a signed-in account; its token, or ``None`` when the store cannot be written
    (the sign-in then lasts as long as the tab)."""
    try:
        with writing_transaction(current_db()) as con:
            return sessions.open_session(con, account.username, clock.now(), address, user_agent)
    except (StoreError, *DB_ERRORS, OSError) as err:
        if explain(err) in (READ_ONLY, DISK_FULL):
            return None
        raise


def session(token: str) -> Session:
    """The session of ``token`` now, with its account as stored now (disabled: not valid)."""
    with connection(current_db()) as con:
        found = sessions.find(con, token, clock.now())
        account = accounts.get_user(con, found.username) if found.username else None
    if account is not None and account.disabled:
        return Session(None, sessions.ACCOUNT_CHANGED, found.token_hash)
    return Session(account, found.ended if account is None else None, found.token_hash)


def account_now(username: str) -> Account | None:
    """The account as stored now (``None`` if it was removed); for a sign-in that has no session."""
    with connection(current_db()) as con:
        return accounts.get_user(con, username)


def touch(token_hash: str) -> None:
    """Record the session's use, at most once a minute (never an error: a read-only store keeps none)."""
    now = time.monotonic()
    with _LOCK:
        if now - _TOUCHED.get(token_hash, -sessions.TOUCH_SECONDS) < sessions.TOUCH_SECONDS:
            return
        _TOUCHED[token_hash] = now
    try:
        with writing_transaction(current_db()) as con:
            sessions.touch(con, token_hash, clock.now())
    except (StoreError, *DB_ERRORS, OSError):
        return


def log_out(account: Account, token: str | None, address: str | None) -> None:
    """End the session (when there is one) and journal the sign-out (it works on a read-only store too)."""
    if token:
        try:
            with writing_transaction(current_db()) as con:
                sessions.end_session(con, sessions.token_hash(token), clock.now(), sessions.SIGNED_OUT)
        except (StoreError, *DB_ERRORS, OSError) as err:
            if explain(err) not in (READ_ONLY, DISK_FULL):
                raise
    sign_in.sign_out(current_db(), account.username, clock.now(), address)


def change_own_password(account: Account, current: str, new: str, token: str | None, address: str | None) -> None:
    """A person sets their own password (the current one checked first); their other sessions end."""
    with connection(current_db()) as con:
        row = con.execute("SELECT password_hash FROM users WHERE username = ?", [account.username]).fetchone()
    if not accounts.password_matches(row[0] if row else None, current):
        raise accounts.AccountError("Mật khẩu hiện tại không đúng.")
    if new == current:
        raise accounts.AccountError("Mật khẩu mới phải khác mật khẩu hiện tại.")
    with writing_transaction(current_db()) as con:
        account_admin.set_password(
            con,
            account.username,
            new,
            clock.now(),
            account,
            address,
            keep_session=sessions.token_hash(token) if token else None,
        )


@dataclass(frozen=True)
class AccountRow:
    """One line of the accounts page."""

    account: Account
    last_sign_in: dt.datetime | None


def account_rows(by: Account) -> list[AccountRow]:
    """Every account with its latest sign-in (an admin's page)."""
    accounts.require_admin(by, "xem danh sách tài khoản")
    with connection(current_db()) as con:
        found = accounts.list_users(con)
        last = sessions.last_sign_ins(con)
    return [AccountRow(a, last.get(a.username)) for a in found]


def create_account(by: Account, username: str, role: str, locality_id: str | None, address: str | None) -> str:
    """A new account with a one-time password (returned, shown once)."""
    password = account_admin.one_time_password()
    with writing_transaction(current_db()) as con:
        accounts.add_user(
            con, username, password, role, locality_id, clock.now(), by, address, set(catalog().plans), one_time=True
        )
    return password


def create_office_accounts(by: Account, localities: list[str], address: str | None) -> list[Created]:
    """One office account per chosen locality, each with a one-time password."""
    with writing_transaction(current_db()) as con:
        return account_admin.office_accounts(con, localities, clock.now(), by, address, set(catalog().plans))


def set_disabled(by: Account, username: str, disabled: bool, address: str | None) -> None:
    with writing_transaction(current_db()) as con:
        account_admin.set_disabled(con, username, disabled, clock.now(), by, address)


def reset_password(by: Account, username: str, address: str | None) -> str:
    with writing_transaction(current_db()) as con:
        return account_admin.reset_password(con, username, clock.now(), by, address)


def change_role(by: Account, username: str, role: str, locality_id: str | None, address: str | None) -> None:
    with writing_transaction(current_db()) as con:
        account_admin.change_role(con, username, role, locality_id, clock.now(), by, address, set(catalog().plans))
