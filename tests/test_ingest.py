"""Ingest: every bad input is refused with a located Vietnamese message and writes nothing; good
sheets round-trip into DuckDB, with history on re-upload, duplicates recognised and dry runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import duckdb
import pytest
from openpyxl import Workbook, load_workbook
from sheet_factory import (
    MEASURES,
    TASKS,
    edit,
    filled,
    header_columns,
    ingest_file,
    march_sheet,
    query,
    row_of,
    table_counts,
)

from loaders import ingest as ingest_module
from loaders.ingest import ingest_files
from loaders.parsed_sheet import Expected
from loaders.template import build_workbook, template_bytes, workbook_bytes
from plans.reporting import sheet_spec
from store import uploads
from store.db import connection
from store.uploads import has_sample_data, stored_file

pytestmark = pytest.mark.both_backends
PERIOD = "2026-03"


def where(catalog, sheet: str, code: str, header: str, locality="tan_an", unit="vhxh") -> tuple[int, str]:
    """(row, column letter) of a cell of the template."""
    ws = load_workbook(io.BytesIO(template_bytes(catalog, locality, unit, PERIOD)))[sheet]
    _, cols = header_columns(ws)
    cell = ws.cell(row=row_of(ws, code), column=cols[header])
    return cell.row, cell.column_letter


def code_cell(catalog, sheet: str = MEASURES) -> tuple[int, str]:
    """Where the template writes its "Mã phiếu"."""
    ws = load_workbook(io.BytesIO(template_bytes(catalog, "tan_an", "vhxh", PERIOD)))[sheet]
    for row in ws.iter_rows(max_row=8):
        for cell in row:
            if cell.value == "tan_an/vhxh/2026-03/v1":
                return cell.row, cell.column_letter
    raise AssertionError("no sheet code")


def rejected(
    db, catalog, data: bytes, message: str, sheet: str | None, row: int | None, column: str | None, **kwargs
) -> None:
    """The file is refused with ``message`` at (sheet, row, column), and nothing was written."""
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog, **kwargs)
    assert not result.accepted
    found = [p for p in result.errors if message in p.message]
    assert found, [str(p) for p in result.errors]
    problem = found[0]
    assert (problem.file, problem.sheet, problem.row, problem.column) == ("phieu.xlsx", sheet, row, column)
    text = str(problem)
    assert text.startswith("Lỗi") and message in text
    if sheet:
        assert f"trang '{sheet}'" in text
    if row:
        assert f"dòng {row}" in text
    if column:
        assert f"cột {column}" in text
    assert result.summary().startswith("TỪ CHỐI phieu.xlsx")
    assert table_counts(db)["submissions"] == 0
    assert table_counts(db)["upload_files"] == 0


# ---------- bad inputs (one bad cell each: tests/test_validate.py): refused, nothing written ----------


def test_unknown_measure_code(db, catalog):
    def add_row(book):
        ws = book[MEASURES]
        _, cols = header_columns(ws)
        ws.cell(row=ws.max_row + 1, column=cols["Mã chỉ tiêu"], value="so_cho_ngoi")
        ws.cell(row=ws.max_row, column=cols["Kết quả"], value=5)

    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD), add_row)
    ws = load_workbook(io.BytesIO(data))[MEASURES]
    rejected(
        db,
        catalog,
        data,
        "Mã chỉ tiêu 'so_cho_ngoi' không có trong phiếu của Phòng Văn hóa - Xã hội xã",
        MEASURES,
        ws.max_row,
        "B",
    )


def test_measure_of_another_unit(db, catalog):
    def add_row(book):
        ws = book[MEASURES]
        ws.cell(row=ws.max_row + 1, column=2, value="dvc_online_usage")
        ws.cell(row=ws.max_row, column=7, value=70)

    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD), add_row)
    rejected(
        db,
        catalog,
        data,
        "Mã chỉ tiêu 'dvc_online_usage' không có trong phiếu",
        MEASURES,
        load_workbook(io.BytesIO(data))[MEASURES].max_row,
        "B",
    )


def test_duplicated_measure_code(db, catalog):
    row, _ = where(catalog, MEASURES, "household_broadband", "Mã chỉ tiêu")
    data = edit(
        march_sheet(catalog, {"public_wifi_coverage": 80}),
        lambda book: book[MEASURES].cell(row=row, column=2, value="public_wifi_coverage"),
    )
    first, _ = where(catalog, MEASURES, "public_wifi_coverage", "Mã chỉ tiêu")
    rejected(
        db, catalog, data, f"Mã chỉ tiêu 'public_wifi_coverage' lặp lại (đã có ở dòng {first})", MEASURES, row, "B"
    )


def test_duplicated_task_code(db, catalog):
    row, _ = where(catalog, TASKS, "TA-VII.2-b", "Mã nhiệm vụ")
    data = edit(
        template_bytes(catalog, "tan_an", "vhxh", PERIOD),
        lambda book: book[TASKS].cell(row=row, column=2, value="TA-VII.2-a"),
    )
    rejected(db, catalog, data, "Mã nhiệm vụ 'TA-VII.2-a' lặp lại", TASKS, row, "B")


@pytest.mark.parametrize(
    "message, upload",
    [
        (
            "Phiếu là của Xã Tân An, nhưng đang nạp cho Phường Hưng Đạo",
            {"expected": Expected("hung_dao", None, PERIOD)},
        ),
        (
            "Phiếu là của Tháng 03/2026, nhưng đang nạp cho Tháng 04/2026",
            {"expected": Expected("tan_an", "vhxh", "2026-04")},
        ),
        (
            "Phiếu là của đơn vị “Phòng Văn hóa - Xã hội xã”, nhưng đang nạp cho đơn vị “Công an xã”",
            {"expected": Expected("tan_an", "ca", PERIOD)},
        ),
        ("Kỳ báo cáo Tháng 03/2026 chưa tới", {"today": dt.date(2026, 2, 20)}),
    ],
    ids=["another_locality", "another_period", "another_unit", "period_not_yet_come"],
)
def test_a_sheet_for_another_place_or_month_is_refused_at_its_code(db, catalog, message, upload):
    """Tân An's Phòng Văn hóa - Xã hội sheet of March 2026, uploaded for another locality, month or
    unit, or before March has come: refused at its "Mã phiếu" cell."""
    data = template_bytes(catalog, "tan_an", "vhxh", PERIOD)
    rejected(db, catalog, data, message, MEASURES, *code_cell(catalog), **upload)


def test_period_outside_the_plan(db, catalog):
    data = template_bytes(catalog, "binh_giang", "vhxh", "2027-01")
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog, today=dt.date(2027, 3, 1))
    assert not result.accepted
    assert "nằm ngoài thời gian của kế hoạch (2026–2026)" in result.errors[0].message
    assert table_counts(db)["submissions"] == 0


def test_tampered_sheet_code(db, catalog):
    row, column = code_cell(catalog)
    data = edit(
        template_bytes(catalog, "tan_an", "vhxh", PERIOD),
        lambda book: book[MEASURES].__setitem__(f"{column}{row}", "tan_an/vhxh/2026-3"),
    )
    rejected(db, catalog, data, "Mã phiếu 'tan_an/vhxh/2026-3' không hợp lệ", MEASURES, row, column)


def test_period_label_edited_but_not_the_code(db, catalog):
    row, column = code_cell(catalog)
    data = edit(
        template_bytes(catalog, "tan_an", "vhxh", PERIOD),
        lambda book: book[MEASURES].__setitem__(f"{column}{row - 1}", "Tháng 04/2026"),
    )
    rejected(
        db,
        catalog,
        data,
        "Kỳ báo cáo ghi 'Tháng 04/2026' nhưng mã phiếu là của Tháng 03/2026",
        MEASURES,
        row - 1,
        column,
    )


def test_old_template_version(db, catalog):
    row, column = code_cell(catalog)

    def version_2(book):
        for name in (MEASURES, TASKS):
            book[name][f"{column}{row}"] = "tan_an/vhxh/2026-03/v2"

    rejected(
        db,
        catalog,
        edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD), version_2),
        "Phiếu theo mẫu phiên bản 2",
        MEASURES,
        row,
        column,
    )


def test_village_sheet_without_village(db, catalog):
    data = filled(catalog, "nam_thanh_mien", "thon", PERIOD, {"village_innovation_team_share": "Có"})
    rejected(db, catalog, data, "Phiếu của thôn phải ghi tên thôn / tổ dân phố", MEASURES, 5, "C")


def test_missing_result_column(db, catalog):
    data = edit(
        template_bytes(catalog, "tan_an", "vhxh", PERIOD), lambda book: book[MEASURES].__setitem__("G9", "Ý kiến")
    )
    rejected(db, catalog, data, "Thiếu cột 'Kết quả' ở dòng tiêu đề", MEASURES, 9, None)


def test_workbook_that_is_not_a_monthly_sheet(db, catalog):
    book = Workbook()
    book.active.title = "Sheet1"
    book.active["A1"] = "Danh sách cán bộ"
    out = io.BytesIO()
    book.save(out)
    rejected(db, catalog, out.getvalue(), "tệp không phải phiếu báo cáo tháng", None, None, None)


def test_every_problem_of_a_file_is_reported(db, catalog):
    data = march_sheet(
        catalog,
        {"household_broadband": "mười", "citizen_training_sessions": -1, "plan_issued": "?"},
        tasks={"TA-VII.2-a": {"Tình trạng": "xong"}},
    )
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    located = [(p.sheet, p.row, p.column, p.message) for p in result.errors]
    assert located == [
        (
            MEASURES,
            *where(catalog, MEASURES, "plan_issued", "Kết quả"),
            "Kết quả '?' không phải Có/Không (ghi Có hoặc Không) (chỉ tiêu “Đã ban hành kế hoạch, văn bản triển khai”)",
        ),
        (
            MEASURES,
            *where(catalog, MEASURES, "citizen_training_sessions", "Kết quả"),
            "Kết quả '-1' là số âm; số lượng không được âm "
            "(chỉ tiêu “Số buổi tuyên truyền, tập huấn kỹ năng số cơ bản cho Nhân dân”)",
        ),
        (
            MEASURES,
            *where(catalog, MEASURES, "household_broadband", "Kết quả"),
            "Kết quả 'mười' không phải là số (chỉ tiêu “Tỷ lệ hộ gia đình có kết nối Internet băng rộng tốc độ cao”)",
        ),
        (
            TASKS,
            *where(catalog, TASKS, "TA-VII.2-a", "Tình trạng"),
            "Tình trạng 'xong' không hợp lệ (chọn: Chưa thực hiện, Đang thực hiện, Hoàn thành) (nhiệm vụ TA-VII.2-a)",
        ),
    ]
    assert result.problems[:4] == result.errors and not any(p.is_error for p in result.problems[4:])
    assert result.summary() == "TỪ CHỐI phieu.xlsx: 4 lỗi, không ghi gì vào cơ sở dữ liệu"
    assert table_counts(db)["submissions"] == 0


def test_a_junk_block_lists_errors_first_and_at_most_200_problems(db, catalog):
    def junk(book):
        ws = book[MEASURES]
        for row in range(60, 360):
            ws.cell(row=row, column=2, value=f"so_{row}")
            ws.cell(row=row, column=7, value=1)

    result = ingest_file(
        db, "phieu.xlsx", edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD), junk), catalog=catalog
    )
    assert len(result.errors) == 300 and result.summary().startswith("TỪ CHỐI phieu.xlsx: 300 lỗi")
    listed = result.problems
    assert len(listed) == 201
    assert [(p.row, p.column) for p in listed[:200]] == [(row, "B") for row in range(60, 260)]
    assert listed[0].message == "Mã chỉ tiêu 'so_60' không có trong phiếu của Phòng Văn hóa - Xã hội xã"
    blank = len(sheet_spec(catalog, "tan_an", "vhxh", 2026).lines) + len(
        sheet_spec(catalog, "tan_an", "vhxh", 2026).tasks
    )
    assert listed[-1].message == (
        f"Còn {100 + blank} vấn đề khác (100 lỗi, {blank} cảnh báo) không được liệt kê; "
        f"hãy sửa các lỗi trên rồi nạp lại để xem tiếp"
    )
    assert table_counts(db)["submissions"] == 0


def test_two_measure_sheets_are_refused_and_named(db, catalog):
    def copy_first(book):
        copy = book.copy_worksheet(book[MEASURES])
        copy.title = "Chỉ tiêu (2)"
        book.move_sheet(copy, offset=-(len(book.sheetnames) - 1))

    data = edit(march_sheet(catalog, {"household_broadband": 70}), copy_first)
    assert load_workbook(io.BytesIO(data)).sheetnames[:2] == ["Chỉ tiêu (2)", MEASURES]
    rejected(
        db,
        catalog,
        data,
        "Tệp có 2 trang chỉ tiêu: 'Chỉ tiêu (2)', 'Chỉ tiêu'. Hãy xóa trang thừa rồi nạp lại.",
        None,
        None,
        None,
    )


def test_a_copied_task_sheet_of_another_month_is_refused(db, catalog):
    def copy_task_sheet(book):
        book.copy_worksheet(book[TASKS]).title = "Nhiệm vụ T2"

    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD), copy_task_sheet)
    rejected(db, catalog, data, "Tệp có 2 trang nhiệm vụ: 'Nhiệm vụ', 'Nhiệm vụ T2'.", None, None, None)


def test_formula_without_cached_value_on_the_task_sheet(db, catalog):
    data = march_sheet(
        catalog, tasks={"TA-VII.2-a": {"Tình trạng": "Đang thực hiện", "Tỷ lệ hoàn thành (%)": "=20+20"}}
    )
    row, column = where(catalog, TASKS, "TA-VII.2-a", "Tỷ lệ hoàn thành (%)")
    rejected(
        db,
        catalog,
        data,
        f"Ô {column}{row} (Tỷ lệ hoàn thành (%)) chứa công thức nhưng chưa có giá trị đã tính",
        TASKS,
        row,
        column,
    )


@pytest.mark.parametrize(
    "code, header, value, rule",
    [
        ("citizen_training_sessions", "Tử số", 3, "Chỉ tiêu số lượng chỉ ghi ở cột Kết quả"),
        ("smart_tourism_models", "Mẫu số", 2, "Chỉ tiêu số lượng chỉ ghi ở cột Kết quả"),
        ("plan_issued", "Mẫu số", "Có", "Chỉ tiêu Có/Không chỉ ghi ở cột Kết quả"),
    ],
)
def test_a_value_in_the_wrong_column_is_an_error(db, catalog, code, header, value, rule):
    data = march_sheet(catalog, extra={(code, header): value})
    row, column = where(catalog, MEASURES, code, header)
    rejected(
        db,
        catalog,
        data,
        f"Ô {column}{row} ({header}) có số liệu: {rule} (chỉ tiêu “{catalog.measures[code].name}”)",
        MEASURES,
        row,
        column,
    )


def test_a_reduction_takes_no_numerator_or_denominator(db, catalog):
    data = filled(
        catalog,
        "tan_an",
        "ttpvhcc",
        PERIOD,
        extra={("tthc_time_reduction", "Tử số"): 8, ("tthc_time_reduction", "Mẫu số"): 10},
    )
    row, column = where(catalog, MEASURES, "tthc_time_reduction", "Tử số", unit="ttpvhcc")
    rejected(
        db,
        catalog,
        data,
        f"Ô {column}{row} (Tử số) có số liệu: Chỉ tiêu mức giảm chỉ ghi mức giảm (%) ở cột "
        "Kết quả, ví dụ 20 cho “giảm 20%”; không ghi Tử số, Mẫu số "
        "(chỉ tiêu “Mức rút ngắn thời gian giải quyết thủ tục hành chính so với quy định”)",
        MEASURES,
        row,
        column,
    )


def test_a_reduction_is_the_reduction_in_percent(db, catalog):
    data = filled(catalog, "tan_an", "ttpvhcc", PERIOD, {"tthc_time_reduction": 20})
    assert ingest_file(db, "phieu.xlsx", data, catalog=catalog).accepted
    assert query(db, "SELECT value, numerator, denominator FROM current_values") == [(20, None, None)]


def test_a_bare_one_among_rates_is_accepted_with_a_warning(db, catalog):
    data = march_sheet(catalog, {"household_broadband": 0.85, "public_wifi_coverage": 1})
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert result.accepted
    row, column = where(catalog, MEASURES, "public_wifi_coverage", "Kết quả")
    (warning,) = [p for p in result.warnings if "Giá trị 1" in p.message]
    assert (warning.sheet, warning.row, warning.column, warning.message) == (
        MEASURES,
        row,
        column,
        "Kết quả: Giá trị 1 được hiểu là 1%; nếu là 100% hãy ghi 100 hoặc 100% "
        "(chỉ tiêu “Tỷ lệ khu vực công cộng trọng điểm được phủ sóng Wi-Fi miễn phí”)",
    )
    assert dict(query(db, "SELECT measure, value FROM current_values")) == {
        "household_broadband": 85,
        "public_wifi_coverage": 1,
    }


def test_a_second_note_column_is_read_from_the_first_with_a_warning(db, catalog):
    data = edit(
        march_sheet(catalog, {"household_broadband": 70}, extra={("household_broadband", "Ghi chú"): "số tạm tính"}),
        lambda book: book[MEASURES].__setitem__("L9", "Ghi chú"),
    )
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert result.accepted, [str(p) for p in result.errors]
    (warning,) = [p for p in result.warnings if "xuất hiện" in p.message]
    assert (warning.sheet, warning.row, warning.column, warning.message) == (
        MEASURES,
        9,
        "L",
        "Cột 'Ghi chú' xuất hiện 2 lần ở dòng tiêu đề (cột K, L): chỉ đọc cột K",
    )
    assert query(db, "SELECT note FROM submission_values") == [("số tạm tính",)]


def test_a_second_result_column_is_an_error_naming_both(db, catalog):
    data = edit(
        march_sheet(catalog, {"household_broadband": 70}), lambda book: book[MEASURES].__setitem__("L9", "Thực hiện")
    )
    rejected(
        db,
        catalog,
        data,
        "Cột 'Kết quả' xuất hiện 2 lần ở dòng tiêu đề (cột G, L): hãy xóa hoặc đổi tên cột thừa",
        MEASURES,
        9,
        "L",
    )


def test_a_signature_word_under_the_table_is_skipped_with_a_warning(db, catalog):
    def sign(book):
        ws = book[MEASURES]
        ws.cell(row=ws.max_row + 3, column=2, value="Lan")

    data = edit(march_sheet(catalog, {"household_broadband": 70}), sign)
    signed_at = load_workbook(io.BytesIO(data))[MEASURES].max_row
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert result.accepted, [str(p) for p in result.errors]
    (warning,) = [p for p in result.warnings if "'Lan'" in p.message]
    assert (warning.row, warning.column, warning.message) == (
        signed_at,
        "B",
        "Mã chỉ tiêu 'Lan' không có trong phiếu của Phòng Văn hóa - Xã hội xã; dòng không có số liệu nên bị bỏ qua",
    )
    assert dict(query(db, "SELECT measure, value FROM current_values")) == {"household_broadband": 70}


def test_an_unrecognised_second_header_row_is_named(db, catalog):
    def second_header(book):
        ws = book[MEASURES]
        ws.insert_rows(10)
        ws["G10"] = "Giá trị"

    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD), second_header)
    rejected(
        db,
        catalog,
        data,
        "Dòng ngay dưới dòng tiêu đề (dòng 9) có chữ hoặc số ở cột Kết quả, Tử số hay Mẫu số "
        "nhưng không có Mã chỉ tiêu: nếu đây là dòng tiêu đề thứ hai, hãy gộp tiêu đề vào một dòng",
        MEASURES,
        10,
        "B",
    )


# ---------- a whole-locality sheet and unit sheets of the same month ----------

WHOLE_AFTER_UNITS = (
    "Tháng 03/2026 đã có phiếu của 2 đơn vị (Công an xã, Phòng Văn hóa - Xã hội xã). Với các chỉ "
    "tiêu phiếu chung của cả xã có ghi, số của phiếu chung được dùng thay cho số của các đơn vị."
)
UNIT_AFTER_WHOLE = (
    "Tháng 03/2026 đã có phiếu chung của cả xã. Với các chỉ tiêu phiếu chung có ghi, số của phiếu "
    "chung được dùng thay cho số của đơn vị này."
)


def _overlap(result) -> list[str]:
    return [p.message for p in result.warnings if "phiếu chung" in p.message]


def test_whole_locality_sheet_after_unit_sheets_warns(db, catalog):
    ca = filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 3})
    vhxh = march_sheet(catalog, {"household_broadband": 60})
    whole = filled(catalog, "tan_an", "all", PERIOD, {"household_broadband": 80})
    results = ingest_files(db, [("ca.xlsx", ca), ("vhxh.xlsx", vhxh), ("all.xlsx", whole)], catalog=catalog)
    assert [r.accepted for r in results] == [True, True, True]
    assert [_overlap(r) for r in results] == [[], [], [WHOLE_AFTER_UNITS]]
    assert next(p for p in results[2].warnings if p.message == WHOLE_AFTER_UNITS).sheet is None


def test_unit_sheet_after_the_whole_locality_sheet_warns(db, catalog):
    whole = filled(catalog, "tan_an", "all", PERIOD, {"household_broadband": 80})
    ca = filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 3})
    other_month = filled(catalog, "tan_an", "ca", "2026-02", {"fraud_awareness_sessions": 1})
    other_place = filled(catalog, "hung_dao", "ca", PERIOD)
    results = ingest_files(
        db, [("all.xlsx", whole), ("ca.xlsx", ca), ("ca2.xlsx", other_month), ("hd.xlsx", other_place)], catalog=catalog
    )
    assert [_overlap(r) for r in results] == [[], [UNIT_AFTER_WHOLE], [], []]


def test_a_dry_run_batch_warns_about_its_own_files(db, catalog):
    ca = filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 3})
    whole = filled(catalog, "tan_an", "all", PERIOD, {"household_broadband": 80})
    results = ingest_files(db, [("ca.xlsx", ca), ("all.xlsx", whole)], catalog=catalog, dry_run=True)
    assert _overlap(results[1]) == [
        WHOLE_AFTER_UNITS.replace("2 đơn vị (Công an xã, Phòng Văn hóa - Xã hội xã)", "1 đơn vị (Công an xã)")
    ]
    assert table_counts(db)["submissions"] == 0


def test_re_uploading_a_unit_sheet_without_a_whole_sheet_does_not_warn(db, catalog):
    first = filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 3})
    again = filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 4})
    results = ingest_files(db, [("a.xlsx", first), ("b.xlsx", again)], catalog=catalog)
    assert [_overlap(r) for r in results] == [[], []]


# ---------- accepted sheets ----------


def test_round_trip_values_read_back_equal_what_was_filled(db, catalog):
    spec = sheet_spec(catalog, "tan_an", "vhxh", 2026)
    typed, expected = {}, {}
    for i, line in enumerate(spec.lines):
        if line.entry == "percent":
            typed[line.code], expected[line.code] = f"{50 + i},5", 50.5 + i
        elif line.entry == "count":
            typed[line.code], expected[line.code] = i, float(i)
        else:
            typed[line.code], expected[line.code] = ("Có", 1.0) if i % 2 else ("Không", 0.0)
    tasks = {
        t.code: {"Tình trạng": "Đang thực hiện", "Tỷ lệ hoàn thành (%)": 10 * (i % 10), "Minh chứng": f"Văn bản số {i}"}
        for i, t in enumerate(spec.tasks)
    }
    data = march_sheet(
        catalog,
        typed,
        tasks,
        extra={
            ("public_wifi_coverage", "Minh chứng"): "Biên bản kiểm tra",
            ("public_wifi_coverage", "Ghi chú"): "3/4 điểm",
        },
    )
    result = ingest_file(db, "tan_an_vhxh.xlsx", data, user="Chị Lan", catalog=catalog)
    assert result.accepted and not result.warnings, [str(p) for p in result.problems]
    assert result.summary().startswith(
        "ĐÃ NHẬN tan_an_vhxh.xlsx: Xã Tân An – Phòng Văn hóa - Xã hội xã – Tháng 03/2026"
    )
    stored = dict(query(db, "SELECT measure, value FROM current_values WHERE locality_id = 'tan_an'"))
    assert stored == pytest.approx(expected)
    assert query(db, "SELECT evidence, note FROM submission_values WHERE measure = 'public_wifi_coverage'") == [
        ("Biên bản kiểm tra", "3/4 điểm")
    ]
    task_rows = {
        code: (status, percent, evidence)
        for code, status, percent, evidence in query(
            db, "SELECT task_code, status, percent, evidence FROM current_task_updates"
        )
    }
    assert task_rows == {t.code: ("in_progress", 10.0 * (i % 10), f"Văn bản số {i}") for i, t in enumerate(spec.tasks)}
    assert query(
        db,
        "SELECT unit_code, village, period, uploaded_by, is_current, is_sample, template_version, "
        "n_values, n_blank, n_tasks FROM submissions",
    ) == [("vhxh", "", PERIOD, "Chị Lan", True, False, "1", len(spec.lines), 0, len(spec.tasks))]


def test_blank_is_not_reported_and_distinct_from_zero(db, catalog):
    data = march_sheet(catalog, {"citizen_training_sessions": 0, "household_broadband": 0})
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert result.accepted
    row, column = where(catalog, MEASURES, "public_wifi_coverage", "Kết quả")
    warning = next(p for p in result.warnings if "phủ sóng Wi-Fi" in p.message)
    assert (warning.severity, warning.sheet, warning.row, warning.column) == ("warning", MEASURES, row, column)
    assert warning.message == (
        "Chưa báo cáo “Tỷ lệ khu vực công cộng trọng điểm được phủ sóng Wi-Fi miễn phí” tháng này (Kết quả để trống)"
    )  # the name, not the code
    assert dict(query(db, "SELECT measure, value FROM current_values")) == {
        "citizen_training_sessions": 0,
        "household_broadband": 0,
    }
    assert result.n_values == 2 and result.n_blank == len(sheet_spec(catalog, "tan_an", "vhxh", 2026).lines) - 2


def test_original_file_is_stored_with_its_hash(db, catalog):
    data = filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 1})
    result = ingest_file(db, "ca.xlsx", data, catalog=catalog)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    with connection(db) as con:
        assert stored_file(con, result.sha256) == data
    assert query(db, "SELECT file_name, size_bytes FROM upload_files") == [("ca.xlsx", len(data))]


def test_reupload_replaces_current_and_keeps_history(db, catalog):
    first = march_sheet(
        catalog,
        {"public_wifi_coverage": 60, "citizen_training_sessions": 1},
        tasks={"TA-VII.2-a": {"Tình trạng": "Đang thực hiện", "Tỷ lệ hoàn thành (%)": 40}},
    )
    second = march_sheet(
        catalog,
        {"public_wifi_coverage": 75, "household_broadband": 50, "citizen_training_sessions": 1},
        tasks={"TA-VII.2-a": {"Tình trạng": "Hoàn thành"}},
    )
    one = ingest_file(db, "v1.xlsx", first, catalog=catalog)
    two = ingest_file(db, "v2.xlsx", second, catalog=catalog)
    assert two.accepted and two.replaced_id == one.submission_id
    assert "thay phiếu số" in two.summary()
    assert query(db, "SELECT id, is_current, replaces FROM submissions ORDER BY id") == [
        (one.submission_id, False, None),
        (two.submission_id, True, one.submission_id),
    ]
    assert dict(query(db, "SELECT measure, value FROM current_values")) == {
        "public_wifi_coverage": 75,
        "household_broadband": 50,
        "citizen_training_sessions": 1,
    }
    assert dict(
        query(db, "SELECT measure, value FROM submission_values WHERE submission_id = ?", [one.submission_id])
    ) == {"public_wifi_coverage": 60, "citizen_training_sessions": 1}
    changes = {c.code: (c.old_text, c.new_text) for c in two.changes}
    assert changes == {
        "public_wifi_coverage": ("60%", "75%"),
        "household_broadband": ("(trống)", "50%"),
        "TA-VII.2-a": ("Đang thực hiện (40%)", "Hoàn thành (100%)"),
    }


def test_dry_run_shows_changes_and_writes_nothing(db, catalog):
    ingest_file(db, "v1.xlsx", filled(catalog, "tan_an", "kt", PERIOD, {"sme_digital_share": 30}), catalog=catalog)
    before = table_counts(db)
    preview = ingest_file(
        db, "v2.xlsx", filled(catalog, "tan_an", "kt", PERIOD, {"sme_digital_share": 35}), catalog=catalog, dry_run=True
    )
    assert preview.accepted and preview.dry_run and preview.submission_id is None
    assert [(c.code, c.old, c.new) for c in preview.changes] == [("sme_digital_share", 30, 35)]
    assert preview.summary().startswith("HỢP LỆ v2.xlsx")
    assert table_counts(db) == before


def test_same_bytes_twice_are_not_duplicated(db, catalog):
    data = filled(catalog, "tan_an", "kt", PERIOD, {"sme_digital_share": 30})
    first = ingest_file(db, "a.xlsx", data, catalog=catalog)
    again = ingest_file(db, "a (1).xlsx", data, catalog=catalog)
    assert again.accepted and again.duplicate and again.submission_id == first.submission_id
    assert again.summary().startswith("ĐÃ CÓ a (1).xlsx")
    assert table_counts(db)["submissions"] == 1 and table_counts(db)["upload_files"] == 1


def test_going_back_to_an_earlier_file_keeps_one_copy_of_its_bytes(db, catalog):
    a = filled(catalog, "tan_an", "kt", PERIOD, {"sme_digital_share": 30})
    b = filled(catalog, "tan_an", "kt", PERIOD, {"sme_digital_share": 40})
    ids = [r.submission_id for r in ingest_files(db, [("a", a), ("b", b), ("a", a)], catalog=catalog)]
    assert len(set(ids)) == 3
    assert table_counts(db)["upload_files"] == 2
    assert query(db, "SELECT count(*) FROM upload_contents") == [(2,)]  # the bytes once per SHA-256 too
    assert dict(query(db, "SELECT measure, value FROM current_values")) == {"sme_digital_share": 30}


def test_villages_are_separate_submissions_stored_as_100_or_0(db, catalog):
    results = ingest_files(
        db,
        [
            (
                "dong.xlsx",
                filled(
                    catalog,
                    "nam_thanh_mien",
                    "thon",
                    PERIOD,
                    {"village_innovation_team_share": "Có"},
                    village="Thôn Đông",
                ),
            ),
            (
                "tay.xlsx",
                filled(
                    catalog,
                    "nam_thanh_mien",
                    "thon",
                    PERIOD,
                    {"village_innovation_team_share": "Không"},
                    village="Thôn Tây",
                ),
            ),
            (
                "tay2.xlsx",
                filled(
                    catalog,
                    "nam_thanh_mien",
                    "thon",
                    PERIOD,
                    {"village_innovation_team_share": "x"},
                    village="thôn  tây",
                ),
            ),
        ],
        catalog=catalog,
    )
    assert all(r.accepted for r in results)
    assert results[2].replaced_id == results[1].submission_id
    assert sorted(query(db, "SELECT village, value FROM current_values")) == [("Thôn Tây", 100), ("Thôn Đông", 100)]


def test_whole_locality_sheet(db, catalog):
    data = filled(catalog, "ke_sat", "all", PERIOD, {"dvc_online_usage": 55, "innovation_models": 1})
    result = ingest_file(db, "ks.xlsx", data, catalog=catalog, expected=Expected("ke_sat", "all", PERIOD))
    assert result.accepted
    assert query(db, "SELECT DISTINCT unit_code FROM current_values") == [("all",)]


def test_sample_marker_sets_is_sample(db, catalog):
    data = workbook_bytes(build_workbook(catalog, "tan_an", "ca", PERIOD, sample=True))
    result = ingest_file(db, "mau.xlsx", data, catalog=catalog)
    assert result.accepted and result.identity.is_sample
    with connection(db) as con:
        assert has_sample_data(con)


def test_no_sample_data_by_default(db, catalog):
    ingest_file(
        db, "ca.xlsx", filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 1}), catalog=catalog
    )
    with connection(db) as con:
        assert not has_sample_data(con)


def test_failure_while_writing_rolls_back(db, catalog, monkeypatch):
    real = uploads.insert_rows

    def fail_on_tasks(con, table, columns, rows, on_conflict=""):
        if table == "task_updates":
            raise duckdb.ConstraintException("simulated")
        real(con, table, columns, rows, on_conflict)

    monkeypatch.setattr(uploads, "insert_rows", fail_on_tasks)
    data = march_sheet(catalog, {"public_wifi_coverage": 60}, tasks={"TA-VII.2-a": {"Tình trạng": "Hoàn thành"}})
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert not result.accepted and "Lỗi khi ghi vào cơ sở dữ liệu, không ghi gì" in result.errors[0].message
    assert table_counts(db) == {"submissions": 0, "submission_values": 0, "task_updates": 0, "upload_files": 0}


@pytest.mark.duckdb_only
def test_locked_store_is_a_result_not_an_exception(db, catalog, held):
    """Another program holds the file (``held``: DuckDB's own lock): every valid file says so."""
    data = filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 1})
    results = ingest_files(db, [("a.xlsx", data), ("b.xlsx", data)], catalog=catalog)
    assert [r.store_locked for r in results] == [True, True]
    message = results[0].errors[0].message
    assert "đang bị một chương trình khác giữ" in message and f"PID {held})" in message


def test_missing_header_row(db, catalog):
    data = edit(
        template_bytes(catalog, "tan_an", "vhxh", PERIOD), lambda book: book[MEASURES].__setitem__("B9", "Mã số")
    )
    rejected(db, catalog, data, "Không tìm thấy dòng tiêu đề có cột 'Mã chỉ tiêu' trong trang", MEASURES, None, None)


def test_missing_measure_sheet(db, catalog):
    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD), lambda book: book.remove(book[MEASURES]))
    rejected(db, catalog, data, "Thiếu trang 'Chỉ tiêu' của phiếu", None, None, None)


def test_invalid_choice_on_upload_is_a_problem_not_an_exception(db, catalog):
    data = template_bytes(catalog, "tan_an", "vhxh", PERIOD)
    rejected(
        db,
        catalog,
        data,
        "Kỳ báo cáo đã chọn không hợp lệ",
        MEASURES,
        *code_cell(catalog),
        expected=Expected("tan_an", "vhxh", "2026/13"),
    )


# ---------- several files per transaction ----------


def test_a_batch_with_the_same_slot_twice_and_the_same_file_twice(db, catalog, monkeypatch):
    """Within one transaction the files count one after the other: the second sheet of a slot
    replaces the first (history kept, one current), the same bytes again are a duplicate."""
    monkeypatch.setattr(ingest_module, "GROUP_FILES", 3)
    first = march_sheet(catalog, {"public_wifi_coverage": 60})
    second = march_sheet(catalog, {"public_wifi_coverage": 70})
    other = filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 2})
    files = [("a.xlsx", first), ("b.xlsx", second), ("c.xlsx", second), ("d.xlsx", other), ("e.xlsx", first)]
    results = ingest_files(db, files, catalog=catalog)
    assert [r.file_name for r in results] == ["a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx", "e.xlsx"]
    assert all(r.accepted for r in results)
    a, b, c, d, e = results
    assert b.replaced_id == a.submission_id and [ch.code for ch in b.changes] == ["public_wifi_coverage"]
    assert c.duplicate and c.submission_id == b.submission_id
    assert e.replaced_id == b.submission_id and not e.duplicate  # back to the first file: a new submission
    current = query(db, "SELECT id FROM submissions WHERE unit_code = 'vhxh' AND is_current")
    assert current == [(e.submission_id,)]
    assert query(db, "SELECT count(*) FROM submissions")[0][0] == 4
    assert query(db, "SELECT count(*) FROM upload_files")[0][0] == 3
    assert query(db, "SELECT count(*) FROM upload_contents")[0][0] == 3
    with connection(db) as con:  # the batch wrote each original's bytes, in their own table
        assert [stored_file(con, r.sha256) for r in (a, b, d)] == [first, second, other]
    assert query(db, "SELECT value FROM current_values WHERE measure = 'public_wifi_coverage'") == [(60.0,)]


def test_a_failing_file_in_a_group_does_not_sink_the_others(db, catalog, monkeypatch):
    real = uploads.insert_rows

    def fail_on_one_value(con, table, columns, rows, on_conflict=""):
        if table == "submission_values" and any(row[1] == "public_wifi_coverage" and row[2] == 66 for row in rows):
            raise duckdb.ConstraintException("simulated")
        real(con, table, columns, rows, on_conflict)

    monkeypatch.setattr(uploads, "insert_rows", fail_on_one_value)
    good = filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 2})
    bad = march_sheet(catalog, {"public_wifi_coverage": 66})
    also_good = filled(catalog, "hung_dao", "ca", PERIOD, {"serious_security_incidents": 0})
    results = ingest_files(db, [("1.xlsx", good), ("2.xlsx", bad), ("3.xlsx", also_good)], catalog=catalog)
    assert [r.accepted for r in results] == [True, False, True]
    assert "Lỗi khi ghi vào cơ sở dữ liệu, không ghi gì" in results[1].errors[0].message
    assert query(db, "SELECT locality_id, unit_code FROM submissions ORDER BY id") == [
        ("tan_an", "ca"),
        ("hung_dao", "ca"),
    ]
