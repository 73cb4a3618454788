"""Find a table by its header row wherever it is (title rows above it, headers without
diacritics, in any case and any column order, with a trailing month, or over a second header
row), and read the title block above it as ``label: value`` pairs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.sheet_reader import RawSheet
from plans.text import fold

HEADER_SCAN_ROWS = 40
_MONTH_SUFFIX = re.compile(r" thang \d{1,2}(?: nam)?(?: \d{4})?$")


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


def _map_columns(texts: list[str], aliases: dict[str, frozenset[str]]) -> dict[str, list[int]]:
    """Field → every column whose header is one of its names."""
    found: dict[str, list[int]] = {}
    for c, text in enumerate(texts):
        for name, names in aliases.items():
            if text in names:
                found.setdefault(name, []).append(c)
    return found


def _under_header(
    sheet: RawSheet, row: int, code_col: int, aliases: dict[str, frozenset[str]], key: str
) -> dict[str, list[int]]:
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
        return Table(
            header_row=r,
            columns={name: cols[0] for name, cols in found.items()},
            duplicated={name: cols for name, cols in found.items() if len(cols) > 1},
            sub_header=bool(below),
        )
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
