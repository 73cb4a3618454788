"""Files that are not real .xlsx, macro workbooks and hostile files: refused with a clear message, nothing written."""
from __future__ import annotations

import io
import re
import struct
import time
import zipfile
from pathlib import Path

import pytest

from loaders.ingest import ingest_file
from loaders.template import template_bytes
from sheet_factory import add_parts, replace_part, table_counts
from store.db import prepare

NOTHING = {"submissions": 0, "submission_values": 0, "task_updates": 0, "upload_files": 0}


@pytest.fixture(scope="module")
def db(tmp_path_factory, catalog) -> Path:
    """One prepared database for the module: every file here is refused, so it must stay empty."""
    return prepare(tmp_path_factory.mktemp("store") / "dmst.duckdb", catalog)


@pytest.fixture(scope="module")
def sheet(catalog) -> bytes:
    return template_bytes(catalog, "tan_an", "vhxh", "2026-03")


def _rejected(db, catalog, data: bytes, message: str) -> None:
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert not result.accepted
    assert any(message in p.message for p in result.errors), [str(p) for p in result.problems]
    assert table_counts(db) == NOTHING


def test_empty_file(db, catalog):
    _rejected(db, catalog, b"", "Tệp rỗng")


def test_renamed_csv(db, catalog):
    _rejected(db, catalog, "Mã chỉ tiêu,Kết quả\ndvc_online_usage,85\n".encode(), "tệp văn bản (CSV) đổi tên")


def test_renamed_xls(db, catalog):
    _rejected(db, catalog, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "Excel cũ (.xls)")


def test_corrupted_zip(db, catalog, sheet):
    _rejected(db, catalog, sheet[: len(sheet) // 2], "bị hỏng")


def test_corrupted_zip_data(db, catalog, sheet):
    archive = zipfile.ZipFile(io.BytesIO(sheet))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    damaged = sheet[:start] + bytes(b ^ 0xFF for b in sheet[start:start + 40]) + sheet[start + 40:]
    _rejected(db, catalog, damaged, "bị hỏng")


def test_zip_without_a_workbook(db, catalog):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    _rejected(db, catalog, out.getvalue(), "không phải bảng tính Excel .xlsx")


def test_macro_workbook_is_refused(db, catalog, sheet):
    _rejected(db, catalog, add_parts(sheet, {"xl/vbaProject.bin": b"\0" * 100}), "Tệp có macro (.xlsm)")


def test_macro_content_type_is_refused(db, catalog, sheet):
    macro = replace_part(sheet, "[Content_Types].xml", lambda xml: xml.replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"))
    _rejected(db, catalog, macro, "Tệp có macro (.xlsm)")


def test_file_too_large(db, catalog):
    _rejected(db, catalog, b"PK\x03\x04" + b"\0" * (11 * 1024 * 1024), "vượt giới hạn 10 MB")


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
            if bomb[name_at:name_at + len(name)] == name:
                struct.pack_into("<I", bomb, match.start() + size_at, 1000)
    assert zipfile.ZipFile(io.BytesIO(bytes(bomb))).getinfo(name.decode()).file_size == 1000
    began = time.perf_counter()
    _rejected(db, catalog, bytes(bomb), "bị hỏng")
    assert time.perf_counter() - began < 5


def test_too_many_parts(db, catalog, sheet):
    _rejected(db, catalog, add_parts(sheet, {f"xl/extra/{i}.xml": b"<a/>" for i in range(600)}), "nhiều bất thường")


def test_million_rows_are_refused_without_loading(db, catalog, sheet):
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(100, 1_000_100))
    huge = replace_part(sheet, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    assert len(huge) < 10 * 1024 * 1024
    began = time.perf_counter()
    _rejected(db, catalog, huge, "ngoài giới hạn 2.000 dòng × 50 cột")
    assert time.perf_counter() - began < 10


def test_far_away_cell_is_refused(db, catalog, sheet):
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = replace_part(sheet, "xl/worksheets/sheet2.xml", lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>"))
    _rejected(db, catalog, data, "ô XFD1048576")


def test_too_many_columns(db, catalog, sheet):
    wide = b'<row r="200"><c r="BA200"><v>3</v></c></row>'
    data = replace_part(sheet, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", wide + b"</sheetData>"))
    _rejected(db, catalog, data, "ô BA200")
