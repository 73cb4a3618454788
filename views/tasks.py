"""Nhiệm vụ: tasks of a locality with lead unit, deadline and status; overdue highlighted; by quarter."""

from __future__ import annotations

import streamlit as st

from plans import clock
from plans import vocabulary as s
from plans.palette import status_label
from ui import charts, controls, data, render, tables, viewport

catalog = data.catalog()
locality_id, period = controls.header(
    "Nhiệm vụ", "Nhiệm vụ của kế hoạch, đơn vị chủ trì, thời hạn và trạng thái theo báo cáo đến tháng đang xem."
)
controls.empty_state(stop=False)
plan = catalog.plan(locality_id)
large = controls.presenting()
report = data.report(locality_id, period)
tasks = report.tasks

counts = report.task_counts
cols = st.columns(1 + len(tables.TASK_COUNTS))
cols[0].metric("Tổng số nhiệm vụ", counts["total"], help=tables.task_totals(counts))
for col, (status, key) in zip(cols[1:], tables.TASK_COUNTS.items()):
    col.metric(status_label(status), counts[key])

leads = list(dict.fromkeys(u for units in tasks["lead_units"] for u in units))
left, right = st.columns(2)
units = left.multiselect(
    "Đơn vị chủ trì", leads, format_func=plan.unit_name, key="task_units", placeholder="Tất cả đơn vị"
)
states = right.multiselect(
    "Trạng thái", s.TASK_STATUSES, format_func=status_label, key="task_states", placeholder="Tất cả trạng thái"
)
shown = tasks
if units:
    shown = shown[shown["lead_units"].map(lambda lead: any(u in units for u in lead))]
if states:
    shown = shown[shown["status"].isin(states)]

st.subheader(f"{len(shown)} nhiệm vụ — {period.label}")
render.table(tables.task_table(shown, plan), whole_row=status_label(s.TASK_OVERDUE))
st.caption("Dòng tô màu: nhiệm vụ quá hạn (đã qua thời hạn mà chưa hoàn thành).")

dated = shown[shown["deadline"].notna()]
recurring = st.checkbox(
    "Hiện cả nhiệm vụ thường xuyên, hằng năm, hằng tháng (trải cả năm)", value=dated.empty, key="task_recurring"
)
timeline = shown if recurring else dated
title = f"Nhiệm vụ theo quý — {plan.name}, trạng thái {period.label}"
render.chart(
    charts.task_gantt(
        tables.gantt_rows(timeline, plan, period.year), clock.today(), title, large, viewport.chart_width()
    ),
    f"nhiem-vu-theo-quy-{locality_id}-{period}",
)
