"""Accounts, roles and rights, kept in the database; passwords hashed with argon2id.

Roles: ``admin`` (the city: every locality, accounts, reopening months), ``office`` (one
locality's culture-society office: uploads, closes months), ``viewer`` (leaders: read-only, one
locality or all). The rights are checked here and by the writers of the store
(:func:`require_write`), not only by the pages. After ``FREE_ATTEMPTS`` failed logins for a
name, the next attempt must wait ``BASE_WAIT`` seconds, doubled at each further failure (at
most an hour); a success clears the count. Passwords are never logged, stored or shown.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from store import audit
from store.errors import StoreError

ADMIN, OFFICE, VIEWER = "admin", "office", "viewer"
ROLES = (ADMIN, OFFICE, VIEWER)
ROLE_LABELS = {ADMIN: "Quản trị (thành phố)", OFFICE: "Phòng Văn hóa - Xã hội", VIEWER: "Lãnh đạo (chỉ xem)"}
MIN_PASSWORD = 8
FREE_ATTEMPTS = 5
BASE_WAIT = 30
MAX_WAIT = 3600
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("không có tài khoản này")


class AccountError(StoreError):
    """An account request that cannot be done (message in Vietnamese)."""


class RightsError(StoreError):
    """The signed-in account may not do this."""


class LoginError(StoreError):
    """Wrong name or password, a disabled account, or too many failed attempts (``wait`` seconds left)."""

    def __init__(self, message: str, wait: int = 0) -> None:
        super().__init__(message)
        self.wait = wait


@dataclass(frozen=True)
class Account:
    """A signed-in person (or an operator account): name, role and locality (``None`` = all)."""

    username: str
    role: str
    locality_id: str | None = None
    disabled: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def can_read(self, locality_id: str) -> bool:
        """May see this locality's pages and files."""
        return self.locality_id is None or self.locality_id == locality_id

    def can_write(self, locality_id: str) -> bool:
        """May upload to, and close a month of, this locality."""
        return self.role == ADMIN or (self.role == OFFICE and self.locality_id == locality_id)

    @property
    def scope(self) -> str:
        """The locality it is limited to, as text."""
        return self.locality_id or "tất cả"


def require_write(account: Account | None, locality_id: str, what: str = "nạp phiếu") -> None:
    """Refuse (``RightsError``) when ``account`` may not write for ``locality_id``; ``None`` is the
    server's operator (command line), who may."""
    if account is None or account.can_write(locality_id):
        return
    if account.role == VIEWER:
        raise RightsError(f"Tài khoản {account.username} chỉ được xem, không được {what}.")
    raise RightsError(f"Tài khoản {account.username} chỉ được {what} cho địa phương {account.scope}, "
                      f"không phải {locality_id}.")


def _check_new(username: str, password: str, role: str, locality_id: str | None,
               localities: set[str] | None) -> None:
    if not username or len(username) > 64 or not username.isprintable() or username != username.strip():
        raise AccountError("Tên đăng nhập phải có 1–64 ký tự in được, không có khoảng trắng ở đầu hay cuối.")
    if role not in ROLES:
        raise AccountError(f"Vai trò phải là một trong {', '.join(ROLES)}, không phải {role!r}.")
    if role == OFFICE and locality_id is None:
        raise AccountError("Tài khoản office phải gắn với một địa phương (--locality ID).")
    if role == ADMIN and locality_id is not None:
        raise AccountError("Tài khoản admin dùng cho mọi địa phương (--locality all).")
    if locality_id is not None and localities is not None and locality_id not in localities:
        raise AccountError(f"Không có địa phương mã {locality_id!r}.")
    _check_password(password)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")


def count_users(con: duckdb.DuckDBPyConnection) -> int:
    """How many accounts exist (the app asks for a first admin when there is none)."""
    return int(con.execute("SELECT count(*) FROM users").fetchone()[0])


def get_user(con: duckdb.DuckDBPyConnection, username: str) -> Account | None:
    rows = con.execute("SELECT username, role, locality_id, disabled FROM users WHERE username = ?",
                       [username]).fetchall()
    return Account(*rows[0]) if rows else None


def acting_account(con: duckdb.DuckDBPyConnection, username: str) -> Account:
    """The account a command line acts as (``--user``): it must exist and be enabled (``AccountError``
    otherwise); what it may do is checked by the action itself."""
    account = get_user(con, username)
    if account is None or account.disabled:
        raise AccountError(f"Không có tài khoản đang dùng tên {username!r} (--user phải là một tài khoản của "
                           f"phần mềm, xem python -m store users list).")
    return account


def list_users(con: duckdb.DuckDBPyConnection) -> list[Account]:
    rows = con.execute("SELECT username, role, locality_id, disabled FROM users ORDER BY username").fetchall()
    return [Account(*row) for row in rows]


def add_user(con: duckdb.DuckDBPyConnection, username: str, password: str, role: str, locality_id: str | None,
             now: dt.datetime, by: str | None = None, address: str | None = None,
             localities: set[str] | None = None, first_admin: bool = False) -> Account:
    """Create an account. ``first_admin`` is the app's first screen: allowed only while no account exists."""
    _check_new(username, password, role, locality_id, localities)
    if first_admin and count_users(con):
        raise AccountError("Đã có tài khoản; tài khoản quản trị đầu tiên chỉ được tạo khi chưa có tài khoản nào.")
    if get_user(con, username) is not None:
        raise AccountError(f"Đã có tài khoản {username}.")
    con.execute("INSERT INTO users VALUES (?, ?, ?, ?, FALSE, ?, ?)",
                [username, _HASHER.hash(password), role, locality_id, now, now])
    account = Account(username, role, locality_id)
    audit.record(con, now, by, audit.USER_ADDED,
                 f"Tạo tài khoản {username} ({role}, địa phương: {account.scope})", locality_id, address=address,
                 detail={"username": username, "role": role, "locality_id": locality_id})
    return account


def disable_user(con: duckdb.DuckDBPyConnection, username: str, now: dt.datetime, by: str | None = None,
                 address: str | None = None) -> None:
    if get_user(con, username) is None:
        raise AccountError(f"Không có tài khoản {username}.")
    con.execute("UPDATE users SET disabled = TRUE WHERE username = ?", [username])
    audit.record(con, now, by, audit.USER_DISABLED, f"Khóa tài khoản {username}", address=address,
                 detail={"username": username})


def set_password(con: duckdb.DuckDBPyConnection, username: str, password: str, now: dt.datetime,
                 by: str | None = None, address: str | None = None) -> None:
    if get_user(con, username) is None:
        raise AccountError(f"Không có tài khoản {username}.")
    _check_password(password)
    con.execute("UPDATE users SET password_hash = ?, password_changed_at = ? WHERE username = ?",
                [_HASHER.hash(password), now, username])
    con.execute("DELETE FROM login_failures WHERE username = ?", [username])
    audit.record(con, now, by, audit.PASSWORD_CHANGED, f"Đổi mật khẩu của {username}", address=address,
                 detail={"username": username})


def wait_after(failures: int) -> int:
    """Seconds to wait after ``failures`` failed attempts: none for the first five, then 30, 60, 120…"""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_WAIT, BASE_WAIT * 2 ** (failures - FREE_ATTEMPTS))


def _waiting(con: duckdb.DuckDBPyConnection, username: str, now: dt.datetime) -> int:
    rows = con.execute("SELECT failures, last_failed_at FROM login_failures WHERE username = ?", [username]).fetchall()
    if not rows:
        return 0
    row = rows[0]
    until = row[1] + dt.timedelta(seconds=wait_after(row[0]))
    return max(0, int((until - now).total_seconds() + 0.999))


def authenticate(con: duckdb.DuckDBPyConnection, username: str, password: str, now: dt.datetime,
                 address: str | None = None) -> Account:
    """The account for a name and password (logged as a success), or ``LoginError`` (logged as a failure).

    Unknown names cost the same work and count failures the same way as known ones.
    """
    wait = _waiting(con, username, now)
    if wait:
        audit.record(con, now, username, audit.LOGIN_FAILED, f"Đăng nhập bị chặn tạm ({wait} giây nữa)",
                     address=address)
        raise LoginError(f"Đã nhập sai nhiều lần. Hãy đợi {wait} giây rồi thử lại.", wait)
    rows = con.execute("SELECT password_hash, disabled FROM users WHERE username = ?", [username]).fetchall()
    row = rows[0] if rows else None
    try:
        _HASHER.verify(row[0] if row else _DUMMY, password)
        ok = row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        con.execute("INSERT INTO login_failures VALUES (?, 1, ?) ON CONFLICT (username) DO UPDATE SET "
                    "failures = login_failures.failures + 1, last_failed_at = excluded.last_failed_at",
                    [username, now])
        audit.record(con, now, username, audit.LOGIN_FAILED, "Sai tên đăng nhập hoặc mật khẩu", address=address)
        raise LoginError("Sai tên đăng nhập hoặc mật khẩu.")
    if row[1]:
        audit.record(con, now, username, audit.LOGIN_FAILED, "Tài khoản đã bị khóa", address=address)
        raise LoginError("Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên của thành phố.")
    con.execute("DELETE FROM login_failures WHERE username = ?", [username])
    account = get_user(con, username)
    audit.record(con, now, username, audit.LOGIN_OK, "Đăng nhập thành công", address=address)
    return account
