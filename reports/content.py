"""What a report says, in the order the document says it (``ReportContent``), and how one
locality's report is put together from scoring's results, the plan and the store's rows: the
subject, the opening, the body (``reports.body``), the closing sentence and the appendices
(``reports.appendix``). Numbers stay numbers here; writers format them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from plans.model import Catalog
from plans.periods import DataWindow, Period, month_range
from reports.appendix import (
    Appendix,
    chart_blocks,
    indicator_table,
    kpi_group_table,
    kpi_table,
    sheet_table,
    sheets_used,
    task_table,
    verdict_table,
)
from reports.blocks import Block, Chart, Table
from reports.body import Facts, Notes, body, closing, monthly_body, noted, opening
from reports.kinds import Coverage, coverage, window
from reports.letterhead import Letterhead, for_locality
from reports.lines import indicator_lines, sheet_months, sheet_units, task_lines
from reports.names import framework_title, place_name, plan_title
from reports.wording import body_date, month_words
from scoring.report import LocalityReport


@dataclass(frozen=True)
class ReportContent:
    """Everything a report says: the letterhead, the subject (``title_line``), the opening, the
    sections by the template's tags, the closing sentence, the appendices; for the .xlsx also the
    sheets used and the tables behind the charts; ``window``: the days whose data it states. Its kind
    and month are its coverage's."""

    letterhead: Letterhead
    coverage: Coverage
    window: DataWindow
    issued: dt.date
    title_line: str
    intro: str
    sections: dict[str, list[Block]]
    closing: str
    appendices: tuple[Appendix, ...]
    sheets: Table
    sample: bool
    tables: tuple[Table, ...]

    @property
    def next_heading(self) -> str:
        """The next period ("6 tháng cuối năm 2026"), named in the heading of section IV."""
        return self.coverage.next_label

    @property
    def cut_off(self) -> dt.date:
        """The last day of the data stated (never after the day the report is made)."""
        return self.window.last

    @property
    def kind(self) -> str:
        """The kind of report (``reports.kinds.KINDS``), as its coverage has it."""
        return self.coverage.kind

    @property
    def period(self) -> Period:
        """The month the report is made at: the last month it covers."""
        return self.coverage.last

    @property
    def charts(self) -> list[Chart]:
        """Every chart, in order (in the appendices: the body has none)."""
        return [b for a in self.appendices for b in a.blocks if isinstance(b, Chart)]

    def with_notes(self, notes: Notes) -> ReportContent:
        """The report with the office's own text in its sections (``reports.body.noted``)."""
        return dataclasses.replace(self, sections=noted(self.sections, notes, self.kind == "thang"))


def ahead_words(kind: str) -> str:
    """What the report sets out for the next period: "phương hướng, nhiệm vụ" (a monthly report:
    "nhiệm vụ trọng tâm")."""
    return "nhiệm vụ trọng tâm" if kind == "thang" else "phương hướng, nhiệm vụ"


def subject(title: str, cover: Coverage) -> str:
    """The subject under "BÁO CÁO": the results of the period and the tasks of the next one (after a
    comma when the plan's title ends with a year: "… giai đoạn 2026 – 2030, 6 tháng đầu năm 2026")."""
    joint = ", " if title[-1:].isdigit() else " "
    return f"Kết quả thực hiện {title}{joint}{cover.label} và {ahead_words(cover.kind)} {cover.next_label}"


def used_sheets(log: pd.DataFrame, locality_ids: list[str], period: Period) -> pd.DataFrame:
    """The current monthly sheets the figures at ``period`` come from (every month up to it), from
    a submission log (``store.queries.submissions_up_to``)."""
    return log[log["is_current"] & log["locality_id"].isin(locality_ids) & (log["period"] <= str(period))]


def build_content(
    catalog: Catalog,
    report: LocalityReport,
    as_of: pd.DataFrame,
    reported: pd.DataFrame,
    log: pd.DataFrame,
    evidence: Iterable[tuple[str, str, str | None]],
    kind: str,
    issued: dt.date,
) -> ReportContent:
    """The whole report of one locality at ``report.period``, made on ``issued``, from its scored
    report, its values as of each month and in its reported months (``store.queries.value_series``,
    ``store.queries.monthly_values``), its submission log (``store.queries.submissions_up_to``), the
    evidence of its finished tasks (``store.queries.task_evidence``); without the office's own text
    (:meth:`ReportContent.with_notes`)."""
    plan = catalog.plan(report.locality_id)
    period = report.period
    cover = coverage(kind, period, plan.start_year, plan.end_year)
    days = window(cover, plan, issued)
    head = for_locality(plan)
    months = month_range(cover.first, cover.last)
    kpi_name = framework_title(catalog.framework_for(period.year), catalog, plan)
    facts = Facts(
        plan=plan,
        issuer=head.issuer_text,
        cover=cover,
        period=period,
        indicators=indicator_lines(report, plan, catalog, as_of, reported, cover, not days.provisional),
        tasks=task_lines(report, plan, evidence),
        months=sheet_months(catalog, plan, log, months, issued),
        units=sheet_units(catalog, plan, log, months, issued),
        kpi=report.kpi,
        kpi_title=kpi_name,
        final=not days.provisional,
    )
    sheets = used_sheets(log, [plan.id], period)
    indicators = indicator_table(facts.indicators, plan)
    tasks, kpi, monthly = (
        task_table(facts.tasks, plan),
        kpi_table(report.kpi, catalog, kpi_name),
        sheet_table(facts.months),
    )
    end = month_words(period).upper()
    charts = chart_blocks(facts.indicators, report.kpi, plan.name, month_words(period))
    if kind == "thang":
        appendices = (Appendix("PHỤ LỤC", f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ĐẾN HẾT {end}", (indicators,)),)
        extra = (tasks, kpi, monthly)
    else:
        appendices = (
            Appendix("PHỤ LỤC I", f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ĐẾN HẾT {end}", (indicators,)),
            Appendix("PHỤ LỤC II", "TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ", (tasks,)),
            Appendix("PHỤ LỤC III", f"ĐIỂM ĐÁNH GIÁ THEO {kpi_name.upper()} NĂM {period.year}", (kpi,)),
            Appendix("PHỤ LỤC IV", "TÌNH HÌNH GỬI BÁO CÁO THÁNG", (monthly,)),
            Appendix("PHỤ LỤC V", "BIỂU ĐỒ", charts),
        )
        extra = ()
    ahead = ahead_words(kind)
    return ReportContent(
        letterhead=head,
        coverage=cover,
        window=days,
        issued=issued,
        title_line=subject(plan_title(plan), cover),
        intro=opening(
            plan, head.issuer_text, cover, ahead, body_date(days.first), body_date(days.last), days.provisional
        ),
        sections=monthly_body(facts) if kind == "thang" else body(facts),
        closing=closing(cover, ahead, head.issuer_text, head.recipient, head.purpose),
        appendices=appendices,
        sheets=sheets_used(
            sheets,
            lambda _lid: plan.name,
            lambda _lid, u: plan.unit_name(u) if u != "all" else f"Cả {plan.kind} {place_name(plan)}",
        ),
        sample=bool(sheets["is_sample"].any()) if len(sheets) else False,
        tables=extra + (kpi_group_table(report.kpi), verdict_table(facts.indicators)),
    )
