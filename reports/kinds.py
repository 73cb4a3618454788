"""Kinds of report (tháng, 6 tháng, năm, sơ kết, tổng kết): the period they cover, their
wording and the data window they state.

The kind defaults from the month: June → 6 tháng, December → năm, any other month → tháng.
The data window is the regime's (Nghị định 09/2019/NĐ-CP: 15/12 of the year before to 14/6 for
6 months, to 14/12 for a year, the 15th to the 14th for a month: ``plans.periods.data_window``),
cut the day before the plan's own deadline when the plan sets one in the report's month (Tân An
reports before 15/6: data to 14/6; Hưng Đạo before 10/6: to 9/6), and never after the day the
report is made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from plans.model import Plan
from plans.periods import DataWindow, Period, data_window

KINDS = ("thang", "6thang", "nam", "soket", "tongket")
KIND_LABELS = {
    "thang": "Báo cáo tháng",
    "6thang": "Báo cáo 6 tháng",
    "nam": "Báo cáo năm",
    "soket": "Báo cáo sơ kết",
    "tongket": "Báo cáo tổng kết",
}


def default_kind(period: Period) -> str:
    """June → ``6thang``, December → ``nam``, else ``thang``."""
    return {6: "6thang", 12: "nam"}.get(period.month, "thang")


@dataclass(frozen=True)
class Coverage:
    """What a report covers: first and last month, the wording of the period, the next period."""

    kind: str
    first: Period
    last: Period
    label: str
    next_label: str
    next_last: Period


def coverage(kind: str, period: Period, start_year: int, end_year: int) -> Coverage:
    """The months a report of ``kind`` at ``period`` covers, and how the text names them.

    ``start_year``/``end_year``: the plan's horizon (the whole city: the earliest and latest plan).
    """
    if kind not in KINDS:
        raise ValueError(f"loại báo cáo không hợp lệ: {kind!r} (một trong {', '.join(KINDS)})")
    year = period.year
    if kind == "thang":
        nxt = period.shift(1)
        return Coverage(
            kind, period, period, f"tháng {period.month} năm {year}", f"tháng {nxt.month} năm {nxt.year}", nxt
        )
    if kind == "6thang":
        first = Period(year, 1) if period.month <= 6 else Period(year, 7)
        label = f"6 tháng đầu năm {year}" if period.month <= 6 else f"6 tháng cuối năm {year}"
        following = f"6 tháng cuối năm {year}" if period.month <= 6 else f"6 tháng đầu năm {year + 1}"
        return Coverage(kind, first, period, label, following, period.shift(6))
    if kind == "nam":
        return Coverage(kind, Period(year, 1), period, f"năm {year}", f"năm {year + 1}", Period(year + 1, 12))
    first = Period(start_year, 1)
    if kind == "soket":
        return Coverage(
            kind,
            first,
            period,
            f"sơ kết giai đoạn {start_year} - {year}",
            f"giai đoạn {year + 1} - {end_year}",
            Period(end_year, 12),
        )
    return Coverage(
        kind,
        first,
        period,
        f"tổng kết giai đoạn {start_year} - {end_year}",
        f"giai đoạn tiếp theo (sau năm {end_year})",
        Period(end_year + 1, 12),
    )


def window(cover: Coverage, plan: Plan | None, today: dt.date) -> DataWindow:
    """The data window a report of ``cover`` made on ``today`` states (see the module docstring);
    ``plan``: the locality's plan (None for the city: the regime's days)."""
    own = None
    if plan is not None and cover.kind != "thang":
        own = next((int(d["day"]) for d in plan.report_deadlines if int(d["month"]) == cover.last.month), None)
    return data_window(cover.first, cover.last, today, own)
