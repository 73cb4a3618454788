"""The outline of a plan: headings (I., 1., 1.1., a), PHỤ LỤC), paragraphs and bullets, tables.

Every block knows the labels and titles of the headings it sits under (its section, quoted in
each ``source``) and the year a heading such as "Đến năm 2030:" or "1. Năm 2026 (…)" gives to what
follows it, until the next numbered heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.plan_import.cleanup import clean_line

ROMAN = re.compile(r"^([IVX]{1,5})[.)]\s*(.*)$")
DECIMAL = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(.*)$|^(\d{1,2})[.)]\s*(.*)$")
LETTER = re.compile(r"^([a-zđ])[.)]\s+(.*)$")
BULLET = re.compile(r"^[-–+•]\s*(.*)$")
CLOSING = re.compile(r"^(?:nơi nhận|tm\.\s*ủy ban|tm\.\s*ubnd)\b", re.IGNORECASE)
APPENDIX = re.compile(r"^PH[UỤ]\s*L[UỤ]C\s*([IVX\d]*)\b\s*(.*)$", re.IGNORECASE)
YEAR_HEADING = re.compile(r"^(?:(?:đến|tới|trong|từ nay đến)\s+)?năm\s+(\d{4})\s*:?$", re.IGNORECASE)
YEAR_IN_TITLE = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
SEPARATOR = re.compile(r"^[-|:\s\t]+$")
SENTENCE_END = (".", ";", "…")


@dataclass(frozen=True)
class Block:
    """A heading, a piece of text (paragraph, bullet or numbered item) or a table."""

    kind: str  # "heading" | "text" | "table"
    text: str
    labels: tuple[str, ...]  # labels of the enclosing headings, then the block's own
    titles: tuple[str, ...]  # titles of the enclosing headings (outermost first)
    year: int | None = None  # year given by the nearest heading ("Đến năm 2030")
    line: int = 0  # 1-based line of the cleaned document where the block starts
    label: str | None = None  # the block's own label ("a", "2.1", "III"), if any
    bullet: bool = False
    rows: tuple[tuple[str, ...], ...] = field(default=())  # tables: header first
    end: int = 0  # 1-based line where the block ends (text joined over lines)
    row_lines: tuple[int, ...] = ()  # tables: the 1-based line of each row

    @property
    def lines(self) -> range:
        """The 1-based lines the block was read from."""
        return range(self.line, max(self.line, self.end) + 1)

    @property
    def section(self) -> str:
        """The section as a plan cites it: "III.2.a", "Phụ lục I, mục 1", "VII.1"."""
        return section_of(self.labels)


def section_of(labels: tuple[str, ...] | list[str]) -> str:
    """Labels joined as a plan cites them; "2" then "2.1" is "2.1", not "2.2.1"."""
    parts: list[str] = []
    for label in labels:
        if parts and label.startswith(parts[-1] + "."):
            parts[-1] = label
        else:
            parts.append(label)
    if parts and parts[0].startswith("Phụ lục") and len(parts) > 1:
        return f"{parts[0]}, mục {'.'.join(parts[1:])}"
    return ".".join(parts)


def _label(text: str) -> tuple[int, str, str] | None:
    """(level, label, rest) of a numbered line, or None."""
    if CLOSING.match(text):
        return 0, "Nơi nhận", text.rstrip(":")
    if m := APPENDIX.match(text):
        return 0, f"Phụ lục {m.group(1)}".strip(), m.group(2).strip(" .:-–")
    if m := ROMAN.match(text):
        return 1, m.group(1), m.group(2)
    if m := DECIMAL.match(text):
        if m.group(1):
            return 1 + m.group(1).count(".") + 1, m.group(1), m.group(2)
        return 2, m.group(3), m.group(4)
    if m := LETTER.match(text):
        return 6, m.group(1), m.group(2)
    return None


def _is_heading(level: int, rest: str, marked: bool, next_line: str) -> bool:
    """Whether a numbered line is a heading (a title over content) rather than a numbered item."""
    words = len(rest.split())
    if level <= 1 or marked:
        return True
    if not rest:
        return True
    if level == 6:
        if rest.startswith(("Về ", "Nhóm ")) or rest.endswith(":"):
            return True
        return words <= 12 and not rest.endswith(SENTENCE_END) and not LETTER.match(next_line)
    return words <= 20 and not rest.endswith(SENTENCE_END)


def _next_text(lines: list[str], i: int) -> str:
    return next((line for line in lines[i + 1 :] if line.strip()), "")


def _table_rows(lines: list[str], i: int) -> tuple[list[tuple[str, ...]], list[int], int]:
    """Consecutive tab-separated rows from line ``i`` (blank lines inside a table are skipped),
    their 1-based line numbers, and the index after the table."""
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    j = i
    while j < len(lines):
        line = lines[j]
        if not line.strip():
            j += 1
            continue
        if "\t" not in line:
            break
        if not SEPARATOR.match(line):
            rows.append(tuple(cell.strip() for cell in line.split("\t")))
            numbers.append(j + 1)
        j += 1
    while j > i and not lines[j - 1].strip():
        j -= 1
    width = max(len(row) for row in rows) if rows else 0
    return [row + ("",) * (width - len(row)) for row in rows], numbers, j


def parse_blocks(raw_lines: list[str]) -> list[Block]:
    """The document as blocks in reading order (lines are cleaned here)."""
    marked = [bool(re.match(r"^\s{0,3}#{1,6}\s", line)) for line in raw_lines]
    lines = [clean_line(line) for line in raw_lines]
    blocks: list[Block] = []
    stack: list[tuple[int, str, str]] = []  # (level, label, title)
    year: int | None = None
    appendix_pending = False
    i = 0
    while i < len(lines):
        text = lines[i].strip()
        if not text:
            i += 1
            continue
        labels = tuple(label for _, label, _ in stack)
        titles = tuple(title for _, _, title in stack)
        if "\t" in lines[i]:
            rows, numbers, i = _table_rows(lines, i)
            if rows:
                blocks.append(
                    Block(
                        "table",
                        "",
                        labels,
                        titles,
                        year,
                        numbers[0],
                        rows=tuple(rows),
                        end=numbers[-1],
                        row_lines=tuple(numbers),
                    )
                )
            appendix_pending = False
            continue
        if appendix_pending and stack and stack[-1][0] == 0 and text.isupper():
            level, label, title = stack[-1]
            stack[-1] = (level, label, f"{title} {text}".strip())
            own = YEAR_IN_TITLE.search(text)
            year = int(own.group(1)) if own else year
            heading = blocks[-1]
            blocks[-1] = Block(
                "heading",
                stack[-1][2],
                heading.labels,
                (*heading.titles[:-1], stack[-1][2]),
                year,
                heading.line,
                heading.label,
            )
            i += 1
            continue
        appendix_pending = False
        if m := YEAR_HEADING.match(text):
            year = int(m.group(1))
            blocks.append(Block("heading", text, labels, titles, year, i + 1))
            i += 1
            continue
        numbered = _label(text)
        if numbered and _is_heading(numbered[0], numbered[2], marked[i], _next_text(lines, i)):
            level, label, rest = numbered
            while stack and stack[-1][0] >= level:
                stack.pop()
            title = rest.rstrip(":").strip()
            stack.append((level, label, title))
            own = YEAR_IN_TITLE.search(title)
            year = int(own.group(1)) if own and level > 1 else None
            appendix_pending = level == 0
            blocks.append(
                Block(
                    "heading",
                    title,
                    tuple(lb for _, lb, _ in stack),
                    tuple(t for _, _, t in stack),
                    year,
                    i + 1,
                    label=label,
                )
            )
            i += 1
            continue
        bullet = BULLET.match(text)
        body = bullet.group(1) if bullet else text
        label = None
        if numbered and not bullet:
            label, body = numbered[1], numbered[2]
        previous = blocks[-1] if blocks else None
        if (
            previous
            and previous.kind == "text"
            and body[:1].islower()
            and not bullet
            and label is None
            and not previous.text.endswith((".", ":", ";"))
        ):
            blocks[-1] = Block(
                "text",
                f"{previous.text} {body}",
                previous.labels,
                previous.titles,
                previous.year,
                previous.line,
                previous.label,
                previous.bullet,
                end=i + 1,
            )
        else:
            own = (*labels, label) if label else labels
            blocks.append(Block("text", body, own, titles, year, i + 1, label=label, bullet=bool(bullet)))
        i += 1
    return blocks
