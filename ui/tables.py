"""Display tables built from scoring results: pure functions, Vietnamese columns, formatted values.

Status cells read "✔ Đạt" (symbol and label); :func:`ui.render.table` colours them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import NamedTuple

import pandas as pd

from plans import vocabulary as s
from plans.model import Catalog, Plan
from plans.palette import status_label
from plans.periods import Period
from plans.reporting import expected_units, reporting_units
from plans.text import fmt_date, fmt_datetime, fmt_number, fmt_percent, fmt_target, fmt_value
from plans.vocabulary import RECURRENCE_LABELS
from scoring.kpi import KpiScore
from scoring.report import LocalityReport
from scoring.submissions import completeness
from scoring.tasks import counts_by_lead_unit
from ui.render import plain

LAGGING = (s.NOT_MET, s.REGRESSING, s.BEHIND, s.SPEED_UP)
TASK_COUNTS = {
    s.TASK_DONE: "done",
    s.TASK_IN_PROGRESS: "in_progress",
    s.TASK_NOT_STARTED: "not_started",
    s.TASK_OVERDUE: "overdue",
}
"""Each task status and its key in ``LocalityReport.task_counts``: together they add up to the total."""


def task_totals(counts: Mapping[str, int]) -> str:
    """``Tổng 49 nhiệm vụ: 5 hoàn thành, 41 đang thực hiện, 3 chưa thực hiện, 0 quá hạn`` — every
    status, so that the parts add up to the total."""
    parts = ", ".join(f"{counts[key]} {s.label(status).lower()}" for status, key in TASK_COUNTS.items())
    return f"Tổng {counts['total']} nhiệm vụ: {parts}"


def status_counts(indicators: pd.DataFrame) -> dict[str, int]:
    """How many indicators have each status, in the fixed order of the statuses."""
    found = indicators["status"].value_counts().to_dict() if len(indicators) else {}
    return {status: int(found.get(status, 0)) for status in s.INDICATOR_STATUSES}


def _target_text(row: object) -> str:
    return fmt_target(row.comparator, row.target, row.unit)


def indicator_table(indicators: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Every indicator of a report: code, name, result, target, year, attainment, status, unit."""
    groups = {str(g["code"]): g["name"] for g in plan.groups}
    return pd.DataFrame(
        [
            {
                "Mã": r.code,
                "Chỉ tiêu": r.name,
                "Nhóm": f"{r.group}. {groups.get(r.group, '')}",
                "Kết quả": fmt_value(r.actual, r.unit),
                "Mục tiêu": _target_text(r),
                "Năm mục tiêu": str(int(r.target_year)),
                "Mức đạt": fmt_percent(None if pd.isna(r.attainment) else r.attainment * 100),
                "Trạng thái": status_label(r.status),
                "Đơn vị chịu trách nhiệm": plan.unit_name(r.responsible_unit),
            }
            for r in indicators.itertuples(index=False)
        ],
        columns=[
            "Mã",
            "Chỉ tiêu",
            "Nhóm",
            "Kết quả",
            "Mục tiêu",
            "Năm mục tiêu",
            "Mức đạt",
            "Trạng thái",
            "Đơn vị chịu trách nhiệm",
        ],
    )


def lagging(indicators: pd.DataFrame, plan: Plan, limit: int = 8) -> pd.DataFrame:
    """The most lagging indicators: missed targets first, then by progress on the path, lowest first."""
    rows = indicators[indicators["status"].isin(LAGGING)].copy()
    rows["severity"] = rows["status"].map({status: i for i, status in enumerate(LAGGING)})
    rows["order"] = rows["progress"].astype(float).fillna(rows["attainment"].astype(float))
    rows = rows.sort_values(["severity", "order", "code"]).head(limit)
    return indicator_table(rows, plan).drop(columns=["Nhóm", "Mức đạt"])


def overdue_units(report: LocalityReport, plan: Plan) -> pd.DataFrame:
    """Lead units with overdue tasks: unit name, overdue, total; most overdue first."""
    counts = counts_by_lead_unit(report.tasks)
    counts = counts[counts["overdue"] > 0].sort_values(["overdue", "unit_code"], ascending=[False, True])
    return pd.DataFrame(
        {
            "unit": [plan.unit_name(u) for u in counts["unit_code"]],
            "overdue": counts["overdue"].astype(int).to_list(),
            "total": counts["total"].astype(int).to_list(),
        }
    )


def kpi_ranking_text(rows: Sequence[tuple[str, KpiScore]], unreported: Collection[str]) -> str:
    """``**1. Xã Tân An**: 52,5 điểm — Trung bình · … · **Xã Bình Giang**: Chưa báo cáo`` — a
    locality with nothing reported is not ranked (it has no score, not 0 points)."""
    ranked = sorted((r for r in rows if r[0] not in unreported), key=lambda r: -r[1].points)
    parts = [
        f"**{i}. {name}**: {fmt_number(kpi.points, 2)} điểm — {kpi.rating}"
        for i, (name, kpi) in enumerate(ranked, start=1)
    ]
    parts += [f"**{name}**: {s.label(s.NOT_REPORTED)}" for name, _ in rows if name in unreported]
    return " · ".join(parts)


def missing_contacts(report: LocalityReport, plan: Plan) -> list[tuple[str, str]]:
    """(name, contact) of each unit whose sheet for the report's month has not arrived; the
    contact is "" when the plan file gives none."""
    missing = report.submissions[report.submissions["status"] == s.MISSING]
    return [(name, plan.unit_contact(code)) for code, name in zip(missing["unit_code"], missing["unit_name"])]


def reminder_text(plan: Plan, period: Period, missing: Sequence[tuple[str, str]], due: dt.date, today: dt.date) -> str:
    """A reminder the office can copy into a message or an e-mail to the units still missing."""
    names = "; ".join(name for name, _ in missing)
    office = plan.unit_name("vhxh") if any(u["code"] == "vhxh" for u in plan.units) else "Phòng Văn hóa - Xã hội"
    deadline = (
        f"Hạn nộp là hết ngày {fmt_date(due)} (đã quá hạn, đề nghị gửi ngay)."
        if today > due
        else f"Hạn nộp: hết ngày {fmt_date(due)}."
    )
    return (
        f"Kính gửi: {names}.\n"
        f"Đề nghị các đơn vị điền phiếu báo cáo {period.label.lower()} về thực hiện kế hoạch “xã đổi mới "
        f"sáng tạo” của {plan.name} (mẫu phiếu của đơn vị, trang “Nộp báo cáo tháng”) và gửi lại cho "
        f"{office}. {deadline}\nTrân trọng cảm ơn."
    )


class Cell(NamedTuple):
    """A locality's cell in a measures × localities table: its text and its status code."""

    text: str
    status: str


def _cell(rows: list[dict]) -> Cell:
    """Text ("▲ 69,7% · mục tiêu ≥ 90% (2030)") and status of a locality's indicators on one
    measure; with several indicators, the status is that of the nearest target year."""
    ordered = sorted(rows, key=lambda r: (r["target_year"], r["code"]))
    first = ordered[0]
    targets = "; ".join(
        f"{fmt_target(r['comparator'], r['target'], r['unit'])} ({int(r['target_year'])})" for r in ordered
    )
    symbol = status_label(first["status"]).split(" ", 1)[0]
    return Cell(f"{symbol} {fmt_value(first['actual'], first['unit'])} · mục tiêu {targets}", first["status"])


def cells(indicator_rows: Sequence[dict]) -> dict[str, Cell]:
    """measure → its cell for every measure a locality's plan targets (its indicator rows)."""
    by_measure: dict[str, list[dict]] = {}
    for row in indicator_rows:
        by_measure.setdefault(row["measure"], []).append(row)
    return {measure: _cell(rows) for measure, rows in by_measure.items()}


def shared_measures(reports: Sequence[LocalityReport], catalog: Catalog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Measures that two or more of the localities target: (text table, status table).

    Each cell: status symbol, latest value and the locality's own target(s) with year.
    """
    per_locality = {report.name: cells(report.indicator_rows) for report in reports}
    shared = [m for m in catalog.measures if sum(m in mine for mine in per_locality.values()) >= 2]
    absent = Cell("— (không có trong kế hoạch)", "")
    index = pd.Index([catalog.measures[m].name for m in shared], name="Đại lượng đo")
    text = pd.DataFrame(
        {name: [mine.get(m, absent).text for m in shared] for name, mine in per_locality.items()}, index=index
    )
    state = pd.DataFrame(
        {name: [mine.get(m, absent).status for m in shared] for name, mine in per_locality.items()}, index=index
    )
    return text, state


def reported_measures(values: pd.DataFrame, locality_ids: Sequence[str], catalog: Catalog) -> list[str]:
    """Measures with a value for any of the localities (``values``: a value series), in dictionary order."""
    seen = set(values.loc[values["locality_id"].isin(locality_ids), "measure"])
    return [code for code in catalog.measures if code in seen]


def targets_for(reports: Sequence[LocalityReport], measure: str) -> pd.DataFrame:
    """Each locality's target(s) on a measure: name, target, label (e.g. "≥ 90% (2030)")."""
    rows = []
    for report in reports:
        mine = (
            report.indicators[report.indicators["measure"] == measure] if len(report.indicators) else report.indicators
        )
        for r in mine.drop_duplicates(["comparator", "target", "target_year"]).itertuples(index=False):
            rows.append({"name": report.name, "target": r.target, "label": f"{_target_text(r)} ({int(r.target_year)})"})
    return pd.DataFrame(rows, columns=["name", "target", "label"])


def distinct_names(catalog: Catalog, locality_ids: Sequence[str]) -> list[str]:
    """The localities' names, with the official code after a name that two of them share (across the
    country there is many a Xã Tân An): as column labels, equal names would fall into one column."""
    names = [catalog.plan(lid).name for lid in locality_ids]
    shared = {name for name, n in Counter(names).items() if n > 1}
    return [
        f"{name} ({catalog.plan(lid).ward_code})" if name in shared else name for lid, name in zip(locality_ids, names)
    ]


def heatmap(
    indicators: Mapping[str, Sequence[dict]], catalog: Catalog, measures: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Measures × localities: (status of the nearest-target indicator, hover text); a locality
    whose plan does not target a measure has an empty cell. ``indicators``: locality id → its
    indicator rows (``ui.data.indicators``)."""
    per_locality = dict(zip(distinct_names(catalog, list(indicators)), (cells(rows) for rows in indicators.values())))
    index = [catalog.measures[m].name for m in measures]
    state = pd.DataFrame(
        {name: [mine[m].status if m in mine else None for m in measures] for name, mine in per_locality.items()},
        index=index,
    )
    hover = pd.DataFrame(
        {name: [mine[m].text if m in mine else None for m in measures] for name, mine in per_locality.items()},
        index=index,
    )
    return state, hover


def heatmap_lines(statuses: pd.DataFrame, texts: pd.DataFrame) -> str:
    """The cells of a measures × localities grid as markdown, for where the grid does not fit the
    screen: each measure in bold, then one line per locality whose plan targets it (its text starts
    with the status symbol). Names are escaped."""
    blocks = []
    for measure in statuses.index:
        lines = [
            f"- {plain(str(place))}: {plain(str(texts.at[measure, place]))}"
            for place in statuses.columns
            if isinstance(statuses.at[measure, place], str) and statuses.at[measure, place]
        ]
        if lines:
            blocks.append(f"**{plain(str(measure))}**\n\n" + "\n".join(lines))
    return "\n\n".join(blocks)


def attainment_rows(indicators: pd.DataFrame) -> pd.DataFrame:
    """Rows for :func:`ui.charts.attainment_bars`."""
    return pd.DataFrame(
        {
            "label": [f"{r.code} {r.name}" for r in indicators.itertuples(index=False)],
            "attainment": indicators["attainment"].astype(float).to_list() if len(indicators) else [],
            "status": indicators["status"].to_list() if len(indicators) else [],
            "actual_text": [fmt_value(r.actual, r.unit) for r in indicators.itertuples(index=False)],
            "target_text": [f"{_target_text(r)} ({int(r.target_year)})" for r in indicators.itertuples(index=False)],
        }
    )


def _deadline_text(row: object) -> str:
    if row.deadline is not None and not pd.isna(row.deadline):
        return fmt_date(row.deadline)
    return RECURRENCE_LABELS.get(row.recurrence, row.deadline_text)


def task_table(tasks: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Tasks with status (overdue marked; next to the name, so that a table scrolled sideways on a
    narrow screen still shows it), lead units, deadline, last report month."""
    return pd.DataFrame(
        [
            {
                "Mã": r.code,
                "Nhiệm vụ": r.name,
                "Chủ trì": "; ".join(plan.unit_name(u) for u in r.lead_units),
                "Thời hạn": _deadline_text(r),
                "Trạng thái": status_label(r.status),
                "Tiến độ": fmt_percent(r.percent, 0) if r.percent is not None and not pd.isna(r.percent) else "—",
                "Báo cáo gần nhất": Period.parse(r.last_period).label
                if isinstance(r.last_period, str)
                else "chưa báo cáo",
            }
            for r in tasks.itertuples(index=False)
        ],
        columns=["Mã", "Nhiệm vụ", "Trạng thái", "Tiến độ", "Chủ trì", "Thời hạn", "Báo cáo gần nhất"],
    )


def gantt_rows(tasks: pd.DataFrame, plan: Plan, year: int) -> pd.DataFrame:
    """Bars for :func:`ui.charts.task_gantt`: a dated task spans the quarter of its deadline;
    a recurring one spans ``year``."""
    rows = []
    for r in tasks.itertuples(index=False):
        if r.deadline is not None and not pd.isna(r.deadline):
            quarter_start = Period(r.deadline.year, (r.deadline.month - 1) // 3 * 3 + 1).first_day
            start, end = quarter_start, Period(r.deadline.year, quarter_start.month + 2).last_day
        else:
            start, end = Period(year, 1).first_day, Period(year, 12).last_day
        leads = "; ".join(plan.unit_name(u) for u in r.lead_units)
        rows.append(
            {
                "label": f"{r.code} · {r.name[:34]}{'…' if len(r.name) > 34 else ''}",
                "start": start,
                "end": end,
                "status": r.status,
                "hover": f"{r.code}: {r.name[:120]}<br>Chủ trì: {leads}<br>Thời hạn: {_deadline_text(r)}"
                f"<br>{status_label(r.status)}",
            }
        )
    return pd.DataFrame(rows, columns=["label", "start", "end", "status", "hover"])


def _submission_hover(table: pd.DataFrame, unit: str, before_start: str | None) -> str:
    """ "✔ Đúng hạn — 03/07/2026 08:30" for one unit of a month's completeness table."""
    if before_start:
        return f"Chưa phải nộp: địa phương báo cáo từ {before_start}"
    if unit not in table.index:
        return "Không phải nộp trong năm này"
    status, uploaded = table.at[unit, "status"], table.at[unit, "uploaded_at"]
    when = "" if uploaded is None or pd.isna(uploaded) else " — " + fmt_datetime(pd.Timestamp(uploaded))
    return status_label(status) + when


def completeness_grid(
    catalog: Catalog, plan: Plan, log: pd.DataFrame, months: Sequence[Period]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Units × months: (submission status, hover text with the first upload time); ``log``: the
    locality's submissions (``store.queries.submission_log``); a unit not expected in a month
    (``plans.reporting.expected_units``: not in that year's list, or a month before the locality's
    first reporting month) has an empty cell."""
    expected = {year: reporting_units(catalog, plan.id, year) for year in {p.year for p in months}}
    units = [u["code"] for u in plan.units if any(u["code"] in codes for codes in expected.values())]
    names = [plan.unit_name(u) for u in units]
    start = Period.parse(plan.reporting_start).label if plan.reporting_start else None
    states, hovers = {}, {}
    for period in months:
        due = expected_units(catalog, plan.id, period)
        table = completeness(due, log, plan.id, period).set_index("unit_code")
        label = f"{period.month:02d}/{period.year}"
        states[label] = [table.at[u, "status"] if u in table.index else "" for u in units]
        hovers[label] = [_submission_hover(table, u, None if due or not start else start) for u in units]
    return pd.DataFrame(states, index=names), pd.DataFrame(hovers, index=names)
