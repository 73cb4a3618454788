"""How the problems of a file are listed: reading order, errors before warnings, at most 200."""

from __future__ import annotations

from loaders.problems import ERROR, MAX_LISTED, WARNING, Problem, by_place, column_index, column_letter, listed


def _problem(sheet: str | None, row: int | None, column: str | None, severity: str = ERROR) -> Problem:
    return Problem("phieu.xlsx", sheet, row, column, f"{sheet}/{row}/{column}", severity)


def test_column_letters_and_indexes_round_trip():
    for index in (0, 25, 26, 49, 701, 702, 16383):
        assert column_index(column_letter(index)) == index
    assert column_letter(16383) == "XFD"


def test_reading_order_file_then_sheets_in_workbook_order_then_row_and_column():
    problems = [
        _problem("Nhiệm vụ", 12, "G"),
        _problem("Chỉ tiêu", 30, "B"),
        _problem("Chỉ tiêu", 12, "AA"),
        _problem(None, None, None),
        _problem("Chỉ tiêu", 12, "G"),
        _problem("Chỉ tiêu", None, None),
    ]
    ordered = by_place(problems, ["Chỉ tiêu", "Nhiệm vụ", "Hướng dẫn"])
    assert [p.message for p in ordered] == [
        "None/None/None",
        "Chỉ tiêu/None/None",
        "Chỉ tiêu/12/G",
        "Chỉ tiêu/12/AA",
        "Chỉ tiêu/30/B",
        "Nhiệm vụ/12/G",
    ]


def test_errors_first_then_warnings_each_keeping_its_order():
    problems = [
        _problem("Chỉ tiêu", 10, "G", WARNING),
        _problem("Chỉ tiêu", 11, "G"),
        _problem("Chỉ tiêu", 12, "G", WARNING),
        _problem("Nhiệm vụ", 10, "G"),
    ]
    assert [p.message for p in listed(problems)] == ["Chỉ tiêu/11/G", "Nhiệm vụ/10/G", "Chỉ tiêu/10/G", "Chỉ tiêu/12/G"]


def test_a_long_list_is_cut_with_a_last_line_saying_how_many_more():
    problems = [_problem("Chỉ tiêu", row, "B") for row in range(10, 1970)] + [
        _problem("Chỉ tiêu", row, "G", WARNING) for row in range(10, 25)
    ]
    shown = listed(problems)
    assert len(shown) == MAX_LISTED + 1 == 201
    assert all(p.is_error for p in shown[:MAX_LISTED])
    assert [p.row for p in shown[:3]] == [10, 11, 12]
    last = shown[-1]
    assert last.is_error and last.sheet is None and last.row is None
    assert last.message == (
        "Còn 1.775 vấn đề khác (1.760 lỗi, 15 cảnh báo) không được liệt kê; hãy sửa các lỗi "
        "trên rồi nạp lại để xem tiếp"
    )


def test_only_warnings_left_out_is_a_warning_line():
    problems = [_problem("Chỉ tiêu", row, "G", WARNING) for row in range(10, 260)]
    last = listed(problems)[-1]
    assert not last.is_error
    assert last.message == "Còn 50 vấn đề khác (50 cảnh báo) không được liệt kê"
    assert len(listed(problems[:MAX_LISTED])) == MAX_LISTED
