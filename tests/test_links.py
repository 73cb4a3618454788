"""Shareable links: ``?dia_phuong=<id>&thang=YYYY-MM&trinh_chieu=1`` on every page, read on load and
kept up to date; unknown values give a Vietnamese notice; the default month is the newest one due."""

from __future__ import annotations

import datetime as dt

import pytest
from page_fixtures import APP, JUNE, MAY, assert_clean, ensure_account, expected_reports, log_in, metric, open_page
from streamlit.testing.v1 import AppTest

from plans.periods import Period
from plans.text import fmt_number
from ui.controls import default_period

pytestmark = pytest.mark.both_backends

PAGES = (
    "views/overview.py",
    "views/compare.py",
    "views/phases.py",
    "views/groups.py",
    "views/tasks.py",
    "views/upload.py",
    "views/catalog.py",
)


def opened(**params: str) -> AppTest:
    """The app opened at an address with these query parameters (a shared link, or F5), signed in
    through the login form (a new session starts there; the address is kept)."""
    username = ensure_account()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    return log_in(at, username)


def test_a_link_opens_the_locality_month_and_presentation_it_names(known_db, catalog):
    at = opened(dia_phuong="hung_dao", thang="2026-05", trinh_chieu="1")
    assert_clean(at)
    assert (at.session_state["locality_id"], at.session_state["period"], at.session_state["presentation"]) == (
        "hung_dao",
        "2026-05",
        True,
    )
    may = expected_reports(known_db, catalog, MAY, ["hung_dao"])["hung_dao"]
    assert metric(at, "Điểm KPI /100") == fmt_number(may.kpi.points, 2)
    assert not at.warning or all("Đường dẫn" not in w.value for w in at.warning)


def test_the_address_follows_the_choice(known_db):
    at = open_page("views/groups.py")
    assert (at.query_params["dia_phuong"], at.query_params["thang"]) == ("tan_an", str(JUNE))
    assert "trinh_chieu" not in at.query_params
    at.selectbox(key="pick_locality").set_value("binh_giang").run()
    at.selectbox(key="pick_period").set_value(str(MAY)).run()
    at.toggle(key="pick_presentation").set_value(True).run()
    assert_clean(at)
    assert (at.query_params["dia_phuong"], at.query_params["thang"], at.query_params["trinh_chieu"]) == (
        "binh_giang",
        str(MAY),
        "1",
    )
    # the user's later choice is not undone by the (unchanged) address on the next run
    at.selectbox(key="pick_locality").set_value("ke_sat").run()
    assert at.session_state["locality_id"] == "ke_sat" and at.query_params["dia_phuong"] == "ke_sat"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_reads_the_link(known_db, page):
    at = opened(dia_phuong="ke_sat", thang="2026-05")
    at.switch_page(page).run()
    assert_clean(at)
    assert at.session_state["locality_id"] == "ke_sat"
    assert at.query_params["dia_phuong"] == "ke_sat" and at.query_params["thang"] == "2026-05"


@pytest.mark.parametrize(
    "params, notice",
    [
        (
            {"dia_phuong": "hai_phong"},
            "Đường dẫn có mã địa phương “hai_phong” không có trong danh mục; đang hiện Xã Tân An",
        ),
        ({"thang": "2026-13"}, "Đường dẫn có tháng “2026-13” không dùng được (cần dạng YYYY-MM"),
        ({"thang": "2019-01"}, "Đường dẫn có tháng “2019-01” không dùng được"),
        ({"trinh_chieu": "có"}, "chỉ dùng 1 (bật chế độ trình chiếu) hoặc 0"),
    ],
)
def test_an_unknown_value_gives_a_vietnamese_notice(known_db, params, notice):
    at = opened(**params)
    assert_clean(at)
    assert any(notice in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.title[0].value == "Tổng quan"


@pytest.mark.parametrize(
    "today, latest, expected",
    [
        (dt.date(2026, 12, 1), None, Period(2026, 10)),  # November's sheets are due on 05/12
        (dt.date(2026, 12, 1), Period(2026, 11), Period(2026, 11)),  # …unless they have arrived
        (dt.date(2026, 12, 4), Period(2026, 6), Period(2026, 10)),
        (dt.date(2026, 12, 5), None, Period(2026, 11)),  # due today
        (dt.date(2026, 12, 31), None, Period(2026, 11)),  # December has not ended
        (dt.date(2027, 1, 3), None, Period(2026, 11)),
    ],
)
def test_default_month_is_the_newest_due_or_arrived(today, latest, expected):
    assert default_period(latest, today) == expected
