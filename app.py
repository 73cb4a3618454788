"""Theo dõi Xã đổi mới sáng tạo — entry point: page set-up, who is signed in, shared state, navigation.

The pages are declared once in ``ui/navigation.py``; ``serve.py`` serves this script with ``st.App``.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from plans import clock
from ui import controls, data, navigation, session, styles
from ui.guard import guard

st.set_page_config(page_title=session.APP_TITLE, page_icon=":material/lightbulb:", layout="wide")

with guard():
    catalog = data.catalog()
    data.current_db()
    account = session.current()
    pages = {
        spec.url_path: st.Page(
            spec.script,
            title=spec.title,
            icon=spec.icon,
            url_path=spec.url_path,
            visibility="visible" if account is None or account.role in spec.roles else "hidden",
        )
        for spec in navigation.PAGES
    }
    home = st.Page(
        partial(controls.go_to, pages[navigation.HOME]),
        title="Tổng quan",
        url_path="trang-chu",
        default=True,
        visibility="hidden",
    )
    if account is None:
        # Every address stays known (a shared link opens its page once signed in), but no page runs:
        # only the sign-in form (or the first admin's) is drawn.
        st.navigation([home, *pages.values()], position="hidden")
        session.login_page()
        st.stop()
    if account.must_change:
        st.navigation([home, *pages.values()], position="hidden")
        session.new_password_page(account)
        st.stop()
    data.start_daily_backups()
    controls.init_state(catalog, data.latest_period(), clock.today(), account)
    presenting = controls.presenting()
    st.markdown(styles.BASE_CSS, unsafe_allow_html=True)
    if presenting:
        st.markdown(controls.PRESENTATION_CSS, unsafe_allow_html=True)
    page = st.navigation([home, *pages.values()], position="top" if presenting else "sidebar")
    session.cookie_images()
    if not presenting:
        st.sidebar.caption(session.APP_TITLE)
        session.sidebar(account)
    session.password_notice(page.url_path)
    refused = navigation.refusal(page.url_path, account)
    if refused:
        st.error(refused, icon=":material/block:")
        st.page_link(pages[navigation.HOME], label="Mở trang Tổng quan", icon=":material/dashboard:")
        st.stop()
    page.run()
