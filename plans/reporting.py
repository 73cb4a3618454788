"""Who reports what: the measures and tasks on each unit's monthly sheet, and the units that must send one.

Measures on a unit's sheet:
    every measure whose plan indicator names the unit as ``responsible_unit``; a KPI-framework
    measure that no plan indicator covers goes to the measure's ``default_unit`` when the
    locality has that unit, else to ``vhxh`` (Phòng Văn hóa - Xã hội, the plan's focal point).
    The sheet for the whole locality (unit ``all``) carries every measure of the locality
    (plan indicators ∪ KPI framework).
Tasks on a unit's sheet: those whose ``lead_units`` contain the unit; ``all`` carries every task.

How a value is entered, per measure unit: ``%`` as a percent (0–100), ``count`` as a whole
number, ``yes/no`` as Có/Không. A rate may also be given as Tử số/Mẫu số; a reduction
(measure kind ``reduction``, "giảm ≥ 20%") only as the reduction in percent. A ``share_yes``
measure on a village sheet (unit ``thon``) is answered Có/Không by the village and stored as
100/0.

How several reporters of one measure (units, villages) combine into the locality's value
(applied when reading, in SQL: ``store/sql/value_rules.sql``):
    count → the sum over reporters;
    % → Σ Tử số ÷ Σ Mẫu số × 100 when every reporter gave both, else the mean of the percents;
    yes/no → "Có" when any reporter says Có;
    share_yes → each village's 100/0, averaged: the share of villages answering Có.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from plans.model import Catalog, FrameworkItem, Indicator, Measure, Plan, ReportSigner, Task
from plans.periods import Period
from plans.vocabulary import ALL_UNITS, FALLBACK_UNIT, VILLAGE_UNIT, Combine, MeasureKind, MeasureUnit

ALL_UNITS_NAME = "Tất cả các đơn vị (phiếu chung của địa phương)"
UPWARD = "Sở Khoa học và Công nghệ thành phố Hải Phòng"
"""Where a commune's or ward's reports on the city's innovation scheme go (the department that
compiles them): the first recipient when a plan file names none (``report_recipients``)."""
REPORT_SIGNER_TITLE = "KT. Chủ tịch - Phó Chủ tịch"
"""The authority line of a People's Committee's report when the plan file sets none
(``report_signer``): the common form of a báo cáo ("TM. Ủy ban nhân dân" is for decisions)."""

PERCENT = "percent"
COUNT = "count"
YES_NO = "yes_no"


class SpecError(ValueError):
    """The locality or unit is not in the catalog (message in Vietnamese)."""


@dataclass(frozen=True)
class MeasureLine:
    """One row of the "Chỉ tiêu" sheet: a measure, how it is entered and the targets behind it."""

    measure: Measure
    entry: str
    indicators: tuple[Indicator, ...]
    framework_items: tuple[FrameworkItem, ...]

    @property
    def code(self) -> str:
        return self.measure.code

    @property
    def is_reduction(self) -> bool:
        """A reduction in percent ("giảm ≥ 20%"): the reduction itself is written, e.g. 20."""
        return self.measure.kind == MeasureKind.REDUCTION

    @property
    def takes_ratio(self) -> bool:
        """Tử số and Mẫu số may be written: a rate, not a reduction (8 days of 10 is not an 80% reduction)."""
        return self.entry == PERCENT and not self.is_reduction

    @property
    def stores_share_of_yes(self) -> bool:
        """Answered Có/Không but stored as 100/0 (a village's part of a share)."""
        return self.entry == YES_NO and self.measure.unit == MeasureUnit.PERCENT


@dataclass(frozen=True)
class SheetSpec:
    """The content of one unit's sheet for one locality."""

    locality_id: str
    locality_name: str
    unit_code: str
    unit_name: str
    lines: tuple[MeasureLine, ...]
    tasks: tuple[Task, ...]

    @property
    def is_village(self) -> bool:
        return self.unit_code == VILLAGE_UNIT

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.tasks


def _entry(measure: Measure, unit_code: str) -> str:
    if measure.unit == MeasureUnit.YES_NO or (measure.combine == Combine.SHARE_YES and unit_code == VILLAGE_UNIT):
        return YES_NO
    return PERCENT if measure.unit == MeasureUnit.PERCENT else COUNT


def measure_units(catalog: Catalog, plan: Plan, year: int) -> dict[str, str]:
    """measure code → the unit that reports it in this locality (plan order, then the KPI
    framework of ``year``)."""
    owners: dict[str, str] = {}
    for indicator in plan.indicators:
        owners.setdefault(indicator.measure, indicator.responsible_unit)
    unit_codes = {u["code"] for u in plan.units}
    for item in catalog.framework_for(year).items:
        default = catalog.measures[item.measure].default_unit
        owners.setdefault(item.measure, default if default in unit_codes else FALLBACK_UNIT)
    return owners


def _plan(catalog: Catalog, locality_id: str) -> Plan:
    if locality_id not in catalog.plans:
        raise SpecError(f"không có địa phương mã '{locality_id}' trong danh mục")
    return catalog.plans[locality_id]


def sheet_spec(catalog: Catalog, locality_id: str, unit_code: str, year: int) -> SheetSpec:
    """Measures and tasks of ``unit_code``'s sheet (``all`` for the whole locality) for a month of
    ``year`` (the KPI framework of that year decides which measures it also carries)."""
    plan = _plan(catalog, locality_id)
    codes = [u["code"] for u in plan.units]
    if unit_code != ALL_UNITS and unit_code not in codes:
        raise SpecError(
            f"{plan.name} không có đơn vị mã '{unit_code}' trong kế hoạch "
            f"(các mã đơn vị: {', '.join(codes)}, hoặc {ALL_UNITS} cho cả địa phương)"
        )
    owners = measure_units(catalog, plan, year)
    framework = catalog.framework_for(year)
    lines = []
    for code, measure in catalog.measures.items():
        if code not in owners or (unit_code != ALL_UNITS and owners[code] != unit_code):
            continue
        lines.append(
            MeasureLine(
                measure=measure,
                entry=_entry(measure, unit_code),
                indicators=tuple(i for i in plan.indicators if i.measure == code),
                framework_items=tuple(it for it in framework.items if it.measure == code),
            )
        )
    tasks = tuple(t for t in plan.tasks if unit_code == ALL_UNITS or unit_code in t.lead_units)
    unit_name = ALL_UNITS_NAME if unit_code == ALL_UNITS else plan.unit_name(unit_code)
    return SheetSpec(
        locality_id=plan.id,
        locality_name=plan.name,
        unit_code=unit_code,
        unit_name=unit_name,
        lines=tuple(lines),
        tasks=tasks,
    )


def reporting_units(catalog: Catalog, locality_id: str, year: int) -> tuple[str, ...]:
    """Who must send a sheet each month of ``year``: every unit whose sheet carries a measure or a
    task, in plan order. The one rule behind the template list, the completeness grid, the
    summary and the sample data (a collective unit such as "Các phòng, ban, đơn vị" that leads
    tasks is issued a sheet and counted like any other)."""
    plan = _plan(catalog, locality_id)
    busy = set(measure_units(catalog, plan, year).values()) | {unit for *_, leads in plan.schedule for unit in leads}
    return tuple(u["code"] for u in plan.units if u["code"] in busy)


def expected_units(catalog: Catalog, locality_id: str, period: Period) -> tuple[str, ...]:
    """Who must send a sheet for ``period``: :func:`reporting_units`, or nobody before the
    locality's first reporting month (``reporting_start`` in its plan file)."""
    plan = _plan(catalog, locality_id)
    if plan.reporting_start and period < Period.parse(plan.reporting_start):
        return ()
    return reporting_units(catalog, locality_id, period.year)


def report_recipients(plan: Plan) -> tuple[str, ...]:
    """The "Nơi nhận" of the plan's reports before "Lưu": ``report_recipients`` from the plan file,
    else the plan's reporting line (the city's Sở Khoa học và Công nghệ, then the locality's leaders)."""
    return plan.report_recipients or (UPWARD, "Thường trực Đảng ủy", f"Chủ tịch, các Phó Chủ tịch UBND {plan.kind}")


def report_signer(plan: Plan) -> ReportSigner:
    """Who signs the plan's reports: ``report_signer`` from the plan file, else "KT. Chủ tịch - Phó
    Chủ tịch" with the name of the plan's own signer when they signed it with that title (else left blank)."""
    if plan.report_signer is not None:
        return plan.report_signer
    signed = str(plan.meta.get("signer_title") or "").casefold()
    same = signed.endswith(REPORT_SIGNER_TITLE.casefold())
    return ReportSigner(REPORT_SIGNER_TITLE, str(plan.meta.get("signer") or "") if same else "")


def first_report_month(plan: Plan) -> Period:
    """The first month a report of the plan may be made for: ``reporting_start``, else January of its first year."""
    return Period.parse(plan.reporting_start) if plan.reporting_start else Period(plan.start_year, 1)


def report_month_problem(plans: Iterable[Plan], period: Period, today: dt.date, whose: str) -> str | None:
    """Why no report of ``plans`` (one locality, or every one for the city; ``whose`` names them)
    can be made for ``period`` on ``today``, in Vietnamese; None when it can: the month must be from
    the first reporting month to the end of the plans' horizon, and must have begun."""
    plans = list(plans)
    first = min(first_report_month(p) for p in plans)
    end = Period(max(p.end_year for p in plans), 12)
    if period < first:
        return (
            f"{period.label} trước tháng báo cáo đầu tiên của {whose} ({first.label.lower()}): "
            "kế hoạch chưa triển khai nên không có số liệu để báo cáo."
        )
    if period > end:
        return (
            f"{period.label} sau khi kế hoạch của {whose} kết thúc (hết năm {end.year}): "
            "không lập báo cáo cho tháng này."
        )
    if period.first_day > today:
        return (
            f"{period.label} chưa bắt đầu (hôm nay là {today:%d/%m/%Y}): chỉ lập được báo cáo đến "
            f"{Period.of(today).label.lower()}."
        )
    return None
