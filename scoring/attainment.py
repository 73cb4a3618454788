"""Target attainment of each plan indicator, and progress on the path to targets due later.

For an indicator with comparator c, target t and target year T, at month P:

* no value → ``Chưa báo cáo``;
* the value meets the target (respecting ``>`` vs ``>=``) → ``Đạt``;
* the target year is over (P is December of T or later) and not met → ``Chưa đạt``;
* otherwise progress on the straight path from the baseline B (first reported value, at
  month P0) to the target at December of T: expected now E = B + (t − B) × (P − P0) ÷ (Dec T − P0),
  R = (actual − B) ÷ (E − B); R ≥ 0.95 ``Đúng tiến độ``, 0.6 ≤ R < 0.95 ``Cần đẩy nhanh``,
  0 ≤ R < 0.6 ``Chậm tiến độ``, R < 0 ``Đi xuống`` (the Open SDG progress bands).
  When nothing is expected yet (E = B) the indicator is on track unless it went backwards.

Flows counted per year start each year from 0 in December of the year before. "Every year"
indicators (``every_year``) are judged against the year of P.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from loaders.catalog import Indicator, Measure
from loaders.periods import Period
from scoring import statuses as st
from scoring.values import first_reports, values_as_of

INDICATOR_COLUMNS = ["code", "locality_id", "name", "group", "measure", "unit", "common_group", "comparator",
                     "target", "target_year", "responsible_unit", "actual", "baseline", "expected", "progress",
                     "attainment", "status", "source"]
ON_TRACK_MIN = 0.95
SPEED_UP_MIN = 0.6
_EPS = 1e-9


@dataclass(frozen=True)
class Progress:
    """The result for one indicator at one month."""

    actual: float | None
    expected: float | None
    baseline: float | None
    progress: float | None
    attainment: float | None
    status: str


def is_met(actual: float, comparator: str, target: float) -> bool:
    """Does ``actual`` satisfy ``comparator target``?"""
    if comparator == ">":
        return actual > target + _EPS
    if comparator == ">=":
        return actual >= target - _EPS
    if comparator == "=":
        return abs(actual - target) <= _EPS
    if comparator == "<=":
        return actual <= target + _EPS
    if comparator == "<":
        return actual < target - _EPS
    raise ValueError(f"phép so sánh không hợp lệ: {comparator!r}")


def lower_is_better(comparator: str) -> bool:
    return comparator in ("<", "<=")


def attainment_ratio(actual: float, comparator: str, target: float) -> float:
    """actual ÷ target when higher is better; target ÷ actual when lower is better; capped to 0…1."""
    if is_met(actual, comparator, target):
        return 1.0
    if lower_is_better(comparator):
        ratio = target / actual if actual > 0 else 1.0
    else:
        ratio = actual / target if target > 0 else 0.0
    return max(0.0, min(1.0, ratio))


def progress_band(ratio: float) -> str:
    """Status for a progress ratio R on the path to a future target."""
    if ratio >= ON_TRACK_MIN:
        return st.ON_TRACK
    if ratio >= SPEED_UP_MIN:
        return st.SPEED_UP
    if ratio >= 0:
        return st.BEHIND
    return st.REGRESSING


def evaluate(actual: float | None, comparator: str, target: float, target_year: int, period: Period,
             baseline: float | None, baseline_period: Period | None) -> Progress:
    """Status of one indicator at ``period`` (see the module docstring for the rule)."""
    if actual is None or pd.isna(actual):
        return Progress(None, None, baseline, None, None, st.NOT_REPORTED)
    attainment = attainment_ratio(actual, comparator, target)
    if is_met(actual, comparator, target):
        return Progress(actual, target, baseline, None, attainment, st.MET)
    end = Period(target_year, 12)
    if period >= end:
        return Progress(actual, target, baseline, None, attainment, st.NOT_MET)
    if baseline is None or baseline_period is None or baseline_period > period:
        baseline, baseline_period = actual, period
    total = end.index - baseline_period.index
    elapsed = period.index - baseline_period.index
    expected = baseline + (target - baseline) * (elapsed / total if total > 0 else 1.0)
    gap = expected - baseline
    if abs(gap) <= _EPS:
        moved_back = actual < baseline - _EPS if not lower_is_better(comparator) else actual > baseline + _EPS
        status = st.REGRESSING if moved_back else st.ON_TRACK
        return Progress(actual, expected, baseline, None, attainment, status)
    ratio = (actual - baseline) / gap
    return Progress(actual, expected, baseline, ratio, attainment, progress_band(ratio))


def target_year_at(indicator: Indicator, period: Period) -> int:
    """The year an indicator is judged against at ``period`` ("every year" → that year)."""
    return period.year if indicator.every_year else indicator.target_year


Key = tuple[str, str]


@dataclass(frozen=True)
class ValueLookup:
    """Values as of a month and baselines, keyed by (locality_id, measure), for fast evaluation."""

    as_of_frame: pd.DataFrame
    as_of: dict[Key, float]
    first_ever: dict[Key, tuple[str, float]]
    first_in_year: dict[Key, tuple[str, float]]


def _firsts(frame: pd.DataFrame) -> dict[Key, tuple[str, float]]:
    return dict(zip(zip(frame["locality_id"], frame["measure"]),
                    zip(frame["period"], frame["value"].astype(float))))


def value_lookup(monthly: pd.DataFrame, measures: Mapping[str, Measure], period: Period) -> ValueLookup:
    """Compute once per month what every indicator of every locality needs."""
    as_of = values_as_of(monthly, measures, period)
    upto = monthly[monthly["period"] <= str(period)]
    return ValueLookup(
        as_of_frame=as_of,
        as_of=dict(zip(zip(as_of["locality_id"], as_of["measure"]), as_of["value"].astype(float))),
        first_ever=_firsts(first_reports(upto)),
        first_in_year=_firsts(first_reports(upto, Period(period.year, 1))),
    )


def evaluate_indicators(indicators: Iterable[Indicator], lookup: ValueLookup,
                        measures: Mapping[str, Measure], period: Period) -> pd.DataFrame:
    """One row per indicator: actual, target, target year, baseline, expected, progress, status."""
    return pd.DataFrame(indicator_rows(indicators, lookup, measures, period), columns=INDICATOR_COLUMNS)


def indicator_rows(indicators: Iterable[Indicator], lookup: ValueLookup,
                   measures: Mapping[str, Measure], period: Period) -> list[dict]:
    """The rows of :func:`evaluate_indicators` as dicts (no DataFrame: fast for many localities)."""
    rows = []
    for ind in indicators:
        key = (ind.locality_id, ind.measure)
        actual = lookup.as_of.get(key)
        year = target_year_at(ind, period)
        measure = measures[ind.measure]
        if measure.accumulation == "sum_year":
            base_period, baseline = Period(year - 1, 12), 0.0
        else:
            first = (lookup.first_in_year if ind.every_year else lookup.first_ever).get(key)
            base_period, baseline = (Period.parse(first[0]), first[1]) if first else (None, None)
        result = evaluate(actual, ind.comparator, ind.target, year, period, baseline, base_period)
        rows.append({
            "code": ind.code, "locality_id": ind.locality_id, "name": ind.name, "group": ind.group,
            "measure": ind.measure, "unit": measure.unit, "common_group": measure.common_group,
            "comparator": ind.comparator, "target": ind.target, "target_year": year,
            "responsible_unit": ind.responsible_unit, "actual": result.actual,
            "baseline": result.baseline, "expected": result.expected, "progress": result.progress,
            "attainment": result.attainment, "status": result.status, "source": ind.source,
        })
    return rows
