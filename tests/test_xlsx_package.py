"""Files that are not real .xlsx, macro workbooks and hostile files: refused with a clear message, nothing written."""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile

import pytest
from sheet_factory import add_parts, ingest_file, replace_part, table_counts

from loaders.template import template_bytes

NOTHING = {"submissions": 0, "submission_values": 0, "task_updates": 0, "upload_files": 0}


@pytest.fixture(scope="module")
def sheet(catalog) -> bytes:
    return template_bytes(catalog, "tan_an", "vhxh", "2026-03")


def _rejected(db, catalog, data: bytes, message: str) -> None:
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert not result.accepted
    assert any(message in p.message for p in result.errors), [str(p) for p in result.problems]
    assert table_counts(db) == NOTHING


def _append_rows(sheet: bytes, rows: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The sheet with ``rows`` added at the end of one sheet part's data ("Chỉ tiêu" by default)."""
    return replace_part(sheet, part, lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))


def test_empty_file(db, catalog):
    _rejected(db, catalog, b"", "Tệp rỗng")


@pytest.mark.parametrize(
    "data",
    [
        "Mã chỉ tiêu,Kết quả\ndvc_online_usage,85\n".encode(),
        "Mã chỉ tiêu\tKết quả\nplan_issued\tCó\n".encode("utf-16"),
        "Mã chỉ tiêu;Kết quả\nplan_issued;Có\n".encode("cp1258", errors="replace"),
    ],
    ids=["utf8-csv", "utf16-text", "cp1258-csv"],
)
def test_renamed_text_file(db, catalog, data):
    _rejected(db, catalog, data, "Tệp là tệp văn bản (ví dụ CSV) chứ không phải bảng tính Excel .xlsx")


def test_pdf_is_named_as_such(db, catalog):
    _rejected(db, catalog, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "Tệp là tài liệu PDF, không phải bảng tính")


def test_web_page_saved_as_xls(db, catalog):
    page = b'<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table><tr><td>1</td></tr></table></body>'
    _rejected(db, catalog, page, "Tệp là trang web (HTML) mang đuôi Excel")


def test_unknown_binary_gets_a_neutral_message(db, catalog):
    result = ingest_file(db, "phieu.xlsx", b"\x00\x01\x02\x89PNG\r\n", catalog=catalog)
    assert [p.message for p in result.errors] == ["Tệp không phải bảng tính Excel .xlsx; hãy dùng mẫu phiếu .xlsx"]
    assert table_counts(db) == NOTHING


@pytest.mark.parametrize(
    "parts, message",
    [
        (
            {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<office:document-content/>"},
            "Tệp là bảng tính OpenDocument (.ods)",
        ),
        (
            {"word/document.xml": "<w:document/>", "[Content_Types].xml": "<Types/>"},
            "Tệp là văn bản Word (.docx), không phải bảng tính Excel .xlsx",
        ),
    ],
    ids=["opendocument_spreadsheet", "zip_without_a_workbook"],
)
def test_another_zip_document_is_named(db, catalog, parts, message):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    _rejected(db, catalog, out.getvalue(), message)


def test_renamed_xls(db, catalog):
    _rejected(db, catalog, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "Excel cũ (.xls)")


def test_corrupted_zip(db, catalog, sheet):
    _rejected(db, catalog, sheet[: len(sheet) // 2], "bị hỏng")


def test_corrupted_zip_data(db, catalog, sheet):
    archive = zipfile.ZipFile(io.BytesIO(sheet))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    damaged = sheet[:start] + bytes(b ^ 0xFF for b in sheet[start : start + 40]) + sheet[start + 40 :]
    _rejected(db, catalog, damaged, "bị hỏng")


MACRO = "Tệp có macro (.xlsm hoặc trang macro Excel 4.0) không được nhận"


def test_macro_workbook_is_refused(db, catalog, sheet):
    _rejected(db, catalog, add_parts(sheet, {"xl/vbaProject.bin": b"\0" * 100}), MACRO)


def test_macro_content_type_is_refused(db, catalog, sheet):
    macro = replace_part(
        sheet,
        "[Content_Types].xml",
        lambda xml: xml.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"),
    )
    _rejected(db, catalog, macro, MACRO)


def _declared_a_macro_sheet(sheet: bytes, part: str) -> bytes:
    """The sheet whose ``[Content_Types].xml`` declares ``part`` an Excel 4.0 macro sheet."""
    override = f'<Override PartName="/{part}" ContentType="application/vnd.ms-excel.macrosheet+xml"/>'.encode()
    return replace_part(sheet, "[Content_Types].xml", lambda xml: xml.replace(b"</Types>", override + b"</Types>"))


def test_excel_4_macro_sheet_is_refused(db, catalog, sheet):
    typed = _declared_a_macro_sheet(sheet, "xl/macrosheets/sheet1.xml")
    _rejected(db, catalog, add_parts(typed, {"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"}), MACRO)


def test_excel_4_macro_content_type_alone_is_refused(db, catalog, sheet):
    _rejected(db, catalog, _declared_a_macro_sheet(sheet, "xl/worksheets/sheet3.xml"), MACRO)


def test_file_too_large(db, catalog, monkeypatch):
    """One limit for every upload (DMST_MAX_UPLOAD_MB, default 20, as the page and the server say)."""
    _rejected(db, catalog, b"PK\x03\x04" + b"\0" * (21 * 1024 * 1024), "vượt giới hạn 20 MB")
    monkeypatch.setenv("DMST_MAX_UPLOAD_MB", "2")
    _rejected(db, catalog, b"PK\x03\x04" + b"\0" * (3 * 1024 * 1024), "vượt giới hạn 2 MB")


def test_zip_bomb(db, catalog, sheet):
    bomb = add_parts(sheet, {"xl/worksheets/sheet9.xml": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    _rejected(db, catalog, bomb, "giải nén lớn hơn 50 MB")


def test_zip_bomb_lying_about_its_size(db, catalog, sheet):
    name = b"xl/worksheets/sheet9.xml"
    bomb = bytearray(add_parts(sheet, {name.decode(): b"\0" * (60 * 1024 * 1024)}))
    for header, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for match in re.finditer(re.escape(header), bytes(bomb)):
            name_at = match.start() + (30 if header == b"PK\x03\x04" else 46)
            if bomb[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", bomb, match.start() + size_at, 1000)
    assert zipfile.ZipFile(io.BytesIO(bytes(bomb))).getinfo(name.decode()).file_size == 1000
    began = time.perf_counter()
    _rejected(db, catalog, bytes(bomb), "bị hỏng")
    assert time.perf_counter() - began < 5


def test_too_many_parts(db, catalog, sheet):
    _rejected(db, catalog, add_parts(sheet, {f"xl/extra/{i}.xml": b"<a/>" for i in range(600)}), "nhiều bất thường")


def test_million_rows_are_refused_without_loading(db, catalog, sheet):
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(100, 1_000_100))
    huge = _append_rows(sheet, rows)
    assert len(huge) < 10 * 1024 * 1024
    began = time.perf_counter()
    _rejected(db, catalog, huge, "ngoài giới hạn 2.000 dòng × 50 cột")
    assert time.perf_counter() - began < 10


def test_far_away_cell_is_refused(db, catalog, sheet):
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = _append_rows(sheet, far, "xl/worksheets/sheet2.xml")
    _rejected(db, catalog, data, "ô XFD1048576")


def test_too_many_columns(db, catalog, sheet):
    wide = b'<row r="200"><c r="BA200"><v>3</v></c></row>'
    data = _append_rows(sheet, wide)
    _rejected(db, catalog, data, "ô BA200")


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="A1048576"><v>1</v></c>',
        b'<c r="a5000"><v>1</v></c>',
        b"<c r='A5000'><v>1</v></c>",
        b'<c\nr="A5000"><v>1</v></c>',
        b'<c r="A5000"><v xml:space="preserve">1</v></c>',
        b'<c r="A5000" t="inlineStr"><is><t></t></is></c>',
        b'<x.y:c xmlns:x.y="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="A5000"><x.y:v>1</x.y:v>'
        b"</x.y:c>",
    ],
    ids=["million", "lower-case", "single-quotes", "line-break", "attribute-on-v", "empty-inline", "odd-prefix"],
)
def test_far_cell_inside_a_near_row_is_refused_without_loading(db, catalog, sheet, cell):
    """calamine places a cell by its own reference: a row numbered 40 cannot hide a cell at A1048576."""
    row = b'<row r="40">' + cell + b"</row>"
    data = _append_rows(sheet, row)
    began = time.perf_counter()
    far = "A1048576" if b"1048576" in cell else "A5000"
    _rejected(db, catalog, data, f"Trang 'Chỉ tiêu' có dữ liệu ở ô {far}, ngoài giới hạn 2.000 dòng × 50 cột")
    assert time.perf_counter() - began < 2


def test_empty_styled_cell_far_away_is_harmless(db, catalog, sheet):
    """Formatting (borders) far below the table writes empty cells: no data, so the sheet is read."""
    data = _append_rows(sheet, b'<row r="40"><c r="A5000" s="1"/></row><row r="1048576" s="1" customFormat="1"/>')
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog, dry_run=True)
    assert result.accepted and not result.errors, [str(p) for p in result.problems]
