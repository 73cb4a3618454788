"""When will an unmet indicator be reached at the current pace?

The pace is the least-squares slope (per month) of the indicator's reported series: the
locality's value as of each month in which the measure was reported, up to the report's month
(for a flow counted per year, the running total of that year; for an "every year" indicator or
a rate of the year, that year's months only). From the last reported value, the gap to the
target divided by the pace gives the months still needed:

    months = ceil((target − last) ÷ pace)   (at least 1; for "lower is better" the gap and pace
                                             are taken downwards)

With fewer than ``MIN_REPORTS`` reported months there is no projection (the text says how many
are needed); a yes/no indicator has none either. When the pace is zero or in the wrong direction,
or the month reached is after December of the target year, the text reads "không đạt trước <năm>".
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from plans import vocabulary as st
from plans.model import Measure
from plans.periods import Period
from scoring.attainment import lower_is_better

MIN_REPORTS = 3


@dataclass(frozen=True)
class Projection:
    """The projection of one indicator: its series length, pace per month and the month reached."""

    code: str
    reports: int
    pace: float | None
    reach: Period | None
    in_time: bool | None
    text: str


def reported_series(monthly: pd.DataFrame, measure: Measure, period: Period, this_year_only: bool) -> pd.Series:
    """Value as of each reported month (index ``YYYY-MM``) of one locality's measure, up to ``period``.

    ``monthly``: the locality's combined monthly values (``store.queries.monthly_values``)."""
    rows = monthly[(monthly["measure"] == measure.code) & (monthly["period"] <= str(period))]
    if this_year_only or measure.accumulation in ("sum_year", "latest_year"):
        rows = rows[rows["period"] >= f"{period.year:04d}-01"]
    series = rows.sort_values("period").set_index("period")["value"].astype(float)
    return series.cumsum() if measure.accumulation == "sum_year" else series


def _direction(comparator: str, last: float, target: float) -> int:
    if lower_is_better(comparator):
        return -1
    if comparator == "=":
        return 1 if target >= last else -1
    return 1


def project(row: Mapping, measure: Measure, monthly: pd.DataFrame, period: Period,
            every_year: bool) -> Projection | None:
    """The projection of one indicator row (``scoring.attainment.INDICATOR_COLUMNS``); None when
    the indicator is met or not reported (nothing to project)."""
    code, status = row["code"], row["status"]
    if status in (st.MET, st.NOT_REPORTED):
        return None
    if measure.unit == "yes/no":
        return Projection(code, 0, None, None, None, "chỉ tiêu Có/Không, không tính tốc độ")
    series = reported_series(monthly, measure, period, every_year)
    n = len(series)
    if n < MIN_REPORTS:
        return Projection(code, n, None, None, None,
                          f"chưa đủ số liệu để dự báo: có {n} tháng báo cáo, cần ít nhất {MIN_REPORTS}")
    months = np.array([Period.parse(p).index for p in series.index], dtype=float)
    slope = float(np.polyfit(months, series.to_numpy(), 1)[0])
    target, year = float(row["target"]), int(row["target_year"])
    last_value, last_month = float(series.iloc[-1]), Period.parse(series.index[-1])
    direction = _direction(row["comparator"], last_value, target)
    pace = slope * direction
    gap = (target - last_value) * direction
    deadline = Period(year, 12)
    if pace <= 1e-9:
        return Projection(code, n, slope, None, False, f"không đạt trước {year} (kết quả không tăng theo hướng mục tiêu)")
    reach = last_month.shift(max(1, math.ceil(gap / pace - 1e-9)))
    when = f"tháng {reach.month:02d}/{reach.year}"
    if reach > deadline:
        return Projection(code, n, slope, reach, False, f"không đạt trước {year} (theo tốc độ hiện nay: {when})")
    return Projection(code, n, slope, reach, True, f"dự kiến đạt vào {when}")


def projections(indicator_rows: list[dict], every_year: Mapping[str, bool], measures: Mapping[str, Measure],
                monthly: pd.DataFrame, period: Period) -> dict[str, Projection]:
    """indicator code → projection, for every indicator not met that has been reported.

    ``monthly``: the locality's combined monthly values."""
    out = {}
    for row in indicator_rows:
        found = project(row, measures[row["measure"]], monthly, period, every_year.get(row["code"], False))
        if found is not None:
            out[row["code"]] = found
    return out
