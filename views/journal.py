"""Nhật ký: who did what and when (admin: every locality; office: its own), filtered; closing the month."""

from __future__ import annotations

import streamlit as st

from plans.text import fmt_datetime
from store.audit import ACTION_LABELS
from store.errors import StoreError
from ui import controls, data, render, session
from ui import journal_tables as jt

catalog = data.catalog()
account = st.session_state["account"]
locality_id, period = controls.header(
    "Nhật ký",
    "Mọi lần đăng nhập, nộp phiếu, nộp lại (giá trị trước/sau), "
    "phiếu bị từ chối, khóa/mở tháng và thay đổi tài khoản. "
    "Nhật ký chỉ được ghi thêm, không sửa, không xóa.",
)
plan = catalog.plan(locality_id)
month = f"{period.label} của {plan.name}"

st.subheader(f"Khóa tháng: {plan.name}, {period.label}")
closed = data.month_closure(locality_id, period)
asking = st.session_state.get("close_asked") == (locality_id, str(period))
if closed is None:
    st.caption(
        "Tháng này đang mở: còn nhận phiếu. Khóa tháng khi đã tổng hợp xong; sau đó mọi phiếu của tháng "
        "bị từ chối cho đến khi quản trị viên mở lại."
    )
    if (
        account.can_write(locality_id)
        and not asking
        and st.button("Khóa tháng này…", icon=":material/lock:", key="close_month")
    ):
        st.session_state["close_asked"] = (locality_id, str(period))
        st.rerun()
    if account.can_write(locality_id) and asking:
        st.warning(
            f"Khóa {month}? Từ lúc khóa, mọi phiếu của tháng này bị từ chối. "
            + (
                "Chỉ quản trị viên mở lại được (kèm lý do): tài khoản của bạn không tự mở lại được."
                if not account.is_admin
                else "Mở lại sau phải ghi lý do."
            ),
            icon=":material/lock:",
        )
        confirm, cancel = st.columns(2)
        if cancel.button("Không khóa", key="close_cancel", width="stretch"):
            st.session_state.pop("close_asked", None)
            st.rerun()
        if confirm.button(f"Khóa {period.label}", type="primary", key="close_confirm", width="stretch"):
            st.session_state.pop("close_asked", None)
            try:
                data.close_month(account, locality_id, period, session.client_address())
            except StoreError as err:
                st.error(err.public)
            else:
                st.rerun()
else:
    st.warning(closed.message(), icon=":material/lock:")
    if account.is_admin:
        reason = st.text_input("Lý do mở lại", key="reopen_reason")
        if st.button("Mở lại tháng", icon=":material/lock_open:", key="reopen_month", disabled=not reason.strip()):
            try:
                data.reopen_month(account, locality_id, period, reason, session.client_address())
            except StoreError as err:
                st.error(err.public)
            else:
                st.rerun()

st.subheader("Nhật ký")
left, right = st.columns(2)
actions = left.multiselect(
    "Việc", list(ACTION_LABELS), format_func=ACTION_LABELS.__getitem__, key="journal_actions", placeholder="Mọi việc"
)
routine = left.checkbox(
    "Hiện cả đăng nhập đúng và đăng xuất",
    key="journal_routine",
    disabled=bool(actions),
    help="Khi chưa chọn việc nào: mặc định không hiện (lần đăng nhập sai luôn hiện).",
)
actors = right.multiselect("Tài khoản", data.journal_actors(account), key="journal_actors", placeholder="Mọi tài khoản")
left, right = st.columns(2)
if account.is_admin:
    places = controls.localities_picker(
        "Địa phương", "Mọi địa phương (cả việc không thuộc địa phương nào)", left, key="journal_places"
    )
else:
    places = []
    left.text_input("Địa phương", catalog.plan(account.locality_id).name, disabled=True, key="journal_own_place")
days = right.date_input(
    "Từ ngày – đến ngày", value=(), format="DD/MM/YYYY", key="journal_days", help="Để trống: mọi ngày."
)
entries = data.journal(account, None, jt.search(actions, actors, places, days, routine))
if not entries:
    st.info("Không có dòng nhật ký nào theo bộ lọc đã chọn.")
else:
    st.caption(
        f"{len(entries)} dòng{' gần nhất' if len(entries) >= 2000 else ''}, mới nhất trước; lần cuối lúc "
        f"{fmt_datetime(entries[0].at)}."
    )
    render.table(jt.journal_table(entries, catalog), height=min(600, 38 + 35 * len(entries)), key="journal")
