"""Parse task deadlines written the Vietnamese way into a date or a recurrence."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from plans.periods import Period
from plans.text import normalise_spaces
from plans.vocabulary import Recurrence

DEFAULT_DUE_DAY = 5
"""A monthly sheet is on time when first sent by this day of the next month."""

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline: a date, or a recurrence for work that repeats."""

    date: dt.date | None
    recurrence: Recurrence | None


class DeadlineError(ValueError):
    """The text is neither a dated deadline nor a known recurrence."""


def parse_deadline(text: str) -> Deadline:
    """Parse "Tháng 6/2026", "Quý II/2026", "Năm 2027", "Thường xuyên", "Hàng năm"…

    A month or quarter gives its last day; recurring wording gives a recurrence
    (``monthly`` wins over ``yearly`` over ``continuous`` when several are written,
    e.g. "Nhiệm vụ thường xuyên; định kỳ hàng tháng báo cáo kết quả" is monthly).
    """
    folded = normalise_spaces(text).lower()
    month = re.fullmatch(r"tháng\s*(\d{1,2})\s*/\s*(\d{4})", folded)
    if month:
        return Deadline(Period(int(month.group(2)), int(month.group(1))).last_day, None)
    quarter = re.fullmatch(r"quý\s*(i{1,3}|iv)\s*/\s*(\d{4})", folded)
    if quarter:
        q = _ROMAN[quarter.group(1).upper()]
        return Deadline(Period(int(quarter.group(2)), q * 3).last_day, None)
    year = re.fullmatch(r"(?:năm|trong năm)\s*(\d{4})", folded)
    if year:
        return Deadline(dt.date(int(year.group(1)), 12, 31), None)
    if "hàng tháng" in folded or "hằng tháng" in folded:
        return Deadline(None, Recurrence.MONTHLY)
    if "hàng năm" in folded or "hằng năm" in folded:
        return Deadline(None, Recurrence.YEARLY)
    if "thường xuyên" in folded:
        return Deadline(None, Recurrence.CONTINUOUS)
    raise DeadlineError(f"không đọc được thời hạn: {text!r}")


def sheet_due_date(period: Period, due_day: int = DEFAULT_DUE_DAY) -> dt.date:
    """Last day to send the sheet of ``period`` on time: day ``due_day`` of the next month (its
    last day when the month is shorter)."""
    nxt = period.shift(1)
    return dt.date(nxt.year, nxt.month, min(due_day, nxt.last_day.day))
