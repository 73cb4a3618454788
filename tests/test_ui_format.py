"""Vietnamese number and date formats: 85,5%; 1.234; 15/06/2026."""

from __future__ import annotations

import datetime as dt

import pytest

from plans.text import fmt_date, fmt_number, fmt_percent, fmt_target, fmt_value


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (85.5, 1, "85,5"),
        (1234.5, 1, "1.234,5"),
        (1234567, 1, "1.234.567"),
        (72.25, 2, "72,25"),
        (80.0, 2, "80"),
        (3.14159, 2, "3,14"),
        (None, 1, "—"),
        (float("nan"), 1, "—"),
    ],
)
def test_numbers(value, decimals, text):
    assert fmt_number(value, decimals) == text


def test_percent_value_date_and_target():
    assert fmt_percent(85.5) == "85,5%"
    assert fmt_value(1.0, "yes/no") == "Có" and fmt_value(0.0, "yes/no") == "Không"
    assert fmt_value(3.0, "count") == "3"
    assert fmt_date(dt.date(2026, 6, 15)) == "15/06/2026"
    assert fmt_target(">=", 90, "%") == "≥ 90%" and fmt_target("<=", 0, "count") == "≤ 0"
    assert fmt_target("=", 1, "yes/no") == "Có"
