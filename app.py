"""Theo dõi Xã đổi mới sáng tạo — entry point: page set-up, shared state, navigation."""
from __future__ import annotations

from functools import partial

import streamlit as st

from plans import clock
from ui import controls, data, session, styles
from ui.guard import guard

APP_TITLE = "Theo dõi Xã đổi mới sáng tạo"

st.set_page_config(page_title=APP_TITLE, page_icon=":material/lightbulb:", layout="wide")

with guard():
    catalog = data.catalog()
    data.current_db()
    account = session.current()
    overview = st.Page("views/overview.py", title="Tổng quan", icon=":material/dashboard:", url_path="tong-quan")
    pages = [
        st.Page(partial(controls.go_to, overview), title="Tổng quan", url_path="trang-chu", default=True,
                visibility="hidden"),
        overview,
        st.Page("views/compare.py", title="So sánh địa phương", icon=":material/compare_arrows:", url_path="so-sanh"),
        st.Page("views/phases.py", title="Tiến độ theo giai đoạn", icon=":material/timeline:", url_path="giai-doan"),
        st.Page("views/groups.py", title="Nhóm chỉ tiêu", icon=":material/category:", url_path="nhom-chi-tieu"),
        st.Page("views/tasks.py", title="Nhiệm vụ", icon=":material/task_alt:", url_path="nhiem-vu"),
        st.Page("views/reports.py", title="Báo cáo", icon=":material/summarize:", url_path="bao-cao"),
        st.Page("views/upload.py", title="Nộp báo cáo tháng", icon=":material/upload_file:", url_path="nop-bao-cao"),
        st.Page("views/catalog.py", title="Danh mục chỉ tiêu", icon=":material/menu_book:", url_path="danh-muc"),
        st.Page("views/journal.py", title="Nhật ký", icon=":material/history:", url_path="nhat-ky"),
        st.Page("views/add_locality.py", title="Thêm địa phương", icon=":material/add_location_alt:",
                url_path="them-dia-phuong"),
    ]
    if account is None:
        # Every address stays known (a shared link opens its page once signed in), but no page runs:
        # only the login form (or the first admin's) is drawn.
        st.navigation(pages, position="hidden")
        session.login_page()
        st.stop()
    hidden = {"viewer": ("nop-bao-cao", "nhat-ky", "them-dia-phuong"), "office": ("them-dia-phuong",)}
    pages = [p for p in pages if p.url_path not in hidden.get(account.role, ())]
    data.start_daily_backups()
    controls.init_state(catalog, data.latest_period(), clock.today())
    presenting = controls.presenting()
    st.markdown(styles.BASE_CSS, unsafe_allow_html=True)
    if presenting:
        st.markdown(controls.PRESENTATION_CSS, unsafe_allow_html=True)
    navigation = st.navigation(pages, position="top" if presenting else "sidebar")
    if not presenting:
        st.sidebar.caption(APP_TITLE)
        session.sidebar(account)
    navigation.run()
