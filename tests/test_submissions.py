"""Submission completeness: expected units, on time by the 5th of the next month, late, missing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from plans import vocabulary as vocab
from plans.deadlines import DEFAULT_DUE_DAY, sheet_due_date
from plans.periods import Period
from scoring.submissions import completeness, completeness_counts


def log(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        [{"locality_id": "tan_an", "unit_code": u, "period": p, "uploaded_at": pd.Timestamp(t)} for u, p, t in rows]
    )


def test_due_date_is_fifth_of_next_month() -> None:
    assert str(sheet_due_date(Period(2026, 6))) == "2026-07-05"
    assert str(sheet_due_date(Period(2026, 12))) == "2027-01-05"
    assert str(sheet_due_date(Period(2026, 1), due_day=31)) == "2026-02-28"


def test_on_time_late_missing_and_reupload_keeps_first_time() -> None:
    data = log(
        ("vhxh", "2026-06", "2026-07-05 16:00"),
        ("kt", "2026-06", "2026-07-06 08:00"),
        ("vhxh", "2026-06", "2026-07-20 09:00"),  # re-upload: still on time
        ("ca", "2026-05", "2026-06-01 08:00"),
    )  # another month
    table = completeness(["vhxh", "kt", "ca"], data, "tan_an", Period(2026, 6)).set_index("unit_code")
    assert table.loc["vhxh", "status"] == vocab.SUBMITTED_ON_TIME
    assert table.loc["kt", "status"] == vocab.SUBMITTED_LATE
    assert table.loc["ca", "status"] == vocab.MISSING
    assert completeness_counts(table["status"]) == {"expected": 3, "received": 2, "on_time": 1}


def test_whole_locality_sheet_counts_for_every_unit() -> None:
    data = log(("all", "2026-06", "2026-07-03 10:00"))
    table = completeness(["vhxh", "kt"], data, "tan_an", Period(2026, 6))
    assert list(table["status"]) == [vocab.SUBMITTED_ON_TIME, vocab.SUBMITTED_ON_TIME]


def test_configurable_due_day() -> None:
    data = log(("vhxh", "2026-06", "2026-07-08 10:00"))
    assert completeness(["vhxh"], data, "tan_an", Period(2026, 6), due_day=10)["status"][0] == vocab.SUBMITTED_ON_TIME


@pytest.mark.parametrize(
    "uploaded, due_day, status",
    [
        ("2026-07-05 23:59", DEFAULT_DUE_DAY, vocab.SUBMITTED_ON_TIME),  # the whole 5th counts
        ("2026-07-06 00:01", DEFAULT_DUE_DAY, vocab.SUBMITTED_LATE),
        ("2026-07-10 23:59", 10, vocab.SUBMITTED_ON_TIME),
        ("2026-07-11 00:01", 10, vocab.SUBMITTED_LATE),
        ("2026-07-01 08:00", 1, vocab.SUBMITTED_ON_TIME),
        ("2026-07-02 08:00", 1, vocab.SUBMITTED_LATE),
    ],
)
def test_due_day_boundaries(uploaded, due_day, status) -> None:
    data = log(("vhxh", "2026-06", uploaded))
    assert completeness(["vhxh"], data, "tan_an", Period(2026, 6), due_day=due_day)["status"][0] == status


@pytest.mark.parametrize(
    "uploaded, status", [("2026-07-05 23:59", vocab.SUBMITTED_ON_TIME), ("2026-07-06 00:01", vocab.SUBMITTED_LATE)]
)
def test_without_a_due_day_june_is_due_by_the_end_of_5_july(uploaded, status) -> None:
    """The plans' rule (README: "hết ngày 5 tháng sau"), with no ``due_day`` given anywhere."""
    assert sheet_due_date(Period(2026, 6)) == dt.date(2026, 7, 5)
    assert completeness(["vhxh"], log(("vhxh", "2026-06", uploaded)), "tan_an", Period(2026, 6))["status"][0] == status
