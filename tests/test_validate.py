"""The sheet checks, without a database: one row per bad cell, with the Vietnamese message and
the place (sheet, row of the measure or task, column header) where the office must look."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sheet_factory import MEASURES, TASKS, filled, header_columns, row_of

from loaders.template import template_bytes
from loaders.validate import validate_package
from loaders.xlsx_package import open_package

PERIOD = "2026-03"
AFTER = dt.date(2026, 4, 20)
TASK = "TA-VII.2-a"

# (values, extra cells, task cells, message, sheet, code whose row it is, column header)
BAD_CELLS = [
    (
        {"household_broadband": "mười"},
        None,
        None,
        "Kết quả 'mười' không phải là số",
        MEASURES,
        "household_broadband",
        "Kết quả",
    ),
    (
        {"household_broadband": "120%"},
        None,
        None,
        "Kết quả 120% nằm ngoài khoảng 0–100%",
        MEASURES,
        "household_broadband",
        "Kết quả",
    ),
    (
        {"household_broadband": -5},
        None,
        None,
        "Kết quả -5% nằm ngoài khoảng 0–100%",
        MEASURES,
        "household_broadband",
        "Kết quả",
    ),
    (
        {"citizen_training_sessions": -2},
        None,
        None,
        "Kết quả '-2' là số âm; số lượng không được âm",
        MEASURES,
        "citizen_training_sessions",
        "Kết quả",
    ),
    (
        {"citizen_training_sessions": "2,5"},
        None,
        None,
        "không phải số nguyên",
        MEASURES,
        "citizen_training_sessions",
        "Kết quả",
    ),
    ({"plan_issued": "sắp có"}, None, None, "Kết quả 'sắp có' không phải Có/Không", MEASURES, "plan_issued", "Kết quả"),
    (
        {"household_broadband": "=40+45"},
        None,
        None,
        "(Kết quả) chứa công thức nhưng chưa có giá trị đã tính",
        MEASURES,
        "household_broadband",
        "Kết quả",
    ),
    (
        None,
        {("core_members_trained", "Tử số"): 45},
        None,
        "Thiếu Mẫu số: Tử số và Mẫu số phải ghi cùng nhau",
        MEASURES,
        "core_members_trained",
        "Mẫu số",
    ),
    (
        None,
        {("core_members_trained", "Tử số"): 60, ("core_members_trained", "Mẫu số"): 50},
        None,
        "Tử số 60 lớn hơn Mẫu số 50",
        MEASURES,
        "core_members_trained",
        "Tử số",
    ),
    (
        {"core_members_trained": 70},
        {("core_members_trained", "Tử số"): 45, ("core_members_trained", "Mẫu số"): 50},
        None,
        "Kết quả 70% không khớp Tử số/Mẫu số (45/50 = 90,0%)",
        MEASURES,
        "core_members_trained",
        "Kết quả",
    ),
    (None, None, {"Tỷ lệ hoàn thành (%)": 50}, "Thiếu Tình trạng", TASKS, TASK, "Tình trạng"),
    (
        None,
        None,
        {"Tình trạng": "sắp xong"},
        "Tình trạng 'sắp xong' không hợp lệ (chọn: Chưa thực hiện, Đang thực hiện, Hoàn thành)",
        TASKS,
        TASK,
        "Tình trạng",
    ),
    (
        None,
        None,
        {"Tình trạng": "Hoàn thành", "Tỷ lệ hoàn thành (%)": 60},
        "Tình trạng “Hoàn thành” nhưng tỷ lệ hoàn thành là 60%",
        TASKS,
        TASK,
        "Tỷ lệ hoàn thành (%)",
    ),
    (
        None,
        None,
        {"Tình trạng": "Hoàn thành", "Ngày hoàn thành": "31/02/2026"},
        "Ngày hoàn thành '31/02/2026' không phải ngày có thật",
        TASKS,
        TASK,
        "Ngày hoàn thành",
    ),
    (
        None,
        None,
        {"Tình trạng": "Hoàn thành", "Ngày hoàn thành": "25/04/2026"},
        "Ngày hoàn thành 25/04/2026 ở sau hôm nay",
        TASKS,
        TASK,
        "Ngày hoàn thành",
    ),
]


def place(catalog, sheet: str, code: str, header: str) -> tuple[int, str]:
    """(1-based row, column letter) of a cell of the template."""
    ws = load_workbook(io.BytesIO(template_bytes(catalog, "tan_an", "vhxh", PERIOD)))[sheet]
    _, cols = header_columns(ws)
    cell = ws.cell(row=row_of(ws, code), column=cols[header])
    return cell.row, cell.column_letter


@pytest.mark.parametrize("values, extra, task, message, sheet, code, header", BAD_CELLS)
def test_a_bad_cell_is_an_error_at_its_place(catalog, values, extra, task, message, sheet, code, header):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, values, tasks={TASK: task} if task else None, extra=extra)
    parsed, problems = validate_package("phieu.xlsx", open_package(data), catalog, today=AFTER)
    assert parsed is None
    found = [p for p in problems if p.is_error and message in p.message]
    assert found, [str(p) for p in problems]
    row, column = place(catalog, sheet, code, header)
    assert (found[0].file, found[0].sheet, found[0].row, found[0].column) == ("phieu.xlsx", sheet, row, column)


def test_a_clean_sheet_parses_with_its_identity_and_rows(catalog):
    data = filled(
        catalog,
        "tan_an",
        "vhxh",
        PERIOD,
        {"household_broadband": "85,5", "plan_issued": "x"},
        tasks={TASK: {"Tình trạng": "Đang thực hiện", "Tỷ lệ hoàn thành (%)": 40}},
    )
    parsed, problems = validate_package("phieu.xlsx", open_package(data), catalog, today=AFTER)
    assert parsed is not None and not [p for p in problems if p.is_error]
    assert (parsed.identity.locality_id, parsed.identity.unit_code, parsed.identity.period) == (
        "tan_an",
        "vhxh",
        PERIOD,
    )
    assert {v.measure: v.value for v in parsed.values} == {"household_broadband": 85.5, "plan_issued": 1.0}
    assert [(t.task, t.status, t.percent) for t in parsed.tasks] == [(TASK, "in_progress", 40.0)]
    assert len(parsed.blank) == len(parsed.spec.lines) - 2
