"""The catalog as display tables (Vietnamese column names, formatted targets)."""

from __future__ import annotations

import pandas as pd

from plans.model import Catalog, Framework, Plan
from plans.text import fmt_date, fmt_number, fmt_target
from plans.vocabulary import RECURRENCE_LABELS, Accumulation, MeasureUnit

UNIT_LABELS = {MeasureUnit.PERCENT: "%", MeasureUnit.COUNT: "số lượng", MeasureUnit.YES_NO: "có/không"}
ACCUMULATION_LABELS = {
    Accumulation.LATEST: "giá trị hiện tại",
    Accumulation.LATEST_YEAR: "giá trị hiện tại trong năm",
    Accumulation.SUM_YEAR: "cộng dồn trong năm",
}


def indicator_table(catalog: Catalog, plan: Plan) -> pd.DataFrame:
    """A plan's indicators: code, group, name, target, year, responsible unit, measure, source."""
    groups = {str(g["code"]): g["name"] for g in plan.groups}
    return pd.DataFrame(
        [
            {
                "Mã": i.code,
                "Nhóm": f"{i.group}. {groups.get(i.group, '')}",
                "Chỉ tiêu": i.name,
                "Mục tiêu": fmt_target(i.comparator, i.target, catalog.measures[i.measure].unit),
                "Năm": "hằng năm" if i.every_year else str(i.target_year),
                "Đơn vị chịu trách nhiệm": plan.unit_name(i.responsible_unit),
                "Đại lượng đo": i.measure,
                "Nguyên văn": i.text,
                "Nguồn": i.source,
                "Ghi chú": i.note or "",
            }
            for i in plan.indicators
        ]
    )


def task_table(plan: Plan) -> pd.DataFrame:
    """A plan's tasks with lead and coordinating units, output and deadline."""
    return pd.DataFrame(
        [
            {
                "Mã": t.code,
                "Nhiệm vụ": t.name,
                "Chủ trì": "; ".join(plan.unit_name(u) for u in t.lead_units),
                "Phối hợp": "; ".join(t.coordinating_units),
                "Sản phẩm": t.output or "",
                "Thời hạn": fmt_date(t.deadline) if t.deadline else RECURRENCE_LABELS[t.recurrence],
                "Thời hạn (nguyên văn)": t.deadline_text,
                "Nguồn": t.source,
            }
            for t in plan.tasks
        ]
    )


def framework_table(catalog: Catalog, fw: Framework) -> pd.DataFrame:
    """The items of a KPI framework with group, method, threshold, maximum points and rule."""
    groups = {g["code"]: g["name"] for g in fw.groups}
    return pd.DataFrame(
        [
            {
                "Mã": it.code,
                "Nhóm": f"{it.group}. {groups[it.group]}",
                "Chỉ số": it.name,
                "Cách tính": it.method,
                "Ngưỡng": fmt_target(it.comparator, it.threshold, catalog.measures[it.measure].unit),
                "Điểm tối đa": fmt_number(it.max_points),
                "Quy tắc chấm": it.rule,
                "Nguồn": it.source,
            }
            for it in fw.items
        ]
    )


def measure_table(catalog: Catalog) -> pd.DataFrame:
    """The shared measure dictionary."""
    groups = {g["code"]: g["name"] for g in catalog.common_groups}
    return pd.DataFrame(
        [
            {
                "Mã": m.code,
                "Đại lượng": m.name,
                "Đơn vị": UNIT_LABELS[m.unit],
                "Cộng dồn": ACCUMULATION_LABELS[m.accumulation],
                "Nhóm chung": groups[m.common_group],
            }
            for m in catalog.measures.values()
        ]
    )


def search(table: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows where any cell contains ``text`` (case-insensitive)."""
    if not text.strip():
        return table
    needle = text.strip().casefold()
    mask = table.apply(lambda col: col.astype(str).str.casefold().str.contains(needle, regex=False)).any(axis=1)
    return table[mask]
