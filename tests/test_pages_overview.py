"""Tổng quan: the numbers shown are the scoring's, and the locality and month pickers change them."""

from __future__ import annotations

import pytest
from page_fixtures import (
    HUNG_DAO_SENT,
    JUNE,
    MAY,
    assert_clean,
    expected_reports,
    figure,
    figure_text,
    figures,
    metric,
    open_page,
    page_text,
)

from plans import clock
from plans import vocabulary as s
from plans.text import fmt_date, fmt_number
from ui.milestones import next_report_deadline

pytestmark = pytest.mark.both_backends

KPI = "Điểm KPI /100"
PAGE = "views/overview.py"


def test_kpi_total_and_rating_are_the_scoring_result(known_db, catalog):
    at = open_page(PAGE)
    assert_clean(at)
    expected = expected_reports(known_db, catalog, JUNE, ["tan_an"])["tan_an"]
    assert metric(at, KPI) == fmt_number(expected.kpi.points, 2)
    assert metric(at, "Xếp loại") == expected.kpi.rating
    assert expected.kpi.provisional
    assert [m.delta for m in at.metric if m.label == "Xếp loại"] == ["tạm tính"]
    met = sum(expected.indicators["status"] == s.MET)
    assert metric(at, "✔ Đạt") == f"{met} / {len(expected.indicators)}"
    assert metric(at, "Nhiệm vụ quá hạn") == str(expected.task_counts["overdue"])


def test_group_points_are_drawn_against_their_maxima(known_db, catalog):
    at = open_page(PAGE)
    expected = expected_reports(known_db, catalog, JUNE, ["tan_an"])["tan_an"]
    kpi_chart = figure_text(figure(at, "Điểm KPI theo nhóm"))
    for group in expected.kpi.groups:
        assert f"{fmt_number(group.points, 2)} / {fmt_number(group.max_points)}" in kpi_chart
    assert "Điểm tối đa" in kpi_chart


def test_locality_picker_changes_the_numbers(known_db, catalog):
    at = open_page(PAGE)
    at.selectbox(key="pick_locality").set_value("hung_dao").run()
    assert_clean(at)
    expected = expected_reports(known_db, catalog, JUNE, ["hung_dao"])["hung_dao"]
    assert metric(at, KPI) == fmt_number(expected.kpi.points, 2)
    assert metric(at, "Đơn vị đã nộp phiếu") == f"{len(HUNG_DAO_SENT)} / {expected.submission_counts['expected']}"
    missing = expected.submissions.loc[expected.submissions["status"] == s.MISSING, "unit_name"]
    text = page_text(at)
    assert len(missing) > 0 and all(name in text for name in missing)


def test_month_picker_changes_the_numbers(known_db, catalog):
    at = open_page(PAGE)
    june = metric(at, KPI)
    at.selectbox(key="pick_period").set_value(str(MAY)).run()
    assert_clean(at)
    expected = expected_reports(known_db, catalog, MAY, ["tan_an"])["tan_an"]
    assert metric(at, KPI) == fmt_number(expected.kpi.points, 2) != june


def test_lagging_indicators_name_their_responsible_unit(known_db, catalog):
    at = open_page(PAGE)
    expected = expected_reports(known_db, catalog, JUNE, ["tan_an"])["tan_an"]
    lagging = expected.indicators[expected.indicators["status"] == s.REGRESSING]
    # a static table whose cells wrap: the responsible unit reads in full, not "Phòng Văn h…"
    assert not at.dataframe
    table = at.table[0].value
    assert set(lagging["code"]) <= set(table["Mã"])
    plan = catalog.plan("tan_an")
    for row in lagging.itertuples():
        shown = table[table["Mã"] == row.code].iloc[0]
        assert shown["Đơn vị chịu trách nhiệm"] == plan.unit_name(row.responsible_unit)
        assert shown["Trạng thái"] == "↓ Đi xuống"


def test_next_report_deadline_with_days_left(known_db, catalog):
    at = open_page(PAGE)
    deadline = next_report_deadline(catalog.plan("tan_an"), clock.today())
    shown = [m for m in at.metric if m.label == deadline.name]
    assert shown and shown[0].value == fmt_date(deadline.day)
    assert shown[0].delta in (f"còn {deadline.days_left} ngày", "hôm nay")


def test_a_plan_without_fixed_report_dates_says_so(known_db):
    at = open_page(PAGE, locality="binh_giang")
    assert_clean(at)
    assert any("Kế hoạch không quy định ngày báo cáo cố định" in i.value for i in at.info)


def test_presentation_mode_steps_through_localities(known_db, catalog):
    at = open_page(PAGE, presentation=True)
    assert_clean(at)
    assert not at.sidebar.selectbox
    at.button(key="overview_step_next").click().run()
    assert_clean(at)
    ids = list(catalog.plans)
    assert at.session_state["locality_id"] == ids[(ids.index("tan_an") + 1) % len(ids)]
    expected = expected_reports(known_db, catalog, JUNE, [ids[1]])[ids[1]]
    assert metric(at, KPI) == fmt_number(expected.kpi.points, 2)
    at.segmented_control(key="overview_topic").set_value("Nhiệm vụ").run()
    assert_clean(at)
    assert figure(at, "Nhiệm vụ quá hạn theo đơn vị chủ trì")
    assert len(figures(at)) == 1


def test_fresh_install_explains_how_to_start(empty_db):
    at = open_page(PAGE)
    assert_clean(at)
    assert any("Chưa có số liệu nào được nạp" in i.value for i in at.info)
    assert not figures(at)


def test_presentation_tables_are_large_static_tables(known_db):
    at = open_page("views/tasks.py", presentation=True)
    assert_clean(at)
    assert not at.dataframe and at.table[0].value.columns[0] == "Mã"
    css = "".join(m.value for m in at.markdown if "<style>" in m.value)
    assert '[data-testid="stTable"] table { font-size: 1rem; }' in css and "html { font-size: 21px; }" in css
    assert "color: #111111 !important" in css


def test_the_task_sentence_names_every_status_and_adds_up(known_db, catalog):
    at = open_page(PAGE)
    counts = expected_reports(known_db, catalog, JUNE, ["tan_an"])["tan_an"].task_counts
    sentence = next(c.value for c in at.caption if c.value.startswith("Tổng "))
    assert sentence.startswith(
        f"Tổng {counts['total']} nhiệm vụ: {counts['done']} hoàn thành, "
        f"{counts['in_progress']} đang thực hiện, {counts['not_started']} chưa thực hiện, "
        f"{counts['overdue']} quá hạn."
    )
    assert counts["done"] + counts["in_progress"] + counts["not_started"] + counts["overdue"] == counts["total"]
