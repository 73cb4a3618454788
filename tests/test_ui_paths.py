"""The path to each target drawn on the phase page starts where scoring starts it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from plans.model import Catalog, Indicator
from plans.periods import Period
from scoring.attainment import INDICATOR_COLUMNS, indicator_rows, value_lookup
from ui.paths import indicator_paths

JUNE = Period(2026, 6)


def scored(
    catalog: Catalog,
    comparator: str,
    target: float,
    first: float,
    measure: str,
    every_year: bool = False,
    at: Period = JUNE,
    plan_start_year: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scoring's row at ``at`` for one indicator whose measure was first reported in February 2026."""
    indicator = Indicator(
        "tan_an", "TA-x", "Chỉ tiêu thử", "", "a", measure, comparator, target, 2030, every_year, "vhxh", "thử", None
    )
    # as of ``at``, as store.queries.values_as_of gives it: one report, in February (the first ever and of the year)
    values = pd.DataFrame(
        [
            {
                "locality_id": "tan_an",
                "measure": measure,
                "value": first,
                "last_period": "2026-02",
                "first_period": "2026-02",
                "first_value": first,
                "year_first_period": "2026-02",
                "year_first_value": first,
            }
        ]
    )
    series = pd.DataFrame([{"locality_id": "tan_an", "measure": measure, "period": "2026-02", "value": first}])
    rows = indicator_rows([indicator], value_lookup(values), catalog.measures, at, plan_start_year)
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS), series


@pytest.mark.parametrize(
    "comparator, target, first, start_value",
    [
        (">", 80, 70, 70),  # room to grow: the path starts at the first report
        (">=", 80, 90, 80),  # first report already past "≥ 80": keep the target from the start
        (">", 80, 80, 80),  # first report 80 under "> 80": no room, the path is the target line
        ("<=", 10, 5, 10),  # lower is better and already under: the target line
        ("<=", 10, 25, 25),  # lower is better, above the limit: from the first report down
    ],
)
def test_path_starts_at_the_first_report_or_at_the_target(catalog: Catalog, comparator, target, first, start_value):
    rows, series = scored(catalog, comparator, target, first, "dvc_online_usage")
    path = indicator_paths(rows, series)[0]
    assert path.path_start == (dt.date(2026, 2, 1), start_value)
    assert (path.target, path.target_date) == (target, dt.date(2030, 12, 1))
    assert path.values == (first,) and path.periods == ("2026-02",)


def test_a_flow_counted_per_year_starts_from_zero_in_december(catalog: Catalog):
    rows, series = scored(catalog, ">=", 8, 3, "mgmt_initiatives", every_year=True)
    assert indicator_paths(rows, series)[0].path_start == (dt.date(2025, 12, 1), 0.0)
    assert rows.loc[0, "baseline_period"] == Period(2025, 12)


def test_a_first_report_is_drawn_on_the_path_from_the_plan_start(catalog: Catalog):
    # the only report so far is this month's: scoring measures it from 0 in 12/2025 (the plan starts in 2026)
    rows, series = scored(catalog, ">=", 100, 40, "dvc_online_usage", at=Period(2026, 2), plan_start_year=2026)
    assert (rows.loc[0, "baseline"], rows.loc[0, "baseline_period"]) == (0.0, Period(2025, 12))
    assert indicator_paths(rows, series)[0].path_start == (dt.date(2025, 12, 1), 0.0)
    # lower is better has no natural 0: the first report stays the start
    rows, series = scored(catalog, "<=", 10, 25, "dvc_online_usage", at=Period(2026, 2), plan_start_year=2026)
    assert indicator_paths(rows, series)[0].path_start == (dt.date(2026, 2, 1), 25)
    # from the second month on, the path starts at the first report
    rows, series = scored(catalog, ">=", 100, 40, "dvc_online_usage", plan_start_year=2026)
    assert indicator_paths(rows, series)[0].path_start == (dt.date(2026, 2, 1), 40)
