"""Theo dõi Xã đổi mới sáng tạo — entry point: page set-up, shared state, navigation."""
from __future__ import annotations

import streamlit as st

from ui import data

APP_TITLE = "Theo dõi Xã đổi mới sáng tạo"

st.set_page_config(page_title=APP_TITLE, page_icon="💡", layout="wide")
st.session_state.setdefault("locality_id", "tan_an")

data.current_db()

pages = [
    st.Page("pages/catalog.py", title="Danh mục chỉ tiêu", icon="📚", url_path="danh-muc"),
]
navigation = st.navigation(pages)
st.sidebar.caption(APP_TITLE)
navigation.run()
