"""Read the sheets of a checked .xlsx package fast (python-calamine): the cell values, with
what :mod:`loaders.xlsx_scan` finds in the XML (percent formats, formulas without a value)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from python_calamine import CalamineError, CalamineWorkbook

from loaders.xlsx_package import Package
from loaders.xlsx_scan import MAX_COLS, MAX_ROWS, percent_styles, scan_sheet_xml, sheet_paths


class WorkbookError(Exception):
    """calamine could not read the workbook (message in Vietnamese)."""


@dataclass
class RawSheet:
    """Cell values of one sheet (0-based rows and columns from A1), with what the XML adds."""

    name: str
    rows: list[list[object]]
    percent_cells: frozenset[tuple[int, int]] = frozenset()
    uncached_formulas: frozenset[tuple[int, int]] = frozenset()

    def value(self, row: int, col: int) -> object:
        """The cell, ``None`` when empty or outside the data."""
        if row >= len(self.rows) or col >= len(self.rows[row]):
            return None
        raw = self.rows[row][col]
        return None if raw == "" else raw


def sheet_names(package: Package) -> list[str]:
    """The workbook's sheet names, in order."""
    return list(sheet_paths(package.parts))


def read_sheets(package: Package, names: list[str]) -> dict[str, RawSheet]:
    """Read the named sheets (names as in the workbook)."""
    paths = sheet_paths(package.parts)
    percents = percent_styles(package.parts.get("xl/styles.xml", b""))
    scans = {name: scan_sheet_xml(name, package.parts.get(paths.get(name, ""), b""), percents) for name in names}
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(package.repacked))
        out = {}
        for name in names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=MAX_ROWS)
            out[name] = RawSheet(name, [row[:MAX_COLS] for row in rows], *scans[name])
        return out
    except CalamineError as err:
        raise WorkbookError(
            "Không đọc được nội dung bảng tính: tệp có thể bị hỏng hoặc không do Excel lưu; "
            "hãy mở bằng Excel và lưu lại dạng .xlsx"
        ) from err
