"""Accounts, roles and rights, kept in the database; passwords hashed with argon2id.

Roles: ``admin`` (the city: every locality, accounts, reopening months), ``office`` (one
locality's culture-society office: uploads, closes months), ``viewer`` (leaders: read-only, one
locality or all). The rights are checked here and by the writers of the store
(:func:`require_write`), not only by the pages. Passwords follow ``store.passwords``, are hashed
with argon2id and never logged, stored or shown; signing in is ``store.sign_in``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from store import audit, throttle
from store.errors import StoreError
from store.passwords import password_problem

ADMIN, OFFICE, VIEWER = "admin", "office", "viewer"
ROLES = (ADMIN, OFFICE, VIEWER)
ROLE_LABELS = {ADMIN: "Quản trị (thành phố)", OFFICE: "Phòng Văn hóa - Xã hội", VIEWER: "Lãnh đạo (chỉ xem)"}
MAX_NAME = 64
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


def valid_username(username: str) -> bool:
    """1–``MAX_NAME`` printable characters, no space at either end."""
    return 0 < len(username) <= MAX_NAME and username.isprintable() and username == username.strip()


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` is the one hashed in ``stored_hash``; without a hash (no such account) the
    same work is done against a dummy, so that a name's existence does not show in the time taken."""
    try:
        _HASHER.verify(stored_hash or _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return False
    return stored_hash is not None


def _check_new(username: str, password: str, role: str, locality_id: str | None,
               localities: set[str] | None) -> None:
    if not valid_username(username):
        raise AccountError(f"Tên đăng nhập phải có 1–{MAX_NAME} ký tự in được, không có khoảng trắng ở đầu hay cuối.")
    if role not in ROLES:
        raise AccountError(f"Vai trò phải là một trong {', '.join(ROLES)}, không phải {role!r}.")
    if role == OFFICE and locality_id is None:
        raise AccountError("Tài khoản office phải gắn với một địa phương (--locality ID).")
    if role == ADMIN and locality_id is not None:
        raise AccountError("Tài khoản admin dùng cho mọi địa phương (--locality all).")
    if locality_id is not None and localities is not None and locality_id not in localities:
        raise AccountError(f"Không có địa phương mã {locality_id!r}.")
    _check_password(password, username)


def _check_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem)


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
    _check_password(password, username)
    con.execute("UPDATE users SET password_hash = ?, password_changed_at = ? WHERE username = ?",
                [_HASHER.hash(password), now, username])
    throttle.forget(con, username)
    audit.record(con, now, by, audit.PASSWORD_CHANGED, f"Đổi mật khẩu của {username}", address=address,
                 detail={"username": username})
