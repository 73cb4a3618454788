"""Read the sheets of a checked .xlsx package fast (python-calamine), tolerating hand edits.

calamine gives the cell values; a light scan of the sheet XML adds what calamine cannot
say: which numeric cells are formatted as percent (0.855 shown as 85,5%), which cells hold
a formula saved without its computed value (calamine reads them as empty), and whether any
cell with content lies beyond ``MAX_ROWS`` × ``MAX_COLS`` (checked before calamine builds the
sheet, by each cell's own reference, so a million rows, or one cell at A1048576 hidden in a
row numbered 40, is refused without being loaded).

Tables are found by their header row wherever it is (title rows above it, headers without
diacritics, in any case and any column order, with a trailing month, or over a second header
row); the title block above the header is read as ``label: value`` pairs.
"""
from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field

from python_calamine import CalamineError, CalamineWorkbook

from loaders.problems import column_letter
from loaders.xlsx_package import Package
from plans.text import fmt_number, fold

MAX_ROWS = 2000
MAX_COLS = 50
HEADER_SCAN_ROWS = 40

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_PREFIX = rb"(?:[^\s<>/:=\"']+:)?"
_CELL_OR_ROW = re.compile(rb"<" + _PREFIX + rb"row\b([^>]*)>|<" + _PREFIX + rb"c\b([^>]*?)(?:/>|>(.*?)</"
                          + _PREFIX + rb"c>)", re.S)
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
_MONTH_SUFFIX = re.compile(r" thang \d{1,2}(?: nam)?(?: \d{4})?$")


class SheetLimitError(Exception):
    """A sheet holds data beyond the rows/columns a monthly sheet may have."""

    def __init__(self, sheet: str, row: int, column: str):
        super().__init__(f"Trang '{sheet}' có dữ liệu ở ô {column}{row}, ngoài giới hạn {fmt_number(MAX_ROWS)} dòng × {MAX_COLS} "
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
    """Where a table is: its header row, the column of each known field (the first one when a
    header appears twice: ``duplicated`` then lists every column of that field) and whether a
    second header row sits under the first (``Kết quả`` merged over ``Giá trị / Tử số / Mẫu số``)."""

    header_row: int
    columns: dict[str, int]
    duplicated: dict[str, list[int]] = field(default_factory=dict)
    sub_header: bool = False

    @property
    def data_row(self) -> int:
        """The first row under the header."""
        return self.header_row + (2 if self.sub_header else 1)


def header_key(text: object) -> str:
    """A header for matching: folded, without a trailing month ("Kết quả tháng 10/2026" → "ket qua")."""
    return _MONTH_SUFFIX.sub("", fold(text)) if isinstance(text, str) else ""


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
    for ch in letters.upper():
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

    Only the few places that matter are visited (formulas, cells with a percent style, cells
    whose reference may lie beyond the limits: a column of two letters or more, a row number of
    four digits or more; calamine places a cell by its own reference, whatever its row says); a
    sheet whose cells or rows lack plain references is scanned cell by cell instead.
    """
    if not _plain_references(xml):
        return _scan_every_cell(name, xml, percent_styles)
    percent, uncached = set(), set()
    for match in _FAR_REF.finditer(xml):
        row, col, attrs, body = _cell_at(xml, match.start())
        if row >= MAX_ROWS or col >= MAX_COLS:
            _classify(name, row, col, attrs, body, percent_styles, percent, uncached)
    starts = {xml.rfind(b"<", 0, m.start()) for m in _PLAIN_FORMULA.finditer(xml)}
    if percent_styles:
        styled = re.compile(rb'<c r="[A-Z]+\d+"[^>]*?\bs="(?:' + b"|".join(b"%d" % i for i in sorted(percent_styles))
                            + rb')"')
        starts.update(m.start() for m in styled.finditer(xml))
    for start in sorted(starts):
        row, col, attrs, body = _cell_at(xml, start)
        _classify(name, row, col, attrs, body, percent_styles, percent, uncached)
    return frozenset(percent), frozenset(uncached)


def _plain_references(xml: bytes) -> bool:
    """Unprefixed XML whose every cell and row starts with its reference (what Excel, LibreOffice and
    openpyxl write): then the places that matter can be found by pattern alone."""
    cells = len(_ANY_CELL.findall(xml))
    rows = len(_ANY_ROW.findall(xml))
    return b"<sheetData" in xml and cells == xml.count(b'<c r="') and rows == xml.count(b'<row r="')


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
        raise WorkbookError("Không đọc được nội dung bảng tính: tệp có thể bị hỏng hoặc không do Excel lưu; "
                            "hãy mở bằng Excel và lưu lại dạng .xlsx") from err


def _map_columns(texts: list[str], aliases: dict[str, frozenset[str]]) -> dict[str, list[int]]:
    """Field → every column whose header is one of its names."""
    found: dict[str, list[int]] = {}
    for c, text in enumerate(texts):
        for name, names in aliases.items():
            if text in names:
                found.setdefault(name, []).append(c)
    return found


def _under_header(sheet: RawSheet, row: int, code_col: int, aliases: dict[str, frozenset[str]],
                  key: str) -> dict[str, list[int]]:
    """The fields named in ``row`` when it is a second header row (no code, two known headers or more)."""
    if row >= len(sheet.rows) or sheet.value(row, code_col) is not None:
        return {}
    found = _map_columns([header_key(v) for v in sheet.rows[row]], aliases)
    found.pop(key, None)
    return found if sum(len(cols) for cols in found.values()) >= 2 else {}


def find_table(sheet: RawSheet, aliases: dict[str, frozenset[str]], key: str) -> Table | None:
    """Locate the header row (the first row with a ``key`` header) and map the known columns.

    A second header row right under it (no code, two known headers or more) completes it: its
    headers win over a header of the first row spanning the same columns.
    """
    for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        found = _map_columns([header_key(v) for v in sheet.rows[r]], aliases)
        if key not in found:
            continue
        below = _under_header(sheet, r + 1, found[key][0], aliases, key)
        taken = {c for cols in below.values() for c in cols}
        for name, cols in below.items():
            found[name] = sorted(set(cols) | {c for c in found.get(name, []) if c not in taken})
        for name in set(found) - set(below):
            found[name] = [c for c in found[name] if c not in taken]
        found = {name: cols for name, cols in found.items() if cols}
        return Table(header_row=r, columns={name: cols[0] for name, cols in found.items()},
                     duplicated={name: cols for name, cols in found.items() if len(cols) > 1},
                     sub_header=bool(below))
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
