"""Dates of a plan: the next report deadline, review years, phases covering a month."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from plans.model import Plan

NO_FIXED_DEADLINE = "Kế hoạch không quy định ngày báo cáo cố định"


@dataclass(frozen=True)
class ReportDeadline:
    name: str
    day: dt.date
    days_left: int


def _on(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def next_report_deadline(plan: Plan, today: dt.date) -> ReportDeadline | None:
    """The first yearly report deadline on or after ``today`` (None if the plan sets none)."""
    upcoming = sorted(
        (_on(year, int(rd["month"]), int(rd["day"])), rd["name"])
        for rd in plan.report_deadlines
        for year in (today.year, today.year + 1)
        if _on(year, int(rd["month"]), int(rd["day"])) >= today
    )
    if not upcoming:
        return None
    day, name = upcoming[0]
    return ReportDeadline(name, day, (day - today).days)


def milestones(plan: Plan) -> pd.DataFrame:
    """Reviews (at the end of their year) and every report deadline over the plan's horizon.

    Columns: row, date, label, kind ("review" | "report").
    """
    rows = [
        {
            "row": "Sơ kết, tổng kết",
            "date": dt.date(int(rv["year"]), 12, 31),
            "label": f"{rv['name']} (năm {rv['year']})",
            "kind": "review",
        }
        for rv in plan.reviews
    ]
    start, end = plan.start_year, plan.end_year
    rows += [
        {
            "row": "Hạn báo cáo",
            "date": _on(year, int(rd["month"]), int(rd["day"])),
            "label": rd["name"],
            "kind": "report",
        }
        for rd in plan.report_deadlines
        for year in range(start, end + 1)
    ]
    return pd.DataFrame(rows, columns=["row", "date", "label", "kind"])


def phase_years(plan: Plan, name: str | None) -> tuple[int, int]:
    """First and last year of a phase (the whole plan when ``name`` is None)."""
    for phase in plan.phases:
        if phase["name"] == name:
            return int(phase["start_year"]), int(phase["end_year"])
    return plan.start_year, plan.end_year
