"""Values over units (combination rules) and over time (latest vs. summed per year), computed by
the store's SQL (``store/sql/values_as_of.sql``, ``value_series.sql``) on a real DuckDB file and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from store import queries
from store.db import connection

pytestmark = pytest.mark.both_backends

COLUMNS = ["locality_id", "unit_code", "village", "period", "measure", "value", "numerator", "denominator"]


def raw(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS).astype({"value": float, "numerator": float, "denominator": float})


def store(db: Path, rows: pd.DataFrame) -> Path:
    """Make ``rows`` the store's only values: current submissions (one per locality, unit, village and
    month) and their values."""
    keys = rows[["locality_id", "unit_code", "village", "period"]].drop_duplicates().reset_index(drop=True)
    keys["id"] = range(1, len(keys) + 1)
    values = rows.merge(keys, on=["locality_id", "unit_code", "village", "period"])
    with connection(db) as con:
        con.execute("DELETE FROM submission_values")
        con.execute("DELETE FROM submissions")
        for key in keys.itertuples(index=False):
            con.execute(
                "INSERT INTO submissions (id, locality_id, unit_code, village, period, file_sha256, "
                "uploaded_at, is_current) VALUES (?, ?, ?, ?, ?, ?, ?, TRUE)",
                [
                    key.id,
                    key.locality_id,
                    key.unit_code,
                    key.village,
                    key.period,
                    f"sha{key.id}",
                    dt.datetime(2027, 1, 1),
                ],
            )
        con.executemany(
            "INSERT INTO submission_values (submission_id, measure, value, numerator, denominator) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                [
                    int(r.id),
                    r.measure,
                    *(None if pd.isna(x) else float(x) for x in (r.value, r.numerator, r.denominator)),
                ]
                for r in values.itertuples(index=False)
            ],
        )
    return db


def as_of_frame(db: Path, rows: pd.DataFrame, period: str) -> pd.DataFrame:
    with connection(store(db, rows)) as con:
        got = queries.values_as_of(con, ["tan_an"], period)
    return got[got["value"].notna()]


def as_of(db: Path, rows: pd.DataFrame, period: str) -> dict[str, float]:
    return as_of_frame(db, rows, period).set_index("measure")["value"].to_dict()


@pytest.mark.parametrize(
    "measure, rows, expected",
    [
        # counts add up over villages: 2 + 3 + 0 = 5
        (
            "citizen_training_sessions",
            [("thon", "Thôn 1", 2, None, None), ("thon", "Thôn 2", 3, None, None), ("thon", "Thôn 3", 0, None, None)],
            5.0,
        ),
        # rates from numerator and denominator: (40 + 90) / (50 + 150) = 65%
        ("dvc_online_usage", [("thon", "Thôn 1", 80, 40, 50), ("thon", "Thôn 2", 60, 90, 150)], 65.0),
        # one reporter without numerator/denominator: mean of the percents (80 + 60) / 2 = 70%
        ("dvc_online_usage", [("thon", "Thôn 1", 80, 40, 50), ("thon", "Thôn 2", 60, None, None)], 70.0),
        # yes/no: Có if any unit says Có
        ("shared_database", [("vp", "", 0, None, None), ("vhxh", "", 1, None, None)], 1.0),
        ("shared_database", [("vp", "", 0, None, None), ("vhxh", "", 0, None, None)], 0.0),
        # yes/no per village becomes the share of villages: 3 of 4 = 75%
        (
            "village_innovation_team_share",
            [
                ("thon", "A", 100, None, None),
                ("thon", "B", 100, None, None),
                ("thon", "C", 0, None, None),
                ("thon", "D", 100, None, None),
            ],
            75.0,
        ),
        # a blank (not reported) row is ignored, not counted as 0
        ("citizen_training_sessions", [("thon", "A", 4, None, None), ("thon", "B", None, None, None)], 4.0),
    ],
)
def test_combination_over_units(db: Path, measure, rows, expected) -> None:
    data = raw(*[("tan_an", u, v, "2026-03", measure, x, n, d) for u, v, x, n, d in rows])
    assert as_of(db, data, "2026-03") == {measure: pytest.approx(expected)}


def test_nothing_reported_has_no_row(db: Path) -> None:
    data = raw(("tan_an", "vhxh", "", "2026-03", "citizen_training_sessions", None, None, None))
    with connection(store(db, data)) as con:
        assert queries.values_as_of(con, ["tan_an"], "2026-03").empty


MONTHS = raw(
    ("tan_an", "vhxh", "", "2026-01", "initiatives_applied", 2, None, None),
    ("tan_an", "vhxh", "", "2026-02", "initiatives_applied", 0, None, None),
    ("tan_an", "vhxh", "", "2026-04", "initiatives_applied", 3, None, None),
    ("tan_an", "vhxh", "", "2025-12", "initiatives_applied", 9, None, None),
    ("tan_an", "ttpvhcc", "", "2026-01", "dvc_online_usage", 40, None, None),
    ("tan_an", "ttpvhcc", "", "2026-03", "dvc_online_usage", 52.5, None, None),
    ("tan_an", "vp", "", "2025-11", "shared_database", 1, None, None),
)


@pytest.mark.parametrize(
    "period, measure, expected",
    [
        ("2026-01", "initiatives_applied", 2.0),  # flow: January only
        ("2026-03", "initiatives_applied", 2.0),  # 2 + 0 (March not reported)
        ("2026-04", "initiatives_applied", 5.0),  # 2 + 0 + 3, December 2025 not counted
        ("2025-12", "initiatives_applied", 9.0),  # the 2025 year-to-date
        ("2026-02", "dvc_online_usage", 40.0),  # rate: latest at or before February
        ("2026-06", "dvc_online_usage", 52.5),  # rate: latest (March)
        ("2026-06", "shared_database", 1.0),  # yes/no: latest answer, from the year before
    ],
)
def test_value_as_of(db: Path, period, measure, expected) -> None:
    assert as_of(db, MONTHS, period)[measure] == pytest.approx(expected)


def test_not_reported_is_absent_not_zero(db: Path) -> None:
    assert as_of(db, MONTHS, "2025-10") == {}
    zero = raw(
        ("tan_an", "vhxh", "", "2026-01", "hitech_agri_models", 0, None, None),
        ("tan_an", "vhxh", "", "2026-01", "citizen_training_sessions", None, None, None),
    )
    assert as_of(db, zero, "2026-01") == {"hitech_agri_models": 0.0}


def test_first_reports_ever_and_this_year(db: Path) -> None:
    got = as_of_frame(db, MONTHS, "2026-04").set_index("measure")
    # the first month ever and its value; from January 2026 on: the first month of the year
    assert tuple(got.loc["initiatives_applied", ["first_period", "first_value"]]) == ("2025-12", 9.0)
    assert tuple(got.loc["initiatives_applied", ["year_first_period", "year_first_value"]]) == ("2026-01", 2.0)
    assert tuple(got.loc["dvc_online_usage", ["year_first_period", "year_first_value"]]) == ("2026-01", 40.0)
    assert got.loc["initiatives_applied", "last_period"] == "2026-04"


def test_monthly_series_accumulates(db: Path) -> None:
    with connection(store(db, MONTHS)) as con:
        series = queries.value_series(con, ["tan_an"], "2026-01", "2026-04")
    flow = series[series["measure"] == "initiatives_applied"].set_index("period")["value"].to_dict()
    assert flow == {"2026-01": 2.0, "2026-02": 2.0, "2026-03": 2.0, "2026-04": 5.0}
    rate = series[series["measure"] == "dvc_online_usage"].set_index("period")["value"].to_dict()
    assert rate == {"2026-01": 40.0, "2026-02": 40.0, "2026-03": 52.5, "2026-04": 52.5}
    assert not any(math.isnan(v) for v in flow.values())


def test_a_village_sending_alone_keeps_the_others_latest_answers(db: Path) -> None:
    rows = raw(
        *[
            ("tan_an", "thon", v, "2026-10", "village_innovation_team_share", x, None, None)
            for v, x in (("A", 100), ("B", 100), ("C", 100), ("D", 0))
        ],
        ("tan_an", "thon", "d", "2026-11", "village_innovation_team_share", 100, None, None),
    )
    # October: 3 of 4 villages say Có = 75%; November: only D re-sends (now Có), A-C keep Có = 4 of 4
    assert as_of(db, rows, "2026-10") == {"village_innovation_team_share": 75.0}
    assert as_of(db, rows, "2026-11") == {"village_innovation_team_share": 100.0}


def test_a_unit_rate_is_combined_with_the_others_last_reports(db: Path) -> None:
    rows = raw(
        ("tan_an", "ttpvhcc", "", "2026-09", "dvc_online_usage", 70, 700, 1000),
        ("tan_an", "thon", "A", "2026-10", "dvc_online_usage", 20, 20, 100),
    )
    # October: the centre's September 700/1000 still counts with village A's 20/100 = 720/1100
    assert as_of(db, rows, "2026-10")["dvc_online_usage"] == pytest.approx(720 / 1100 * 100)


@pytest.mark.parametrize(
    "rows, expected",
    [
        # same month, whole-locality sheet and unit sheets: the whole-locality figure alone (3, not 3 + 3)
        ([("all", "2026-10", 3), ("ca", "2026-10", 3)], 3.0),
        # flows: only the month's own reports; September by units (2 + 1), October by the whole sheet (4)
        ([("ca", "2026-09", 2), ("vhxh", "2026-09", 1), ("all", "2026-10", 4)], 7.0),
    ],
)
def test_whole_locality_sheet_replaces_unit_flows_of_its_month(db: Path, rows, expected) -> None:
    data = raw(*[("tan_an", u, "", p, "fraud_awareness_sessions", x, None, None) for u, p, x in rows])
    assert as_of(db, data, "2026-10")["fraud_awareness_sessions"] == expected


@pytest.mark.parametrize(
    "rows, expected",
    [
        # same month: the whole-locality 80% alone, not the mean of 80 and 60
        ([("all", "2026-10", 80), ("vhxh", "2026-10", 60)], 80.0),
        # a unit report newer than the whole-locality figure wins: 65% in November over 80% in October
        ([("all", "2026-10", 80), ("vhxh", "2026-11", 65)], 65.0),
        # a whole-locality figure newer than the units' wins: 90% in November over 60% in October
        ([("vhxh", "2026-10", 60), ("all", "2026-11", 90)], 90.0),
    ],
)
def test_newest_of_whole_locality_and_unit_rates(db: Path, rows, expected) -> None:
    data = raw(*[("tan_an", u, "", p, "household_broadband", x, None, None) for u, p, x in rows])
    assert as_of(db, data, "2026-11")["household_broadband"] == expected


def test_a_rate_of_the_year_starts_again_in_january(db: Path) -> None:
    rows = raw(
        ("tan_an", "vhxh", "", "2026-06", "staff_trained_this_year", 60, 30, 50),
        ("tan_an", "vp", "", "2026-11", "staff_trained_this_year", 100, 10, 10),
        ("tan_an", "vhxh", "", "2027-02", "staff_trained_this_year", 20, 10, 50),
    )
    # November: VH-XH's June 30/50 still counts with VP's 10/10 = 40/60
    assert as_of(db, rows, "2026-12") == {"staff_trained_this_year": pytest.approx(40 / 60 * 100)}
    # January 2027: nobody trained yet this year: not reported, not last year's figure
    assert as_of(db, rows, "2027-01") == {}
    # February 2027: only VH-XH's 10/50 (VP's 2026 report does not carry into 2027)
    assert as_of(db, rows, "2027-02") == {"staff_trained_this_year": 20.0}
