"""Time a page of the app under Streamlit's AppTest, signed in as a real user would be.

Used by ``bench_pages.py`` and ``bench_scale.py``. The app draws only the login form until someone
signs in, so each page is opened by an admin account of the benchmark's database (created once)
through the login form; a page that still shows the form, raised or showed an error fails loudly.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from plans import clock
from store import accounts
from store.db import writing

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = (  # (title, page file): the pages the benchmarks time
    ("Tổng quan", "views/overview.py"),
    ("So sánh địa phương", "views/compare.py"),
    ("Tiến độ theo giai đoạn", "views/phases.py"),
    ("Nhóm chỉ tiêu", "views/groups.py"),
    ("Nhiệm vụ", "views/tasks.py"),
    ("Báo cáo", "views/reports.py"),
    ("Nộp báo cáo tháng", "views/upload.py"),
    ("Danh mục chỉ tiêu", "views/catalog.py"),
    ("Thêm địa phương", "views/add_locality.py"),
)
BENCH_ADMIN = "bench-admin"
BENCH_PASSWORD = "mật khẩu đo tốc độ 2026"


@dataclass(frozen=True)
class PageTimes:
    """Seconds: every cache emptied, data caches emptied (as after an upload), warm median."""

    cold_start: float
    cold_data: float
    warm: float


def ensure_admin(db: Path | str) -> None:
    """The benchmark's admin account in ``db`` (created on first use)."""
    with writing(db) as con:
        if accounts.get_user(con, BENCH_ADMIN) is None:
            accounts.add_user(con, BENCH_ADMIN, BENCH_PASSWORD, accounts.ADMIN, None, clock.now())


def timed_run(at: AppTest) -> float:
    """Run the app once; fail loudly if the page raised, showed an error or is not signed in."""
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    problems = [e.value for e in at.exception] + [e.value for e in at.error]
    if problems:
        raise RuntimeError(f"page failed: {problems}")
    if any(t.key == "login_username" for t in at.text_input):
        raise RuntimeError("the page shows the login form: the benchmark is not signed in")
    return elapsed


def signed_in(period: str, timeout: float) -> AppTest:
    """The app at ``period``, signed in through the login form as the benchmark's admin."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state["period"] = period
    at.run()
    at.text_input(key="login_username").input(BENCH_ADMIN)
    at.text_input(key="login_password").input(BENCH_PASSWORD)
    next(b for b in at.button if b.label == "Đăng nhập").click().run()
    if "account" not in at.session_state or at.session_state["account"] is None:
        raise RuntimeError(f"sign-in refused: {[e.value for e in at.error]}")
    return at


def measure_page(page: str, period: str, runs: int, timeout: float = 600) -> PageTimes:
    """Cold start, cold data and warm median of one page (``views/x.py``) at ``period``."""
    at = signed_in(period, timeout)
    at.switch_page(page)
    st.cache_data.clear()
    st.cache_resource.clear()
    cold_start = timed_run(at)
    st.cache_data.clear()
    cold_data = timed_run(at)
    warm = statistics.median(timed_run(at) for _ in range(runs))
    return PageTimes(cold_start, cold_data, warm)
