"""Danh mục chỉ tiêu: the plans as the software knows them, searchable."""

from __future__ import annotations

import streamlit as st

from plans.text import plan_number
from ui import catalog_tables as tables
from ui import controls, data
from ui.render import plain

catalog = data.catalog()
locality_id, _ = controls.header(
    "Danh mục chỉ tiêu, nhiệm vụ và bộ chỉ số",
    "Mọi con số lấy nguyên văn từ kế hoạch của từng địa phương; cột “Nguồn” chỉ mục của kế hoạch.",
    period=False,
)
plan = catalog.plan(locality_id)
meta = plan.meta
st.markdown(  # the plan's own words are shown as written, never as markdown (a title could hold an image link)
    f"**{plain(meta['title'])}** — {plain(plan_number(meta['number']))}, {plain(meta['date_text'])}; người ký: "
    f"{plain(meta['signer'])} ({plain(meta['signer_title'])}); thời kỳ {meta['start_year']}–{meta['end_year']}."
)
query = st.text_input("Tìm kiếm", placeholder="gõ từ khóa, mã chỉ tiêu, đơn vị…", key="catalog_search")

tab_ind, tab_task, tab_kpi, tab_measure = st.tabs(["Chỉ tiêu", "Nhiệm vụ", "Bộ chỉ số KPI", "Đại lượng đo"])
with tab_ind:
    st.dataframe(tables.search(tables.indicator_table(catalog, plan), query), hide_index=True, width="stretch")
with tab_task:
    st.dataframe(tables.search(tables.task_table(plan), query), hide_index=True, width="stretch")
with tab_kpi:
    framework = catalog.framework_for(controls.selected_period().year)
    st.caption(
        f"{plain(framework.name)} — {plain(framework.source)} (áp dụng năm {framework.valid_from}–{framework.valid_to})"
    )
    st.dataframe(tables.search(tables.framework_table(catalog, framework), query), hide_index=True, width="stretch")
with tab_measure:
    st.dataframe(tables.search(tables.measure_table(catalog), query), hide_index=True, width="stretch")
