"""Target attainment of each plan indicator, and progress on the path to targets due later.

For an indicator with comparator c, target t and target year T, at month P:

* no value → ``Chưa báo cáo``;
* the value meets the target (respecting ``>`` vs ``>=``) → ``Đạt``;
* the target year is over (P is December of T or later) and not met → ``Chưa đạt``;
* otherwise progress on the straight path from the baseline B (first reported value, at
  month P0) to the target at December of T: expected now E = B + (t − B) × (P − P0) ÷ (Dec T − P0),
  R = (actual − B) ÷ (E − B); R ≥ 0.95 ``Đúng tiến độ``, 0.6 ≤ R < 0.95 ``Cần đẩy nhanh``,
  0 ≤ R < 0.6 ``Chậm tiến độ``, R < 0 ``Đi xuống`` (the Open SDG progress bands).
* a first report (P = P0) has no path of its own yet, so it is measured on the path from 0 at the
  plan's start S (December before the plan's first year; for an "every year" indicator, December
  before the year judged, when that is later) to the target: E = t × (P − S) ÷ (Dec T − S), R =
  actual ÷ E. This applies when the target is reached by going up from 0 (``>``, ``>=``, and
  ``=`` with the actual not above the target); for ``<``/``<=`` there is no natural origin, and a
  first report there (or one at the plan's start, P = S) is on track unless it went backwards.

The good direction is up for ``>``/``>=``, down for ``<``/``<=``, and for ``=`` from B towards t.
When the path has no room in the good direction (B already at or past t: a first report of 90
under "≥ 80", of 80 under "> 80", of 5 under "≤ 10", or B = t under ``=``) and the target is not
met now, the locality was expected to keep the target from the start: E = t, and the status is
``Đi xuống`` when the actual is worse than B (R undefined) and ``Chậm tiến độ`` when it equals B
(R = 0) — also in the first month.

Attainment (shown as "Mức đạt") is actual ÷ target, target ÷ actual when lower is better, and
for ``=`` the smaller of the two; it is 1 (100%) exactly when the target is met. A value that
does not meet the target is capped at 0.999, so it never reads as 100% (one decimal: 99,9%) —
e.g. exactly 80 under "> 80".

Flows counted per year start each year from 0 in December of the year before. "Every year"
indicators (``every_year``) are judged against the year of P.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from plans import vocabulary as vocab
from plans.model import Indicator, Measure
from plans.periods import Period
from plans.vocabulary import Accumulation

INDICATOR_COLUMNS = [
    "code",
    "locality_id",
    "name",
    "group",
    "measure",
    "unit",
    "common_group",
    "comparator",
    "target",
    "target_year",
    "responsible_unit",
    "actual",
    "baseline",
    "baseline_period",
    "expected",
    "progress",
    "attainment",
    "status",
    "source",
]
ON_TRACK_MIN = 0.95
SPEED_UP_MIN = 0.6
NOT_MET_CAP = 0.999
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
    since: Period | None = None  # where the path was measured from, when not the baseline given (a first report)


def is_missing(value: object) -> bool:
    """No value: None or NaN (a cheap ``pd.isna`` for one number, called for every indicator and item)."""
    return value is None or value != value


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
    """``<`` and ``<=``: the smaller the value, the better."""
    return comparator in ("<", "<=")


def attainment_ratio(actual: float, comparator: str, target: float) -> float:
    """1.0 when the target is met; else actual ÷ target (target ÷ actual when lower is better,
    the smaller of both for ``=``), within 0…0.999 so that a miss never shows as 100%."""
    if is_met(actual, comparator, target):
        return 1.0
    if lower_is_better(comparator) or (comparator == "=" and actual > target):
        ratio = target / actual if actual > 0 else NOT_MET_CAP
    else:
        ratio = actual / target if target > 0 else 0.0
    return max(0.0, min(NOT_MET_CAP, ratio))


def progress_band(ratio: float) -> str:
    """Status for a progress ratio R on the path to a future target."""
    if ratio >= ON_TRACK_MIN:
        return vocab.ON_TRACK
    if ratio >= SPEED_UP_MIN:
        return vocab.SPEED_UP
    if ratio >= 0:
        return vocab.BEHIND
    return vocab.REGRESSING


def _direction(comparator: str, baseline: float, target: float) -> int:
    """+1 when higher values are better, −1 when lower are; for ``=`` towards the target from
    the baseline (0 when the baseline is the target)."""
    if lower_is_better(comparator):
        return -1
    if comparator == "=":
        return 0 if abs(target - baseline) <= _EPS else (1 if target > baseline else -1)
    return 1


def path_has_room(comparator: str, baseline: float, target: float) -> bool:
    """Is there a way from the baseline to the target in the good direction (baseline not yet at
    or past the target)?"""
    return _direction(comparator, baseline, target) * (target - baseline) > _EPS


def path_start(
    comparator: str, baseline_period: Period | None, baseline: float | None, target: float
) -> tuple[Period, float] | None:
    """Where the straight path to the target starts: the baseline, or the target itself when the
    baseline was already at or past it (the locality is then expected to keep the target)."""
    if baseline_period is None or baseline is None:
        return None
    return baseline_period, baseline if path_has_room(comparator, baseline, target) else target


def _moved_back(actual: float, baseline: float, target: float, direction: int) -> bool:
    """Is ``actual`` worse than the baseline (for ``=`` on its target: any move off it)?"""
    if direction == 0:
        return abs(actual - target) > _EPS
    return direction * (actual - baseline) < -_EPS


def first_report_origin(
    comparator: str, actual: float, target: float, start: Period | None, period: Period
) -> Period | None:
    """The month a first report's path starts from 0 (``start``), or None when it has none: the
    plan started at ``period`` or later, lower is better, or the target is not reached going up."""
    if start is None or start >= period or lower_is_better(comparator) or target <= _EPS:
        return None
    if comparator == "=" and actual > target + _EPS:
        return None
    return start


def evaluate(
    actual: float | None,
    comparator: str,
    target: float,
    target_year: int,
    period: Period,
    baseline: float | None,
    baseline_period: Period | None,
    plan_start: Period | None = None,
) -> Progress:
    """Status of one indicator at ``period`` (see the module docstring for the rule); ``plan_start``
    is where a first report's path starts (S), None to judge a first report as on track."""
    if is_missing(actual):
        return Progress(None, None, baseline, None, None, vocab.NOT_REPORTED)
    attainment = attainment_ratio(actual, comparator, target)
    if is_met(actual, comparator, target):
        return Progress(actual, target, baseline, None, attainment, vocab.MET)
    end = Period(target_year, 12)
    if period >= end:
        return Progress(actual, target, baseline, None, attainment, vocab.NOT_MET)
    if baseline is None or baseline_period is None or baseline_period > period:
        baseline, baseline_period = actual, period
    direction = _direction(comparator, baseline, target)
    moved_back = _moved_back(actual, baseline, target, direction)
    if not path_has_room(comparator, baseline, target):
        if moved_back:
            return Progress(actual, target, baseline, None, attainment, vocab.REGRESSING)
        return Progress(actual, target, baseline, 0.0, attainment, vocab.BEHIND)
    elapsed = period.index - baseline_period.index
    since = None
    if elapsed == 0:
        since = first_report_origin(comparator, actual, target, plan_start, period)
        if since is None:
            status = vocab.REGRESSING if moved_back else vocab.ON_TRACK
            return Progress(actual, baseline, baseline, None, attainment, status)
        baseline, baseline_period = 0.0, since
        elapsed = period.index - since.index
    expected = baseline + (target - baseline) * elapsed / (end.index - baseline_period.index)
    ratio = (actual - baseline) / (expected - baseline)
    return Progress(actual, expected, baseline, ratio, attainment, progress_band(ratio), since)


def target_year_at(indicator: Indicator, period: Period) -> int:
    """The year an indicator is judged against at ``period`` ("every year" → that year)."""
    return period.year if indicator.every_year else indicator.target_year


Key = tuple[str, str]


class Baseline(NamedTuple):
    """The first value of a measure (ever, or in the year) and its month ('YYYY-MM')."""

    period: str
    value: float


@dataclass(frozen=True)
class ValueLookup:
    """Values as of a month and baselines, keyed by (locality_id, measure), for fast evaluation."""

    as_of: dict[Key, float]
    first_ever: dict[Key, Baseline]
    first_in_year: dict[Key, Baseline]


def value_lookup(values: pd.DataFrame) -> ValueLookup:
    """Index the rows of ``store.queries.values_as_of`` (one per locality and measure)."""
    column = {name: values[name].tolist() for name in values.columns}  # plain Python objects: fast to iterate
    keys = list(zip(column["locality_id"], column["measure"]))

    def pairs(period: str, value: str) -> dict[Key, Baseline]:
        return {k: Baseline(p, float(v)) for k, p, v in zip(keys, column[period], column[value]) if isinstance(p, str)}

    return ValueLookup(
        as_of={k: float(v) for k, v in zip(keys, column["value"]) if not is_missing(v)},
        first_ever=pairs("first_period", "first_value"),
        first_in_year=pairs("year_first_period", "year_first_value"),
    )


@lru_cache(maxsize=256)
def december_before(year: int) -> Period:
    """December of the year before ``year``: where a year's flows start from 0, and a plan's path
    (cached: asked for every indicator of every locality)."""
    return Period(year - 1, 12)


def plan_path_start(plan_start_year: int, every_year: bool, period: Period) -> Period:
    """S, where a first report's path starts: December before the plan's first year, or for an
    "every year" indicator December before the year judged when that is later."""
    start = december_before(plan_start_year)
    return max(start, december_before(period.year)) if every_year else start


def indicator_rows(
    indicators: Iterable[Indicator],
    lookup: ValueLookup,
    measures: Mapping[str, Measure],
    period: Period,
    plan_start_year: int | None = None,
) -> list[dict]:
    """One dict per indicator (``INDICATOR_COLUMNS``: actual, target, target year, baseline, expected,
    progress, status; no DataFrame: fast for many localities);
    ``plan_start_year`` gives a first report its path (see :func:`plan_path_start`)."""
    rows = []
    for ind in indicators:
        key = (ind.locality_id, ind.measure)
        actual = lookup.as_of.get(key)
        year = target_year_at(ind, period)
        measure = measures[ind.measure]
        if measure.accumulation == Accumulation.SUM_YEAR:
            base_period, baseline = december_before(year), 0.0
        else:
            first = (lookup.first_in_year if ind.every_year else lookup.first_ever).get(key)
            base_period, baseline = (Period.parse(first.period), first.value) if first else (None, None)
        start = None if plan_start_year is None else plan_path_start(plan_start_year, ind.every_year, period)
        result = evaluate(actual, ind.comparator, ind.target, year, period, baseline, base_period, start)
        if result.since is not None:
            base_period = result.since
        elif base_period is None and result.actual is not None:
            base_period = period
        rows.append(
            {
                "code": ind.code,
                "locality_id": ind.locality_id,
                "name": ind.name,
                "group": ind.group,
                "measure": ind.measure,
                "unit": measure.unit,
                "common_group": measure.common_group,
                "comparator": ind.comparator,
                "target": ind.target,
                "target_year": year,
                "responsible_unit": ind.responsible_unit,
                "actual": result.actual,
                "baseline": result.baseline,
                "baseline_period": base_period,
                "expected": result.expected,
                "progress": result.progress,
                "attainment": result.attainment,
                "status": result.status,
                "source": ind.source,
            }
        )
    return rows
