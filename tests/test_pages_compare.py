"""So sánh địa phương: every locality by default (the one shown always among them), each in one
colour on every chart, totals ranked, shared measures, monthly lines."""

from __future__ import annotations

import pytest
from page_fixtures import JUNE, array, assert_clean, expected_reports, figure, figure_text, open_page, page_text

from plans import vocabulary as s
from plans.palette import locality_colours, status_colour
from plans.text import fmt_number

pytestmark = pytest.mark.both_backends

PAGE = "views/compare.py"


def test_every_locality_compared_by_default_ranked_by_kpi_total(known_db, catalog):
    at = open_page(PAGE)
    assert_clean(at)
    assert at.multiselect(key="pick_compare").value == list(catalog.plans)  # all five, not two of them
    expected = expected_reports(known_db, catalog, JUNE, ["tan_an", "hung_dao"])
    ranked = sorted(expected.values(), key=lambda r: -r.kpi.points)
    line = f"**1. {ranked[0].name}**: {fmt_number(ranked[0].kpi.points, 2)} điểm — {ranked[0].kpi.rating}"
    assert line in page_text(at)
    ranking = figure(at, "Xếp hạng tổng điểm KPI")
    # the three that have sent nothing come last, "Chưa báo cáo" (tests below)
    assert array(ranking["data"][0]["x"])[:2] == [r.kpi.points for r in ranked]
    groups = figure_text(figure(at, "Điểm theo nhóm KPI"))
    assert "Điểm tối đa" in groups and all(r.name in groups for r in ranked)


def test_the_linked_locality_is_always_in_the_comparison(known_db, catalog):
    # a link /so-sanh?dia_phuong=binh_giang, opened by someone who had compared Tân An and Hưng Đạo
    at = open_page(PAGE, locality="binh_giang", compare_ids=["tan_an", "hung_dao"])
    assert_clean(at)
    assert at.multiselect(key="pick_compare").value == ["binh_giang", "tan_an", "hung_dao"]
    at.multiselect(key="pick_compare").set_value(["tan_an", "hung_dao"]).run()  # taken out by hand: stays out
    assert at.multiselect(key="pick_compare").value == ["tan_an", "hung_dao"]


def test_each_locality_keeps_its_colour_on_every_chart(known_db, catalog):
    at = open_page(PAGE, compare_ids=["hung_dao", "nam_thanh_mien", "tan_an"])
    at.selectbox(key="compare_measure").set_value("dvc_online_usage").run()
    assert_clean(at)
    colours = {catalog.plans[lid].name: colour for lid, colour in locality_colours(catalog.plans).items()}
    ranking = figure(at, "Xếp hạng tổng điểm KPI")["data"][0]
    assert dict(zip(ranking["y"], ranking["marker"]["color"])) == {  # nothing reported: the grey of "Chưa báo cáo"
        "Xã Tân An": colours["Xã Tân An"],
        "Phường Hưng Đạo": colours["Phường Hưng Đạo"],
        "Xã Nam Thanh Miện": status_colour(s.NOT_REPORTED),
    }
    groups = figure(at, "Điểm theo nhóm KPI")["data"]  # (one with nothing reported is not drawn, but named)
    assert {t["name"]: t["marker"]["color"] for t in groups if t["type"] == "bar"} == {
        name: colours[name] for name in ("Xã Tân An", "Phường Hưng Đạo")
    }
    assert "Chưa báo cáo, không vẽ theo nhóm: Xã Nam Thanh Miện." in [c.value for c in at.caption]
    trend = figure(at, catalog.measures["dvc_online_usage"].name)["data"]
    assert {t["name"]: t["line"]["color"] for t in trend if t["name"] in colours} == {
        "Xã Tân An": colours["Xã Tân An"],
        "Phường Hưng Đạo": colours["Phường Hưng Đạo"],
    }


def test_shared_measures_show_value_own_target_and_status(known_db, catalog):
    at = open_page(PAGE)
    table = at.dataframe[0].value
    name = catalog.measures["dvc_online_usage"].name
    assert table.loc[name, "Xã Tân An"] == "✔ 85,5% · mục tiêu > 80% (2030)"
    assert table.loc[name, "Phường Hưng Đạo"].startswith("▲ 62% · mục tiêu > 80% (2030)")


def test_monthly_line_per_locality_with_targets(known_db, catalog):
    at = open_page(PAGE)
    at.selectbox(key="compare_measure").set_value("dvc_online_usage").run()
    assert_clean(at)
    trend = figure(at, catalog.measures["dvc_online_usage"].name)
    lines = {trace["name"]: trace for trace in trend["data"]}
    assert array(lines["Xã Tân An"]["y"]) == [70.0, 85.5]
    assert array(lines["Phường Hưng Đạo"]["y"]) == [62.0]
    assert array(lines["Mục tiêu Xã Tân An: > 80% (2030)"]["y"]) == [80.0, 80.0]


def test_choosing_other_localities_changes_the_comparison(known_db, catalog):
    at = open_page(PAGE)
    at.multiselect(key="pick_compare").set_value(["tan_an", "hung_dao", "nam_thanh_mien"]).run()
    assert_clean(at)
    assert len(array(figure(at, "Xếp hạng tổng điểm KPI")["data"][0]["y"])) == 3
    at.multiselect(key="pick_compare").set_value(["tan_an"]).run()
    assert_clean(at)
    assert any("ít nhất hai địa phương" in w.value for w in at.warning)


def test_fresh_install_explains_how_to_start(empty_db):
    at = open_page(PAGE)
    assert_clean(at)
    assert any("Chưa có số liệu nào được nạp" in i.value for i in at.info)


def test_a_locality_without_data_reads_not_reported_not_zero(known_db, catalog):
    # Bình Giang has sent nothing in the known database: it is not ranked and has no "0 — Chưa đạt"
    at = open_page(PAGE, compare_ids=["tan_an", "binh_giang"])
    assert_clean(at)
    tan_an = expected_reports(known_db, catalog, JUNE, ["tan_an"])["tan_an"]
    text = page_text(at)
    assert f"**1. Xã Tân An**: {fmt_number(tan_an.kpi.points, 2)} điểm" in text
    assert "**Xã Bình Giang**: Chưa báo cáo" in text
    ranking = figure(at, "Xếp hạng tổng điểm KPI")
    assert ranking["data"][0]["y"] == ["Xã Tân An", "Xã Bình Giang"]
    assert ranking["data"][0]["text"][1] == "Chưa báo cáo"
    assert "0 — Chưa đạt" not in figure_text(ranking)
