"""Nhóm chỉ tiêu: attainment of each indicator of a group and the localities × measures status grid."""

from __future__ import annotations

import pytest
from page_fixtures import JUNE, array, assert_clean, expected_reports, figure, figure_text, open_page

from plans import vocabulary as s
from plans.palette import status_label

pytestmark = pytest.mark.both_backends

PAGE = "views/groups.py"


def test_common_group_attainment_and_heat_map(known_db, catalog):
    at = open_page(PAGE)
    assert_clean(at)
    expected = expected_reports(known_db, catalog, JUNE)
    mine = expected["tan_an"].indicators
    in_group = mine[mine["common_group"] == "cqs"]
    bars = figure(at, "Mức đạt các chỉ tiêu nhóm")["data"][0]
    assert len(array(bars["x"])) == len(in_group)
    assert array(bars["x"])[0] == round(in_group.iloc[0]["attainment"] * 100, 10)
    assert bars["customdata"][0].startswith(status_label(in_group.iloc[0]["status"]))
    grid = figure(at, "Trạng thái theo địa phương")
    heat = grid["data"][0]
    assert [name.replace("<br>", " ") for name in heat["x"]] == [r.name for r in expected.values()]
    legend = {t["name"] for t in grid["data"][1:]}
    assert legend == {status_label(x) for x in s.INDICATOR_STATUSES}
    dvc = catalog.measures["dvc_online_usage"].name
    row = [y.replace("<br>", " ") for y in heat["y"]].index(dvc)
    assert "✔ 85,5%" in heat["customdata"][row][0]


def test_group_picker_and_plan_groups(known_db, catalog):
    at = open_page(PAGE)
    at.selectbox(key="pick_group").set_value("htdl").run()
    assert_clean(at)
    assert "Hạ tầng và dữ liệu số" in figure(at, "Mức đạt các chỉ tiêu nhóm")["layout"]["title"]["text"]
    at.radio(key="group_kind").set_value("Nhóm riêng của kế hoạch").run()
    assert_clean(at)
    bars = figure(at, "Mức đạt các chỉ tiêu nhóm")["data"][0]
    plan_a = [i.code for i in catalog.plan("tan_an").indicators if i.group == "a"]
    assert [label.split(" ")[0] for label in bars["y"]] == plan_a


def test_presentation_mode_steps_through_groups(known_db, catalog):
    at = open_page(PAGE, presentation=True)
    assert_clean(at)
    at.button(key="group_step_next").click().run()
    assert_clean(at)
    second = catalog.common_groups[1]["name"]
    assert second in figure_text(figure(at, "Mức đạt các chỉ tiêu nhóm"))


def test_fresh_install_explains_how_to_start(empty_db):
    at = open_page(PAGE)
    assert_clean(at)
    assert any("Chưa có số liệu nào được nạp" in i.value for i in at.info)
