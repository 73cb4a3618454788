"""Nhật ký: who did what and when (admin: every locality; office: its own), and closing the month."""
from __future__ import annotations

import streamlit as st

from plans.text import fmt_datetime
from store.errors import StoreError
from ui import controls, data, render, session
from ui.journal_tables import journal_table

catalog = data.catalog()
account = st.session_state["account"]
locality_id, period = controls.header("Nhật ký", "Mọi lần đăng nhập, nộp phiếu, nộp lại (giá trị trước/sau), "
                                                 "phiếu bị từ chối, khóa/mở tháng và thay đổi tài khoản. "
                                                 "Nhật ký chỉ được ghi thêm, không sửa, không xóa.")
plan = catalog.plan(locality_id)

st.subheader(f"Khóa tháng: {plan.name}, {period.label}")
closed = data.month_closure(locality_id, period)
if closed is None:
    st.caption("Tháng này đang mở: còn nhận phiếu. Khóa tháng khi đã tổng hợp xong; sau đó mọi phiếu của tháng "
               "bị từ chối cho đến khi quản trị viên mở lại.")
    if account.can_write(locality_id) and st.button("Khóa tháng này", icon=":material/lock:", key="close_month"):
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
only_here = account.is_admin and st.checkbox(f"Chỉ {plan.name}", value=False, key="journal_only_here")
entries = data.journal(account, locality_id if only_here else None)
if not entries:
    st.info("Chưa có dòng nhật ký nào.")
else:
    st.caption(f"{len(entries)} dòng gần nhất, mới nhất trước; lần cuối lúc {fmt_datetime(entries[0].at)}.")
    render.table(journal_table(entries, catalog), height=min(600, 38 + 35 * len(entries)), key="journal")
