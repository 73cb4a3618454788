"""Theo dõi Xã đổi mới sáng tạo — entry point: page set-up, shared state, navigation."""
from __future__ import annotations

import streamlit as st

from plans import clock
from ui import controls, data, session
from ui.guard import guard

APP_TITLE = "Theo dõi Xã đổi mới sáng tạo"

st.set_page_config(page_title=APP_TITLE, page_icon=":material/lightbulb:", layout="wide")

with guard():
    catalog = data.catalog()
    data.current_db()
    account = session.current()
    if account is None:
        st.navigation([st.Page(session.login_page, title=session.LOGIN_TITLE, icon=":material/login:",
                               url_path="dang-nhap")], position="hidden").run()
        st.stop()
    data.daily_backup()
    controls.init_state(catalog, data.latest_period(), clock.today())
    presenting = controls.presenting()
    if presenting:
        st.markdown(controls.PRESENTATION_CSS, unsafe_allow_html=True)
    pages = [
        st.Page("pages/overview.py", title="Tổng quan", icon=":material/dashboard:", url_path="tong-quan", default=True),
        st.Page("pages/compare.py", title="So sánh địa phương", icon=":material/compare_arrows:", url_path="so-sanh"),
        st.Page("pages/phases.py", title="Tiến độ theo giai đoạn", icon=":material/timeline:", url_path="giai-doan"),
        st.Page("pages/groups.py", title="Nhóm chỉ tiêu", icon=":material/category:", url_path="nhom-chi-tieu"),
        st.Page("pages/tasks.py", title="Nhiệm vụ", icon=":material/task_alt:", url_path="nhiem-vu"),
        st.Page("pages/reports.py", title="Báo cáo", icon=":material/summarize:", url_path="bao-cao"),
        st.Page("pages/upload.py", title="Nộp báo cáo tháng", icon=":material/upload_file:", url_path="nop-bao-cao"),
        st.Page("pages/catalog.py", title="Danh mục chỉ tiêu", icon=":material/menu_book:", url_path="danh-muc"),
        st.Page("pages/journal.py", title="Nhật ký", icon=":material/history:", url_path="nhat-ky"),
        st.Page("pages/add_locality.py", title="Thêm địa phương", icon=":material/add_location_alt:",
                url_path="them-dia-phuong"),
    ]
    hidden = {"viewer": ("nop-bao-cao", "nhat-ky", "them-dia-phuong"), "office": ("them-dia-phuong",)}
    pages = [p for p in pages if p.url_path not in hidden.get(account.role, ())]
    navigation = st.navigation(pages, position="top" if presenting else "sidebar")
    if not presenting:
        st.sidebar.caption(APP_TITLE)
        session.sidebar(account)
    if data.sample_loaded():
        st.warning("**Đang dùng DỮ LIỆU MẪU** để xem thử — không phải số liệu thật của địa phương.",
                   icon=":material/science:")
    navigation.run()
