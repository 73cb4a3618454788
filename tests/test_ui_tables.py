"""Display tables from scoring results, status styling and the shared pickers' helpers."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
import streamlit as st
from page_fixtures import JUNE, expected_reports

from plans import vocabulary as s
from plans.palette import status_colour, status_label
from plans.periods import Period
from store import queries
from store.db import connection
from ui import controls, render, tables

pytestmark = pytest.mark.both_backends


def test_status_counts_in_the_fixed_order(known_store, catalog):
    report = expected_reports(known_store, catalog, JUNE, ["tan_an"])["tan_an"]
    counts = tables.status_counts(report.indicators)
    assert list(counts) == list(s.INDICATOR_STATUSES)
    assert sum(counts.values()) == len(catalog.plan("tan_an").indicators)


def test_lagging_lists_missed_and_regressing_first(known_store, catalog):
    report = expected_reports(known_store, catalog, JUNE, ["tan_an"])["tan_an"]
    shown = tables.lagging(report.indicators, catalog.plan("tan_an"))
    codes = {status_label(code): code for code in tables.LAGGING}
    order = [codes[status] for status in shown["Trạng thái"]]
    assert order == sorted(order, key=tables.LAGGING.index)
    assert "Đơn vị chịu trách nhiệm" in shown.columns


def test_shared_measures_and_heat_map(known_store, catalog):
    reports = expected_reports(known_store, catalog, JUNE, ["tan_an", "hung_dao", "ke_sat"])
    text, state = tables.shared_measures(list(reports.values()), catalog)
    dvc = catalog.measures["dvc_online_usage"].name
    assert state.loc[dvc, "Xã Tân An"] == s.MET
    assert text.loc[dvc, "Xã Kẻ Sặt"] == "— (không có trong kế hoạch)" and state.loc[dvc, "Xã Kẻ Sặt"] == ""
    grid, hover = tables.heatmap(
        {lid: r.indicator_rows for lid, r in reports.items()}, catalog, ["dvc_online_usage", "smart_tourism_models"]
    )
    assert list(grid.columns) == ["Xã Tân An", "Phường Hưng Đạo", "Xã Kẻ Sặt"]
    assert grid.loc[dvc, "Xã Tân An"] == s.MET and hover.loc[dvc, "Xã Tân An"].startswith("✔ 85,5%")


def test_nearest_target_decides_the_cell(known_store, catalog):
    report = expected_reports(known_store, catalog, JUNE, ["tan_an"])["tan_an"]
    row = next(r for r in report.indicator_rows if r["measure"] == "dvc_online_usage")  # > 80% (2030), actual 85,5%
    # a plan with a nearer step on the same measure ("> 90% by 2026"): the 2026 target decides the colour
    step = {**row, "code": "TA-x", "target": 90.0, "target_year": 2026, "status": s.BEHIND}
    text, status = tables.cells([step, row])["dvc_online_usage"]
    assert text == "▼ 85,5% · mục tiêu > 90% (2026); > 80% (2030)" and status == s.BEHIND


def test_gantt_rows_span_the_quarter_of_the_deadline(known_store, catalog):
    report = expected_reports(known_store, catalog, Period(2026, 7), ["binh_giang"])["binh_giang"]
    rows = tables.gantt_rows(report.tasks, catalog.plan("binh_giang"), 2026)
    dated = report.tasks[report.tasks["deadline"].notna()].iloc[0]
    first = rows.iloc[report.tasks.index.get_loc(dated.name)]
    quarter = (dated["deadline"].month - 1) // 3
    assert first["start"] == dt.date(dated["deadline"].year, quarter * 3 + 1, 1)
    assert first["end"] >= dated["deadline"]
    recurring = rows[report.tasks["deadline"].isna().to_numpy()]
    assert set(recurring["start"]) == {dt.date(2026, 1, 1)} and set(recurring["end"]) == {dt.date(2026, 12, 31)}


def test_completeness_grid(known_store, catalog):
    plan = catalog.plan("hung_dao")
    with connection(known_store) as con:
        log = queries.submission_log(con, plan.id)
    state, hover = tables.completeness_grid(catalog, plan, log, [Period(2026, 5), JUNE])
    assert list(state.columns) == ["05/2026", "06/2026"]
    assert state.loc[plan.unit_name("ttpvhcc")].tolist() == [s.MISSING, s.SUBMITTED_ON_TIME]
    assert hover.loc[plan.unit_name("ttpvhcc"), "06/2026"] == f"{status_label(s.SUBMITTED_ON_TIME)} — 03/07/2026 09:00"


def test_status_cells_are_tinted_with_the_palette():
    frame = pd.DataFrame({"Mã": ["a", "b"], "Trạng thái": [status_label(s.MET), status_label(s.TASK_OVERDUE)]})
    styles = render.styled(frame)._compute().ctx
    assert ("background-color", f"{status_colour(s.MET)}40") in styles[(0, 1)]
    whole = render.styled(frame, whole_row=status_label(s.TASK_OVERDUE))._compute().ctx
    assert (1, 0) in whole and (0, 0) not in whole


def test_stepper_wraps_around():
    st.session_state.clear()
    st.session_state["x"] = "c"
    controls.step(["a", "b", "c"], "x", 1)
    assert st.session_state["x"] == "a"
    controls.step(["a", "b", "c"], "x", -1)
    assert st.session_state["x"] == "c"


def test_month_choices_newest_first_up_to_this_month(catalog):
    options = controls.period_options(catalog, Period(2026, 6), dt.date(2026, 11, 22))
    assert options[0] == "2026-11" and options[-1] == "2026-01" and len(options) == 11


def test_two_localities_with_one_name_keep_a_column_each(known_store, catalog):
    """Across the country a name repeats (many a Xã Tân An): the official code tells the columns apart."""
    twins = dataclasses.replace(
        catalog, plans={**catalog.plans, "hung_dao": dataclasses.replace(catalog.plan("hung_dao"), name="Xã Tân An")}
    )
    reports = expected_reports(known_store, catalog, JUNE, ["tan_an", "hung_dao"])
    grid, _ = tables.heatmap({lid: r.indicator_rows for lid, r in reports.items()}, twins, ["dvc_online_usage"])
    codes = (catalog.plan("tan_an").ward_code, catalog.plan("hung_dao").ward_code)
    assert list(grid.columns) == [f"Xã Tân An ({codes[0]})", f"Xã Tân An ({codes[1]})"]
    dvc = catalog.measures["dvc_online_usage"].name
    assert grid.loc[dvc, f"Xã Tân An ({codes[0]})"] == s.MET  # Tân An's 85,5% against > 80%


def test_a_table_on_a_phone_is_a_list_one_item_per_row():
    files = pd.DataFrame({"Tệp": ["phieu_1.xlsx"], "Kết quả": ["✖ Bị từ chối"], "Đơn vị": ["—"], "Lỗi": [2]})
    assert render.as_lines(files) == r"- **phieu\_1\.xlsx** — Kết quả: ✖ Bị từ chối · Lỗi: 2"  # "—" says nothing
    state = pd.DataFrame({"Xã A": [s.MET, None], "Xã B": [s.BEHIND, s.NOT_REPORTED]}, index=["Đo 1", "Đo 2"])
    texts = pd.DataFrame({"Xã A": ["✔ 90% · mục tiêu > 80% (2030)", None], "Xã B": ["▼ 10%", "○ —"]}, index=state.index)
    assert tables.heatmap_lines(state, texts) == (
        "**Đo 1**\n\n- Xã A: ✔ 90% · mục tiêu \\> 80% \\(2030\\)\n- Xã B: ▼ 10%\n\n**Đo 2**\n\n- Xã B: ○ —"
    )


def test_the_comparison_keeps_the_locality_shown_among_those_compared():
    ids = ["a", "b", "c", "d"]
    assert controls.compared(ids, "b", None, None) == ["a", "b", "c", "d"]  # all, up to eight
    assert controls.compared(ids, "c", ["a", "b"], "a") == ["c", "a", "b"]  # a link to c brings it in
    assert controls.compared(ids, "c", ["a", "b"], "c") == ["a", "b"]  # taken out by hand: stays out
    many = [f"x{n}" for n in range(20)]
    assert len(controls.compared(many, "x15", None, None)) == controls.COMPARED_AT_FIRST + 1
    assert controls.compared(many, "x15", None, None)[0] == "x15"


def test_every_task_state_is_in_the_sentence_and_they_add_up():
    counts = {"total": 49, "done": 5, "in_progress": 41, "not_started": 3, "overdue": 0}
    assert (
        tables.task_totals(counts) == "Tổng 49 nhiệm vụ: 5 hoàn thành, 41 đang thực hiện, 3 chưa thực hiện, 0 quá hạn"
    )
