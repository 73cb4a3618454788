"""Nhiệm vụ: tasks with lead unit, deadline and status; overdue marked; filters; quarterly timeline."""

from __future__ import annotations

import pytest
from page_fixtures import JUNE, assert_clean, expected_reports, figure, figure_text, metric, open_page

from plans import vocabulary as s
from plans.palette import status_label
from plans.periods import Period

pytestmark = pytest.mark.both_backends

PAGE = "views/tasks.py"
JULY = Period(2026, 7)


def test_counts_and_reported_statuses(known_db, catalog):
    at = open_page(PAGE)
    assert_clean(at)
    expected = expected_reports(known_db, catalog, JUNE, ["tan_an"])["tan_an"]
    assert metric(at, "Tổng số nhiệm vụ") == str(expected.task_counts["total"])
    assert metric(at, status_label(s.TASK_DONE)) == str(expected.task_counts["done"])
    assert metric(at, status_label(s.TASK_IN_PROGRESS)) == str(expected.task_counts["in_progress"])
    table = at.dataframe[0].value.set_index("Mã")
    assert len(table) == expected.task_counts["total"]
    assert table.at["TA-VII.1-a", "Trạng thái"] == status_label(s.TASK_DONE)
    assert table.at["TA-VII.1-a", "Chủ trì"] == "Văn phòng HĐND và UBND xã"
    assert table.at["TA-III.1-GD1", "Trạng thái"] == status_label(s.TASK_IN_PROGRESS)


def test_overdue_tasks_are_marked_and_filterable(known_db, catalog):
    at = open_page(PAGE, locality="binh_giang", period=JULY)
    assert_clean(at)
    expected = expected_reports(known_db, catalog, JULY, ["binh_giang"])["binh_giang"]
    overdue = expected.task_counts["overdue"]
    assert overdue > 0
    assert metric(at, status_label(s.TASK_OVERDUE)) == str(overdue)
    assert (at.dataframe[0].value["Trạng thái"] == status_label(s.TASK_OVERDUE)).sum() == overdue
    at.multiselect(key="task_states").set_value([s.TASK_OVERDUE]).run()
    assert_clean(at)
    assert len(at.dataframe[0].value) == overdue


def test_unit_filter(known_db, catalog):
    at = open_page(PAGE, locality="binh_giang", period=JULY)
    at.multiselect(key="task_units").set_value(["ca"]).run()
    assert_clean(at)
    leads = set(at.dataframe[0].value["Chủ trì"])
    assert leads and all("Công an" in lead for lead in leads)


def test_quarterly_timeline_with_today(known_db):
    at = open_page(PAGE, locality="binh_giang", period=JULY)
    timeline = figure(at, "Nhiệm vụ theo quý — Xã Bình Giang")
    text = figure_text(timeline)
    assert "Quý III/2026" in text and "Hôm nay" in text
    assert status_label(s.TASK_OVERDUE) in {t["name"] for t in timeline["data"]}


def test_fresh_install_lists_the_plan_tasks(empty_db, catalog):
    at = open_page(PAGE)
    assert_clean(at)
    assert any("Chưa có số liệu nào được nạp" in i.value for i in at.info)
    assert len(at.dataframe[0].value) == len(catalog.plan("tan_an").tasks)


def test_every_task_status_is_counted_and_the_parts_add_up_to_the_total(known_db, catalog):
    at = open_page(PAGE)
    counts = expected_reports(known_db, catalog, JUNE, ["tan_an"])["tan_an"].task_counts
    shown = {status: int(metric(at, status_label(status))) for status in s.TASK_STATUSES}
    assert shown[s.TASK_NOT_STARTED] == counts["not_started"] > 0  # "chưa thực hiện" was missing
    assert sum(shown.values()) == int(metric(at, "Tổng số nhiệm vụ")) == counts["total"]
