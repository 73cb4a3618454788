"""The report's rows as typed records, built once from scoring's results and read by the body, the
appendices and the charts: an indicator with what it is compared with and its projection; a task
with its lead units' names and what was reported when it was done; a month of monthly sheets."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from plans import vocabulary as vocab
from plans.deadlines import sheet_due_date
from plans.model import Catalog, Plan
from plans.periods import Period
from plans.reporting import expected_units
from plans.vocabulary import Accumulation
from reports.kinds import Coverage
from reports.projection import Projection, project, reported_series, verdict
from reports.wording import body_dates, count_noun, month_words, status_word
from scoring.report import LocalityReport
from scoring.submissions import SubmissionRow, completeness_counts, completeness_rows, first_uploads
from scoring.tasks import TaskRow

EVIDENCE_CHARS = 160
LAGGING = (vocab.BEHIND, vocab.SPEED_UP, vocab.REGRESSING, vocab.NOT_MET)


@dataclass(frozen=True)
class IndicatorLine:
    """One plan indicator at the report's month: scoring's result (``scoring.attainment.INDICATOR_COLUMNS``),
    the count's noun, the value it is compared with (``before`` at ``before_label``: the end of the
    previous period, the same month of the previous year, or the first month reported in this one),
    its reported series, its projection and what the report calls it (``verdict``)."""

    code: str
    name: str
    group: str
    measure: str
    unit: str
    comparator: str
    target: float
    target_year: int
    every_year: bool
    accumulation: str
    responsible_unit: str
    actual: float | None
    baseline: float | None
    baseline_period: Period | None
    attainment: float | None
    status: str
    noun: str
    before: float | None
    before_label: str
    series: pd.Series
    projection: Projection | None
    verdict: str

    @property
    def lagging(self) -> bool:
        """Behind its path, moving away from its target, past its year unmet, or called "Cần đẩy
        nhanh" by its projection although on its path (``reports.projection.verdict``)."""
        return self.status in LAGGING or self.verdict == status_word(vocab.SPEED_UP, self.comparator)


def _value_at(as_of: pd.DataFrame, measure: str, month: Period) -> float | None:
    found = as_of.loc[(as_of["measure"] == measure) & (as_of["period"] == str(month)), "value"]
    return float(found.iloc[0]) if len(found) else None


def _compared(
    row: dict,
    accumulation: str,
    every_year: bool,
    series: pd.Series,
    as_of: pd.DataFrame,
    cover: Coverage,
    period: Period,
) -> tuple[float | None, str]:
    """(value, words) the result is compared with: a flow or a yearly figure with the same month of
    the year before; a stock with the end of the previous period, else its first month reported in
    this one; (None, "") when there is nothing earlier."""
    yearly = every_year or accumulation != Accumulation.LATEST
    if yearly:
        last_year = _value_at(as_of, row["measure"], period.shift(-12))
        if last_year is not None:
            return last_year, f"cùng kỳ năm {period.year - 1}"
        if accumulation == Accumulation.SUM_YEAR:
            return None, ""
    else:
        before = _value_at(as_of, row["measure"], cover.first.shift(-1))
        if before is not None:
            return before, month_words(cover.first.shift(-1))
    earlier = [m for m in series.index if m >= str(cover.first) and m < str(period)]
    if earlier:
        return float(series[earlier[0]]), month_words(Period.parse(earlier[0]))
    return None, ""


def indicator_lines(
    report: LocalityReport,
    plan: Plan,
    catalog: Catalog,
    as_of: pd.DataFrame,
    reported: pd.DataFrame,
    cover: Coverage,
    final: bool = True,
) -> list[IndicatorLine]:
    """Every indicator of the plan, in plan order (``as_of``: ``store.queries.value_series`` of the
    locality; ``reported``: its ``store.queries.monthly_values``; ``final``: the report's data is
    not provisional)."""
    every_year = {i.code: i.every_year for i in plan.indicators}
    lines = []
    for row in report.indicator_rows:
        measure = catalog.measures[row["measure"]]
        yearly = every_year.get(row["code"], False)
        series = reported_series(as_of, reported, measure, report.period, yearly)
        found = project(row, measure, series)
        before, words = _compared(row, measure.accumulation, yearly, series, as_of, cover, report.period)
        lines.append(
            IndicatorLine(
                code=row["code"],
                name=row["name"],
                group=row["group"],
                measure=row["measure"],
                unit=row["unit"],
                comparator=row["comparator"],
                target=float(row["target"]),
                target_year=int(row["target_year"]),
                every_year=yearly,
                accumulation=measure.accumulation,
                responsible_unit=row["responsible_unit"],
                actual=row["actual"],
                baseline=row["baseline"],
                baseline_period=row["baseline_period"],
                attainment=row["attainment"],
                status=row["status"],
                noun=count_noun(row["name"]),
                before=before,
                before_label=words,
                series=series,
                projection=found,
                verdict=verdict(row["status"], row["comparator"], found, final),
            )
        )
    return lines


@dataclass(frozen=True)
class TaskLine:
    """One task at the report's month: scoring's row, its lead units' names, when it was first
    reported done and the evidence reported for it (a document, an event), cut to ``EVIDENCE_CHARS``,
    its dates written as the body writes them."""

    row: TaskRow
    leads: tuple[str, ...]
    done_in: Period | None
    evidence: str

    @property
    def recurring(self) -> bool:
        return self.row.recurrence is not None

    @property
    def deadline_words(self) -> str:
        """The deadline in the plan's own words inside a sentence ("tháng 6/2026", "quý III/2026",
        "năm 2027"), or how the task recurs ("thường xuyên")."""
        if self.row.deadline is not None and not pd.isna(self.row.deadline):
            text = " ".join(self.row.deadline_text.split())
            return text[:1].lower() + text[1:]
        return vocab.RECURRENCE_LABELS.get(self.row.recurrence, self.row.deadline_text).lower()


def task_lines(report: LocalityReport, plan: Plan, evidence: Iterable[tuple[str, str, str | None]]) -> list[TaskLine]:
    """Every task of the plan (``evidence``: ``store.queries.task_evidence`` of the locality)."""
    done = {
        code: (Period.parse(month), body_dates(" ".join(str(text or "").split())[:EVIDENCE_CHARS]))
        for code, month, text in evidence
    }
    lines = []
    for row in report.task_rows:
        month, text = done.get(row.code, (None, "")) if row.status == vocab.TASK_DONE else (None, "")
        lines.append(TaskLine(row, tuple(plan.unit_name(u) for u in row.lead_units), month, text))
    return lines


def _statuses(catalog: Catalog, plan: Plan, log: pd.DataFrame, month: Period) -> list[SubmissionRow]:
    """Đúng hạn / Nộp muộn / Chưa nộp and the first upload of each unit that had to send the month's sheet."""
    return completeness_rows(expected_units(catalog, plan.id, month), first_uploads(log, month).get(plan.id, {}), month)


@dataclass(frozen=True)
class SheetMonth:
    """The monthly sheets of one month: how many units had to send one, how many did (on time,
    late), how many did not although due, and how many were not due yet on the report's day."""

    month: Period
    due: dt.date
    expected: int
    received: int
    on_time: int
    missing: int
    not_due: int

    @property
    def late(self) -> int:
        return self.received - self.on_time


def sheet_months(
    catalog: Catalog, plan: Plan, log: pd.DataFrame, months: list[Period], today: dt.date
) -> list[SheetMonth]:
    """Per month of the report, from the locality's submission log (``store.queries.submissions_up_to``):
    a unit that has not sent the sheet of a month whose deadline (``plans.deadlines.sheet_due_date``)
    has not passed on ``today`` is "chưa đến hạn", never "chưa nộp"."""
    out = []
    for month in months:
        counts = completeness_counts(s.status for s in _statuses(catalog, plan, log, month))
        due = sheet_due_date(month)
        unsent = counts["expected"] - counts["received"]
        waiting = unsent if today <= due else 0
        out.append(
            SheetMonth(month, due, counts["expected"], counts["received"], counts["on_time"], unsent - waiting, waiting)
        )
    return out


@dataclass(frozen=True)
class UnitSheets:
    """One unit's monthly sheets over the report's months whose deadline has passed: due, on time,
    late, not sent."""

    name: str
    due: int
    on_time: int
    late: int
    missing: int


def sheet_units(
    catalog: Catalog, plan: Plan, log: pd.DataFrame, months: list[Period], today: dt.date
) -> list[UnitSheets]:
    """Per unit that had to send sheets in the report's months, in plan order (months not yet due left out)."""
    counts: dict[str, Counter] = {}
    for month in months:
        if today <= sheet_due_date(month):
            continue
        for unit, status, _ in _statuses(catalog, plan, log, month):
            counts.setdefault(unit, Counter())[status] += 1
    return [
        UnitSheets(
            plan.unit_name(unit), sum(c.values()), c[vocab.SUBMITTED_ON_TIME], c[vocab.SUBMITTED_LATE], c[vocab.MISSING]
        )
        for unit, c in counts.items()
    ]
