"""What a report is made of, independent of the file format: headings, paragraphs, bullets,
tables of raw values with typed columns, and charts. ``docx_writer``, ``xlsx_writer`` and the
page's preview render the same blocks, so the .docx, the .xlsx and the screen say the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from plans.text import fmt_date, fmt_number, fmt_percent, fmt_value
from reports.wording import fmt_max_points, fmt_points

# Column kinds: how a raw value is shown (and which Excel number format it gets).
TEXT, INT, YEAR, NUMBER, POINTS, MAX_POINTS, VALUE, RATIO, DATE = (
    "text",
    "int",
    "year",
    "number",
    "points",
    "max_points",
    "value",
    "ratio",
    "date",
)
BOLD = "_bold"
"""A row key: the row is a heading row of its table (a group, a section, the total), printed bold."""


@dataclass(frozen=True)
class Column:
    """A table column: header, the row key it shows, its kind and its width in the .docx (cm; 0: only
    in the .xlsx)."""

    header: str
    key: str
    kind: str = TEXT
    width: float = 2.5


@dataclass(frozen=True)
class ChartSpec:
    """A native chart of a table in the .xlsx: Excel type ("bar", "column"), the category column
    and the value columns (one series each)."""

    kind: str
    category: str
    values: tuple[str, ...]
    title: str


@dataclass(frozen=True)
class Table:
    """A table of raw values (numbers stay numbers until rendered). ``sheet``: its .xlsx sheet name;
    ``chart``: a native chart drawn next to it in the .xlsx."""

    title: str
    sheet: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    note: str = ""
    chart: ChartSpec | None = None


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    """A body paragraph."""

    text: str


@dataclass(frozen=True)
class Bullet:
    text: str


@dataclass(frozen=True)
class Chart:
    """A chart image (PNG bytes) with its caption; ``key`` names it in the .xlsx and tests."""

    key: str
    caption: str
    png: bytes = field(repr=False)
    width_cm: float = 15.5


Block = Heading | Para | Bullet | Table | Chart


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


_SHOWN: dict[str, Callable[[Any, dict[str, Any]], str]] = {
    TEXT: lambda value, _row: str(value),
    INT: lambda value, _row: fmt_number(int(value)),
    YEAR: lambda value, _row: str(int(value)),
    NUMBER: lambda value, _row: fmt_number(value),
    POINTS: lambda value, _row: fmt_points(float(value)),
    MAX_POINTS: lambda value, _row: fmt_max_points(float(value)),
    VALUE: lambda value, row: fmt_value(float(value), row.get("unit", "")),
    RATIO: lambda value, _row: fmt_percent(float(value) * 100),
    DATE: lambda value, _row: fmt_date(value),
}
"""Column kind → how a value of its row is written."""


def cell_text(column: Column, row: dict[str, Any]) -> str:
    """A cell as the .docx and the preview show it (Vietnamese number formats; no value: empty)."""
    value = row.get(column.key)
    if _missing(value):
        return ""
    if column.kind not in _SHOWN:
        raise ValueError(f"unknown column kind {column.kind!r}")
    return _SHOWN[column.kind](value, row)
