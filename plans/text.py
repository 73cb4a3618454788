"""Vietnamese number and date formatting: 85,5%; 1.234; 15/06/2026."""
from __future__ import annotations

import datetime as dt
import math


def fmt_number(value: float | int | None, decimals: int = 1) -> str:
    """``1234.5`` → ``1.234,5``; whole numbers lose their decimals; ``None`` → ``—``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = float(value)
    if number.is_integer():
        decimals = 0
    text = f"{number:,.{decimals}f}"
    text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def fmt_percent(value: float | None, decimals: int = 1) -> str:
    """``85.5`` → ``85,5%`` (the value is already in percent)."""
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{fmt_number(value, decimals)}%"


def fmt_value(value: float | None, unit: str) -> str:
    """A measure value in its unit: ``%``, ``count`` or ``yes/no``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "%":
        return fmt_percent(value)
    if unit == "yes/no":
        return "Có" if value >= 1 else "Không"
    return fmt_number(value)


def fmt_date(day: dt.date | dt.datetime | None) -> str:
    """``2026-06-15`` → ``15/06/2026``."""
    return "—" if day is None else day.strftime("%d/%m/%Y")


def fmt_datetime(moment: dt.datetime | None) -> str:
    """``15/06/2026 08:30``."""
    return "—" if moment is None else moment.strftime("%d/%m/%Y %H:%M")


def fmt_target(comparator: str, target: float, unit: str) -> str:
    """``>=`` 90 % → ``≥ 90%``; a yes/no target reads ``Có``."""
    if unit == "yes/no":
        return "Có"
    symbol = {">": ">", ">=": "≥", "=": "=", "<=": "≤", "<": "<"}[comparator]
    return f"{symbol} {fmt_value(target, unit)}"
