"""The value-reading rules, one row per case (see loaders/cell_values.py and the sheet's "Hướng dẫn")."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from loaders.cell_values import (
    PERCENT_ONE_WARNING,
    CellError,
    parse_count,
    parse_date,
    parse_number,
    parse_percent,
    parse_status,
    parse_yes_no,
    percent_warning,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1.234", 1234),
        ("1.234.567", 1234567),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("85,5", 85.5),
        ("0,855", 0.855),
        ("0.855", 0.855),
        ("85.5", 85.5),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("-3", -3),
        ("+7", 7),
        (12, 12),
        (12.5, 12.5),
        ("1,234,567", 1234567),
        (" 42 ", 42),
        ("1,5", 1.5),
    ],
)
def test_numbers_written_the_vietnamese_way(raw, expected):
    assert parse_number(raw)[0] == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["mười", "", "1,2,3", "12a", "1.2.3", True])
def test_not_a_number(raw):
    with pytest.raises(CellError, match="không phải là số"):
        parse_number(raw)


@pytest.mark.parametrize("raw, shown", [(True, "TRUE"), (False, "FALSE")])
def test_a_true_false_cell_is_named_in_vietnamese(raw, shown):
    with pytest.raises(CellError) as err:
        parse_number(raw)
    assert str(err.value) == f"'{shown}' là giá trị đúng/sai, không phải là số"


ONE = PERCENT_ONE_WARNING


@pytest.mark.parametrize(
    "raw, percent_format, expected, warning",
    [
        ("85%", False, 85, None),
        ("85,5%", False, 85.5, None),
        ("0,5%", False, 0.5, None),
        ("100%", False, 100, None),
        ("85", False, 85, None),
        ("85,5", False, 85.5, None),
        (85, False, 85, None),
        (85.5, False, 85.5, None),
        ("0,855", False, 85.5, None),
        ("0.855", False, 85.5, None),
        (0.855, False, 85.5, None),
        (0.5, False, 50, None),
        ("1,0", False, 100, None),
        ("1%", False, 1, None),
        # a whole 0 or 1 without decimals is 0% or 1%; a bare 1 is warned about (it may mean 100%)
        (1, False, 1, ONE),
        (1.0, False, 1, ONE),
        ("1", False, 1, ONE),
        (" 1 ", False, 1, ONE),
        (0, False, 0, None),
        ("0", False, 0, None),
        # a cell formatted as percent holds a fraction, as Excel shows it
        (0.855, True, 85.5, None),
        (1.0, True, 100, None),
        (0, True, 0, None),
        (85, True, 8500, None),
        ("85%", True, 85, None),
    ],
)
def test_percent_rule(raw, percent_format, expected, warning):
    assert parse_percent(raw, percent_format) == pytest.approx(expected)
    assert percent_warning(raw, percent_format) == warning


def test_the_bare_one_warning_tells_the_rule_and_its_advice_is_read_as_100_percent():
    """The warning says what the rule does with a bare 1, and each way it advises to write a full
    rate is read as 100% without a warning: a change of the rule or of the words breaks this."""
    meant, read, ways = re.fullmatch(r"Giá trị (\d+) được hiểu là (\d+)%; nếu là 100% hãy ghi (.+)", ONE).groups()
    assert parse_percent(meant, False) == float(read) == 1 and percent_warning(meant, False) == ONE
    advised = ways.split(" hoặc ")
    assert advised == ["100", "100%"]
    for way in advised:
        assert parse_percent(way, False) == 100 and percent_warning(way, False) is None


@pytest.mark.parametrize("raw, expected", [(3, 3), (3.0, 3), ("5", 5), ("1.234", 1234), ("0", 0), ("12,0", 12)])
def test_counts(raw, expected):
    assert parse_count(raw) == expected


@pytest.mark.parametrize(
    "raw, message", [(-1, "âm"), ("-2", "âm"), (2.5, "số nguyên"), ("2,5", "số nguyên"), ("ba", "không phải là số")]
)
def test_bad_counts(raw, message):
    with pytest.raises(CellError, match=message):
        parse_count(raw)


@pytest.mark.parametrize(
    "raw",
    ["Có", "có", "CÓ", "co", "x", "X", "1", 1, 1.0, True, "Đã có", " Có ", "Có.", "có.", "TRUE", "true", "✓", "√", "✔"],
)
def test_yes(raw):
    assert parse_yes_no(raw) == 1


@pytest.mark.parametrize(
    "raw", ["Không", "không", "KHONG", "khong", "0", 0, 0.0, False, "Chưa", "không có", "Không có.", "FALSE", "Không."]
)
def test_no(raw):
    assert parse_yes_no(raw) == 0


@pytest.mark.parametrize("raw", ["có thể", "2", 2, "?", "..", "có, không"])
def test_not_yes_or_no(raw):
    with pytest.raises(CellError, match="không phải Có/Không"):
        parse_yes_no(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Hoàn thành", "done"),
        ("hoan thanh", "done"),
        ("Đã hoàn thành", "done"),
        ("ĐANG THỰC HIỆN", "in_progress"),
        ("dang thuc hien", "in_progress"),
        ("Chưa thực hiện", "not_started"),
        ("chua thuc hien.", "not_started"),
    ],
)
def test_task_status(raw, expected):
    assert parse_status(raw) == expected


def test_unknown_task_status_lists_the_choices():
    with pytest.raises(CellError, match="Chưa thực hiện, Đang thực hiện, Hoàn thành"):
        parse_status("sắp xong")


@pytest.mark.parametrize(
    "raw",
    [
        "05/03/2026",
        "5/3/2026",
        "05-03-2026",
        "05.03.2026",
        "2026-03-05",
        dt.date(2026, 3, 5),
        dt.datetime(2026, 3, 5, 10, 0),
        46086,
        46086.0,
    ],
)
def test_dates(raw):
    assert parse_date(raw) == dt.date(2026, 3, 5)


@pytest.mark.parametrize(
    "raw, message", [("31/02/2026", "không phải ngày có thật"), ("hôm qua", "dd/mm/yyyy"), ("2026", "dd/mm/yyyy")]
)
def test_bad_dates(raw, message):
    with pytest.raises(CellError, match=message):
        parse_date(raw)
