"""Who is signed in: the login page, the first admin, logout and the idle timeout.

The signed-in :class:`store.accounts.Account` lives in ``st.session_state["account"]``; every run
checks it against the store (a disabled account is signed out at once) and signs out a session
left idle longer than ``$DMST_IDLE_MINUTES`` (default 30). Names typed by users are shown with
``st.text`` or escaped, never as markdown.
"""
from __future__ import annotations

import logging
import time

import streamlit as st

from plans import settings
from store.accounts import ROLE_LABELS, Account, AccountError, LoginError
from store.errors import StoreError
from ui import data
from ui.web import ADDRESS_HEADER

log = logging.getLogger("dmst.ui")
LOGIN_TITLE = "Đăng nhập"


def idle_minutes() -> float:
    """``$DMST_IDLE_MINUTES`` (default 30)."""
    return settings.number("DMST_IDLE_MINUTES")


def client_address() -> str | None:
    """The browser's address as the connection gives it (``ui.web``: behind a proxy listed in
    ``$DMST_TRUSTED_PROXIES``, the address it forwards), when the app is served by ``serve.py``."""
    try:
        address = st.context.headers.get(ADDRESS_HEADER)
    except (AttributeError, RuntimeError):
        return None
    return address if isinstance(address, str) and address else None


def current() -> Account | None:
    """The signed-in account of this session, after the idle and still-enabled checks."""
    account = st.session_state.get("account")
    if account is None:
        return None
    now = time.monotonic()
    if now - st.session_state.get("last_seen", now) > idle_minutes() * 60:
        _sign_out("Phiên làm việc đã hết hạn vì lâu không dùng; hãy đăng nhập lại.")
        return None
    stored = data.account_now(account.username)
    if stored is None or stored.disabled:
        _sign_out("Tài khoản này đã bị khóa; hãy liên hệ quản trị viên của thành phố.")
        return None
    st.session_state["account"] = stored
    st.session_state["last_seen"] = now
    return stored


def _sign_out(reason: str | None) -> None:
    for key in ("account", "last_seen"):
        st.session_state.pop(key, None)
    if reason:
        st.session_state["login_notice"] = reason


def log_out() -> None:
    """The sidebar's "Đăng xuất" button: signs out whatever the store says (a store held too long by a
    writer only loses the journal line, which the server's log then keeps)."""
    account = st.session_state.get("account")
    if account is not None:
        try:
            data.log_out(account, client_address())
        except StoreError as err:
            log.error("sign-out of %s not journaled: %s", account.username, err)
    _sign_out("Đã đăng xuất.")


def sidebar(account: Account) -> None:
    """Who is signed in (as plain text) and the logout button."""
    st.sidebar.text(f"{account.username} – {ROLE_LABELS[account.role]}")
    st.sidebar.button("Đăng xuất", key="logout", on_click=log_out, icon=":material/logout:")


def login_page() -> None:
    """The only page without an account: sign in, or create the first admin when there is none."""
    if not data.has_accounts():
        _first_admin()
        return
    st.title(LOGIN_TITLE)
    notice = st.session_state.pop("login_notice", None)
    if notice:
        st.info(notice)
    with st.form("login_form"):
        username = st.text_input("Tên đăng nhập", key="login_username")
        password = st.text_input("Mật khẩu", type="password", key="login_password")
        submitted = st.form_submit_button("Đăng nhập", type="primary")
    if submitted:
        try:
            account = data.login(username.strip(), password, client_address())
        except LoginError as err:
            st.error(err.public)
            return
        st.session_state["account"] = account
        st.session_state["last_seen"] = time.monotonic()
        st.rerun()


def _first_admin() -> None:
    st.title("Tạo tài khoản quản trị đầu tiên")
    st.info("Chưa có tài khoản nào. Tài khoản tạo ở đây là quản trị viên của thành phố (mọi địa phương, tạo tài "
            "khoản khác bằng lệnh python -m store users add). Màn hình này biến mất khi đã có tài khoản.")
    with st.form("first_admin_form"):
        username = st.text_input("Tên đăng nhập", key="setup_username")
        password = st.text_input("Mật khẩu", type="password", key="setup_password")
        again = st.text_input("Nhập lại mật khẩu", type="password", key="setup_again")
        submitted = st.form_submit_button("Tạo tài khoản quản trị", type="primary")
    if submitted:
        if password != again:
            st.error("Hai lần nhập mật khẩu không giống nhau.")
            return
        try:
            account = data.first_admin(username.strip(), password, client_address())
        except AccountError as err:
            st.error(err.public)
            return
        st.session_state["account"] = account
        st.session_state["last_seen"] = time.monotonic()
        st.rerun()
