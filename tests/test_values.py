"""Values over units (combination rules) and over time (latest vs. summed per year)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from loaders.catalog import Catalog
from loaders.periods import Period
from scoring.values import combine_reporters, monthly_series, values_as_of

COLUMNS = ["locality_id", "unit_code", "village", "period", "measure", "value", "numerator", "denominator"]


def raw(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS).astype({"value": float, "numerator": float, "denominator": float})


def one(monthly: pd.DataFrame, measure: str, period: str = "2026-03") -> float:
    row = monthly[(monthly["measure"] == measure) & (monthly["period"] == period)]
    assert len(row) == 1
    return float(row["value"].iloc[0])


@pytest.mark.parametrize("measure, rows, expected", [
    # counts add up over villages: 2 + 3 + 0 = 5
    ("citizen_training_sessions", [("thon", "Thôn 1", 2, None, None), ("thon", "Thôn 2", 3, None, None),
                                   ("thon", "Thôn 3", 0, None, None)], 5.0),
    # rates from numerator and denominator: (40 + 90) / (50 + 150) = 65%
    ("dvc_online_usage", [("thon", "Thôn 1", 80, 40, 50), ("thon", "Thôn 2", 60, 90, 150)], 65.0),
    # one reporter without numerator/denominator: mean of the percents (80 + 60) / 2 = 70%
    ("dvc_online_usage", [("thon", "Thôn 1", 80, 40, 50), ("thon", "Thôn 2", 60, None, None)], 70.0),
    # yes/no: Có if any unit says Có
    ("shared_database", [("vp", "", 0, None, None), ("vhxh", "", 1, None, None)], 1.0),
    ("shared_database", [("vp", "", 0, None, None), ("vhxh", "", 0, None, None)], 0.0),
    # yes/no per village becomes the share of villages: 3 of 4 = 75%
    ("village_innovation_team_share", [("thon", "A", 100, None, None), ("thon", "B", 100, None, None),
                                       ("thon", "C", 0, None, None), ("thon", "D", 100, None, None)], 75.0),
    # a blank (not reported) row is ignored, not counted as 0
    ("citizen_training_sessions", [("thon", "A", 4, None, None), ("thon", "B", None, None, None)], 4.0),
])
def test_combination_over_units(catalog: Catalog, measure, rows, expected) -> None:
    data = raw(*[("tan_an", u, v, "2026-03", measure, x, n, d) for u, v, x, n, d in rows])
    assert one(combine_reporters(data, catalog.measures), measure) == pytest.approx(expected)


def test_nothing_reported_has_no_row(catalog: Catalog) -> None:
    data = raw(("tan_an", "vhxh", "", "2026-03", "citizen_training_sessions", None, None, None))
    assert combine_reporters(data, catalog.measures).empty


MONTHS = raw(
    ("tan_an", "vhxh", "", "2026-01", "initiatives_applied", 2, None, None),
    ("tan_an", "vhxh", "", "2026-02", "initiatives_applied", 0, None, None),
    ("tan_an", "vhxh", "", "2026-04", "initiatives_applied", 3, None, None),
    ("tan_an", "vhxh", "", "2025-12", "initiatives_applied", 9, None, None),
    ("tan_an", "ttpvhcc", "", "2026-01", "dvc_online_usage", 40, None, None),
    ("tan_an", "ttpvhcc", "", "2026-03", "dvc_online_usage", 52.5, None, None),
    ("tan_an", "vp", "", "2025-11", "shared_database", 1, None, None),
)


@pytest.mark.parametrize("period, measure, expected", [
    ("2026-01", "initiatives_applied", 2.0),     # flow: January only
    ("2026-03", "initiatives_applied", 2.0),     # 2 + 0 (March not reported)
    ("2026-04", "initiatives_applied", 5.0),     # 2 + 0 + 3, December 2025 not counted
    ("2025-12", "initiatives_applied", 9.0),     # the 2025 year-to-date
    ("2026-02", "dvc_online_usage", 40.0),       # rate: latest at or before February
    ("2026-06", "dvc_online_usage", 52.5),       # rate: latest (March)
    ("2026-06", "shared_database", 1.0),         # yes/no: latest answer, from the year before
])
def test_value_as_of(catalog: Catalog, period, measure, expected) -> None:
    monthly = combine_reporters(MONTHS, catalog.measures)
    got = values_as_of(monthly, catalog.measures, Period.parse(period))
    row = got[got["measure"] == measure]
    assert float(row["value"].iloc[0]) == pytest.approx(expected)


def test_not_reported_is_absent_not_zero(catalog: Catalog) -> None:
    monthly = combine_reporters(MONTHS, catalog.measures)
    got = values_as_of(monthly, catalog.measures, Period(2025, 10))
    assert got.empty
    early = values_as_of(monthly, catalog.measures, Period(2026, 1))
    assert "hitech_agri_models" not in set(early["measure"])


def test_monthly_series_accumulates(catalog: Catalog) -> None:
    monthly = combine_reporters(MONTHS, catalog.measures)
    series = monthly_series(monthly, catalog.measures, Period(2026, 1), Period(2026, 4))
    flow = series[series["measure"] == "initiatives_applied"].set_index("period")["value"].to_dict()
    assert flow == {"2026-01": 2.0, "2026-02": 2.0, "2026-03": 2.0, "2026-04": 5.0}
    rate = series[series["measure"] == "dvc_online_usage"].set_index("period")["value"].to_dict()
    assert rate == {"2026-01": 40.0, "2026-02": 40.0, "2026-03": 52.5, "2026-04": 52.5}
    assert not any(math.isnan(v) for v in flow.values())
