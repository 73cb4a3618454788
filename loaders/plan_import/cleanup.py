"""Tidy the messy text of real plans before reading it.

Markdown and HTML emphasis, Markdown heading marks, LaTeX comparators (``$\\geq 90\\%$``), the
frequent typing slip "Phần đầu"/"Phân đầu" for "Phấn đấu", and Vietnamese numbers ("6,5" is 6.5,
"7.500" is 7500, "01" is 1).
"""

from __future__ import annotations

import re
import unicodedata

_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_LATEX = ((r"\geq", "≥"), (r"\ge", "≥"), (r"\leq", "≤"), (r"\le", "≤"), (r"\%", "%"), (">=", "≥"), ("<=", "≤"))
_TYPO = re.compile(r"\b(?:[Pp]hần|[Pp]hân|[Pp]hấn)\s+(?:đầu|đấu)\b(?=\s+(?:tỷ lệ|tỉ lệ|đạt|đến|bố trí|mỗi|có|\d))")
_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\d+(?:,\d+)?$|^\d+(?:\.\d+)?$")


def clean_line(line: str) -> str:
    """One line, tidied; tabs (table cells) are kept, other runs of spaces become one space."""
    text = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\u200b", "")
    text = _HTML_TAG.sub("", text)
    for latex, symbol in _LATEX:
        text = text.replace(latex, symbol)
    text = re.sub(r"\$\s*([^$]*?)\s*\$", r"\1", text)
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text)
    text = re.sub(r"^(\s*)[*+•]\s+", r"\1- ", text)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*]+?)\*(?![\w*])", r"\1", text)
    text = _TYPO.sub(lambda m: "Phấn đấu" if m.group(0)[0] == "P" else "phấn đấu", text)
    text = re.sub(r"(≥|≤)\s*(?=\d)", r"\1 ", text)
    cells = [" ".join(cell.split()) for cell in text.split("\t")]
    return "\t".join(cells).rstrip("\t ") if len(cells) > 1 else cells[0]


def clean_lines(lines: list[str]) -> list[str]:
    """Every line tidied (empty lines stay: they separate paragraphs and tables)."""
    return [clean_line(line) for line in lines]


def parse_number(text: str) -> float | None:
    """A number written the Vietnamese way: "6,5" → 6.5, "7.500" → 7500, "01" → 1; None if not one.

    A dot followed by exactly three digits groups thousands; a comma is the decimal mark. A dot
    with one or two digits after it ("6.5") is read as a decimal point (typed on an English keyboard).
    """
    value = text.strip().replace(" ", "")
    if not _NUMBER.match(value):
        return None
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", value):
        value = value.replace(".", "")
    return float(value.replace(",", "."))
