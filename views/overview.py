"""Tổng quan: the meeting page — KPI score and rating, indicators, tasks, report deadline, sheets."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from plans import clock
from plans import vocabulary as s
from plans.deadlines import DEFAULT_DUE_DAY, sheet_due_date
from plans.model import Plan
from plans.palette import status_label
from plans.periods import Period
from plans.text import fmt_date, fmt_number
from scoring.report import LocalityReport
from ui import charts, controls, data, render, tables, viewport
from ui.milestones import NO_FIXED_DEADLINE, next_report_deadline

KPI_LABEL = "Điểm KPI /100"

catalog = data.catalog()
locality_id, period = controls.header(
    "Tổng quan", "Điểm KPI, chỉ tiêu, nhiệm vụ và báo cáo của một địa phương trong một tháng."
)
controls.empty_state()
plan: Plan = catalog.plan(locality_id)
report: LocalityReport = data.report(locality_id, period)
large = controls.presenting()
today = clock.today()
half = viewport.chart_width(1.0 if large else 0.5)  # the charts stand two by two (one by one when presenting)
counts = tables.status_counts(report.indicators)


def rating_text() -> str:
    return report.kpi.rating + (" (tạm tính)" if report.kpi.provisional else "")


def headline() -> None:
    kpi = report.kpi
    cols = st.columns(5)
    cols[0].metric(
        KPI_LABEL,
        fmt_number(kpi.points, 2),
        help="Bộ chỉ số KPI 100 điểm (Phụ lục 2 KH Nam Thanh Miện) áp dụng cho mọi địa phương.",
    )
    cols[1].metric(
        "Xếp loại",
        kpi.rating,
        "tạm tính" if kpi.provisional else None,
        delta_color="off",
        delta_arrow="off",
        help="Tạm tính: số liệu lũy kế đến tháng đang xem, chưa phải kết quả cả năm." if kpi.provisional else None,
    )
    cols[2].metric(
        status_label(s.MET), f"{counts[s.MET]} / {len(report.indicators)}", help="Số chỉ tiêu đã đạt mục tiêu"
    )
    cols[3].metric(
        "Nhiệm vụ quá hạn", str(report.task_counts["overdue"]), help="Nhiệm vụ đã quá thời hạn mà chưa hoàn thành"
    )
    sub = report.submission_counts
    cols[4].metric(
        "Đơn vị đã nộp phiếu", f"{sub['received']} / {sub['expected']}", help=f"Phiếu báo cáo {period.label}"
    )


def kpi_chart() -> None:
    title = (
        f"Điểm KPI theo nhóm — {report.name}, {period.label}: {fmt_number(report.kpi.points, 2)} điểm, {rating_text()}"
    )
    render.chart(charts.kpi_groups(report.kpi, title, large, half), f"diem-kpi-{locality_id}-{period}")


def status_chart() -> None:
    title = f"Trạng thái {len(report.indicators)} chỉ tiêu của kế hoạch — {report.name}, {period.label}"
    render.chart(charts.status_counts(counts, title, large, half), f"trang-thai-chi-tieu-{locality_id}-{period}")


def status_metrics() -> None:
    cols = st.columns(4)
    cols[0].metric(status_label(s.MET), counts[s.MET])
    cols[1].metric(status_label(s.ON_TRACK), counts[s.ON_TRACK])
    cols[2].metric("▼ Chậm, cần đẩy nhanh, chưa đạt", sum(counts[x] for x in tables.LAGGING))
    cols[3].metric(status_label(s.NOT_REPORTED), counts[s.NOT_REPORTED])


def lagging_table() -> None:
    st.subheader("Chỉ tiêu chậm nhất và đơn vị chịu trách nhiệm")
    worst = tables.lagging(report.indicators, plan)
    if worst.empty:
        st.success("Không có chỉ tiêu nào chậm tiến độ.")
    else:
        render.table(worst, wrap=True)


def overdue_chart() -> None:
    units = tables.overdue_units(report, plan)
    title = f"Nhiệm vụ quá hạn theo đơn vị chủ trì — {report.name}, {period.label}"
    render.chart(charts.overdue_by_unit(units, title, large, half), f"nhiem-vu-qua-han-{locality_id}-{period}")
    st.caption(f"{tables.task_totals(report.task_counts)}. Chi tiết ở trang Nhiệm vụ.")


def deadline_box() -> None:
    st.subheader("Hạn báo cáo tiếp theo")
    deadline = next_report_deadline(plan, today)
    if deadline is None:
        st.info(NO_FIXED_DEADLINE + ".")
    else:
        days = "hôm nay" if deadline.days_left == 0 else f"còn {deadline.days_left} ngày"
        st.metric(deadline.name, fmt_date(deadline.day), days, delta_color="off", delta_arrow="off")


def missing_box() -> None:
    st.subheader(f"Đơn vị chưa nộp phiếu {period.label}")
    if plan.reporting_start and period < Period.parse(plan.reporting_start):
        st.info(f"{plan.name} báo cáo từ {Period.parse(plan.reporting_start).label}: tháng này chưa phải nộp phiếu.")
        return
    missing = tables.missing_contacts(report, plan)
    if not missing:
        st.success("Tất cả đơn vị đã nộp phiếu tháng này.")
        return
    st.markdown(
        "\n".join(
            f"- {status_label(s.MISSING)} — {name}" + (f" · liên hệ: {contact}" if contact else "")
            for name, contact in missing
        )
    )
    st.caption("Lời nhắc gửi các đơn vị (bấm biểu tượng sao chép ở góc phải rồi dán vào tin nhắn, thư):")
    st.code(
        tables.reminder_text(plan, period, missing, sheet_due_date(period, DEFAULT_DUE_DAY), today),
        language=None,
        wrap_lines=True,
    )


def two_columns(*sides: tuple[Callable[[], None], ...]) -> None:
    """Two columns side by side, each drawing its parts in order."""
    for column, parts in zip(st.columns(2), sides):
        with column:
            for part in parts:
                part()


TOPICS = {
    "Điểm KPI": (kpi_chart,),
    "Chỉ tiêu": (status_metrics, status_chart, lagging_table),
    "Nhiệm vụ": (overdue_chart,),
    "Báo cáo tháng": (deadline_box, missing_box),
}

if large:
    names = {pid: p.name for pid, p in catalog.plans.items()}
    controls.stepper(list(names), "locality_id", lambda pid: names.get(pid, ""), "overview_step")
    controls.linked("chu_de", "overview_topic", dict(zip(("kpi", "chi-tieu", "nhiem-vu", "bao-cao"), TOPICS)))
    topic = (
        st.segmented_control(
            "Chủ đề", list(TOPICS), default="Điểm KPI", key="overview_topic", label_visibility="collapsed"
        )
        or "Điểm KPI"
    )
    headline()
    for section in TOPICS[topic]:
        section()
else:
    headline()
    two_columns((kpi_chart,), (status_chart,))
    lagging_table()
    two_columns((overdue_chart,), (deadline_box, missing_box))
