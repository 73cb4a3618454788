"""Tài khoản (admins only, ``ui/navigation.py``): every account, a new one, the offices of many
localities at once with one-time passwords to hand out, and the changes an admin makes to an account."""

from __future__ import annotations

import streamlit as st

from plans import clock
from plans.text import fmt_datetime
from store.accounts import ADMIN, OFFICE, ROLE_LABELS, ROLES, AccountError, RightsError
from ui import account_data, controls, data, render, session
from ui.account_tables import accounts_frame, handout_frame, handout_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL = "all"

catalog = data.catalog()
account = st.session_state["account"]
address = session.client_address()
names = {pid: plan.name for pid, plan in catalog.plans.items()}
st.title("Tài khoản")
st.caption(
    "Mọi tài khoản đều xem được mọi địa phương; địa phương của tài khoản giới hạn việc nạp phiếu, khóa tháng, "
    "đổi mẫu báo cáo và là địa phương hiện ra đầu tiên. Mọi thay đổi được ghi nhật ký; khóa tài khoản, đặt lại "
    "mật khẩu, đổi vai trò hay địa phương kết thúc ngay các phiên đăng nhập của tài khoản đó."
)


def done(action, *args) -> tuple[bool, object]:
    """Run an account action as the signed-in admin: (done, its result); a refusal is shown in Vietnamese."""
    try:
        return True, action(account, *args, address)
    except (AccountError, RightsError) as err:
        st.error(render.plain(err.public))
        return False, None


def locality_choice(label: str, key: str, current: str | None) -> str | None:
    """The locality of an account (``None``: every locality, for an admin or a city-wide viewer),
    ``current`` chosen to begin with."""
    options = [ALL, *names]
    chosen = st.selectbox(
        label,
        options,
        key=key,
        index=options.index(current or ALL),
        format_func=lambda pid: "Mọi địa phương" if pid == ALL else names[pid],
    )
    return None if chosen == ALL else chosen


rows = account_data.account_rows(account)
st.subheader(f"Danh sách ({len(rows)} tài khoản)")
render.table(accounts_frame(rows, catalog), key="accounts_table")

st.subheader("Tạo tài khoản Phòng Văn hóa - Xã hội cho nhiều địa phương")
have = {row.account.locality_id for row in rows if row.account.role == OFFICE}
chosen = controls.localities_picker(
    "Các địa phương",
    "Chọn các địa phương",
    key="batch_localities",
    help="Mỗi địa phương một tài khoản <mã địa phương>.vhxh với mật khẩu dùng một lần. "
    f"{len(names) - len(have & set(names))} địa phương chưa có tài khoản Phòng Văn hóa - Xã hội.",
)
if st.button("Tạo các tài khoản", type="primary", key="batch_create", disabled=not chosen):
    ok, created = done(account_data.create_office_accounts, chosen)
    if ok:
        st.session_state["handout"] = (created, fmt_datetime(clock.now()))
        st.rerun()  # the list above shows the new accounts
if "handout" in st.session_state:
    created, made_at = st.session_state["handout"]
    st.success(
        f"Đã tạo {sum(c.password is not None for c in created)} tài khoản lúc {made_at}. Mật khẩu dùng một lần "
        "chỉ hiện ở đây: tải danh sách để giao cho từng địa phương, rồi bấm “Đã giao, ẩn danh sách”."
    )
    render.table(handout_frame(created, catalog), key="handout_table", wrap=True)
    left, right = st.columns(2)
    left.download_button(
        "Tải danh sách (.xlsx)",
        handout_xlsx(created, catalog, made_at),
        "tai_khoan_vhxh.xlsx",
        XLSX,
        icon=":material/download:",
        key="handout_download",
    )
    if right.button("Đã giao, ẩn danh sách", key="handout_hide"):
        st.session_state.pop("handout")
        st.rerun()

st.subheader("Tạo một tài khoản")
with st.form("new_account"):
    username = st.text_input("Tên đăng nhập", key="new_username", max_chars=64)
    role = st.selectbox("Vai trò", ROLES, format_func=ROLE_LABELS.__getitem__, key="new_role", index=1)
    locality = locality_choice("Địa phương (tài khoản quản trị: mọi địa phương)", "new_locality", next(iter(names)))
    created_one = st.form_submit_button("Tạo tài khoản", type="primary")
if created_one:
    ok, password = done(account_data.create_account, username.strip(), role, None if role == ADMIN else locality)
    if ok:
        st.success(f"Đã tạo tài khoản. Mật khẩu dùng một lần (chỉ hiện lần này): `{password}`")

st.subheader("Sửa một tài khoản")
usernames = [row.account.username for row in rows]
target = st.selectbox("Tài khoản", usernames, key="edit_username", placeholder=controls.PICK, index=None)
if target:
    current = next(row.account for row in rows if row.account.username == target)
    st.text(
        f"{target}: {ROLE_LABELS[current.role]}, {names.get(current.locality_id, 'mọi địa phương')}, "
        f"{'đã khóa' if current.disabled else 'đang dùng'}"
    )
    cols = st.columns(2)
    if cols[0].button("Mở lại tài khoản" if current.disabled else "Khóa tài khoản", key="edit_disable"):
        if done(account_data.set_disabled, target, not current.disabled)[0]:
            st.rerun()
    if cols[1].button("Đặt lại mật khẩu (dùng một lần)", key="edit_reset"):
        ok, password = done(account_data.reset_password, target)
        if ok:
            st.success(f"Mật khẩu dùng một lần của {render.plain(target)} (chỉ hiện lần này): `{password}`")
    with st.form("edit_role"):
        role = st.selectbox(
            "Vai trò mới",
            ROLES,
            index=ROLES.index(current.role),
            format_func=ROLE_LABELS.__getitem__,
            key="edit_role_value",
        )
        locality = locality_choice("Địa phương mới", "edit_locality", current.locality_id)
        changed = st.form_submit_button("Đổi vai trò, địa phương")
    if changed and done(account_data.change_role, target, role, None if role == ADMIN else locality)[0]:
        st.rerun()
