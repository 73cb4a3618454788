"""So sánh địa phương: KPI totals ranked, points per group, shared measures, monthly lines."""

from __future__ import annotations

import streamlit as st

from plans import palette
from plans import vocabulary as s
from ui import charts, controls, data, render, tables, viewport

catalog = data.catalog()
locality_id, period = controls.header(
    "So sánh địa phương", "Cùng một bộ chỉ số KPI và cùng từ điển đại lượng đo cho mọi địa phương.", sample=False
)
controls.empty_state()
names = {pid: plan.name for pid, plan in catalog.plans.items()}
colours = {names[lid]: colour for lid, colour in palette.locality_colours(catalog.plans).items()}
controls.compare_choice(list(names), locality_id)
chosen = controls.localities_picker(
    "Các địa phương so sánh (chọn từ hai trở lên)", "Chọn địa phương", **controls.bind("compare_ids", "pick_compare")
)
if len(chosen) < 2:
    st.warning("Hãy chọn ít nhất hai địa phương để so sánh.")
    st.stop()
controls.sample_notice(chosen, period)

large = controls.presenting()
width = viewport.chart_width()
reports = data.reports(period, chosen)
rows = [(r.name, r.kpi) for r in reports.values()]
suffix = f"{period.label}{' (tạm tính)' if any(k.provisional for _, k in rows) else ''}"

unreported = {r.name for r in reports.values() if not r.value_map}
st.markdown(tables.kpi_ranking_text(rows, unreported))
render.chart(
    charts.kpi_ranking(
        rows,
        catalog.framework_for(period.year).ratings,
        f"Xếp hạng tổng điểm KPI — {suffix}",
        large,
        unreported,
        colours,
        width,
    ),
    f"xep-hang-kpi-{period}",
)
render.chart(
    charts.kpi_groups_compare(
        [r for r in rows if r[0] not in unreported], f"Điểm theo nhóm KPI — {suffix}", large, colours, width
    ),
    f"diem-nhom-kpi-{period}",
)
if unreported:
    st.caption(f"Chưa báo cáo, không vẽ theo nhóm: {', '.join(sorted(unreported))}.")

st.subheader("Các đại lượng đo mà các địa phương cùng đặt mục tiêu")
st.caption(
    "Mỗi ô: ký hiệu trạng thái, kết quả đến tháng đang xem và mục tiêu riêng của địa phương (năm mục tiêu); "
    "màu và ký hiệu theo mục tiêu gần nhất. " + palette.legend(s.INDICATOR_STATUSES)
)
text, state = tables.shared_measures(list(reports.values()), catalog)
if text.empty:
    st.info("Các địa phương đã chọn không có đại lượng đo chung.")
else:
    render.table(text, statuses=state)

st.subheader("Diễn biến hằng tháng của một đại lượng")
series = data.series(min(data.first_period() or period, period), period, chosen)
available = tables.reported_measures(series, chosen, catalog)
if not available:
    st.info("Các địa phương đã chọn chưa báo cáo đại lượng nào.")
    st.stop()
shared_codes = [m for m in available if catalog.measures[m].name in set(text.index)] if not text.empty else []
measure = st.selectbox(
    "Đại lượng đo",
    available,
    placeholder=controls.PICK,
    index=available.index(shared_codes[0]) if shared_codes else 0,
    format_func=lambda m: catalog.measures[m].name,
    key="compare_measure",
)
series = series[series["measure"] == measure].assign(name=lambda f: f["locality_id"].map(names))
unit = catalog.measures[measure].unit
render.chart(
    charts.measure_trend(
        series,
        tables.targets_for(list(reports.values()), measure),
        unit,
        catalog.measures[measure].name,
        large,
        colours,
        width,
    ),
    f"dien-bien-{measure}",
)
