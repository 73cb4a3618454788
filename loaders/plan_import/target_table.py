"""Targets from a table of indicators, the shape of most commune plans' appendices:
``STT | Tên chỉ tiêu | Giải thích chỉ tiêu | Đơn vị tính | Chỉ tiêu cụ thể``, or one column per
year (``2026 | … | 2030``, maybe under a spanning "Lộ trình" header on the row above).

Rules (checked by tests/test_plan_import_tables.py):

- the name is the "Tên chỉ tiêu"/"Nội dung" column; "Giải thích", "Ghi chú", "Cách tính" are
  never the target; the target is "Chỉ tiêu cụ thể"/"Chỉ tiêu"/"Mục tiêu"/"Kế hoạch", or each
  year column (a year before the plan's start, "Hiện trạng", "Thực hiện", "Kết quả" are baselines);
- the unit column gives the unit: "%" a rate, "Có/Không" a yes/no item, a counted noun ("camera",
  "mô hình", "lớp/năm") a count, "/năm" an every-year target;
- a row numbered in Roman numerals ("II", "II. Hạ tầng số (03 chỉ tiêu)") opens a group, and the
  count it announces is checked; a row of column numbers ("(1) | (2) | …") is skipped;
- an empty, "-" or "—" cell has no target for that year; a cell that cannot be read is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.plan_import.indicators import COUNT_NOUNS, Target, cell_target
from plans.text import fold

_ROMAN = re.compile(r"^([IVXLC]{1,6})\.?$")
_ROMAN_TITLE = re.compile(r"^([IVXLC]{1,6})[.)]\s*(.+)$")
_ANNOUNCED = re.compile(r"\(\s*(\d{1,3})\s*chỉ tiêu\s*\)", re.IGNORECASE)
_YEAR = re.compile(r"\b(20\d\d)\b")
_EMPTY = {"", "-", "–", "—", "x/x", "/"}
_NAME_WORDS = ("ten chi tieu", "noi dung chi tieu", "ten chi so", "chi tieu", "noi dung", "ten")
_EXPLAIN_WORDS = ("giai thich", "ghi chu", "cach tinh", "mo ta", "dinh nghia", "can cu", "phuong phap", "nguon")
_UNIT_WORDS = ("don vi tinh", "dvt", "don vi do")
_LEAD_WORDS = ("chu tri", "don vi thuc hien", "co quan thuc hien", "don vi phu trach", "co quan phu trach")
_BASELINE = re.compile(r"\b(?:hien trang|ket qua|uoc|co so|hien nay|nam truoc)\b")
_TARGET_WORDS = ("chi tieu", "muc tieu", "ke hoach", "gia tri", "den nam")
_YEARLY = re.compile(r"/\s*năm|\b(?:hằng|hàng|mỗi)\s+năm\b", re.IGNORECASE)
_REDUCTION = re.compile(r"\b(?:giảm|rút ngắn|cắt giảm)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Columns:
    """What each column of a target table holds (indexes into a row)."""

    name: int
    targets: tuple[tuple[int, int | None], ...]  # (column, its year or None)
    stt: int | None = None
    unit: int | None = None
    lead: int | None = None


@dataclass
class TableTargets:
    """What a target table gave: targets with their group (Roman numeral, title) and row, and notes."""

    targets: list[tuple[Target, str | None, str, int]] = field(default_factory=list)  # (target, group, row, index)
    groups: dict[str, str] = field(default_factory=dict)  # Roman numeral → title
    leads: dict[int, str] = field(default_factory=dict)  # row index → lead unit as written
    unplaced: list[str] = field(default_factory=list)


def _find(folded: list[str], words: tuple[str, ...], taken: set[int]) -> int | None:
    for word in words:
        for i, cell in enumerate(folded):
            if i not in taken and word in cell:
                return i
    return None


def header_rows(rows: tuple[tuple[str, ...], ...]) -> int:
    """How many rows the header takes: the first row, and the rows under it before the first row of
    the body (a spanning header's years, a row of column numbers)."""
    n = 1
    while n < min(len(rows), 3) and not _body_row(rows[n]):
        n += 1
    return n


def _body_row(row: tuple[str, ...]) -> bool:
    """A numbered row, a group row, or a row with a target in it (whatever OCR made of its number)."""
    return (
        _numbered(row)
        or _is_group(row)
        or any(cell.strip() and not _YEAR.search(cell) and cell_target(cell) is not None for cell in row[1:])
    )


def _numbered(row: tuple[str, ...]) -> bool:
    first = next((c for c in row if c.strip()), "")
    return bool(re.fullmatch(r"\d{1,3}(?:\.\d{1,2}){0,2}\.?", first.strip())) and not _column_numbers(row)


def _column_numbers(row: tuple[str, ...]) -> bool:
    """A row such as "(1) | (2) | (3) | (4) | (5)" or "1 | 2 | 3 | 4 | 5" under the header."""
    cells = [re.sub(r"[()]", "", c.strip()) for c in row if c.strip()]
    return (
        len(cells) >= 3
        and all(c.isdigit() for c in cells)
        and [int(c) for c in cells] == list(range(int(cells[0]), int(cells[0]) + len(cells)))
    )


def _is_group(row: tuple[str, ...]) -> bool:
    """A group row: a Roman numeral and a title, in two cells or one, or a title announcing its
    count ("… (03 chỉ tiêu)") whatever OCR made of the numeral."""
    cells = [c.strip() for c in row if c.strip()]
    return bool(cells) and (
        bool(_ROMAN.match(cells[0]))
        and len(cells) <= 2
        or bool(_ROMAN_TITLE.match(cells[0]))
        and len(cells) == 1
        or len(cells) <= 2
        and bool(_ANNOUNCED.search(cells[-1]))
    )


def _next_numeral(previous: str | None) -> str:
    """The Roman numeral after ``previous``, for a group row whose numeral OCR misread (or that
    repeats one already used)."""
    numerals = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
    return (
        numerals[numerals.index(previous) + 1]
        if previous in numerals[:-1]
        else numerals[0]
        if previous is None
        else f"{previous}+"
    )


def columns(rows: tuple[tuple[str, ...], ...], start_year: int | None) -> Columns | None:
    """The columns of a target table, or None when the table is not one (no name or no target column)."""
    count = header_rows(rows)
    width = max(len(r) for r in rows[:count])
    header = [" ".join(r[i] for r in rows[:count] if i < len(r) and r[i].strip()) for i in range(width)]
    folded = [fold(h) for h in header]
    taken: set[int] = set()
    stt = next((i for i, h in enumerate(folded) if h in ("stt", "tt", "so tt", "so thu tu")), None)
    taken |= {stt} if stt is not None else set()
    explain = {i for i, h in enumerate(folded) if any(w in h for w in _EXPLAIN_WORDS)}
    unit = _find(folded, _UNIT_WORDS, taken | explain)
    lead = _find(folded, _LEAD_WORDS, taken | explain | ({unit} if unit is not None else set()))
    taken |= explain | {c for c in (unit, lead) if c is not None}
    years: list[tuple[int, int | None]] = []
    for i in range(width):
        cells = [fold(r[i]) for r in rows[:count] if i < len(r)]
        own = [c for c in cells if _YEAR.search(c)]
        if i in taken or not own or any(_BASELINE.search(c) for c in cells):
            continue
        year = int(_YEAR.findall(own[-1])[-1])
        if start_year is None or year >= start_year:
            years.append((i, year))
    taken |= {i for i, _ in years}
    name = _find(folded, _NAME_WORDS, taken)
    if name is None:
        return None
    taken.add(name)
    if years:
        targets = tuple(years)
    else:
        single = _find(folded, _TARGET_WORDS, taken | {i for i, h in enumerate(folded) if _BASELINE.search(h)})
        if single is None:
            return None
        found = _YEAR.findall(folded[single])
        targets = ((single, int(found[-1]) if found else None),)
    return Columns(name=name, targets=targets, stt=stt, unit=unit, lead=lead)


def _unit(unit_cell: str, name: str, value: str) -> tuple[str, str | None]:
    """("%" | "count" | "yes/no", counted noun) from the unit column, the name and the cell."""
    folded = fold(unit_cell)
    if (
        "%" in unit_cell
        or "%" in value
        or folded in ("ty le", "phan tram")
        or (not folded and fold(name).startswith("ty le"))
    ):
        return "%", None
    if "co khong" in folded or folded in ("co", "dat khong dat"):
        return "yes/no", None
    noun = re.sub(r"\s*/\s*năm$", "", unit_cell.strip().lower())
    if noun and noun not in ("số lượng", "số", "cái", "chiếc"):
        return "count", noun
    name_noun = next((n for n in COUNT_NOUNS if re.search(rf"\b{n}\b", name.lower())), None)
    return "count", name_noun


def read_table(rows: tuple[tuple[str, ...], ...], cols: Columns, section: str) -> TableTargets:
    """Every target of a target table (``rows`` with its header), with its group and row."""
    out = TableTargets()
    group: str | None = None
    announced: dict[str, int] = {}
    counted: dict[str, int] = {}

    def cell(row: tuple[str, ...], col: int | None) -> str:
        return row[col].strip() if col is not None and col < len(row) else ""

    for index, row in enumerate(rows[header_rows(rows) :], start=header_rows(rows) + 1):
        if _column_numbers(row) or not any(c.strip() for c in row):
            continue
        stt, name = cell(row, cols.stt), cell(row, cols.name)
        values = [(cell(row, col), year) for col, year in cols.targets]
        if _is_group(row) and all(v in _EMPTY for v, _ in values):
            first = next(c.strip() for c in row if c.strip())
            m = _ROMAN_TITLE.match(first)
            numeral = m.group(1) if m else first.rstrip(".") if _ROMAN.match(first) else None
            group = numeral if numeral and numeral not in out.groups else _next_numeral(group)
            title = (m.group(2) if m else name) or group
            out.groups[group] = _ANNOUNCED.sub("", title).strip(" .:-–")
            if n := _ANNOUNCED.search(title):
                announced[group] = int(n.group(1))
            continue
        if not name:
            continue
        label = (
            f"dòng {index}" + (f" (STT {stt})" if stt else "") + ": " + " | ".join(c.strip() for c in row if c.strip())
        )
        clean_name = re.sub(r"^\d+(?:\.\d+)*[.)]?\s+", "", name).rstrip(". ")
        unit_cell = cell(row, cols.unit)
        yearly = bool(_YEARLY.search(unit_cell) or _YEARLY.search(clean_name))
        found = 0
        for value, year in values:
            if value in _EMPTY:
                continue
            parsed = cell_target(value)
            if parsed is None:
                out.unplaced.append(f"mục {section}, {label[:120]}: chỉ tiêu “{value}” không đọc được")
                continue
            comparator, number, kind = parsed
            unit, noun = (kind, None) if kind == "yes/no" else _unit(unit_cell, clean_name, value)
            if unit == "yes/no" and kind != "yes/no":
                comparator, number = "=", 1.0 if number else 0.0
            reduction = unit == "%" and bool(_REDUCTION.search(f"{clean_name} {value}"))
            text = " — ".join(c.strip() for c in row if c.strip())
            out.targets.append(
                (
                    Target(
                        clean_name,
                        text,
                        comparator,
                        number,
                        unit,
                        year,
                        yearly and len(values) == 1,
                        reduction,
                        noun,
                        len(values) > 1,
                    ),
                    group,
                    label,
                    index,
                )
            )
            found += 1
        if found and cols.lead is not None and cell(row, cols.lead):
            out.leads[index] = cell(row, cols.lead)
        if not found and all(v in _EMPTY for v, _ in values):
            out.unplaced.append(f"mục {section}, {label[:120]}: không có chỉ tiêu")
        if found and group:
            counted[group] = counted.get(group, 0) + 1
    for group, expected in announced.items():
        if counted.get(group, 0) != expected:
            out.unplaced.append(
                f"mục {section}: nhóm {group} “{out.groups[group]}” ghi {expected:02d} chỉ tiêu, "
                f"đọc được {counted.get(group, 0)}"
            )
    return out
