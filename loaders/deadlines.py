"""Parse task deadlines written the Vietnamese way into a date or a recurrence."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from loaders.periods import Period

RECURRENCE_LABELS = {
    "monthly": "Định kỳ hàng tháng",
    "yearly": "Hàng năm",
    "continuous": "Thường xuyên",
}

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline: a date, or a recurrence for work that repeats."""

    date: dt.date | None
    recurrence: str | None


class DeadlineError(ValueError):
    """The text is neither a dated deadline nor a known recurrence."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).lower()


def parse_deadline(text: str) -> Deadline:
    """Parse "Tháng 6/2026", "Quý II/2026", "Năm 2027", "Thường xuyên", "Hàng năm"…

    A month or quarter gives its last day; recurring wording gives a recurrence
    (``monthly`` wins over ``yearly`` over ``continuous`` when several are written,
    e.g. "Nhiệm vụ thường xuyên; định kỳ hàng tháng báo cáo kết quả" is monthly).
    """
    folded = _fold(text)
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
        return Deadline(None, "monthly")
    if "hàng năm" in folded or "hằng năm" in folded:
        return Deadline(None, "yearly")
    if "thường xuyên" in folded:
        return Deadline(None, "continuous")
    raise DeadlineError(f"không đọc được thời hạn: {text!r}")
