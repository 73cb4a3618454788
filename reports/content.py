"""What a locality's report says, computed from scoring's results (``LocalityReport``) and the
plan: the title line, the căn cứ, sections I–IV as blocks, the appendices and the list of
monthly sheets the figures come from. Numbers stay numbers here; writers format them.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from plans import vocabulary as st
from plans.model import Catalog, Plan
from plans.periods import Period, month_range
from plans.reporting import reporting_units
from plans.text import fmt_date, fmt_number, fmt_target, fmt_value
from plans.vocabulary import RECURRENCE_LABELS, label
from reports import charts
from reports.blocks import (
    DATE,
    INT,
    POINTS,
    RATIO,
    TEXT,
    VALUE,
    YEAR,
    Block,
    Bullet,
    Chart,
    ChartSpec,
    Column,
    Heading,
    Para,
    Table,
)
from reports.kinds import Coverage, coverage, cut_off
from reports.letterhead import Letterhead, for_locality, place_name
from reports.projection import Projection, projections, reported_series
from scoring.report import LocalityReport
from scoring.submissions import completeness_counts, completeness_rows, first_uploads

LAGGING = (st.NOT_MET, st.REGRESSING, st.BEHIND, st.SPEED_UP)
UNIT_WORDS = {"%": "%", "count": "Số lượng", "yes/no": "Có/Không"}
LIST_LIMIT = 15
WRITE_HERE = "[Phòng Văn hóa - Xã hội viết tiếp: {what}]"


@dataclass(frozen=True)
class Appendix:
    """``PHỤ LỤC I`` and its title, and the table it holds."""

    number: str
    title: str
    table: Table


@dataclass(frozen=True)
class ReportContent:
    """Everything a report says, in the order the document says it."""

    letterhead: Letterhead
    kind: str
    period: Period
    coverage: Coverage
    cut_off: dt.date
    issued: dt.date
    title_line: str
    can_cu: tuple[str, ...]
    intro: str
    sections: dict[str, list[Block]]
    next_heading: str
    closing: str
    appendices: tuple[Appendix, ...]
    sources: Table
    source_sheets: Table
    sample: bool
    tables: tuple[Table, ...]

    @property
    def charts(self) -> list[Chart]:
        """Every chart of the body, in order."""
        return [b for blocks in self.sections.values() for b in blocks if isinstance(b, Chart)]


def to_write(what: str) -> Para:
    return Para(WRITE_HERE.format(what=what), marked=True)


def plan_reference(plan: Plan) -> str:
    """``Kế hoạch số 178/KH-UBND ngày 12/6/2026`` from the plan file (blank number and day kept open)."""
    meta = plan.meta
    number = str(meta.get("number") or "/KH-UBND")
    number = f"…{number}" if number.startswith("/") else number
    year, month, day = meta.get("year"), meta.get("month"), meta.get("day")
    if day and month:
        when = f"ngày {int(day):02d}/{int(month):02d}/{year}"
    elif month:
        when = f"tháng {int(month):02d} năm {year}"
    else:
        when = f"năm {year}"
    return f"Kế hoạch số {number} {when}"


def _plan_subject(plan: Plan) -> str:
    title = str(plan.meta.get("title") or "")
    return title[len("Kế hoạch "):] if title.startswith("Kế hoạch ") else title


def _indicator_sentence(row: dict, projection: Projection | None) -> str:
    unit = row["unit"]
    target = fmt_target(row["comparator"], row["target"], unit)
    value = "chưa có số liệu báo cáo" if row["actual"] is None else f"đạt {fmt_value(row['actual'], unit)}"
    text = f"{row['name']}: {value} (mục tiêu {target} năm {int(row['target_year'])}) — {label(row['status']).lower()}"
    if projection is not None:
        text += f"; {projection.text}"
    return text + "."


def listed(items: list[str]) -> str:
    shown = items[:LIST_LIMIT]
    rest = len(items) - len(shown)
    return "; ".join(shown) + (f" và {rest} mục khác" if rest > 0 else "")


def indicator_table(report: LocalityReport, plan: Plan, found: dict[str, Projection]) -> Table:
    """Phụ lục I: every indicator of the plan with its value and status."""
    groups = {str(g["code"]): g["name"] for g in plan.groups}
    rows = [{
        "stt": n, "code": r["code"], "name": r["name"], "group": f"{r['group']}. {groups.get(r['group'], '')}",
        "unit_word": UNIT_WORDS.get(r["unit"], r["unit"]), "unit": r["unit"],
        "target_text": fmt_target(r["comparator"], r["target"], r["unit"]), "comparator": r["comparator"],
        "target": r["target"], "target_year": int(r["target_year"]), "actual": r["actual"],
        "attainment": r["attainment"], "status": label(r["status"]),
        "responsible": plan.unit_name(r["responsible_unit"]),
        "projection": found[r["code"]].text if r["code"] in found else "",
    } for n, r in enumerate(report.indicator_rows, start=1)]
    return Table("Kết quả thực hiện các chỉ tiêu", "Chỉ tiêu", (
        Column("STT", "stt", INT, 1.1), Column("Mã", "code", TEXT, 1.7), Column("Chỉ tiêu", "name", TEXT, 4.4),
        Column("Đơn vị tính", "unit_word", TEXT, 1.4), Column("Mục tiêu", "target_text", TEXT, 1.5),
        Column("Mục tiêu (số)", "target", VALUE, 0, ), Column("Năm", "target_year", YEAR, 1.1),
        Column("Kết quả", "actual", VALUE, 1.5), Column("Mức đạt", "attainment", RATIO, 1.4),
        Column("Trạng thái", "status", TEXT, 1.7), Column("Đơn vị chịu trách nhiệm", "responsible", TEXT, 2.4),
        Column("Dự kiến đạt", "projection", TEXT, 0),
    ), rows)


def _deadline(task_row: tuple) -> str:
    deadline, text, recurrence = task_row[5], task_row[6], task_row[7]
    if deadline is not None and not pd.isna(deadline):
        return fmt_date(deadline)
    return RECURRENCE_LABELS.get(recurrence, text)


def task_table(report: LocalityReport, plan: Plan) -> Table:
    """Phụ lục II: tasks in the plan's own columns."""
    tasks = {t.code: t for t in plan.tasks}
    rows = []
    for n, row in enumerate(report.task_rows, start=1):
        task = tasks[row[0]]
        rows.append({
            "stt": n, "code": task.code, "name": task.name,
            "lead": "; ".join(plan.unit_name(u) for u in task.lead_units),
            "coordinating": "; ".join(plan.unit_name(u) for u in task.coordinating_units),
            "output": task.output or "", "deadline": _deadline(row), "status": label(row[8]),
        })
    return Table("Tình hình thực hiện nhiệm vụ", "Nhiệm vụ", (
        Column("STT", "stt", INT, 1.1), Column("Nhiệm vụ", "name", TEXT, 5.6), Column("Chủ trì", "lead", TEXT, 2.5),
        Column("Phối hợp", "coordinating", TEXT, 2.2), Column("Sản phẩm", "output", TEXT, 2.2),
        Column("Thời hạn", "deadline", TEXT, 1.8), Column("Tình trạng", "status", TEXT, 1.8),
    ), rows)


def kpi_table(report: LocalityReport, catalog: Catalog) -> Table:
    """Phụ lục III: the 100-point scorecard, item by item, group subtotals and the total."""
    framework = catalog.framework_for(report.period.year)
    methods = {i.code: i.method for i in framework.items}
    rows = []
    for group in report.kpi.groups:
        rows.append({"code": f"Nhóm {group.code}", "name": group.name.upper(), "method": "", "value": None,
                     "unit": "", "points": group.points, "max_points": group.max_points, "status": ""})
        for item in (i for i in report.kpi.items if i.group == group.code):
            rows.append({"code": item.code, "name": item.name, "method": methods.get(item.code, ""),
                         "value": item.value, "unit": catalog.measures[item.measure].unit, "points": item.points,
                         "max_points": item.max_points, "status": label(item.status)})
    rows.append({"code": "", "name": "TỔNG CỘNG", "method": f"Xếp loại: {report.kpi.rating}"
                 + (" (tạm tính)" if report.kpi.provisional else ""), "value": None, "unit": "",
                 "points": report.kpi.points, "max_points": sum(g.max_points for g in report.kpi.groups), "status": ""})
    return Table(f"Bộ chỉ số KPI 100 điểm ({framework.name})", "KPI", (
        Column("Mã", "code", TEXT, 1.4), Column("Chỉ số", "name", TEXT, 5.5), Column("Cách tính", "method", TEXT, 2.6),
        Column("Giá trị", "value", VALUE, 1.6), Column("Điểm", "points", POINTS, 1.4),
        Column("Tối đa", "max_points", POINTS, 1.3), Column("Trạng thái", "status", TEXT, 2.0),
    ), rows)


def submission_table(catalog: Catalog, plan: Plan, submissions: pd.DataFrame, months: list[Period]) -> Table:
    """Per month of the report: sheets expected, received, on time, late, missing (``submissions``:
    the locality's submission log, ``store.queries.submissions_up_to``)."""
    rows = []
    for period in months:
        units = reporting_units(catalog, plan.id, period.year)
        subs = completeness_rows(units, first_uploads(submissions, period).get(plan.id, {}), period)
        counts = completeness_counts(s[1] for s in subs)
        rows.append({"month": period.label, "expected": counts["expected"], "received": counts["received"],
                     "on_time": counts["on_time"], "late": counts["received"] - counts["on_time"],
                     "missing": counts["expected"] - counts["received"]})
    return Table("Phiếu báo cáo tháng của các đơn vị", "Nộp phiếu", (
        Column("Tháng", "month", TEXT, 3.0), Column("Phải nộp", "expected", INT, 2.2),
        Column("Đã nộp", "received", INT, 2.2), Column("Đúng hạn", "on_time", INT, 2.2),
        Column("Nộp muộn", "late", INT, 2.2), Column("Chưa nộp", "missing", INT, 2.2),
    ), rows, chart=ChartSpec("column", "month", ("on_time", "late", "missing"), "Phiếu báo cáo tháng"))


def kpi_group_table(report: LocalityReport) -> Table:
    """KPI points of each group against its maximum (the .xlsx sheet behind the chart)."""
    rows = [{"group": f"{g.code}. {g.name}", "points": g.points, "max_points": g.max_points} for g in report.kpi.groups]
    return Table("Điểm KPI theo nhóm", "Nhóm KPI", (
        Column("Nhóm", "group", TEXT, 8.0), Column("Điểm đạt", "points", POINTS, 2.5),
        Column("Điểm tối đa", "max_points", POINTS, 2.5)), rows,
        chart=ChartSpec("bar", "group", ("points", "max_points"), "Điểm KPI theo nhóm so với điểm tối đa"))


def status_table(report: LocalityReport) -> Table:
    """How many indicators have each status."""
    rows = [{"status": label(status), "count": n} for status, n in _status_counts(report).items()]
    return Table("Số chỉ tiêu theo trạng thái", "Trạng thái", (
        Column("Trạng thái", "status", TEXT, 5.0), Column("Số chỉ tiêu", "count", INT, 3.0)), rows,
        chart=ChartSpec("column", "status", ("count",), "Trạng thái các chỉ tiêu"))


def used_sheets(log: pd.DataFrame, locality_ids: list[str], period: Period) -> pd.DataFrame:
    """The current monthly sheets the figures at ``period`` come from (every month up to it), from
    a submission log (``store.queries.submissions_up_to``)."""
    return log[log["is_current"] & log["locality_id"].isin(locality_ids) & (log["period"] <= str(period))]


def month_sources(per_month: list[dict], senders: str) -> Table:
    """The .docx list of sources: per month (``month``), how many sheets (``count``) and who sent
    them (``units``, headed ``senders``)."""
    return Table("Các phiếu báo cáo tháng đã dùng", "Nguồn số liệu", (
        Column("Tháng", "month", TEXT, 2.8), Column("Số phiếu", "count", INT, 1.6),
        Column(senders, "units", TEXT, 11.6)), per_month)


def source_tables(sheets: pd.DataFrame, unit_name) -> tuple[Table, Table]:
    """(per month: how many sheets and from whom — for the .docx; every sheet — for the .xlsx)."""
    ordered = sheets.sort_values(["period", "locality_id", "unit_code", "village"])
    per_month = []
    for month, rows in ordered.groupby("period", sort=True):
        names = sorted({unit_name(l, u) + (f" ({v})" if v else "") for l, u, v in
                        zip(rows["locality_id"], rows["unit_code"], rows["village"])})
        per_month.append({"month": Period.parse(month).label, "count": len(rows), "units": listed(names)})
    summary = month_sources(per_month, "Đơn vị gửi phiếu")
    every = [{"month": Period.parse(p).label, "locality": l, "unit": unit_name(l, u) + (f" ({v})" if v else ""),
              "file": f, "by": b if isinstance(b, str) else "", "at": pd.Timestamp(t).to_pydatetime(),
              "sample": "Dữ liệu mẫu" if sm else ""}
             for p, l, u, v, f, b, t, sm in zip(ordered["period"], ordered["locality_id"], ordered["unit_code"],
                                                ordered["village"], ordered["file_name"], ordered["uploaded_by"],
                                                ordered["uploaded_at"], ordered["is_sample"])]
    full = Table("Danh sách phiếu báo cáo tháng đã dùng", "Phiếu đã dùng", (
        Column("Tháng", "month", TEXT), Column("Địa phương", "locality", TEXT), Column("Đơn vị", "unit", TEXT),
        Column("Tệp", "file", TEXT), Column("Người nạp", "by", TEXT), Column("Thời điểm nạp", "at", DATE),
        Column("Ghi chú", "sample", TEXT)), every)
    return summary, full


def lagging_paths(report: LocalityReport, plan: Plan, catalog: Catalog, monthly: pd.DataFrame,
                  limit: int = 6) -> list[charts.SeriesPath]:
    """The most lagging indicators with at least two reported months, for the chart."""
    every_year = {i.code: i.every_year for i in plan.indicators}
    order = {status: n for n, status in enumerate(LAGGING)}
    lagging = sorted((r for r in report.indicator_rows if r["status"] in order),
                     key=lambda r: (order[r["status"]], r["progress"] if r["progress"] is not None else 0, r["code"]))
    paths = []
    for row in lagging:
        measure = catalog.measures[row["measure"]]
        if measure.unit == "yes/no":
            continue
        series = reported_series(monthly, measure, report.period, every_year.get(row["code"], False))
        if len(series) < 2:
            continue
        year = int(row["target_year"])
        start = (f"{year - 1}-12", 0.0) if measure.accumulation == "sum_year" else (series.index[0], float(series.iloc[0]))
        paths.append(charts.SeriesPath(f"{row['code']} {row['name']} ({label(row['status'])})", tuple(series.index),
                                       tuple(float(v) for v in series), start, float(row["target"]), f"{year}-12"))
        if len(paths) == limit:
            break
    return paths


def _status_counts(report: LocalityReport) -> dict[str, int]:
    found = Counter(r["status"] for r in report.indicator_rows)
    return {status: found.get(status, 0) for status in st.INDICATOR_STATUSES}


def _lead_unit_lines(report: LocalityReport, plan: Plan) -> list[str]:
    per_unit: dict[str, Counter] = {}
    for row in report.task_rows:
        for unit in row[4]:
            per_unit.setdefault(unit, Counter())[row[8]] += 1
    return [f"{plan.unit_name(u)}: {sum(c.values())} nhiệm vụ — {c[st.TASK_DONE]} hoàn thành, "
            f"{c[st.TASK_IN_PROGRESS]} đang thực hiện, {c[st.TASK_OVERDUE]} quá hạn"
            for u, c in sorted(per_unit.items(), key=lambda kv: (-kv[1][st.TASK_OVERDUE], plan.unit_name(kv[0])))]


def section_one(report: LocalityReport, plan: Plan, catalog: Catalog, found: dict[str, Projection],
                monthly: pd.DataFrame, cover: Coverage, submissions: Table) -> list[Block]:
    """I. Kết quả thực hiện."""
    where = f"{plan.kind} {place_name(plan)}"
    blocks: list[Block] = [Heading("1. Công tác chỉ đạo, tổ chức triển khai", 2), Para(
        f"Ủy ban nhân dân {where} đã ban hành {plan_reference(plan)} và giao Phòng Văn hóa - Xã hội làm cơ quan "
        f"đầu mối theo dõi, tổng hợp; các đơn vị báo cáo kết quả hằng tháng bằng phiếu báo cáo. Trong {cover.label}, "
        f"đã nhận {sum(r['received'] for r in submissions.rows)}/{sum(r['expected'] for r in submissions.rows)} lượt "
        f"báo cáo tháng phải nộp của các đơn vị (phiếu chung của cả {plan.kind} tính cho mọi đơn vị)."),
        to_write("công tác chỉ đạo, tuyên truyền, kiểm tra trong kỳ")]
    blocks.append(Heading("2. Kết quả thực hiện các chỉ tiêu", 2))
    counts = _status_counts(report)
    total = len(report.indicator_rows)
    blocks.append(Para(f"Kế hoạch có {total} chỉ tiêu định lượng; đến {report.period.label.lower()}: "
                       + ", ".join(f"{n} chỉ tiêu {label(status).lower()}" for status, n in counts.items() if n) + "."))
    by_group: dict[str, list[dict]] = {}
    for row in report.indicator_rows:
        by_group.setdefault(row["group"], []).append(row)
    for n, group in enumerate((g for g in plan.groups if str(g["code"]) in by_group), start=1):
        blocks.append(Heading(f"2.{n}. {group['name']}", 3))
        blocks += [Bullet(_indicator_sentence(row, found.get(row["code"]))) for row in by_group[str(group["code"])]]
    blocks.append(Chart("trang_thai_chi_tieu", f"Biểu đồ 1. Trạng thái {total} chỉ tiêu — {report.period.label}",
                        charts.status_counts(counts, f"Trạng thái {total} chỉ tiêu — {plan.name}, {report.period.label}")))
    paths = lagging_paths(report, plan, catalog, monthly)
    if paths:
        blocks.append(Chart("chi_tieu_cham", "Biểu đồ 2. Kết quả báo cáo của các chỉ tiêu chậm so với lộ trình đến mục tiêu",
                            charts.lagging_series(paths, f"Chỉ tiêu chậm tiến độ — {plan.name}")))
    kpi = report.kpi
    blocks.append(Heading("3. Đánh giá theo Bộ chỉ số KPI 100 điểm", 2))
    blocks.append(Para(
        f"Tổng điểm KPI đạt {fmt_number(kpi.points, 2)}/100 điểm, xếp loại {kpi.rating}"
        + (" (tạm tính: số liệu lũy kế đến tháng báo cáo, chưa phải kết quả cả năm)" if kpi.provisional else "")
        + "; " + "; ".join(f"nhóm {g.code} ({g.name}) {fmt_number(g.points, 2)}/{fmt_number(g.max_points)} điểm"
                           for g in kpi.groups)
        + (f". Có {kpi.not_reported} chỉ số chưa có số liệu báo cáo (tính 0 điểm)." if kpi.not_reported else ".")))
    blocks.append(Chart("diem_kpi", "Biểu đồ 3. Điểm KPI theo nhóm so với điểm tối đa", charts.kpi_groups(
        [(f"{g.code}. {g.name}", g.points, g.max_points) for g in kpi.groups],
        f"Điểm KPI theo nhóm — {plan.name}: {fmt_number(kpi.points, 2)} điểm, {kpi.rating}")))
    tc = report.task_counts
    blocks.append(Heading("4. Thực hiện nhiệm vụ", 2))
    blocks.append(Para(f"Tổng số {tc['total']} nhiệm vụ: {tc['done']} hoàn thành, {tc['in_progress']} đang thực hiện, "
                       f"{tc['not_started']} chưa thực hiện, {tc['overdue']} quá hạn. Theo đơn vị chủ trì:"))
    blocks += [Bullet(line + ";") for line in _lead_unit_lines(report, plan)]
    overdue = [f"{r[2]} (chủ trì: {', '.join(plan.unit_name(u) for u in r[4])}; thời hạn {_deadline(r)})"
               for r in report.task_rows if r[8] == st.TASK_OVERDUE]
    if overdue:
        blocks.append(Para(f"Nhiệm vụ quá hạn: {listed(overdue)}."))
    blocks.append(Heading("5. Tình hình gửi phiếu báo cáo tháng", 2))
    subs = report.submissions
    late = subs.loc[subs["status"] == st.SUBMITTED_LATE, "unit_name"].to_list()
    missing = subs.loc[subs["status"] == st.MISSING, "unit_name"].to_list()
    sc = report.submission_counts
    blocks.append(Para(f"{report.period.label}: {sc['received']}/{sc['expected']} đơn vị đã gửi phiếu, "
                       f"{sc['on_time']} đúng hạn" + (f"; nộp muộn: {listed(late)}" if late else "")
                       + (f"; chưa nộp: {listed(missing)}" if missing else "") + "."))
    blocks.append(submissions)
    return blocks


def section_two(report: LocalityReport, plan: Plan) -> list[Block]:
    """II. Tồn tại, hạn chế và nguyên nhân — generated from the data, then a paragraph to write."""
    def named(statuses: tuple[str, ...]) -> list[str]:
        return [f"{r['code']} {r['name']} ({fmt_value(r['actual'], r['unit'])}; mục tiêu "
                f"{fmt_target(r['comparator'], r['target'], r['unit'])} năm {int(r['target_year'])})"
                for r in report.indicator_rows if r["status"] in statuses]
    lines = []
    for statuses, lead in (((st.NOT_MET,), "Chỉ tiêu đã hết năm mục tiêu mà chưa đạt"),
                           ((st.BEHIND, st.SPEED_UP), "Chỉ tiêu chậm so với lộ trình, cần đẩy nhanh"),
                           ((st.REGRESSING,), "Chỉ tiêu có kết quả đi xuống")):
        found = named(statuses)
        if found:
            lines.append(f"{lead} ({len(found)}): {listed(found)}.")
    unreported = [r["code"] for r in report.indicator_rows if r["status"] == st.NOT_REPORTED]
    if unreported:
        lines.append(f"{len(unreported)} chỉ tiêu chưa có số liệu báo cáo: {listed(unreported)}.")
    overdue = Counter(u for r in report.task_rows if r[8] == st.TASK_OVERDUE for u in r[4])
    if overdue:
        lines.append(f"{sum(1 for r in report.task_rows if r[8] == st.TASK_OVERDUE)} nhiệm vụ quá hạn, chủ trì: "
                     + "; ".join(f"{plan.unit_name(u)} ({n})" for u, n in overdue.most_common()) + ".")
    missing = report.submissions.loc[report.submissions["status"] == st.MISSING, "unit_name"].to_list()
    if missing:
        lines.append(f"Đơn vị chưa gửi phiếu báo cáo {report.period.label.lower()}: {listed(missing)}.")
    blocks: list[Block] = [Heading("1. Tồn tại, hạn chế", 2)]
    blocks += [Bullet(line) for line in lines] or [Para("Số liệu trong kỳ không cho thấy chỉ tiêu, nhiệm vụ nào chậm.")]
    blocks += [Heading("2. Nguyên nhân", 2), to_write("nguyên nhân chủ quan, khách quan của từng tồn tại nêu trên")]
    return blocks


def section_three(report: LocalityReport, plan: Plan, cover: Coverage) -> list[Block]:
    """III. Phương hướng, nhiệm vụ: tasks due and targets to reach in the next period."""
    end = cover.next_last.last_day
    due = [f"{r[2]} (chủ trì: {', '.join(plan.unit_name(u) for u in r[4])}; thời hạn {_deadline(r)})"
           for r in report.task_rows
           if r[5] is not None and not pd.isna(r[5]) and report.period.last_day < r[5] <= end and r[8] != st.TASK_DONE]
    overdue = sum(1 for r in report.task_rows if r[8] == st.TASK_OVERDUE)
    targets = [f"{r['name']}: {fmt_target(r['comparator'], r['target'], r['unit'])} (năm {int(r['target_year'])}; "
               f"hiện {fmt_value(r['actual'], r['unit'])})"
               for r in report.indicator_rows if r["status"] != st.MET and int(r["target_year"]) <= cover.next_last.year]
    blocks: list[Block] = [Heading(f"1. Nhiệm vụ đến hạn trong {cover.next_label}", 2)]
    blocks += [Bullet(listed(due) + ".")] if due else [Para(f"Không có nhiệm vụ có thời hạn trong {cover.next_label}.")]
    if overdue:
        blocks.append(Bullet(f"Tập trung hoàn thành {overdue} nhiệm vụ đã quá hạn (Phụ lục II)."))
    blocks.append(Heading("2. Chỉ tiêu cần đạt", 2))
    blocks += [Bullet(listed(targets) + ".")] if targets else [Para("Các chỉ tiêu đến hạn đã đạt.")]
    blocks.append(to_write("giải pháp trọng tâm của kỳ tới"))
    return blocks


def build_content(catalog: Catalog, report: LocalityReport, monthly: pd.DataFrame, log: pd.DataFrame, kind: str,
                  issued: dt.date) -> ReportContent:
    """The whole report of one locality at ``report.period``, from its scored report, its combined
    monthly values (``store.queries.monthly_values``) and its submission log
    (``store.queries.submissions_up_to``)."""
    plan = catalog.plan(report.locality_id)
    period = report.period
    cover = coverage(kind, period, plan.start_year, plan.end_year)
    monthly = monthly[monthly["locality_id"] == plan.id]
    found = projections(report.indicator_rows, {i.code: i.every_year for i in plan.indicators}, catalog.measures,
                        monthly, period)
    submissions = submission_table(catalog, plan, log, month_range(cover.first, cover.last))
    sheets = used_sheets(log, [plan.id], period)
    sources, source_sheets = source_tables(sheets, lambda _l, u: plan.unit_name(u) if u != "all" else "Cả địa phương")
    head = for_locality(plan)
    title_line = f"Kết quả thực hiện {plan.meta.get('title') or 'Kế hoạch'} {cover.label}"
    limit = cut_off(kind, period, plan)
    sections = {
        "I": section_one(report, plan, catalog, found, monthly, cover, submissions),
        "II": section_two(report, plan),
        "III": section_three(report, plan, cover),
        "IV": [to_write("kiến nghị, đề xuất với Ủy ban nhân dân thành phố, các sở, ngành")],
    }
    appendices = (
        Appendix("PHỤ LỤC I", f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ĐẾN {period.label.upper()}",
                 indicator_table(report, plan, found)),
        Appendix("PHỤ LỤC II", "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", task_table(report, plan)),
        Appendix("PHỤ LỤC III", f"ĐIỂM ĐÁNH GIÁ THEO BỘ CHỈ SỐ KPI 100 ĐIỂM NĂM {period.year}",
                 kpi_table(report, catalog)),
    )
    return ReportContent(
        letterhead=head, kind=kind, period=period, coverage=cover, cut_off=limit, issued=issued,
        title_line=title_line,
        can_cu=(f"Căn cứ {plan_reference(plan)} của {head.issuer_text} về {_plan_subject(plan)};",
                f"Căn cứ số liệu báo cáo tháng của các đơn vị tính đến ngày {fmt_date(limit)} "
                f"({len(sheets)} phiếu báo cáo tháng đến {period.label.lower()}, danh sách ở cuối báo cáo);"),
        intro=f"{head.issuer_text} báo cáo kết quả thực hiện {cover.label} như sau:",
        sections=sections, next_heading=cover.next_label,
        closing=f"Trên đây là báo cáo kết quả thực hiện {cover.label} của {head.issuer_text}./.",
        appendices=appendices, sources=sources, source_sheets=source_sheets,
        sample=bool(sheets["is_sample"].any()) if len(sheets) else False,
        tables=(kpi_group_table(report), status_table(report), submissions),
    )
