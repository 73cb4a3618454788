"""What hand-edited sheets contain, and that the reader still gets the right values."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from sheet_factory import MEASURES, TASKS, edit, filled, ingest_file, march_sheet, query, row_of, set_cell, set_cell_xml

from loaders.ingest import check_file
from loaders.xlsx_scan import scan_sheet_xml
from plans.reporting import sheet_spec

PERIOD = "2026-03"


def _values(catalog, data: bytes) -> dict[str, tuple]:
    result, parsed = check_file("phieu.xlsx", data, catalog)
    assert parsed is not None, [str(p) for p in result.errors]
    return {v.measure: (v.value, v.numerator, v.denominator) for v in parsed.values}


def _stored(db, catalog, data: bytes) -> tuple[dict[str, tuple], dict[str, tuple], list[str]]:
    """Ingest into the real DuckDB file; (values, task updates, warnings) as read back from it."""
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert result.accepted, [str(p) for p in result.errors]
    values = {
        m: (v, n, d) for m, v, n, d in query(db, "SELECT measure, value, numerator, denominator FROM current_values")
    }
    tasks = {t: (s, p) for t, s, p in query(db, "SELECT task_code, status, percent FROM current_task_updates")}
    return values, tasks, [p.message for p in result.warnings]


def _tasks(catalog, data: bytes) -> dict[str, tuple]:
    result, parsed = check_file("phieu.xlsx", data, catalog)
    assert parsed is not None, [str(p) for p in result.errors]
    return {t.task: (t.status, t.percent, t.completed_on) for t in parsed.tasks}


def test_clean_filled_template(catalog):
    data = march_sheet(catalog, {"public_wifi_coverage": 72.5, "citizen_training_sessions": 2, "plan_issued": "Có"})
    assert _values(catalog, data) == {
        "public_wifi_coverage": (72.5, None, None),
        "citizen_training_sessions": (2, None, None),
        "plan_issued": (1, None, None),
    }


def test_header_row_not_on_first_line(db, catalog):
    data = march_sheet(catalog, {"public_wifi_coverage": 60}, tasks={"TA-VII.2-a": {"Tình trạng": "Hoàn thành"}})

    def push_down(book):
        for ws in (book[MEASURES], book[TASKS]):
            ws.protection.sheet = False
            ws.insert_rows(1, 4)
            ws["A1"] = "ỦY BAN NHÂN DÂN XÃ TÂN AN"
            ws.merge_cells("A1:C1")
            ws["E1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
            ws.merge_cells("E1:K1")
            ws["E2"] = "Độc lập - Tự do - Hạnh phúc"
            ws.merge_cells("E2:K2")

    values, tasks, _ = _stored(db, catalog, edit(data, push_down))
    assert values == {"public_wifi_coverage": (60, None, None)}
    assert tasks == {"TA-VII.2-a": ("done", 100)}


def test_blank_note_and_signature_rows(catalog):
    data = march_sheet(catalog, {"public_wifi_coverage": 60, "household_broadband": 45})

    def add_rows(book):
        ws = book[MEASURES]
        ws.insert_rows(14, 2)
        ws.cell(row=15, column=3, value="Ghi chú: số liệu tạm tính đến ngày 25")
        last = ws.max_row
        ws.cell(row=last + 2, column=2, value="Người lập biểu")
        ws.cell(row=last + 2, column=6, value="Thủ trưởng đơn vị")
        ws.cell(row=last + 3, column=2, value="(ký, ghi rõ họ tên)")

    assert _values(catalog, edit(data, add_rows)) == {
        "public_wifi_coverage": (60, None, None),
        "household_broadband": (45, None, None),
    }


def _hand_made(
    code: str,
    measure_header: list[str],
    measure_rows: list[list],
    task_header: list[str],
    task_rows: list[list],
    sheet_names=("Chi tieu", "NHIEM VU"),
) -> bytes:
    """A workbook typed from scratch: own title rows, own column order, headers without diacritics."""
    book = Workbook()
    first = book.active
    first.title = sheet_names[0]
    second = book.create_sheet(sheet_names[1])
    for ws, header, rows in ((first, measure_header, measure_rows), (second, task_header, task_rows)):
        ws.append(["BÁO CÁO THÁNG 3"])
        ws.append([])
        ws.append(["Mã phiếu (không sửa): " + code])
        ws.append(["Kỳ báo cáo:", None, "Tháng 03/2026"])
        ws.append([])
        ws.append(header)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_reordered_columns_and_headers_without_diacritics(db, catalog):
    data = _hand_made(
        "tan_an/vhxh/2026-03/v1",
        ["KET QUA", "ghi chu", "Ma chi tieu", "Tu so", "MAU SO", "minh chung"],
        [
            [None, "tạm tính", "core_members_trained", 45, 50, "DS lớp"],
            ["85,5%", None, "public_wifi_coverage"],
            ["x", None, "plan_issued"],
        ],
        ["Tinh trang", "MA NHIEM VU", "ty le hoan thanh"],
        [["dang thuc hien", "TA-VII.2-a", "40%"]],
    )
    values, tasks, _ = _stored(db, catalog, data)
    assert values == {
        "core_members_trained": (90, 45, 50),
        "public_wifi_coverage": (85.5, None, None),
        "plan_issued": (1, None, None),
    }
    assert tasks == {"TA-VII.2-a": ("in_progress", 40)}


def test_header_with_the_month_and_code_header_variant(db, catalog):
    def rename(book):
        book[MEASURES]["G9"] = "Kết quả tháng 03/2026"
        book[MEASURES]["B9"] = "Mã số chỉ tiêu"
        book[TASKS]["B9"] = "Mã số nhiệm vụ"

    data = edit(
        march_sheet(catalog, {"household_broadband": "70%"}, tasks={"TA-VII.2-a": {"Tình trạng": "Đang thực hiện"}}),
        rename,
    )
    values, tasks, _ = _stored(db, catalog, data)
    assert values == {"household_broadband": (70, None, None)}
    assert tasks == {"TA-VII.2-a": ("in_progress", None)}


def test_a_column_of_last_month_is_not_taken_for_the_result(catalog):
    def add_last_month(book):
        ws = book[MEASURES]
        ws.protection.sheet = False
        ws.insert_cols(7)
        ws["G9"] = "Kết quả tháng trước"
        ws.cell(row=row_of(ws, "household_broadband"), column=7, value=55)

    data = edit(march_sheet(catalog, {"household_broadband": 70}), add_last_month)
    assert _values(catalog, data) == {"household_broadband": (70, None, None)}


def test_two_row_header_with_result_merged_over_value_numerator_denominator(db, catalog):
    def two_rows(book):
        ws = book[MEASURES]
        ws.protection.sheet = False
        ws.insert_rows(10)
        for col in range(1, 12):
            if col not in (7, 8, 9):
                ws.merge_cells(start_row=9, start_column=col, end_row=10, end_column=col)
        ws["G9"], ws["H9"], ws["I9"] = "Kết quả", None, None
        ws.merge_cells("G9:I9")
        ws["G10"], ws["H10"], ws["I10"] = "Giá trị", "Tử số", "Mẫu số"

    data = edit(
        march_sheet(
            catalog,
            {"household_broadband": 70},
            extra={("core_members_trained", "Tử số"): 45, ("core_members_trained", "Mẫu số"): 50},
        ),
        two_rows,
    )
    values, _, _ = _stored(db, catalog, data)
    assert values == {"household_broadband": (70, None, None), "core_members_trained": (90, 45, 50)}


def test_hand_added_roman_group_rows_and_merged_cells(db, catalog):
    def regroup(book):
        ws = book[MEASURES]
        ws.protection.sheet = False
        first = row_of(ws, "smart_tourism_models")
        ws.insert_rows(first)
        ws.cell(row=first, column=1, value="II.")
        ws.cell(row=first, column=2, value="KINH TẾ SỐ VÀ XÃ HỘI SỐ")
        ws.merge_cells(start_row=first, start_column=2, end_row=first, end_column=6)
        note = row_of(ws, "household_broadband")
        ws.merge_cells(start_row=note, start_column=10, end_row=note, end_column=11)

    data = edit(
        march_sheet(
            catalog,
            {"household_broadband": 70, "smart_tourism_models": 2},
            extra={("household_broadband", "Minh chứng"): "Báo cáo VNPT"},
        ),
        regroup,
    )
    values, _, _ = _stored(db, catalog, data)
    assert values == {"household_broadband": (70, None, None), "smart_tourism_models": (2, None, None)}
    assert query(db, "SELECT evidence FROM submission_values WHERE measure = 'household_broadband'") == [
        ("Báo cáo VNPT",)
    ]


def test_a_deleted_row_is_warned_about_and_counted_as_not_reported(db, catalog):
    rows = {}

    def delete(book):
        ws = book[MEASURES]
        rows["deleted"] = row_of(ws, "public_wifi_coverage")
        codes = [line.code for line in sheet_spec(catalog, "tan_an", "vhxh", 2026).lines]
        rows["before"] = row_of(ws, codes[codes.index("public_wifi_coverage") - 1])
        ws.delete_rows(rows["deleted"])

    data = edit(march_sheet(catalog, {"household_broadband": 70}), delete)
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert result.accepted and "public_wifi_coverage" not in dict(query(db, "SELECT measure, 1 FROM current_values"))
    (warning,) = [p for p in result.warnings if "Phiếu không có dòng" in p.message]
    codes = [line.code for line in sheet_spec(catalog, "tan_an", "vhxh", 2026).lines]
    at = codes.index("public_wifi_coverage")
    above, below = (catalog.measures[codes[i]].name for i in (at - 1, at + 1))
    wifi = catalog.measures["public_wifi_coverage"].name
    # the next measure moved up into the deleted row's place; the one above kept its row
    # (in this template a group heading row sits between them)
    assert rows["before"] < rows["deleted"] - 1
    assert (warning.sheet, warning.row, warning.column) == (MEASURES, rows["deleted"], "B")
    assert warning.message == (
        f"Phiếu không có dòng của chỉ tiêu “{wifi}” (mã public_wifi_coverage): dòng này đã bị xóa, lẽ ra nằm "
        f"giữa dòng {rows['before']} (“{above}”) và dòng {rows['deleted']} (“{below}”). Coi như chưa báo cáo; "
        f"muốn báo cáo, hãy chép lại dòng từ mẫu phiếu hoặc tải mẫu phiếu mới"
    )
    assert "public_wifi_coverage" in warning.message and "'" not in warning.message
    lines = len(sheet_spec(catalog, "tan_an", "vhxh", 2026).lines)
    assert result.n_blank == lines - 1
    assert query(db, "SELECT n_values, n_blank FROM submissions") == [(1, lines - 1)]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("85%", 85),
        (85, 85),
        ("85", 85),
        ("85,5", 85.5),
        ("0,855", 85.5),
        (0.855, 85.5),
        ("85.5", 85.5),
        (1, 1),
        (0, 0),
        (100, 100),
        ("100%", 100),
    ],
)
def test_percent_as_written(catalog, raw, expected):
    data = march_sheet(catalog, {"household_broadband": raw})
    assert _values(catalog, data)["household_broadband"][0] == pytest.approx(expected)


@pytest.mark.parametrize("raw, expected", [(0.855, 85.5), (1, 100), (0.5, 50)])
def test_percent_formatted_cell(catalog, raw, expected):
    def percent_cell(book):
        ref = set_cell(book[MEASURES], "household_broadband", "Kết quả", raw)
        book[MEASURES][ref].number_format = "0.0%"

    data = edit(march_sheet(catalog), percent_cell)
    assert _values(catalog, data)["household_broadband"][0] == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw, expected", [("Có", 1), ("Không", 0), ("x", 1), ("1", 1), ("0", 0), (1, 1), (0, 0), ("co", 1), ("KHÔNG", 0)]
)
def test_yes_no_as_written(catalog, raw, expected):
    data = march_sheet(catalog, {"plan_issued": raw})
    assert _values(catalog, data)["plan_issued"][0] == expected


@pytest.mark.parametrize("raw, expected", [("1.234", 1234), ("12", 12), (7, 7), ("1 050", 1050)])
def test_counts_with_vietnamese_separators(catalog, raw, expected):
    data = march_sheet(catalog, {"citizen_training_sessions": raw})
    assert _values(catalog, data)["citizen_training_sessions"][0] == expected


@pytest.mark.parametrize("raw", ["05/03/2026", "5/3/2026", dt.date(2026, 3, 5), dt.datetime(2026, 3, 5)])
def test_dates_dd_mm_yyyy(catalog, raw):
    data = march_sheet(catalog, tasks={"TA-VII.2-a": {"Tình trạng": "Hoàn thành", "Ngày hoàn thành": raw}})
    assert _tasks(catalog, data)["TA-VII.2-a"] == ("done", 100, dt.date(2026, 3, 5))


def test_formula_with_cached_value_is_read(catalog):
    data = march_sheet(catalog)
    ref = set_cell(load_workbook(io.BytesIO(data))[MEASURES], "public_wifi_coverage", "Kết quả", None)
    with_formula = set_cell_xml(data, ref, f'<c r="{ref}"><f>40+45</f><v>85</v></c>')
    assert _values(catalog, with_formula)["public_wifi_coverage"][0] == 85


def test_village_name_and_sample_marker_are_read(catalog):
    data = filled(
        catalog, "nam_thanh_mien", "thon", PERIOD, {"village_innovation_team_share": "Có"}, village="Thôn Đoàn Lâm"
    )
    result, parsed = check_file("thon.xlsx", data, catalog)
    assert parsed.identity.village == "Thôn Đoàn Lâm" and not parsed.identity.is_sample
    assert parsed.values[0].value == 100


PLAIN = (
    b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"><v>0.5</v></c>'
    b'<c r="C1"><f>1+1</f><v></v></c><c r="D1" t="str"><f>""</f><v></v></c><c r="E1" s="1"/></row>'
    b"</sheetData></worksheet>"
)
PREFIXED = re.sub(rb"<(/?)(c|f|v|row|sheetData)\b", rb"<\1x:\2", PLAIN)  # every element in a namespace prefix
NO_REFS = re.sub(rb' r="[A-E]1"', b"", PLAIN)  # cells without their references


@pytest.mark.parametrize("xml", [PLAIN, PREFIXED, NO_REFS], ids=["plain", "prefixed", "no-references"])
def test_xml_scan_finds_percent_cells_and_uncached_formulas(xml):
    percent, uncached = scan_sheet_xml("Chỉ tiêu", xml, frozenset({2}))
    assert percent == {(0, 1)}
    assert uncached == {(0, 2)}
