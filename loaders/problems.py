"""Problems found in an uploaded sheet: values that carry where they are and what is wrong.

A loader never raises at the first problem: it collects every :class:`Problem` of a file
(file, sheet, row, column, Vietnamese message, severity) so the office sees them all at
once. Errors reject the file; warnings are shown but do not stop it. :func:`listed` puts
errors first, then warnings (each group keeping its sheet/row order), and lists at most
``MAX_LISTED`` of them per file, with a last line telling how many more there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from plans.text import fmt_number

ERROR = "error"
WARNING = "warning"
# ``Problem.topic`` of the errors that only say the sheet is not the one the office chose to take
# (the fix is to change the choice, not the sheet).
OTHER_LOCALITY = "other_locality"
OTHER_UNIT = "other_unit"
OTHER_MONTH = "other_month"
# ... and of the refusals that are about the account's right or the month's lock, not the sheet
NO_RIGHT = "no_right"
CLOSED_MONTH = "closed_month"
MAX_LISTED = 200


@dataclass(frozen=True)
class Problem:
    """One problem of one file; ``row`` is the 1-based sheet row, ``column`` a letter."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    severity: str = ERROR
    topic: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def where(self) -> str:
        """``Chỉ tiêu, dòng 12, cột G`` (only the parts that are known)."""
        parts = []
        if self.sheet:
            parts.append(f"trang '{self.sheet}'")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        label = "Lỗi" if self.is_error else "Cảnh báo"
        where = f" ({self.where})" if self.where else ""
        return f"{label}{where}: {self.message}"


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """Excel letters → 0-based column index (A → 0, AA → 26)."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def listed(problems: list[Problem], limit: int = MAX_LISTED) -> list[Problem]:
    """Errors first, then warnings (a stable sort: each group keeps its order), at most ``limit``
    of them, then one line saying how many were left out."""
    ordered = sorted(problems, key=lambda p: not p.is_error)
    if len(ordered) <= limit:
        return ordered
    shown, rest = ordered[:limit], ordered[limit:]
    errors = sum(p.is_error for p in rest)
    warnings = len(rest) - errors
    parts = [f"{fmt_number(n)} {label}" for n, label in ((errors, "lỗi"), (warnings, "cảnh báo")) if n]
    message = f"Còn {fmt_number(len(rest))} vấn đề khác ({', '.join(parts)}) không được liệt kê"
    if errors:
        message += "; hãy sửa các lỗi trên rồi nạp lại để xem tiếp"
    return shown + [Problem(rest[0].file, None, None, None, message, ERROR if errors else WARNING)]


def by_place(problems: list[Problem], sheets: list[str]) -> list[Problem]:
    """Problems in reading order: file-level first, then by sheet (workbook order), row and column."""
    order = {name: i for i, name in enumerate(sheets)}

    def key(p: Problem) -> tuple[int, int, int]:
        sheet = -1 if p.sheet is None else order.get(p.sheet, len(order))
        return sheet, p.row or 0, -1 if p.column is None else column_index(p.column)

    return sorted(problems, key=key)
