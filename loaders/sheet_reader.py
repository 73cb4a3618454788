"""Read the sheets of a checked .xlsx package fast (python-calamine), tolerating hand edits.

calamine gives the cell values; a light scan of the sheet XML adds what calamine cannot
say: which numeric cells are formatted as percent (0.855 shown as 85,5%), which cells hold
a formula saved without its computed value (calamine reads them as empty), and whether any
value lies beyond ``MAX_ROWS`` × ``MAX_COLS`` (checked before calamine builds the sheet, so
a sheet with a million rows is refused without being loaded).

Tables are found by their header row wherever it is (title rows above it, headers without
diacritics, in any case and any column order); the title block above the header is read as
``label: value`` pairs.
"""
from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache

from python_calamine import CalamineError, CalamineWorkbook

from loaders.localities import strip_accents
from loaders.problems import column_letter
from loaders.xlsx_package import Package

MAX_ROWS = 2000
MAX_COLS = 50
HEADER_SCAN_ROWS = 40

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_CELL_OR_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>|<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_ROW_NUM = re.compile(rb'\br="(\d+)"')
_STYLE = re.compile(rb'\bs="(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_INLINE = re.compile(rb"<(?:\w+:)?is\b")
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_PERCENT_BUILTIN = {9, 10}
_WIDE_REF = re.compile(rb'<c r="([A-Z]{2,3})\d+"')
_PLAIN_FORMULA = re.compile(rb"<f[\s>/]")
_LONG_ROW = re.compile(rb'<row r="(\d{4,})"')
_PLAIN_CELL = re.compile(rb'<c r="')
_CELL_CLOSE = re.compile(rb"</(?:\w+:)?c>")


class SheetLimitError(Exception):
    """A sheet holds data beyond the rows/columns a monthly sheet may have."""

    def __init__(self, sheet: str, row: int, column: str):
        rows = f"{MAX_ROWS:,}".replace(",", ".")
        super().__init__(f"Trang '{sheet}' có dữ liệu ở ô {column}{row}, ngoài giới hạn {rows} dòng × {MAX_COLS} "
                         f"cột của một phiếu (nghi tệp độc hại); phiếu không được đọc")
        self.sheet, self.row, self.column = sheet, row, column


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


@dataclass
class Table:
    """Where a table is: its header row and the column of each known field."""

    header_row: int
    columns: dict[str, int]
    duplicated: list[str] = field(default_factory=list)


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", strip_accents(text)).split())


def fold(text: object) -> str:
    """Header text for matching: no diacritics, lower case, letters and digits only."""
    return _fold(str(text))


def _attrs(blob: bytes) -> dict[str, str]:
    return {k.decode(): html.unescape(v.decode("utf-8")) for k, v in _ATTR.findall(blob)}


def _sheet_paths(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name → path of its XML part."""
    rels = {}
    for blob in _REL_TAG.findall(parts.get("xl/_rels/workbook.xml.rels", b"")):
        attrs = _attrs(blob)
        target = attrs.get("Target", "")
        rels[attrs.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    paths = {}
    for blob in _SHEET_TAG.findall(parts["xl/workbook.xml"]):
        attrs = _attrs(blob)
        rel_id = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        if "name" in attrs and rel_id in rels:
            paths[attrs["name"]] = rels[rel_id]
    return paths


def _percent_styles(styles: bytes) -> frozenset[int]:
    """Indices of cell formats that show numbers as percent."""
    custom = {}
    for blob in _NUM_FMT.findall(styles):
        attrs = _attrs(blob)
        if "numFmtId" in attrs:
            custom[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
    block = _CELL_XFS.search(styles)
    found = set()
    for index, blob in enumerate(_XF.findall(block.group(0)) if block else ()):
        match = re.search(rb'numFmtId="(\d+)"', blob)
        fmt_id = int(match.group(1)) if match else 0
        if fmt_id in _PERCENT_BUILTIN or "%" in _QUOTED.sub("", custom.get(fmt_id, "")):
            found.add(index)
    return frozenset(found)


def _col_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def _scan_every_cell(name: str, xml: bytes, percent_styles: frozenset[int]) -> tuple[frozenset, frozenset]:
    """Cell by cell, following row and column order (for writers that omit cell references)."""
    percent, uncached = set(), set()
    row, col = -1, -1
    for match in _CELL_OR_ROW.finditer(xml):
        row_attrs, cell_attrs, body = match.groups()
        if row_attrs is not None:
            number = _ROW_NUM.search(row_attrs)
            row, col = (int(number.group(1)) - 1 if number else row + 1), -1
            continue
        ref = _REF.search(cell_attrs)
        col, row = (_col_index(ref.group(1)), int(ref.group(2)) - 1) if ref else (col + 1, row)
        _classify(name, row, col, cell_attrs, body or b"", percent_styles, percent, uncached)
    return frozenset(percent), frozenset(uncached)


def _classify(name: str, row: int, col: int, attrs: bytes, body: bytes, percent_styles: frozenset[int],
              percent: set, uncached: set) -> None:
    value = _VALUE.search(body)
    has_value = bool(value and value.group(1)) or _INLINE.search(body) is not None
    has_formula = _FORMULA.search(body) is not None
    if not (has_value or has_formula):
        return
    if row >= MAX_ROWS or col >= MAX_COLS:
        raise SheetLimitError(name, row + 1, column_letter(col))
    kind = _TYPE.search(attrs)
    kind_name = kind.group(1) if kind else b"n"
    if has_formula and not has_value and kind_name != b"str":
        uncached.add((row, col))
    style = _STYLE.search(attrs)
    if has_value and kind_name == b"n" and style and int(style.group(1)) in percent_styles:
        percent.add((row, col))


def _cell_at(xml: bytes, start: int) -> tuple[int, int, bytes, bytes]:
    """(row, col, attributes, body) of the cell whose start tag begins at ``start``."""
    tag_end = xml.index(b">", start)
    attrs = xml[start:tag_end]
    ref = _REF.search(attrs)
    if attrs.endswith(b"/"):
        body = b""
    else:
        close = _CELL_CLOSE.search(xml, tag_end)
        body = xml[tag_end + 1:close.start() if close else len(xml)]
    return int(ref.group(2)) - 1, _col_index(ref.group(1)), attrs, body


def scan_sheet_xml(name: str, xml: bytes, percent_styles: frozenset[int]) -> tuple[frozenset, frozenset]:
    """Percent-formatted numeric cells and formulas without a cached value; enforce the limits.

    Only the few places that matter are visited (formulas, cells with a percent style, rows
    beyond the row limit, columns named with two letters or more); a sheet whose cells or rows
    lack references is scanned cell by cell instead.
    """
    if not _plain_references(xml):
        return _scan_every_cell(name, xml, percent_styles)
    percent, uncached = set(), set()
    starts = {m.start() for m in _WIDE_REF.finditer(xml) if _col_index(m.group(1)) >= MAX_COLS}
    starts.update(xml.rfind(b"<", 0, m.start()) for m in _PLAIN_FORMULA.finditer(xml))
    if percent_styles:
        styled = re.compile(rb'<c r="[A-Z]+\d+"[^>]*?\bs="(?:' + b"|".join(b"%d" % i for i in sorted(percent_styles))
                            + rb')"')
        starts.update(m.start() for m in styled.finditer(xml))
    for row_match in _LONG_ROW.finditer(xml):
        if int(row_match.group(1)) > MAX_ROWS:
            starts.update(m.start() for m in _PLAIN_CELL.finditer(xml, row_match.end()))
            break
    for start in sorted(starts):
        row, col, attrs, body = _cell_at(xml, start)
        _classify(name, row, col, attrs, body, percent_styles, percent, uncached)
    return frozenset(percent), frozenset(uncached)


def _plain_references(xml: bytes) -> bool:
    """Unprefixed XML whose every cell and row starts with its reference (what Excel, LibreOffice and
    openpyxl write): then the places that matter can be found by pattern alone."""
    cells = xml.count(b"<c ") + xml.count(b"<c>")
    rows = xml.count(b"<row ") + xml.count(b"<row>")
    return (b"<sheetData" in xml and cells == xml.count(b'<c r="') and rows == xml.count(b'<row r="'))


def sheet_names(package: Package) -> list[str]:
    """The workbook's sheet names, in order."""
    return list(_sheet_paths(package.parts))


def read_sheets(package: Package, names: list[str]) -> dict[str, RawSheet]:
    """Read the named sheets (names as in the workbook)."""
    paths = _sheet_paths(package.parts)
    percent_styles = _percent_styles(package.parts.get("xl/styles.xml", b""))
    scans = {name: scan_sheet_xml(name, package.parts.get(paths.get(name, ""), b""), percent_styles)
             for name in names}
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(package.repacked))
        out = {}
        for name in names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=MAX_ROWS)
            out[name] = RawSheet(name, [row[:MAX_COLS] for row in rows], *scans[name])
        return out
    except CalamineError as err:
        raise WorkbookError(f"Không đọc được nội dung bảng tính ({err.__class__.__name__}); tệp có thể bị hỏng") from err


def find_table(sheet: RawSheet, aliases: dict[str, frozenset[str]], key: str) -> Table | None:
    """Locate the header row (the first row with a ``key`` header) and map the known columns."""
    for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        folded = [fold(v) if isinstance(v, str) else "" for v in sheet.rows[r]]
        if not any(f in aliases[key] for f in folded):
            continue
        columns: dict[str, int] = {}
        duplicated = []
        for c, text in enumerate(folded):
            for name, names in aliases.items():
                if text in names:
                    if name in columns:
                        duplicated.append(name)
                    else:
                        columns[name] = c
        return Table(header_row=r, columns=columns, duplicated=duplicated)
    return None


def title_fields(sheet: RawSheet, above: int, labels: dict[str, str]) -> dict[str, tuple[object, int, int]]:
    """``label key → (value, row, col)`` from ``Label: value`` pairs in the rows above ``above``.

    ``labels`` maps a folded label prefix to a key; the value is the next non-empty cell to
    the right. A label with nothing to its right maps to ``None``.
    """
    found: dict[str, tuple[object, int, int]] = {}
    for r in range(min(above, len(sheet.rows))):
        row = sheet.rows[r]
        for c, raw in enumerate(row):
            if not isinstance(raw, str) or not raw.strip():
                continue
            text = fold(raw)
            key = next((k for prefix, k in labels.items() if text.startswith(prefix)), None)
            if key is None or key in found:
                continue
            inline = raw.split(":", 1)[1].strip() if ":" in raw else ""
            if inline:
                found[key] = (inline, r, c)
                continue
            value, vcol = None, c
            for c2 in range(c + 1, len(row)):
                if row[c2] not in ("", None):
                    value, vcol = row[c2], c2
                    break
            found[key] = (value, r, vcol)
    return found
