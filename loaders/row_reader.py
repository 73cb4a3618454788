"""Reading a data sheet's rows for the checks: problems collected at their file, sheet, row and
column; cells parsed with the rules of :mod:`loaders.cell_values`; the header row checked."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from loaders.cell_values import CellError, is_blank, parse_count, parse_percent, percent_warning, shown
from loaders.problems import ERROR, WARNING, Problem, column_letter
from loaders.sheet_layout import COLUMN_LABELS
from loaders.sheet_reader import RawSheet
from loaders.sheet_tables import Table

T = TypeVar("T")

TEXT_COLUMNS = frozenset({"evidence", "note"})


class Collector:
    """Collects the problems of one file."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[Problem] = []
        self.errors = 0

    def add(
        self,
        message: str,
        sheet: str | None = None,
        row: int | None = None,
        col: int | None = None,
        severity: str = ERROR,
        topic: str = "",
    ) -> None:
        letter = column_letter(col) if col is not None else None
        self.items.append(Problem(self.file, sheet, None if row is None else row + 1, letter, message, severity, topic))
        if severity == ERROR:
            self.errors += 1

    @property
    def has_errors(self) -> bool:
        return self.errors > 0


def cell_text(raw: object) -> str | None:
    if is_blank(raw):
        return None
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", shown(raw))


class RowReader:
    """Reads one data sheet's rows, turning cell errors into problems at the right place."""

    def __init__(self, sheet: RawSheet, table: Table, out: Collector):
        self.sheet, self.table, self.out = sheet, table, out

    def raw(self, row: int, name: str) -> object:
        col = self.table.columns.get(name)
        return None if col is None else self.sheet.value(row, col)

    def parse(self, row: int, name: str, parser: Callable[[object], T], suffix: str = "") -> T | None:
        """Parse one cell; ``None`` if blank or wrong (the problem is recorded)."""
        col = self.table.columns.get(name)
        if col is None:
            return None
        if (row, col) in self.sheet.uncached_formulas:
            self.out.add(
                f"Ô {column_letter(col)}{row + 1} ({COLUMN_LABELS[name]}) chứa công thức nhưng chưa có giá "
                f"trị đã tính; hãy mở tệp bằng Excel để tính rồi lưu lại{suffix}",
                self.sheet.name,
                row,
                col,
            )
            return None
        raw = self.sheet.value(row, col)
        if is_blank(raw):
            return None
        try:
            return parser(raw)
        except CellError as err:
            self.out.add(f"{COLUMN_LABELS[name]} {err}{suffix}", self.sheet.name, row, col)
            return None

    def percent(self, row: int, name: str, suffix: str) -> float | None:
        col = self.table.columns.get(name)
        formatted = col is not None and (row, col) in self.sheet.percent_cells
        value = self.parse(row, name, lambda raw: parse_percent(raw, formatted), suffix)
        if value is not None and not 0 <= value <= 100:
            hint = " (ô định dạng phần trăm: hãy ghi 85%, không ghi 85)" if formatted else ""
            self.out.add(
                f"{COLUMN_LABELS[name]} {shown(value)}% nằm ngoài khoảng 0–100%{hint}{suffix}",
                self.sheet.name,
                row,
                col,
            )
            return None
        warning = percent_warning(self.raw(row, name), formatted) if value is not None else None
        if warning:
            self.out.add(f"{COLUMN_LABELS[name]}: {warning}{suffix}", self.sheet.name, row, col, WARNING)
        return value

    def number(self, row: int, name: str, suffix: str) -> float | None:
        return self.parse(row, name, parse_count, suffix)


def check_table(
    sheet: RawSheet, table: Table | None, required: tuple[str, ...], code_header: str, out: Collector
) -> bool:
    """Report a missing header row or column, a doubled one; True when the table can be read.

    A doubled column that only carries text (Minh chứng, Ghi chú) is read from its first copy,
    with a warning; any other doubled column is an error (which copy holds the figures?).
    """
    if table is None:
        out.add(f"Không tìm thấy dòng tiêu đề có cột '{code_header}' trong trang", sheet.name)
        return False
    for name in required:
        if name not in table.columns:
            out.add(f"Thiếu cột '{COLUMN_LABELS[name]}' ở dòng tiêu đề", sheet.name, table.header_row)
    for name, cols in table.duplicated.items():
        letters = ", ".join(column_letter(c) for c in cols)
        where = f"Cột '{COLUMN_LABELS[name]}' xuất hiện {len(cols)} lần ở dòng tiêu đề (cột {letters})"
        if name in TEXT_COLUMNS:
            out.add(f"{where}: chỉ đọc cột {column_letter(cols[0])}", sheet.name, table.header_row, cols[1], WARNING)
        else:
            out.add(f"{where}: hãy xóa hoặc đổi tên cột thừa", sheet.name, table.header_row, cols[1])
    return all(name in table.columns for name in required)


def row_is_blank(reader: RowReader, row: int, names: tuple[str, ...]) -> bool:
    sheet = reader.sheet
    for name in names:
        col = reader.table.columns.get(name)
        if col is not None and ((row, col) in sheet.uncached_formulas or not is_blank(sheet.value(row, col))):
            return False
    return True


def code_key(raw: object) -> str:
    """A row's code as it is looked up: trimmed and case-folded ("" for a blank cell)."""
    return "" if is_blank(raw) else str(raw).strip().casefold()


def coded_rows(
    reader: RowReader,
    codes: Mapping[str, str],
    what: str,
    seen: dict[str, int],
    stray: Callable[[int, object, str], None],
) -> Iterator[tuple[int, str]]:
    """Each data row whose code (:func:`code_key`) is one of ``codes`` (key → the code as written in
    the plan), the first time it comes, as ``(row, key)``; ``seen`` collects the rows (key → row).
    A row of a code met before is an error naming ``what`` ("Mã chỉ tiêu"); any other row goes to
    ``stray(row, raw code, key)``."""
    sheet, col = reader.sheet, reader.table.columns["code"]
    for row in range(reader.table.data_row, len(sheet.rows)):
        raw = sheet.value(row, col)
        key = code_key(raw)
        if key not in codes:
            stray(row, raw, key)
        elif key in seen:
            reader.out.add(f"{what} '{codes[key]}' lặp lại (đã có ở dòng {seen[key] + 1})", sheet.name, row, col)
        else:
            seen[key] = row
            yield row, key
