"""Reporting periods: a month written ``YYYY-MM``."""
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
    def parse(cls, text: str) -> "Period":
        """Parse ``YYYY-MM`` (also accepts ``MM/YYYY``); the same text gives the same (immutable)
        object, so that scoring many localities parses each month once."""
        return _parse(str(text))

    @classmethod
    def of(cls, day: dt.date) -> "Period":
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
    def from_index(cls, index: int) -> "Period":
        return cls(index // 12, index % 12 + 1)

    def shift(self, months: int) -> "Period":
        return Period.from_index(self.index + months)

    @cached_property
    def last_day(self) -> dt.date:
        """The month's last day (kept: asked for every task of every locality)."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


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
