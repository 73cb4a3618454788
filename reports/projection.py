"""When will an unmet indicator be reached at the current pace, and what the report then calls it.

The series is the locality's value of the measure as of each month in which it was reported, up to
the report's month, by the store's as-of rule (``store.queries.value_series``: the latest value for
a rate or stock, the year's running total for a flow; for an "every year" indicator or a rate of
the year, that year's months only). The pace is the least-squares slope per month; from the last
reported value, the gap to the target divided by the pace gives the months still needed:

    months = ceil((target − last) ÷ pace)   (at least 1; for "lower is better" the gap and pace
                                             are taken downwards)

A projection is made only when it means something: a met, not-reported, past-deadline or yes/no
indicator has none, nor has a count of the year that is better lower (a running total of
incidents never comes down within its year); with fewer than ``MIN_REPORTS`` reported months the text says
"chưa đủ dữ liệu để dự báo"; when the last ``MIN_REPORTS`` reported values are equal, "chưa có tiến triển từ tháng …"
(a flat series has no pace, whatever it did before); when the pace goes away from the target, that
it does. Otherwise it names the month reached, or says the target will not be reached in time.

:func:`verdict` then never calls an indicator "Đúng tiến độ" when its projection is past the deadline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from plans import vocabulary as vocab
from plans.model import Measure
from plans.periods import Period
from plans.vocabulary import Accumulation, MeasureUnit
from reports.wording import month_words, status_word
from scoring.attainment import lower_is_better

MIN_REPORTS = 3
_EPS = 1e-9


@dataclass(frozen=True)
class Projection:
    """One indicator's projection: how many months were reported, the pace per month, the month
    reached (None: no meaningful projection) and whether that is by December of the target year."""

    code: str
    reports: int
    pace: float | None
    reach: Period | None
    in_time: bool | None
    text: str


def reported_series(
    as_of: pd.DataFrame, reported: pd.DataFrame, measure: Measure, period: Period, this_year_only: bool
) -> pd.Series:
    """The value as of each reported month (index ``YYYY-MM``) of one locality's measure, up to ``period``.

    ``as_of``: the locality's values as of each month (``store.queries.value_series``); ``reported``:
    its combined values in the months it reported (``store.queries.monthly_values``)."""
    months = set(reported.loc[reported["measure"] == measure.code, "period"])
    rows = as_of[(as_of["measure"] == measure.code) & as_of["period"].isin(months) & (as_of["period"] <= str(period))]
    if this_year_only or measure.accumulation in (Accumulation.SUM_YEAR, Accumulation.LATEST_YEAR):
        rows = rows[rows["period"] >= f"{period.year:04d}-01"]
    return rows.sort_values("period").set_index("period")["value"].astype(float)


def _direction(comparator: str, last: float, target: float) -> int:
    if lower_is_better(comparator):
        return -1
    if comparator == "=":
        return 1 if target >= last else -1
    return 1


def project(row: Mapping, measure: Measure, series: pd.Series) -> Projection | None:
    """The projection of one indicator row (``scoring.attainment.INDICATOR_COLUMNS``) on its
    reported ``series`` (:func:`reported_series`); None when there is nothing to project."""
    code, status = row["code"], row["status"]
    if status in (vocab.MET, vocab.NOT_REPORTED, vocab.NOT_MET) or measure.unit == MeasureUnit.YES_NO:
        return None
    if measure.accumulation == Accumulation.SUM_YEAR and lower_is_better(row["comparator"]):
        return None
    n = len(series)
    if n < MIN_REPORTS:
        return Projection(
            code, n, None, None, None, f"chưa đủ dữ liệu để dự báo (có {n} tháng báo cáo, cần ít nhất {MIN_REPORTS})"
        )
    values = series.to_numpy()
    tail = values[-MIN_REPORTS:]
    if float(np.ptp(tail)) <= _EPS:
        flat = n - 1
        while flat > 0 and abs(values[flat - 1] - values[-1]) <= _EPS:
            flat -= 1
        return Projection(
            code, n, 0.0, None, None, f"chưa có tiến triển từ {month_words(Period.parse(series.index[flat]))}"
        )
    months = np.array([Period.parse(p).index for p in series.index], dtype=float)
    slope = float(np.polyfit(months, values, 1)[0])
    target, year = float(row["target"]), int(row["target_year"])
    last_value, last_month = float(values[-1]), Period.parse(series.index[-1])
    direction = _direction(row["comparator"], last_value, target)
    pace, gap = slope * direction, (target - last_value) * direction
    if pace <= _EPS:
        way = "tăng" if direction < 0 else "giảm"
        return Projection(code, n, slope, None, False, f"kết quả đang {way}, ngược hướng mục tiêu")
    reach = last_month.shift(max(1, math.ceil(gap / pace - _EPS)))
    if reach > Period(year, 12):
        return Projection(
            code,
            n,
            slope,
            reach,
            False,
            f"theo tốc độ hiện nay, đến hết năm {year} chưa đạt (dự kiến {month_words(reach)})",
        )
    return Projection(code, n, slope, reach, True, f"dự kiến đạt {month_words(reach)}")


def projections(
    indicator_rows: list[dict],
    every_year: Mapping[str, bool],
    measures: Mapping[str, Measure],
    as_of: pd.DataFrame,
    reported: pd.DataFrame,
    period: Period,
) -> dict[str, Projection]:
    """indicator code → projection, for every indicator that has one (see :func:`project`).

    ``as_of``, ``reported``: the locality's values as of each month and in its reported months."""
    out = {}
    for row in indicator_rows:
        measure = measures[row["measure"]]
        series = reported_series(as_of, reported, measure, period, every_year.get(row["code"], False))
        found = project(row, measure, series)
        if found is not None:
            out[row["code"]] = found
    return out


def verdict(status: str, comparator: str, projection: Projection | None, final: bool = True) -> str:
    """What the report calls an indicator: its status in words (:func:`reports.wording.status_word`),
    except that a result on its path whose pace will not reach the target by the deadline, or that
    has stopped moving, is "Cần đẩy nhanh" — never "Đúng tiến độ" beside a projection past the
    deadline; and a target of a year whose data is still provisional (``final`` False) is "Chưa đạt",
    not yet "Không đạt"."""
    stalled = projection is not None and (projection.in_time is False or projection.pace == 0.0)
    if status == vocab.ON_TRACK and stalled:
        return status_word(vocab.SPEED_UP, comparator)
    if status == vocab.NOT_MET and not final:
        return "Chưa đạt"
    return status_word(status, comparator)
