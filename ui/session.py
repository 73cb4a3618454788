"""Who is signed in: the sign-in screen, the first admin, a new password, sign-out, the sidebar.

A sign-in opens a session in the store (``store.sessions``) and hands its token to the browser as
an ``HttpOnly`` cookie (``ui.web``: the page loads a one-pixel image whose answer sets it), so a
reload, a second tab, a bookmark or a shared link keeps it. Every run of a page checks the session
(the tab's own token, else the cookie the browser sent): signed out, expired (idle or too old), or
its account disabled or changed, and the page shows the sign-in screen with the reason. The
linked address stays as it was, so after signing in the page opens with all its parameters.
Names typed by users are shown with ``st.text`` or escaped, never as markdown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from store import sessions
from store.accounts import ROLE_LABELS, Account, AccountError, LoginError
from store.errors import StoreError
from ui import account_data
from ui.web import ADDRESS_HEADER, COOKIE_ROUTE, FORGET_ROUTE, hand_over, was_taken

log = logging.getLogger("dmst.ui")
APP_TITLE = "Theo dõi Xã đổi mới sáng tạo"
LOGIN_TITLE = "Đăng nhập"
WHY = {
    sessions.SIGNED_OUT: "Đã đăng xuất.",
    sessions.EXPIRED: "Phiên đăng nhập đã hết hạn (quá thời gian dài nhất của một phiên); hãy đăng nhập lại.",
    sessions.IDLE: "Phiên đăng nhập đã hết hạn vì lâu không dùng; hãy đăng nhập lại.",
    sessions.ACCOUNT_CHANGED: "Phiên đăng nhập đã kết thúc vì tài khoản vừa được thay đổi (khóa, đổi mật khẩu, "
    "vai trò hay địa phương); hãy đăng nhập lại hoặc liên hệ quản trị viên.",
}
_STATE = ("account", "session_token", "tab_only")
FRESH_START = ("locality_id", "period", "link_seen")


def client_address() -> str | None:
    """The browser's address as the connection gives it (``ui.web``: behind a proxy listed in
    ``$DMST_TRUSTED_PROXIES``, the address it forwards), when the app is served by ``serve.py``."""
    try:
        address = st.context.headers.get(ADDRESS_HEADER)
    except (AttributeError, RuntimeError):
        return None
    return address if isinstance(address, str) and address else None


def _browser() -> str | None:
    try:
        agent = st.context.headers.get("User-Agent")
    except (AttributeError, RuntimeError):
        return None
    return agent if isinstance(agent, str) else None


def _cookie() -> str | None:
    try:
        token = st.context.cookies.get(sessions.COOKIE)
    except (AttributeError, RuntimeError):
        return None
    return token if isinstance(token, str) and token else None


def _ended(reason: str | None) -> None:
    for key in _STATE:
        st.session_state.pop(key, None)
    if reason:
        st.session_state["login_notice"] = WHY.get(reason, reason)
    st.session_state["forget_cookie"] = True


def current() -> Account | None:
    """The signed-in account of this run, after checking its session in the store."""
    cookie = _cookie()
    if cookie is not None and cookie == st.session_state.get("ignored_cookie"):
        cookie = None
    token = st.session_state.get("session_token") or cookie
    if token is None:
        held = st.session_state.get("account")
        if held is None or not st.session_state.get("tab_only"):
            return None
        account = account_data.account_now(held.username)
        if account is None or account.disabled:
            _ended(sessions.ACCOUNT_CHANGED)
            return None
    else:
        found = account_data.session(token)
        if found.account is None:
            _ended(found.ended)
            st.session_state["ignored_cookie"] = cookie  # the browser still sends it until the image clears it
            return None
        account = found.account
        st.session_state["session_token"] = token
        account_data.touch(found.token_hash)
    st.session_state["account"] = account
    return account


def _signed_in(account: Account) -> None:
    """Start the session; the shared choices start again from the account's own locality and the address."""
    token = account_data.open_session(account, client_address(), _browser())
    for key in FRESH_START:
        st.session_state.pop(key, None)
    st.session_state["account"] = account
    st.session_state.pop("forget_cookie", None)
    st.session_state.pop("login_notice", None)
    if token is None:
        st.session_state["tab_only"] = True
    else:
        st.session_state["session_token"] = token
        st.session_state["cookie_code"] = hand_over(token)
    st.rerun()


def cookie_images() -> None:
    """After a sign-in, the image that sets the cookie; after a sign-out, the one that clears it."""
    code = st.session_state.get("cookie_code")
    if code and was_taken(code):
        st.session_state.pop("cookie_code")
    elif code:
        st.html(f'<img src="{COOKIE_ROUTE}?ma={code}" alt="" width="1" height="1" style="position:absolute">')
    if st.session_state.pop("forget_cookie", None):
        st.html(f'<img src="{FORGET_ROUTE}" alt="" width="1" height="1" style="position:absolute">')


def log_out() -> None:
    """The sidebar's "Đăng xuất" button: ends the session in the store whatever else happens (a store
    held too long by a writer only loses the journal line, which the server's log then keeps)."""
    account = st.session_state.get("account")
    if account is not None:
        try:
            account_data.log_out(account, st.session_state.get("session_token"), client_address())
        except StoreError as err:
            log.error("sign-out of %s not journaled: %s", account.username, err)
    _ended(sessions.SIGNED_OUT)


def sidebar(account: Account) -> None:
    """Who is signed in (as plain text), their own password, and the sign-out button."""
    st.sidebar.text(f"{account.username} – {ROLE_LABELS[account.role]}")
    with st.sidebar.expander("Đổi mật khẩu", icon=":material/key:"):
        _password_form(account, "own_password")
    st.sidebar.button("Đăng xuất", key="logout", on_click=log_out, icon=":material/logout:")


def _password_form(account: Account, key: str, first: bool = False) -> None:
    with st.form(f"{key}_form"):
        current = st.text_input(
            "Mật khẩu dùng một lần" if first else "Mật khẩu hiện tại", type="password", key=f"{key}_current"
        )
        new = st.text_input("Mật khẩu mới (ít nhất 10 ký tự)", type="password", key=f"{key}_new")
        again = st.text_input("Nhập lại mật khẩu mới", type="password", key=f"{key}_again")
        submitted = st.form_submit_button("Đặt mật khẩu mới", type="primary")
    if not submitted:
        return
    if new != again:
        st.error("Hai lần nhập mật khẩu mới không giống nhau.")
        return
    try:
        account_data.change_own_password(account, current, new, st.session_state.get("session_token"), client_address())
    except AccountError as err:
        st.error(err.public)
        return
    st.session_state["password_notice"] = "Đã đặt mật khẩu mới; các phiên đăng nhập khác của tài khoản đã kết thúc."
    st.session_state.pop("password_notice_page", None)
    st.rerun()


def new_password_page(account: Account) -> None:
    """A one-time password was used to sign in: a new one must be set before any page opens."""
    st.title("Đặt mật khẩu mới")
    st.info(
        f"Tài khoản {account.username} đăng nhập bằng mật khẩu dùng một lần. Hãy đặt mật khẩu của riêng mình "
        "(ít nhất 10 ký tự, không chứa tên đăng nhập, không phải mật khẩu phổ biến) để tiếp tục."
    )
    _password_form(account, "first_password", first=True)
    st.button("Đăng xuất", key="logout_first", on_click=log_out, icon=":material/logout:")


def password_notice(page: str) -> None:
    """Say that the password was changed on the page shown next, over that page's reruns (its width is
    measured, a filter changes), until another page opens."""
    notice = st.session_state.get("password_notice")
    if not notice:
        return
    if st.session_state.setdefault("password_notice_page", page) != page:
        st.session_state.pop("password_notice")
        st.session_state.pop("password_notice_page")
        return
    st.success(notice)


def login_page() -> None:
    """The only page without an account: sign in, or create the first admin when there is none."""
    cookie_images()
    if not account_data.has_accounts():
        _first_admin()
        return
    st.caption(APP_TITLE)
    st.title(LOGIN_TITLE)
    notice = st.session_state.get("login_notice")  # kept over reruns (the page's width is measured) until a sign-in
    if notice:
        st.info(notice)
    with st.form("login_form"):
        username = st.text_input("Tên đăng nhập", key="login_username")
        password = st.text_input("Mật khẩu", type="password", key="login_password")
        submitted = st.form_submit_button("Đăng nhập", type="primary")
    if submitted:
        _sign_in_as(account_data.login, LoginError, username, password)


def _sign_in_as(
    account_of: Callable[[str, str, str | None], Account], refused: type[StoreError], username: str, password: str
) -> None:
    """Signs in the account that ``account_of(username, password, address)`` gives (a sign-in, the
    first admin), or shows why it was ``refused``."""
    try:
        account = account_of(username.strip(), password, client_address())
    except refused as err:
        st.error(err.public)
        return
    _signed_in(account)


def _first_admin() -> None:
    st.caption(APP_TITLE)
    st.title("Tạo tài khoản quản trị đầu tiên")
    st.info(
        "Chưa có tài khoản nào. Tài khoản tạo ở đây là quản trị viên của thành phố (mọi địa phương; tạo tài "
        "khoản khác ở trang Tài khoản). Màn hình này biến mất khi đã có tài khoản."
    )
    with st.form("first_admin_form"):
        username = st.text_input("Tên đăng nhập", key="setup_username")
        password = st.text_input("Mật khẩu (ít nhất 10 ký tự)", type="password", key="setup_password")
        again = st.text_input("Nhập lại mật khẩu", type="password", key="setup_again")
        submitted = st.form_submit_button("Tạo tài khoản quản trị", type="primary")
    if submitted:
        if password != again:
            st.error("Hai lần nhập mật khẩu không giống nhau.")
            return
        _sign_in_as(account_data.first_admin, AccountError, username, password)
