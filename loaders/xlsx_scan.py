"""A light scan of a worksheet's XML for what calamine cannot say: which numeric cells are
formatted as percent (0.855 shown as 85,5%), which cells hold a formula saved without its
computed value (calamine reads them as empty), and whether any cell with content lies beyond
``MAX_ROWS`` × ``MAX_COLS`` (checked by each cell's own reference before calamine builds the
sheet, so a million rows, or one cell at A1048576 hidden in a row numbered 40, is refused
without being loaded). Also where each sheet's XML part is.
"""

from __future__ import annotations

import html
import re

from loaders.problems import column_letter
from plans.text import fmt_number

MAX_ROWS = 2000
MAX_COLS = 50

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_PREFIX = rb"(?:[^\s<>/:=\"']+:)?"
_CELL_OR_ROW = re.compile(
    rb"<" + _PREFIX + rb"row\b([^>]*)>|<" + _PREFIX + rb"c\b([^>]*?)(?:/>|>(.*?)</" + _PREFIX + rb"c>)", re.S
)
_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3})(\d+)["']""")
_ROW_NUM = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_STYLE = re.compile(rb'\bs="(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_FORMULA = re.compile(rb"<" + _PREFIX + rb"f\b")
_VALUE = re.compile(rb"<" + _PREFIX + rb"v\b[^>]*>([^<]*)</" + _PREFIX + rb"v>")
_INLINE = re.compile(rb"<" + _PREFIX + rb"is\b")
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_PERCENT_BUILTIN = {9, 10}
_FAR_REF = re.compile(rb'<c r="(?:[A-Za-z]{2,3}\d+|[A-Za-z]\d{4,})"')
_PLAIN_FORMULA = re.compile(rb"<f[\s>/]")
_ANY_CELL = re.compile(rb"<" + _PREFIX + rb"c[\s/>]")
_ANY_ROW = re.compile(rb"<" + _PREFIX + rb"row[\s/>]")
_CELL_CLOSE = re.compile(rb"</" + _PREFIX + rb"c>")


class SheetLimitError(Exception):
    """A sheet holds data beyond the rows/columns a monthly sheet may have."""

    def __init__(self, sheet: str, row: int, column: str):
        super().__init__(
            f"Trang '{sheet}' có dữ liệu ở ô {column}{row}, ngoài giới hạn {fmt_number(MAX_ROWS)} dòng "
            f"× {MAX_COLS} cột của một phiếu (nghi tệp độc hại); phiếu không được đọc"
        )
        self.sheet, self.row, self.column = sheet, row, column


def _attrs(blob: bytes) -> dict[str, str]:
    return {k.decode(): html.unescape(v.decode("utf-8")) for k, v in _ATTR.findall(blob)}


def sheet_paths(parts: dict[str, bytes]) -> dict[str, str]:
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


def percent_styles(styles: bytes) -> frozenset[int]:
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
    for ch in letters.upper():
        index = index * 26 + ch - 64
    return index - 1


def _scan_every_cell(name: str, xml: bytes, percents: frozenset[int]) -> tuple[frozenset, frozenset]:
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
        _classify(name, row, col, cell_attrs, body or b"", percents, percent, uncached)
    return frozenset(percent), frozenset(uncached)


def _classify(
    name: str, row: int, col: int, attrs: bytes, body: bytes, percents: frozenset[int], percent: set, uncached: set
) -> None:
    if (row >= MAX_ROWS or col >= MAX_COLS) and body.strip():
        raise SheetLimitError(name, row + 1, column_letter(col))
    value = _VALUE.search(body)
    has_value = bool(value and value.group(1)) or _INLINE.search(body) is not None
    has_formula = _FORMULA.search(body) is not None
    if not (has_value or has_formula):
        return
    kind = _TYPE.search(attrs)
    kind_name = kind.group(1) if kind else b"n"
    if has_formula and not has_value and kind_name != b"str":
        uncached.add((row, col))
    style = _STYLE.search(attrs)
    if has_value and kind_name == b"n" and style and int(style.group(1)) in percents:
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
        body = xml[tag_end + 1 : close.start() if close else len(xml)]
    return int(ref.group(2)) - 1, _col_index(ref.group(1)), attrs, body


def scan_sheet_xml(name: str, xml: bytes, percents: frozenset[int]) -> tuple[frozenset, frozenset]:
    """Percent-formatted numeric cells and formulas without a cached value; enforce the limits.

    Only the few places that matter are visited (formulas, cells with a percent style, cells
    whose reference may lie beyond the limits: a column of two letters or more, a row number of
    four digits or more; calamine places a cell by its own reference, whatever its row says); a
    sheet whose cells or rows lack plain references is scanned cell by cell instead.
    """
    if not _plain_references(xml):
        return _scan_every_cell(name, xml, percents)
    percent, uncached = set(), set()
    for match in _FAR_REF.finditer(xml):
        row, col, attrs, body = _cell_at(xml, match.start())
        if row >= MAX_ROWS or col >= MAX_COLS:
            _classify(name, row, col, attrs, body, percents, percent, uncached)
    starts = {xml.rfind(b"<", 0, m.start()) for m in _PLAIN_FORMULA.finditer(xml)}
    if percents:
        styled = re.compile(
            rb'<c r="[A-Z]+\d+"[^>]*?\bs="(?:' + b"|".join(b"%d" % i for i in sorted(percents)) + rb')"'
        )
        starts.update(m.start() for m in styled.finditer(xml))
    for start in sorted(starts):
        row, col, attrs, body = _cell_at(xml, start)
        _classify(name, row, col, attrs, body, percents, percent, uncached)
    return frozenset(percent), frozenset(uncached)


def _plain_references(xml: bytes) -> bool:
    """Unprefixed XML whose every cell and row starts with its reference (what Excel, LibreOffice and
    openpyxl write): then the places that matter can be found by pattern alone."""
    cells = len(_ANY_CELL.findall(xml))
    rows = len(_ANY_ROW.findall(xml))
    return b"<sheetData" in xml and cells == xml.count(b'<c r="') and rows == xml.count(b'<row r="')
