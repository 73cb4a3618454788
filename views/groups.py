"""Nhóm chỉ tiêu: attainment of every indicator of a group, and localities × measures by status."""

from __future__ import annotations

import streamlit as st

from plans import palette
from plans import vocabulary as s
from ui import charts, controls, data, render, tables, viewport

COMMON = "Nhóm chung (so sánh giữa các địa phương)"
OWN = "Nhóm riêng của kế hoạch"
MAX_COLUMNS = 12

catalog = data.catalog()
locality_id, period = controls.header(
    "Nhóm chỉ tiêu", "Mức đạt từng chỉ tiêu trong nhóm và bảng màu trạng thái theo địa phương."
)
controls.empty_state()
plan = catalog.plan(locality_id)
large = controls.presenting()
width = viewport.chart_width()

controls.linked("loai_nhom", "group_kind", {"chung": COMMON, "rieng": OWN})
kind = st.radio("Loại nhóm", (COMMON, OWN), horizontal=True, key="group_kind")
if kind == COMMON:
    options = {g["code"]: g["name"] for g in catalog.common_groups}
else:
    options = {str(g["code"]): f"{g['code']}. {g['name']}" for g in plan.groups}
state_key = f"group_{'common' if kind == COMMON else locality_id}"
if st.session_state.get(state_key) not in options:
    st.session_state[state_key] = next(iter(options))
controls.linked("nhom", state_key, list(options))
if large:
    controls.stepper(list(options), state_key, lambda code: options.get(code, ""), "group_step")
else:
    st.selectbox(
        "Nhóm",
        list(options),
        placeholder=controls.PICK,
        format_func=options.__getitem__,
        **controls.bind(state_key, "pick_group"),
    )
group = st.session_state[state_key]

report = data.report(locality_id, period)
indicators = report.indicators
column = "common_group" if kind == COMMON else "group"
in_group = indicators[indicators[column] == group] if len(indicators) else indicators
title = f"Mức đạt các chỉ tiêu nhóm “{options[group]}” — {report.name}, {period.label}"
render.chart(
    charts.attainment_bars(tables.attainment_rows(in_group), title, large, width), f"muc-dat-{locality_id}-{group}"
)

if kind == COMMON:
    measures = [code for code, m in catalog.measures.items() if m.common_group == group]
else:
    measures = list(dict.fromkeys(in_group["measure"]))
state, hover = tables.heatmap(data.indicators(period, measures), catalog, measures)
state = state.dropna(axis=0, how="all")
hover = hover.loc[state.index]
if len(state.columns) > MAX_COLUMNS:
    state, hover = state.T, hover.T
title = f"Trạng thái theo địa phương — nhóm “{options[group]}”, {period.label}"
if charts.heatmap_fits(state, width, large):
    render.chart(
        charts.status_heatmap(state, hover, s.INDICATOR_STATUSES, title, large, width=width, notes_in_cells=True),
        f"bang-mau-{group}-{period}",
    )
else:
    st.markdown(f"**{render.plain(title)}**")
    st.markdown(tables.heatmap_lines(state, hover))
st.caption(
    "Ô trống: kế hoạch của địa phương không đặt mục tiêu cho đại lượng này. Khi một địa phương có nhiều "
    "chỉ tiêu trên cùng đại lượng, ô lấy trạng thái của mục tiêu gần nhất. " + palette.legend(s.INDICATOR_STATUSES)
)
