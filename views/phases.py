"""Tiến độ theo giai đoạn: phases on a timeline, milestones, each indicator on the path to its target."""

from __future__ import annotations

import streamlit as st

from plans import clock
from plans.periods import Period
from reports.projection import projections
from ui import charts, controls, data, paths, render, tables, viewport
from ui.milestones import milestones, phase_years

WHOLE_PLAN = "Cả kế hoạch"
ALL_GROUPS = "Tất cả nhóm"

catalog = data.catalog()
locality_id, period = controls.header(
    "Tiến độ theo giai đoạn", "Các giai đoạn của kế hoạch, mốc sơ kết, hạn báo cáo và lộ trình đến mục tiêu."
)
plan = catalog.plan(locality_id)
large = controls.presenting()
today = clock.today()

render.chart(
    charts.phase_timeline(
        plan.phases,
        milestones(plan),
        today,
        f"Các giai đoạn và mốc của kế hoạch — {plan.name}",
        large,
        viewport.chart_width(),
    ),
    f"giai-doan-{locality_id}",
)
for phase in plan.phases:
    st.markdown(
        f"**{render.plain(phase['name'])}** ({phase['start_year']}–{phase['end_year']}): "
        f"{render.plain(phase.get('description') or '')}"
    )
if not plan.report_deadlines:
    st.caption("Kế hoạch không quy định ngày báo cáo cố định.")

if not controls.empty_state(stop=False):
    st.stop()
left, right = st.columns(2)
phase = left.selectbox(
    "Giai đoạn", [WHOLE_PLAN] + [p["name"] for p in plan.phases], key="phase_filter", placeholder=controls.PICK
)
groups = {str(g["code"]): f"{g['code']}. {g['name']}" for g in plan.groups}
group = right.selectbox(
    "Nhóm chỉ tiêu",
    list(groups) + [ALL_GROUPS],
    placeholder=controls.PICK,
    format_func=lambda g: groups.get(g, g),
    key="phase_group",
)
first_year, last_year = phase_years(plan, None if phase == WHOLE_PLAN else phase)

report = data.report(locality_id, period)
shown = report.indicators
shown = shown[(shown["target_year"] >= first_year) & (shown["target_year"] <= last_year)]
if group != ALL_GROUPS:
    shown = shown[shown["group"] == group]
st.subheader(f"Chỉ tiêu có mục tiêu trong {phase.lower() if phase == WHOLE_PLAN else phase} — {period.label}")
if shown.empty:
    st.info("Không có chỉ tiêu nào có năm mục tiêu trong giai đoạn và nhóm đã chọn.")
    st.stop()
start = Period(plan.start_year, 1)
series = data.series(start, period, [locality_id])
ahead = projections(
    report.indicator_rows,
    {i.code: i.every_year for i in plan.indicators},
    catalog.measures,
    series,
    data.monthly_values(locality_id, period),
    period,
)
table = tables.indicator_table(shown, plan).drop(columns=[] if group == ALL_GROUPS else ["Nhóm"])
table["Dự kiến đạt (theo tốc độ hiện nay)"] = [ahead[c].text if c in ahead else "" for c in table["Mã"]]
render.table(table)
items = paths.indicator_paths(shown, series)
title = f"Kết quả hằng tháng và lộ trình đến mục tiêu — {plan.name}, {phase}"
render.chart(
    charts.indicator_paths(
        items,
        Period(first_year, 1).first_day,
        Period(last_year, 12).first_day,
        today,
        title,
        large,
        columns=1 if large else 2,
        width=viewport.chart_width(),
    ),
    f"lo-trinh-{locality_id}-{period}",
)
