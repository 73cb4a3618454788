"""Submission completeness: which units sent their monthly sheet, on time or late.

A sheet for month M is on time when first uploaded by day ``due_day`` of month M+1 (the one
default is ``DEFAULT_DUE_DAY``, the 5th; ``python -m scoring summary --due-day N`` changes it;
a day past the end of a short month means its last day). A re-upload keeps the timing of the
first upload. A sheet for the whole locality (unit ``all``) counts for every expected unit; for
the villages (``thon``) one village's sheet counts as received.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import pandas as pd

from plans import vocabulary as vocab
from plans.deadlines import DEFAULT_DUE_DAY, sheet_due_date
from plans.periods import Period
from plans.vocabulary import ALL_UNITS


def first_uploads(log: pd.DataFrame, period: Period) -> dict[str, dict[str, pd.Timestamp]]:
    """First upload time of each locality's and unit's sheet for ``period`` (re-uploads keep it)."""
    mine = log[log["period"] == str(period)]
    firsts = mine.groupby(["locality_id", "unit_code"])["uploaded_at"].min()
    out: dict[str, dict[str, pd.Timestamp]] = {}
    for (locality_id, unit), moment in firsts.items():
        out.setdefault(locality_id, {})[unit] = moment
    return out


class SubmissionRow(NamedTuple):
    """One expected unit at a month: Đúng hạn / Nộp muộn / Chưa nộp and its first upload time."""

    unit_code: str
    status: str
    uploaded_at: pd.Timestamp | None


SUBMISSION_COLUMNS = list(SubmissionRow._fields)


def completeness_rows(
    expected_units: Sequence[str], uploads: Mapping[str, pd.Timestamp], period: Period, due_day: int = DEFAULT_DUE_DAY
) -> list[SubmissionRow]:
    """One row per expected unit; ``uploads`` maps unit → first upload time."""
    whole = uploads.get(ALL_UNITS)
    limit = sheet_due_date(period, due_day)
    rows = []
    for unit in expected_units:
        uploaded = uploads.get(unit)
        if whole is not None and (uploaded is None or whole < uploaded):
            uploaded = whole
        if uploaded is None or uploaded is pd.NaT:
            rows.append(SubmissionRow(unit, vocab.MISSING, None))
        else:
            on_time = uploaded.date() <= limit
            rows.append(SubmissionRow(unit, vocab.SUBMITTED_ON_TIME if on_time else vocab.SUBMITTED_LATE, uploaded))
    return rows


def completeness(
    expected_units: Sequence[str], log: pd.DataFrame, locality_id: str, period: Period, due_day: int = DEFAULT_DUE_DAY
) -> pd.DataFrame:
    """One row per expected unit of a locality: Đúng hạn / Nộp muộn / Chưa nộp and first upload time."""
    uploads = first_uploads(log, period).get(locality_id, {})
    return pd.DataFrame(completeness_rows(expected_units, uploads, period, due_day), columns=SUBMISSION_COLUMNS)


def completeness_counts(statuses: Iterable[str]) -> dict[str, int]:
    """expected, received, on_time — from a column of submission statuses."""
    status = list(statuses)
    return {
        "expected": len(status),
        "received": len(status) - status.count(vocab.MISSING),
        "on_time": status.count(vocab.SUBMITTED_ON_TIME),
    }
