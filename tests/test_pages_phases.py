"""Tiến độ theo giai đoạn: phases and milestones on a timeline, each indicator on its path to target."""

from __future__ import annotations

import pytest
from page_fixtures import JUNE, array, assert_clean, expected_reports, figure, figure_text, open_page

from plans.palette import status_label

pytestmark = pytest.mark.both_backends

PAGE = "views/phases.py"


def test_timeline_shows_phases_milestones_and_today(known_db, catalog):
    at = open_page(PAGE)
    assert_clean(at)
    timeline = figure(at, "Các giai đoạn và mốc của kế hoạch — Xã Tân An")
    names = {trace["name"] for trace in timeline["data"]}
    assert {"Giai đoạn 1", "Giai đoạn 2", "Sơ kết, tổng kết", "Hạn báo cáo định kỳ"} <= names
    reviews = next(t for t in timeline["data"] if t["name"] == "Sơ kết, tổng kết")
    assert reviews["x"] == ["2028-12-31", "2030-12-31"]
    assert "Hôm nay" in figure_text(timeline)


def test_indicators_of_the_group_with_values_against_the_path(known_db, catalog):
    at = open_page(PAGE)
    expected = expected_reports(known_db, catalog, JUNE, ["tan_an"])["tan_an"].indicators
    group_a = expected[expected["group"] == "a"]
    table = at.dataframe[0].value
    assert list(table["Mã"]) == list(group_a["code"])
    row = table[table["Mã"] == "TA-a-01"].iloc[0]
    assert (row["Kết quả"], row["Mục tiêu"], row["Năm mục tiêu"]) == ("85,5%", "> 80%", "2030")
    assert row["Trạng thái"] == status_label(group_a.set_index("code").at["TA-a-01", "status"])
    paths = figure(at, "Kết quả hằng tháng và lộ trình đến mục tiêu")
    monthly = [t for t in paths["data"] if t["name"] == "Kết quả hằng tháng"]
    assert array(monthly[0]["y"]) == [70.0, 85.5]
    kinds = {t["name"] for t in paths["data"]}
    assert {"Mục tiêu", "Năm mục tiêu", "Lộ trình đến mục tiêu"} <= kinds


def test_phase_filter_keeps_targets_due_in_the_phase(known_db, catalog):
    at = open_page(PAGE)
    at.selectbox(key="phase_group").set_value("Tất cả nhóm").run()
    at.selectbox(key="phase_filter").set_value("Giai đoạn 1").run()
    assert_clean(at)
    years = set(at.dataframe[0].value["Năm mục tiêu"])
    assert years and years <= {"2026", "2027"}
    assert "TA-d-04" in set(at.dataframe[0].value["Mã"])


def test_fresh_install_still_shows_the_plan_timeline(empty_db):
    at = open_page(PAGE)
    assert_clean(at)
    assert figure(at, "Các giai đoạn và mốc của kế hoạch")
    assert any("Chưa có số liệu nào được nạp" in i.value for i in at.info)
