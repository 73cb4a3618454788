"""Problems found in an uploaded sheet: values that carry where they are and what is wrong.

A loader never raises at the first problem: it collects every :class:`Problem` of a file
(file, sheet, row, column, Vietnamese message, severity) so the office sees them all at
once. Errors reject the file; warnings are shown but do not stop it.
"""
from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem of one file; ``row`` is the 1-based sheet row, ``column`` a letter."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    severity: str = ERROR

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
