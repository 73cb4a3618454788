"""Managing accounts: disable and enable, set or reset a password, change a role or a locality, and
create the offices' accounts of many localities at once with one-time passwords.

Every change is an admin's right (``by`` None: the server's operator at the command line), except a
person changing their own password; every change is journaled in the same transaction, and every
change that alters what an account may do ends its sessions at once (``store.sessions``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from store import audit, sessions, throttle
from store.accounts import (
    OFFICE,
    Account,
    AccountError,
    actor_name,
    add_user,
    check_new,
    check_password,
    get_user,
    hash_password,
    require_admin,
)
from store.backend import Connection

ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
OFFICE_SUFFIX = ".vhxh"


@dataclass(frozen=True)
class Created:
    """One account of a batch: for which locality, its name, and its one-time password (``None`` when
    it was not created, ``note`` says why)."""

    locality_id: str
    username: str
    password: str | None
    note: str


def one_time_password() -> str:
    """A password to hand out once: three groups of four letters and digits that cannot be confused
    (no 0/o, 1/l/i), e.g. ``k7qm-x3vd-9pfa`` (about 74 bits)."""
    return "-".join("".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(4)) for _ in range(3))


def _existing(con: Connection, username: str) -> Account:
    account = get_user(con, username)
    if account is None:
        raise AccountError(f"Không có tài khoản {username}.")
    return account


def set_disabled(
    con: Connection,
    username: str,
    disabled: bool,
    now: dt.datetime,
    by: Account | None = None,
    address: str | None = None,
) -> None:
    """Disable an account (its sessions end at once) or enable it again."""
    require_admin(by, "khóa hay mở tài khoản")
    _existing(con, username)
    if by is not None and by.username == username and disabled:
        raise AccountError("Không tự khóa tài khoản của chính mình được.")
    con.execute("UPDATE users SET disabled = ? WHERE username = ?", [disabled, username])
    if disabled:
        sessions.end_sessions(con, username, now, sessions.ACCOUNT_CHANGED)
    audit.record(
        con,
        now,
        actor_name(by),
        audit.USER_DISABLED if disabled else audit.USER_ENABLED,
        f"{'Khóa' if disabled else 'Mở lại'} tài khoản {username}",
        address=address,
        detail={"username": username},
    )


def set_password(
    con: Connection,
    username: str,
    password: str,
    now: dt.datetime,
    by: Account | None = None,
    address: str | None = None,
    one_time: bool = False,
    keep_session: str | None = None,
) -> None:
    """Set a password: by the account itself (``by`` is that account; its other sessions end) or by
    an admin (every session ends; ``one_time``: to be changed at the next sign-in)."""
    if by is None or by.username != username:
        require_admin(by, "đặt mật khẩu cho tài khoản khác")
    _existing(con, username)
    check_password(password, username)
    con.execute(
        "UPDATE users SET password_hash = ?, password_changed_at = ?, must_change = ? WHERE username = ?",
        [hash_password(password), now, one_time, username],
    )
    throttle.forget(con, username)
    sessions.end_sessions(con, username, now, sessions.ACCOUNT_CHANGED, keep=keep_session)
    what = "Đặt lại mật khẩu (dùng một lần)" if one_time else "Đổi mật khẩu"
    audit.record(
        con,
        now,
        actor_name(by),
        audit.PASSWORD_CHANGED,
        f"{what} của {username}",
        address=address,
        detail={"username": username, "one_time": one_time},
    )


def reset_password(
    con: Connection, username: str, now: dt.datetime, by: Account | None = None, address: str | None = None
) -> str:
    """Give an account a new one-time password (returned, to be handed out once)."""
    password = one_time_password()
    set_password(con, username, password, now, by, address, one_time=True)
    return password


def change_role(
    con: Connection,
    username: str,
    role: str,
    locality_id: str | None,
    now: dt.datetime,
    by: Account | None = None,
    address: str | None = None,
    localities: set[str] | None = None,
) -> Account:
    """Change an account's role or locality (its sessions end at once)."""
    require_admin(by, "đổi vai trò hay địa phương của tài khoản")
    before = _existing(con, username)
    if by is not None and by.username == username and role != before.role:
        raise AccountError("Không tự đổi vai trò của chính mình được.")
    check_new(username, one_time_password(), role, locality_id, localities)
    con.execute("UPDATE users SET role = ?, locality_id = ? WHERE username = ?", [role, locality_id, username])
    sessions.end_sessions(con, username, now, sessions.ACCOUNT_CHANGED)
    after = Account(username, role, locality_id, before.disabled, before.must_change)
    audit.record(
        con,
        now,
        actor_name(by),
        audit.USER_CHANGED,
        f"Đổi tài khoản {username}: {before.role}, {before.scope} → {role}, {after.scope}",
        locality_id,
        address=address,
        detail={"username": username, "before": [before.role, before.locality_id], "after": [role, locality_id]},
    )
    return after


def office_accounts(
    con: Connection,
    localities: list[str],
    now: dt.datetime,
    by: Account | None = None,
    address: str | None = None,
    known: set[str] | None = None,
) -> list[Created]:
    """One office account per locality (``<id>.vhxh``) with a one-time password; a locality whose
    account already exists is listed with a note and left as it is."""
    require_admin(by, "tạo tài khoản")
    made = []
    for locality_id in localities:
        username = f"{locality_id}{OFFICE_SUFFIX}"
        if get_user(con, username) is not None:
            made.append(Created(locality_id, username, None, "đã có tài khoản này, không tạo lại"))
            continue
        password = one_time_password()
        add_user(con, username, password, OFFICE, locality_id, now, by, address, known, one_time=True)
        made.append(Created(locality_id, username, password, "đổi mật khẩu ở lần đăng nhập đầu"))
    return made
