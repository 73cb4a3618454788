"""A locality report's appendices: the statistics as "Biểu mẫu" tables (indicators, tasks, KPI
points, monthly sheets), the charts, and the tables only the .xlsx carries. Internal codes stay in
columns headed "Mã", which only the .xlsx shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from plans import vocabulary as vocab
from plans.model import Catalog, Plan
from plans.palette import status_colour
from plans.periods import Period
from plans.vocabulary import MeasureUnit
from reports import charts
from reports.blocks import (
    BOLD,
    DATE,
    INT,
    MAX_POINTS,
    POINTS,
    RATIO,
    TEXT,
    VALUE,
    YEAR,
    Chart,
    ChartSpec,
    Column,
    Table,
)
from reports.lines import IndicatorLine, SheetMonth, TaskLine
from reports.wording import change_words, fmt_points, target_words
from scoring.attainment import path_start
from scoring.kpi import KpiScore

UNIT_WORDS = {MeasureUnit.PERCENT: "%", MeasureUnit.COUNT: "Số lượng", MeasureUnit.YES_NO: "Có/Không"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
CHART_PATHS = 6


@dataclass(frozen=True)
class Appendix:
    """``PHỤ LỤC I``, its title, and what it holds (tables, charts)."""

    number: str
    title: str
    blocks: tuple[Table | Chart, ...]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def roman(n: int) -> str:
    """1 → "I" (group rows of a table)."""
    return ROMAN[n - 1] if n <= len(ROMAN) else str(n)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def indicator_note(line: IndicatorLine) -> str:
    """The "Ghi chú" of an indicator: its change since an earlier month and its projection."""
    parts = []
    if line.actual is not None and line.before is not None and line.unit != MeasureUnit.YES_NO:
        parts.append(f"{change_words(line.actual, line.before, line.unit, line.noun)} so với {line.before_label}")
    if line.projection is not None:
        parts.append(line.projection.text)
    return capital("; ".join(parts))


def indicator_table(lines: list[IndicatorLine], plan: Plan) -> Table:
    """Biểu mẫu 01: every indicator by the plan's groups, its target in words, result, attainment,
    the report's verdict and a note (the .xlsx also: code, target as a number, year, the app's status)."""
    by_group: dict[str, list[IndicatorLine]] = {}
    for line in lines:
        by_group.setdefault(line.group, []).append(line)
    rows, n = [], 0
    for g, group in enumerate((g for g in plan.groups if str(g["code"]) in by_group), start=1):
        rows.append({"stt": roman(g), "name": group["name"], BOLD: True})
        for line in by_group[str(group["code"])]:
            n += 1
            when = "hằng năm" if line.every_year else f"năm {line.target_year}"
            rows.append(
                {
                    "stt": str(n),
                    "code": line.code,
                    "name": line.name,
                    "unit_word": UNIT_WORDS.get(line.unit, line.unit),
                    "unit": line.unit,
                    "target_text": (
                        f"{capital(target_words(line.comparator, line.target, line.unit, line.noun))} ({when})"
                    ),
                    "target": line.target,
                    "target_year": line.target_year,
                    "actual": line.actual,
                    "attainment": line.attainment,
                    "status": vocab.label(line.status),
                    "verdict": line.verdict,
                    "note": indicator_note(line),
                    "responsible": plan.unit_name(line.responsible_unit),
                    "projection": line.projection.text if line.projection else "",
                }
            )
    return Table(
        "Biểu mẫu số 01. Kết quả thực hiện các chỉ tiêu",
        "Chỉ tiêu",
        (
            Column("STT", "stt", TEXT, 1.4),
            Column("Mã", "code", TEXT, 0),
            Column("Chỉ tiêu", "name", TEXT, 7.4),
            Column("Đơn vị tính", "unit_word", TEXT, 1.8),
            Column("Mục tiêu", "target_text", TEXT, 3.4),
            Column("Mục tiêu (số)", "target", VALUE, 0),
            Column("Năm", "target_year", YEAR, 0),
            Column("Kết quả", "actual", VALUE, 1.9),
            Column("Mức đạt", "attainment", RATIO, 1.7),
            Column("Trạng thái", "status", TEXT, 0),
            Column("Đánh giá", "verdict", TEXT, 2.6),
            Column("Ghi chú", "note", TEXT, 5.0),
            Column("Đơn vị chịu trách nhiệm", "responsible", TEXT, 0),
            Column("Dự kiến đạt", "projection", TEXT, 0),
        ),
        rows,
    )


def task_table(tasks: list[TaskLine], plan: Plan) -> Table:
    """Biểu mẫu 02: the tasks in the plan's order and sections, with what was reported when done."""
    known = {t.code: t for t in plan.tasks}
    rows, section = [], None
    for n, line in enumerate(tasks, start=1):
        task = known[line.row.code]
        if task.section != section:
            section = task.section
            rows.append({"stt": "", "name": section, BOLD: True})
        rows.append(
            {
                "stt": str(n),
                "code": task.code,
                "name": task.name,
                "lead": "; ".join(line.leads),
                "coordinating": "; ".join(plan.unit_name(u) for u in task.coordinating_units),
                "deadline": capital(line.deadline_words),
                "status": vocab.label(line.row.status),
                "evidence": line.evidence,
            }
        )
    return Table(
        "Biểu mẫu số 02. Tình hình thực hiện các nhiệm vụ",
        "Nhiệm vụ",
        (
            Column("STT", "stt", TEXT, 1.4),
            Column("Mã", "code", TEXT, 0),
            Column("Nhiệm vụ", "name", TEXT, 8.6),
            Column("Đơn vị chủ trì", "lead", TEXT, 3.2),
            Column("Đơn vị phối hợp", "coordinating", TEXT, 3.2),
            Column("Thời hạn", "deadline", TEXT, 2.2),
            Column("Tình trạng", "status", TEXT, 2.2),
            Column("Kết quả, minh chứng", "evidence", TEXT, 4.3),
        ),
        rows,
    )


def kpi_table(kpi: KpiScore, catalog: Catalog, title: str) -> Table:
    """Biểu mẫu 03: the 100-point scorecard, item by item, group subtotals and the total."""
    methods = {i.code: i.method for i in catalog.frameworks[kpi.framework_id].items}
    rows, n = [], 0
    for g, group in enumerate(kpi.groups, start=1):
        rows.append(
            {
                "stt": roman(g),
                "code": f"Nhóm {group.code}",
                "name": group.name,
                "points": group.points,
                "max_points": group.max_points,
                BOLD: True,
            }
        )
        for item in (i for i in kpi.items if i.group == group.code):
            n += 1
            rows.append(
                {
                    "stt": str(n),
                    "code": item.code,
                    "name": item.name,
                    "method": methods.get(item.code, ""),
                    "value": item.value,
                    "unit": catalog.measures[item.measure].unit,
                    "points": item.points,
                    "max_points": item.max_points,
                    "status": vocab.label(item.status),
                }
            )
    rows.append(
        {
            "stt": "",
            "code": "",
            "name": "TỔNG CỘNG",
            "method": f"Xếp loại: {kpi.rating}",
            "points": kpi.points,
            "max_points": sum(g.max_points for g in kpi.groups),
            BOLD: True,
            "status": "Lũy kế, chưa hết năm" if kpi.provisional else "",
        }
    )
    return Table(
        f"Biểu mẫu số 03. Điểm đánh giá theo {title}",
        "KPI",
        (
            Column("STT", "stt", TEXT, 1.4),
            Column("Mã", "code", TEXT, 0),
            Column("Chỉ số", "name", TEXT, 7.6),
            Column("Cách tính", "method", TEXT, 4.6),
            Column("Số liệu", "value", VALUE, 2.2),
            Column("Điểm", "points", POINTS, 1.8),
            Column("Tối đa", "max_points", MAX_POINTS, 1.6),
            Column("Ghi chú", "status", TEXT, 3.0),
        ),
        rows,
    )


def sheet_table(months: list[SheetMonth]) -> Table:
    """Biểu mẫu 04: the monthly sheets per month; each row adds up (sent + not sent + not yet due = due)."""
    rows = [
        {
            "month": f"Tháng {m.month.month}/{m.month.year}",
            "expected": m.expected,
            "received": m.received,
            "on_time": m.on_time,
            "late": m.late,
            "missing": m.missing,
            "not_due": m.not_due,
        }
        for m in months
    ]
    total = {
        key: sum(r[key] for r in rows) for key in ("expected", "received", "on_time", "late", "missing", "not_due")
    }
    return Table(
        "Biểu mẫu số 04. Tình hình gửi báo cáo tháng của các cơ quan, đơn vị",
        "Nộp phiếu",
        (
            Column("Tháng", "month", TEXT, 3.0),
            Column("Phải gửi", "expected", INT, 2.2),
            Column("Đã gửi", "received", INT, 2.2),
            Column("Đúng hạn", "on_time", INT, 2.2),
            Column("Gửi muộn", "late", INT, 2.2),
            Column("Chưa gửi", "missing", INT, 2.2),
            Column("Chưa đến hạn", "not_due", INT, 2.4),
        ),
        rows + [{"month": "Cộng", **total, BOLD: True}],
        note="Phiếu chung của cả địa phương được tính cho mọi đơn vị phải gửi; hạn gửi là ngày 05 của tháng sau.",
        chart=ChartSpec("column", "month", ("on_time", "late", "missing", "not_due"), "Báo cáo tháng của các đơn vị"),
    )


def verdict_counts(lines: list[IndicatorLine]) -> dict[str, tuple[int, str]]:
    """How many indicators the report calls each word, with the colour of the status behind it."""
    found: dict[str, tuple[int, str]] = {}
    for line in lines:
        status = vocab.SPEED_UP if line.lagging and line.status == vocab.ON_TRACK else line.status
        count, _ = found.get(line.verdict, (0, ""))
        found[line.verdict] = (count + 1, status_colour(status))
    return found


def lagging_paths(lines: list[IndicatorLine], limit: int = CHART_PATHS) -> list[charts.SeriesPath]:
    """The most lagging indicators with at least two reported months, for the chart: each path
    starts where ``scoring.attainment.path_start`` starts it, as on the app's pages (a flow at 0 in
    the December before its year; the target itself when the first report was already past it)."""
    order = {vocab.NOT_MET: 0, vocab.REGRESSING: 1, vocab.BEHIND: 2, vocab.SPEED_UP: 3, vocab.ON_TRACK: 4}
    chosen = sorted(
        (i for i in lines if i.lagging and i.unit != MeasureUnit.YES_NO and len(i.series) >= 2),
        key=lambda i: (order.get(i.status, 9), i.attainment or 0.0),
    )
    paths = []
    for line in chosen[:limit]:
        start = path_start(line.comparator, line.baseline_period, line.baseline, line.target)
        paths.append(
            charts.SeriesPath(
                f"{line.name} ({line.verdict.lower()})",
                tuple(line.series.index),
                tuple(float(v) for v in line.series),
                None if start is None else (str(start[0]), float(start[1])),
                line.target,
                f"{line.target_year}-12",
                line.unit == MeasureUnit.COUNT,
            )
        )
    return paths


def chart_blocks(lines: list[IndicatorLine], kpi: KpiScore, place: str, month: str) -> tuple[Chart, ...]:
    """The charts of the appendix: indicators by the report's words, the lagging ones on their
    path, KPI points by group."""
    found = [
        Chart(
            "trang_thai_chi_tieu",
            f"Biểu đồ 1. Đánh giá {len(lines)} chỉ tiêu đến hết {month}",
            charts.status_counts(verdict_counts(lines), f"Đánh giá {len(lines)} chỉ tiêu, {place}, {month}"),
        )
    ]
    paths = lagging_paths(lines)
    if paths:
        found.append(
            Chart(
                "chi_tieu_cham",
                f"Biểu đồ {len(found) + 1}. Kết quả hằng tháng của các chỉ tiêu còn chậm và lộ trình đến mục tiêu",
                charts.lagging_series(paths, f"Chỉ tiêu còn chậm, {place}"),
            )
        )
    found.append(
        Chart(
            "diem_kpi",
            f"Biểu đồ {len(found) + 1}. Điểm tự đánh giá theo nhóm so với điểm tối đa",
            charts.kpi_groups(
                [(f"{g.code}. {g.name}", g.points, g.max_points) for g in kpi.groups],
                f"Điểm theo nhóm, {place}: {fmt_points(kpi.points)} điểm, {kpi.rating}",
            ),
        )
    )
    return tuple(found)


def kpi_group_table(kpi: KpiScore) -> Table:
    """KPI points of each group against its maximum (the .xlsx sheet behind the chart)."""
    rows = [{"group": f"{g.code}. {g.name}", "points": g.points, "max_points": g.max_points} for g in kpi.groups]
    return Table(
        "Điểm theo nhóm",
        "Nhóm KPI",
        (
            Column("Nhóm", "group", TEXT, 8.0),
            Column("Điểm đạt", "points", POINTS, 2.5),
            Column("Điểm tối đa", "max_points", MAX_POINTS, 2.5),
        ),
        rows,
        chart=ChartSpec("bar", "group", ("points", "max_points"), "Điểm theo nhóm so với điểm tối đa"),
    )


def verdict_table(lines: list[IndicatorLine]) -> Table:
    """How many indicators the report calls each word (the .xlsx sheet behind the chart)."""
    rows = [{"status": word, "count": n} for word, (n, _) in verdict_counts(lines).items()]
    return Table(
        "Số chỉ tiêu theo đánh giá",
        "Trạng thái",
        (Column("Đánh giá", "status", TEXT, 5.0), Column("Số chỉ tiêu", "count", INT, 3.0)),
        rows,
        chart=ChartSpec("column", "status", ("count",), "Đánh giá các chỉ tiêu"),
    )


def sheets_used(sheets: pd.DataFrame, locality: Callable[[str], str], unit_name: Callable[[str, str], str]) -> Table:
    """Every monthly sheet the figures come from (the .xlsx only: its name, who sent it, when)."""
    ordered = sheets.sort_values(["period", "locality_id", "unit_code", "village"])
    rows = [
        {
            "month": Period.parse(p).label,
            "locality": locality(lid),
            "unit": unit_name(lid, u) + (f" ({v})" if v else ""),
            "file": f,
            "by": b if isinstance(b, str) else "",
            "at": pd.Timestamp(t).to_pydatetime(),
            "sample": "Dữ liệu mẫu" if sm else "",
        }
        for p, lid, u, v, f, b, t, sm in zip(
            ordered["period"],
            ordered["locality_id"],
            ordered["unit_code"],
            ordered["village"],
            ordered["file_name"],
            ordered["uploaded_by"],
            ordered["uploaded_at"],
            ordered["is_sample"],
        )
    ]
    return Table(
        "Danh sách phiếu báo cáo tháng đã dùng",
        "Phiếu đã dùng",
        (
            Column("Tháng", "month", TEXT),
            Column("Địa phương", "locality", TEXT),
            Column("Đơn vị", "unit", TEXT),
            Column("Tệp", "file", TEXT),
            Column("Người nạp", "by", TEXT),
            Column("Thời điểm nạp", "at", DATE),
            Column("Ghi chú", "sample", TEXT),
        ),
        rows,
    )
