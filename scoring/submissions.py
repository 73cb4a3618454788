"""Submission completeness: which units sent their monthly sheet, on time or late.

A sheet for month M is on time when first uploaded by day ``due_day`` (default the 5th) of
month M+1. A re-upload keeps the timing of the first upload. A sheet for the whole locality
(unit ``all``) counts for every expected unit; for the villages (``thon``) one village's sheet
counts as received.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from loaders.periods import Period
from scoring import statuses as st

DEFAULT_DUE_DAY = 5
ALL_UNITS = "all"


def due_date(period: Period, due_day: int = DEFAULT_DUE_DAY) -> dt.date:
    """Last day to send the sheet of ``period`` on time."""
    nxt = period.shift(1)
    return dt.date(nxt.year, nxt.month, min(due_day, nxt.last_day.day))


def completeness(expected_units: Sequence[str], log: pd.DataFrame, locality_id: str, period: Period,
                 due_day: int = DEFAULT_DUE_DAY) -> pd.DataFrame:
    """One row per expected unit: status (Đúng hạn / Nộp muộn / Chưa nộp) and first upload time."""
    mine = log[(log["locality_id"] == locality_id) & (log["period"] == str(period))]
    first_upload = mine.groupby("unit_code")["uploaded_at"].min().to_dict()
    whole = first_upload.get(ALL_UNITS)
    limit = due_date(period, due_day)
    rows = []
    for unit in expected_units:
        uploaded = first_upload.get(unit)
        if whole is not None and (uploaded is None or whole < uploaded):
            uploaded = whole
        if uploaded is None or pd.isna(uploaded):
            status = st.MISSING
            uploaded = None
        else:
            status = st.SUBMITTED_ON_TIME if pd.Timestamp(uploaded).date() <= limit else st.SUBMITTED_LATE
        rows.append({"unit_code": unit, "status": status, "uploaded_at": uploaded})
    return pd.DataFrame(rows, columns=["unit_code", "status", "uploaded_at"])


def completeness_counts(table: pd.DataFrame) -> dict[str, int]:
    """expected, received, on_time."""
    return {
        "expected": int(len(table)),
        "received": int((table["status"] != st.MISSING).sum()),
        "on_time": int((table["status"] == st.SUBMITTED_ON_TIME).sum()),
    }
