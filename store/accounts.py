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

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from store import audit
from store.backend import Connection
from store.errors import StoreError
from store.passwords import password_problem

ADMIN, OFFICE, VIEWER = "admin", "office", "viewer"
ROLES = (ADMIN, OFFICE, VIEWER)
ROLE_LABELS = {ADMIN: "Quản trị (thành phố)", OFFICE: "Phòng Văn hóa - Xã hội", VIEWER: "Lãnh đạo (chỉ xem)"}
MAX_NAME = 64
_COLUMNS = "username, role, locality_id, disabled, coalesce(must_change, FALSE)"
# argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane): ~0.07 s a check here, so that a flood
# of wrong passwords cannot take the processors from the people working; older hashes are
# rehashed at their next sign-in (:func:`rehashed`).
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
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
    """A signed-in person (or an operator account): name, role and locality (``None`` = all);
    ``must_change``: signed in with a one-time password, a new one must be set before anything else.

    **The read rule** (one place, for every page and query): every signed-in account may read
    every locality — its pages, figures, reports and original sheets — since the city compares
    the localities openly. An account's locality limits what it may change (:meth:`can_write`)
    and which locality it sees first (:attr:`home`). The journal is not a locality's data: an
    admin reads all of it, an office its own locality's, a viewer none (``ui.data.journal``).
    """

    username: str
    role: str
    locality_id: str | None = None
    disabled: bool = False
    must_change: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def can_read(self, locality_id: str) -> bool:
        """May see this locality's pages and files: always (the read rule above)."""
        return True

    def can_write(self, locality_id: str) -> bool:
        """May upload to, and close a month of, this locality."""
        return self.role == ADMIN or (self.role == OFFICE and self.locality_id == locality_id)

    @property
    def home(self) -> str | None:
        """The locality the pages open on (``None``: the first one)."""
        return self.locality_id

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
    raise RightsError(
        f"Tài khoản {account.username} chỉ được {what} cho địa phương {account.scope}, không phải {locality_id}."
    )


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


def check_new(username: str, password: str, role: str, locality_id: str | None, localities: set[str] | None) -> None:
    """Refuse (``AccountError``) a name, role, locality or password an account may not have."""
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
    check_password(password, username)


def rehashed(stored_hash: str, password: str) -> str | None:
    """A new hash of a password just checked, when ``stored_hash`` was made with other parameters."""
    return _HASHER.hash(password) if _HASHER.check_needs_rehash(stored_hash) else None


def hash_password(password: str) -> str:
    """The argon2id hash kept for ``password``."""
    return _HASHER.hash(password)


def check_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem)


def count_users(con: Connection) -> int:
    """How many accounts exist (the app asks for a first admin when there is none)."""
    return int(con.execute("SELECT count(*) FROM users").fetchone()[0])


def get_user(con: Connection, username: str) -> Account | None:
    rows = con.execute(f"SELECT {_COLUMNS} FROM users WHERE username = ?", [username]).fetchall()
    return Account(*rows[0]) if rows else None


def acting_account(con: Connection, username: str) -> Account:
    """The account a command line acts as (``--user``): it must exist and be enabled (``AccountError``
    otherwise); what it may do is checked by the action itself."""
    account = get_user(con, username)
    if account is None or account.disabled:
        raise AccountError(
            f"Không có tài khoản đang dùng tên {username!r} (--user phải là một tài khoản của "
            f"phần mềm, xem python -m store users list)."
        )
    return account


def list_users(con: Connection) -> list[Account]:
    rows = con.execute(f"SELECT {_COLUMNS} FROM users ORDER BY username").fetchall()
    return [Account(*row) for row in rows]


def require_admin(by: Account | None, what: str) -> None:
    """Refuse (``RightsError``) unless ``by`` is an admin (``None``: the server's operator at the command line)."""
    if by is not None and not by.is_admin:
        raise RightsError(f"Chỉ quản trị viên mới được {what} ({by.username} là {ROLE_LABELS[by.role]}).")


def actor_name(by: Account | None) -> str | None:
    """Who the journal names for an action by ``by`` (``None``: the operator at the command line)."""
    return by.username if by else None


def add_user(
    con: Connection,
    username: str,
    password: str,
    role: str,
    locality_id: str | None,
    now: dt.datetime,
    by: Account | None = None,
    address: str | None = None,
    localities: set[str] | None = None,
    first_admin: bool = False,
    one_time: bool = False,
) -> Account:
    """Create an account (an admin's right; ``by`` None: the operator). ``first_admin`` is the app's
    first screen, allowed only while no account exists; ``one_time``: the password must be changed
    at the first sign-in."""
    if not first_admin:
        require_admin(by, "tạo tài khoản")
    check_new(username, password, role, locality_id, localities)
    if first_admin and count_users(con):
        raise AccountError("Đã có tài khoản; tài khoản quản trị đầu tiên chỉ được tạo khi chưa có tài khoản nào.")
    if get_user(con, username) is not None:
        raise AccountError(f"Đã có tài khoản {username}.")
    con.execute(
        "INSERT INTO users (username, password_hash, role, locality_id, disabled, created_at, "
        "password_changed_at, must_change) VALUES (?, ?, ?, ?, FALSE, ?, ?, ?)",
        [username, _HASHER.hash(password), role, locality_id, now, now, one_time],
    )
    account = Account(username, role, locality_id, must_change=one_time)
    audit.record(
        con,
        now,
        username if first_admin else actor_name(by),
        audit.USER_ADDED,
        f"Tạo tài khoản {username} ({role}, địa phương: {account.scope}"
        f"{', mật khẩu dùng một lần' if one_time else ''})",
        locality_id,
        address=address,
        detail={"username": username, "role": role, "locality_id": locality_id, "one_time": one_time},
    )
    return account
