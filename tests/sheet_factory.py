"""Real .xlsx files for the loader tests: the template filled like a person would, and hand edits;
one file ingested the way the upload page ingests its files."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from loaders.ingest import IngestResult, ingest_files
from loaders.template import template_bytes
from plans.model import Catalog
from store.db import connection

MEASURES = "Chỉ tiêu"
TASKS = "Nhiệm vụ"


def header_columns(ws: Worksheet) -> tuple[int, dict[str, int]]:
    """(header row, header text → column number) of a template sheet."""
    for row in ws.iter_rows(min_row=1, max_row=30):
        texts = {c.value: c.column for c in row if isinstance(c.value, str)}
        if "Mã chỉ tiêu" in texts or "Mã nhiệm vụ" in texts:
            return row[0].row, texts
    raise AssertionError("no header row")


def row_of(ws: Worksheet, code: str) -> int:
    """The sheet row holding ``code`` in the code column."""
    header, cols = header_columns(ws)
    code_col = cols.get("Mã chỉ tiêu") or cols["Mã nhiệm vụ"]
    for row in range(header + 1, ws.max_row + 1):
        if ws.cell(row=row, column=code_col).value == code:
            return row
    raise AssertionError(f"{code} not in sheet")


def set_cell(ws: Worksheet, code: str, header: str, value: object) -> str:
    """Write ``value`` in the column ``header`` of the row of ``code``; return the cell reference."""
    _, cols = header_columns(ws)
    cell = ws.cell(row=row_of(ws, code), column=cols[header])
    cell.value = value
    return cell.coordinate


def edit(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """Open with openpyxl, apply ``change``, save again (as a person editing in a spreadsheet program)."""
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def filled(
    catalog: Catalog,
    locality: str,
    unit: str,
    period: str,
    values: dict[str, object] | None = None,
    tasks: dict[str, dict[str, object]] | None = None,
    village: str = "",
    extra: dict[tuple[str, str], object] | None = None,
) -> bytes:
    """The template with ``Kết quả`` per measure code and task columns per task code filled in.

    ``extra`` sets any other column: ``{(code, header): value}``.
    """

    def fill(workbook: Workbook) -> None:
        for code, value in (values or {}).items():
            set_cell(workbook[MEASURES], code, "Kết quả", value)
        for (code, header), value in (extra or {}).items():
            set_cell(workbook[MEASURES], code, header, value)
        for code, columns in (tasks or {}).items():
            for header, value in columns.items():
                set_cell(workbook[TASKS], code, header, value)

    return edit(template_bytes(catalog, locality, unit, period, village), fill)


def march_sheet(
    catalog: Catalog,
    values: dict[str, object] | None = None,
    tasks: dict[str, dict[str, object]] | None = None,
    extra: dict[tuple[str, str], object] | None = None,
) -> bytes:
    """``filled`` for the sheet the reader's and the loader's tests edit: Tân An's Phòng Văn hóa - Xã
    hội, March 2026."""
    return filled(catalog, "tan_an", "vhxh", "2026-03", values, tasks, extra=extra)


def replace_part(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """Rewrite one part of the zip (for what openpyxl cannot write, e.g. a formula's cached value)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


def add_parts(data: bytes, parts: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Append parts to the zip."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def set_cell_xml(data: bytes, ref: str, xml: str, sheet: str = "xl/worksheets/sheet1.xml") -> bytes:
    """Replace the XML of cell ``ref`` (which must exist) in a sheet part."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    return replace_part(data, sheet, lambda content: pattern.sub(xml.encode(), content, count=1))


def table_counts(db: Path | str) -> dict[str, int]:
    """Rows in each upload table."""
    with connection(db) as con:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("submissions", "submission_values", "task_updates", "upload_files")
        }


def query(db: Path | str, sql: str, params: list | None = None) -> list[tuple]:
    """Run a read query on the test database (either backend)."""
    with connection(db) as con:
        return con.execute(sql, params or []).fetchall()


def ingest_file(
    db_path: Path | str | None,
    name: str,
    data: bytes,
    user=None,
    expected=None,
    dry_run: bool = False,
    catalog: Catalog | None = None,
    today=None,
) -> IngestResult:
    """Ingest one file (``loaders.ingest.ingest_files`` with one file); never raises for a bad file."""
    return ingest_files(db_path, [(name, data)], user, expected, dry_run, catalog, today)[0]
