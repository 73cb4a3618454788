"""KPI points and rating from a framework (data/frameworks/*.yaml), applied to any locality.

Rules per item (``rule`` in the framework file):

* ``proportional`` (default for items with a threshold): max_points × min(1, value ÷ threshold)
  — partial credit in proportion; for a "lower is better" comparator, threshold ÷ value;
* ``yes_no``: max_points for "Có" (1), 0 otherwise;
* ``all_or_nothing``: max_points when the value meets the threshold, else 0;
* ``steps``: the first step whose ``min_ratio`` ≤ value ÷ threshold gives ``share`` × max_points.

A not-reported item earns 0 and is flagged ``Chưa báo cáo``. Items keep their exact points;
each group subtotal and the total are sums of exact item points, rounded once to two decimals
half up in the decimal sense (89.992 → 89.99, 89.995 → 90.00; float noise below 1e-9 is
ignored), and the rounded total is rated by the framework's bands (lower bound inclusive), so
the rating always agrees with the total shown.

A score is provisional ("tạm tính") while its year is not over: for a month before December,
or for December before that month has ended (today ≤ 31/12). The framework applied is the one
valid for the month's year (``Catalog.framework_for``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from plans import clock
from plans import vocabulary as vocab
from plans.model import Framework, FrameworkItem
from plans.periods import Period
from plans.vocabulary import KpiRule
from scoring.attainment import is_met, is_missing, lower_is_better

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class ItemScore:
    """One framework item: its value as of the month and its exact (unrounded) points."""

    code: str
    name: str
    group: str
    measure: str
    value: float | None
    points: float
    max_points: float
    status: str


@dataclass(frozen=True)
class GroupScore:
    """A group subtotal, rounded once (see :func:`round_points`)."""

    code: str
    name: str
    points: float
    max_points: float


@dataclass(frozen=True)
class KpiScore:
    """A locality's score at a month: rounded total, rating, groups and items."""

    framework_id: str
    points: float
    rating: str
    provisional: bool
    groups: tuple[GroupScore, ...]
    items: tuple[ItemScore, ...]

    @property
    def not_reported(self) -> int:
        """How many items had no value."""
        return sum(1 for item in self.items if item.status == vocab.NOT_REPORTED)


def round_points(points: float) -> float:
    """Two decimals, half up in the decimal sense (float noise cut at 9 decimals first)."""
    return float(Decimal(repr(round(points, 9))).quantize(_CENT, rounding=ROUND_HALF_UP))


def is_provisional(period: Period, today: dt.date) -> bool:
    """A month before December, or a December not yet over on ``today``."""
    return period.month < 12 or today <= period.last_day


def _ratio(value: float, item: FrameworkItem) -> float:
    if lower_is_better(item.comparator):
        return 1.0 if value <= 0 else item.threshold / value
    return 1.0 if item.threshold <= 0 else value / item.threshold


def item_points(item: FrameworkItem, value: float | None) -> float:
    """Points one item earns for ``value`` under its rule (0 when not reported)."""
    if is_missing(value):
        return 0.0
    if item.rule == KpiRule.YES_NO:
        return item.max_points if value >= 1 else 0.0
    if item.rule == KpiRule.ALL_OR_NOTHING:
        return item.max_points if is_met(value, item.comparator, item.threshold) else 0.0
    ratio = max(0.0, _ratio(value, item))
    if item.rule == KpiRule.STEPS:
        for step in sorted(item.steps, key=lambda s: -s["min_ratio"]):
            if ratio >= step["min_ratio"] - 1e-9:
                return item.max_points * float(step["share"])
        return 0.0
    return item.max_points * min(1.0, ratio)


def rating_for(points: float, ratings: tuple[dict, ...]) -> str:
    """The first band (highest first) whose lower bound the points reach."""
    for band in sorted(ratings, key=lambda r: -r["min_points"]):
        if points >= band["min_points"]:
            return band["name"]
    return min(ratings, key=lambda r: r["min_points"])["name"]


def score(framework: Framework, values: Mapping[str, float], period: Period, today: dt.date | None = None) -> KpiScore:
    """Score one locality: ``values`` maps measure code → value as of ``period`` (absent = not reported)."""
    items = []
    for item in framework.items:
        value = values.get(item.measure)
        reported = not is_missing(value)
        if not reported:
            status = vocab.NOT_REPORTED
        elif is_met(float(value), item.comparator, item.threshold):
            status = vocab.MET
        else:
            status = vocab.NOT_MET
        items.append(
            ItemScore(
                item.code,
                item.name,
                item.group,
                item.measure,
                float(value) if reported else None,
                item_points(item, value),
                item.max_points,
                status,
            )
        )
    groups = tuple(
        GroupScore(
            g["code"],
            g["name"],
            round_points(sum(i.points for i in items if i.group == g["code"])),
            float(g["max_points"]),
        )
        for g in framework.groups
    )
    total = round_points(sum(i.points for i in items))
    return KpiScore(
        framework.id,
        total,
        rating_for(total, framework.ratings),
        is_provisional(period, today or clock.today()),
        groups,
        tuple(items),
    )
