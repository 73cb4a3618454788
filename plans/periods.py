"""Reporting periods: a month written ``YYYY-MM``, and the data window a periodic report states
(Nghị định 09/2019/NĐ-CP, Điều 12)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

_PERIOD_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_SLASH_RE = re.compile(r"^\s*(\d{1,2})/(\d{4})\s*$")


@dataclass(frozen=True, order=True)
class Period:
    """One month of reporting."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"tháng không hợp lệ: {self.month}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``YYYY-MM`` (also accepts ``MM/YYYY``); the same text gives the same (immutable)
        object, so that scoring many localities parses each month once."""
        return _parse(str(text))

    @classmethod
    def of(cls, day: dt.date) -> Period:
        """The period containing a date."""
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """Vietnamese label, e.g. ``Tháng 06/2026``."""
        return f"Tháng {self.month:02d}/{self.year}"

    @property
    def index(self) -> int:
        """Months since year 0, for arithmetic."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Period:
        return cls(index // 12, index % 12 + 1)

    def shift(self, months: int) -> Period:
        return Period.from_index(self.index + months)

    @cached_property
    def last_day(self) -> dt.date:
        """The month's last day (kept: asked for every task of every locality)."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


CUT_OFF_DAY = 14
"""Nghị định 09/2019/NĐ-CP, Điều 12: a periodic report's data runs from the 15th of the month before
its period to the 14th of its last month (monthly: 15/4–14/5; 6-month: 15/12–14/6; annual: 15/12–14/12)."""


@dataclass(frozen=True)
class DataWindow:
    """The days whose data a report states: ``first`` to ``last``; ``provisional`` when the report is
    made before its period has ended (``last`` is then the day it is made: a report never states data
    as of a day after its own date)."""

    first: dt.date
    last: dt.date
    provisional: bool


def data_window(first: Period, last: Period, today: dt.date, deadline_day: int | None = None) -> DataWindow:
    """The data window of a report on the months ``first``..``last``, made on ``today``.

    By the regime, the 15th of the month before ``first`` to the 14th of ``last``; a plan that sets its
    own deadline on day D of the report's month (Tân An 15/6 and 15/12, Hưng Đạo 10/6 and 10/12)
    cuts at D − 1 and starts on day D of the month before ``first``. A cut-off not yet over on
    ``today`` (``today`` ≤ cut-off) is replaced by ``today`` and the window is provisional."""
    day = CUT_OFF_DAY + 1 if deadline_day is None else deadline_day
    before = first.shift(-1)
    start = dt.date(before.year, before.month, min(day, before.last_day.day))
    cut = dt.date(last.year, last.month, min(day, last.last_day.day)) - dt.timedelta(days=1)
    if today <= cut:
        return DataWindow(start, today, True)
    return DataWindow(start, cut, False)


def month_range(start: Period, end: Period) -> list[Period]:
    """All periods from ``start`` to ``end`` inclusive."""
    return [Period.from_index(i) for i in range(start.index, end.index + 1)]


@lru_cache(maxsize=4096)
def _parse(text: str) -> Period:
    match = _PERIOD_RE.match(text)
    if match:
        return Period(int(match.group(1)), int(match.group(2)))
    alt = _SLASH_RE.match(text)
    if alt:
        return Period(int(alt.group(2)), int(alt.group(1)))
    raise ValueError(f"kỳ báo cáo không hợp lệ: {text!r} (cần dạng YYYY-MM)")
