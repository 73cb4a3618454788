"""The path to each target drawn on the phase page starts where scoring starts it."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from plans import vocabulary as s
from plans.model import Catalog
from plans.periods import Period
from ui.paths import indicator_paths


def one_indicator(comparator: str, target: float, first: float, measure: str = "dvc_online_usage") -> pd.DataFrame:
    indicator = pd.DataFrame([{"code": "TA-x", "name": "Chỉ tiêu thử", "measure": measure, "unit": "%",
                               "comparator": comparator, "target": target, "target_year": 2030, "status": s.BEHIND}])
    monthly = pd.DataFrame([{"locality_id": "tan_an", "measure": measure, "period": "2026-02", "value": first}])
    series = monthly[["locality_id", "measure", "period", "value"]]
    return indicator, monthly, series


@pytest.mark.parametrize("comparator, target, first, start_value", [
    (">", 80, 70, 70),      # room to grow: the path starts at the first report
    (">=", 80, 90, 80),     # first report already past "≥ 80": keep the target from the start
    (">", 80, 80, 80),      # first report 80 under "> 80": no room, the path is the target line
    ("<=", 10, 5, 10),      # lower is better and already under: the target line
    ("<=", 10, 25, 25),     # lower is better, above the limit: from the first report down
])
def test_path_starts_at_the_first_report_or_at_the_target(catalog: Catalog, comparator, target, first, start_value):
    indicator, monthly, series = one_indicator(comparator, target, first)
    path = indicator_paths(indicator, {"TA-x": False}, monthly, series, catalog.measures, Period(2026, 6), 2026)[0]
    assert path.path_start == (dt.date(2026, 2, 1), start_value)
    assert (path.target, path.target_date) == (target, dt.date(2030, 12, 1))


def test_a_first_report_is_drawn_on_the_path_from_the_plan_start(catalog: Catalog):
    # the only report so far is this month's: the path runs from 0 in 12/2025 (the plan starts in 2026)
    indicator, monthly, series = one_indicator(">=", 100, 40)
    path = indicator_paths(indicator, {"TA-x": False}, monthly, series, catalog.measures, Period(2026, 2), 2026)[0]
    assert path.path_start == (dt.date(2025, 12, 1), 0.0)
    # lower is better has no natural 0: the first report stays the start
    indicator, monthly, series = one_indicator("<=", 10, 25)
    path = indicator_paths(indicator, {"TA-x": False}, monthly, series, catalog.measures, Period(2026, 2), 2026)[0]
    assert path.path_start == (dt.date(2026, 2, 1), 25)
