"""Text laid out on a page back into the importer's lines: tables to tab-separated rows, wrapped
lines to paragraphs.

A PDF's text layer (read in layout mode) and an OCR'd page (words placed by their position) come
as visual lines in which a table's cells stand in columns separated by two or more spaces and a
cell's text wraps onto the lines below. :func:`tabulate` finds such tables by their header (a
"STT" cell and a "chỉ tiêu"/"nhiệm vụ"/"nội dung" cell), finds the columns from the gaps that
run down the whole table, and joins each row's wrapped lines (a row starts with its number:
"1", "II", "a"); a table typed with two or more spaces between cells and one row a line is read
the same way. :func:`reflow` joins the wrapped lines of a paragraph. Every line keeps the lowest
OCR confidence of the lines it was made of.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from plans.text import fold

_CHUNK = re.compile(r"\S+(?: \S+)*")
_NUMBER = re.compile(r"^(?:[IVXLC]{1,6}|\d{1,3}(?:\.\d{1,2}){0,2}|[a-zđ])[.)]?$")
_GROUP_TITLE = re.compile(r"^[IVXLC]{1,6}[.)]\s+\S")
_APPENDIX = re.compile(r"^PH[UỤ]\s*L[UỤ]C\b", re.IGNORECASE)
_VALUE = re.compile(r"^(?:[≥≤><]=?\s*)?\d[\d.,]*\s*%?$")
_ANNOUNCED = re.compile(r"\(\s*\d{1,3}\s*chỉ tiêu\s*\)\s*$", re.IGNORECASE)
_HEADER_WORDS = {"tieu", "nhiem", "dung"}  # of "chỉ tiêu", "nhiệm vụ", "nội dung", wrapped or not
_STT = ("stt", "tt", "so tt", "so thu tu")
_NEW_ITEM = re.compile(
    r"^(?:[-–+•*]\s|(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])[.)]\s|PH[UỤ]\s*L[UỤ]C\b|"
    r"(?:đến|tới|trong)\s+năm\s+\d{4}\s*:?$|nơi nhận\b)",
    re.IGNORECASE,
)
FULL_LINE = 0.75  # a visual line reaching this share of the page's width is wrapped, not ended
MAX_HEADER_LINES = 4
VALLEY, VALLEY_WIDTH = 0.2, 8
HIDDEN = 3  # lines that start a second piece at one place to show a column hidden in another


@dataclass(frozen=True)
class Line:
    """One line of a document and, for OCR'd text, how sure the recognition was (0–1)."""

    text: str
    confidence: float | None = None


def lowest(values: list[float | None]) -> float | None:
    """The lowest confidence among lines (None when none was OCR'd)."""
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _chunks(text: str) -> list[tuple[int, str]]:
    """(position, text) of the pieces of a line separated by two or more spaces."""
    return [(m.start(), m.group()) for m in _CHUNK.finditer(text)]


def _is_header(lines: list[Line], i: int) -> bool:
    """Whether ``lines[i]`` opens a table: three cells or more, one of them "STT", and a name
    column ("chỉ tiêu", "nhiệm vụ", "nội dung") in it or in the header's wrapped lines under it."""
    chunks = _chunks(lines[i].text)
    if len(chunks) < 3 or not any(fold(text) in _STT for _, text in chunks):
        return False
    words = set(fold(" ".join(line.text for line in lines[i : i + MAX_HEADER_LINES])).split())
    return bool(words & _HEADER_WORDS)


def _starts_row(chunks: list[tuple[int, str]]) -> bool:
    """A row's first line: its number, then its cells ("1  Tỷ lệ …"; OCR may read a number as ")"
    or "H", so any piece of one or two characters there counts), or a group's number and title in
    one merged cell ("II. Hạ tầng số (03 chỉ tiêu)")."""
    if len(chunks) == 1:
        return _group_row(chunks) and not _is_title(chunks[0][1])
    return bool(_NUMBER.match(chunks[0][1])) or len(chunks[0][1]) <= 2


def _is_title(text: str) -> bool:
    """A heading standing alone: "PHỤ LỤC 2", or a line of two words or more in capitals."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(_APPENDIX.match(text)) or (
        len(text.split()) >= 2 and bool(letters) and all(ch.isupper() for ch in letters)
    )


def _region_end(lines: list[Line], start: int) -> int:
    """The index after the last line of the table whose header is ``lines[start]``: the table goes
    on over one blank line (a page break) and ends at "PHỤ LỤC", at a heading in capitals after a
    blank line, at another table's header, or at a line that starts at the table's left edge
    without a row number (the text after it)."""
    left = _chunks(lines[start].text)[0][0]
    header = fold(lines[start].text)
    blanks, end, i = 0, start + 1, start + 1
    while i < len(lines):
        text = lines[i].text
        if not text.strip():
            blanks += 1
            if blanks > 1:
                break
            i += 1
            continue
        chunks = _chunks(text)
        if len(chunks) == 1 and (_APPENDIX.match(chunks[0][1]) or blanks and _is_title(chunks[0][1])):
            break
        if _is_header(lines, i):
            if fold(text) != header:
                break
        elif _starts_row(chunks):
            left = min(left, chunks[0][0])
        elif chunks[0][0] <= left + 1:
            break
        blanks, end, i = 0, i + 1, i + 1
    return end


def _usage(texts: list[str]) -> list[int]:
    """How many lines have text at each position."""
    used = [0] * (max(len(t) for t in texts) + 1)
    for text in texts:
        for pos, chunk in _chunks(text):
            for x in range(pos, pos + len(chunk)):
                used[x] += 1
    return used


def _columns(texts: list[str]) -> list[tuple[int, int]]:
    """(start, end) of the columns: stretches between the positions blank on (nearly) every line,
    cut where cells hidden in them start.

    A position is a gap when no line has text there, or when it is a valley: :data:`VALLEY` or
    less of the fuller of the nearest :data:`VALLEY_WIDTH` positions on its left and on its right
    (the ends of long cells pushed together by a skewed scan). Two columns whose text touches (a
    name wrapped to the edge of its cell, the target right after it) make one stretch; there a
    line has two pieces two spaces apart, and where :data:`HIDDEN` lines or more start a second
    piece (give or take two characters) the stretch is cut."""
    used = _usage(texts)

    def gap(x: int) -> bool:
        sides = min(
            max(used[max(0, x - VALLEY_WIDTH) : x], default=0), max(used[x + 1 : x + 1 + VALLEY_WIDTH], default=0)
        )
        return used[x] == 0 or used[x] <= VALLEY * sides

    columns, start = [], None
    for x in range(len(used)):
        if not gap(x) and start is None:
            start = x
        elif gap(x) and start is not None:
            columns.append((start, x))
            start = None
    out = []
    for start, stop in columns:
        seconds = Counter(pos for text in texts for pos in [p for p, _ in _chunks(text) if start <= p < stop][1:])
        for cut in _clusters(seconds):
            out.append((start, cut))
            start = cut
        out.append((start, stop))
    return out


def _clusters(starts: Counter) -> list[int]:
    """The first position of each run of positions (each within two of the next) that :data:`HIDDEN`
    pieces or more start at."""
    out, run, count = [], [], 0
    for x in sorted(starts):
        if run and x - run[-1] > 2:
            if count >= HIDDEN:
                out.append(run[0])
            run, count = [], 0
        run.append(x)
        count += starts[x]
    if run and count >= HIDDEN:
        out.append(run[0])
    return out


def _column_of(pos: int, text: str, columns: list[tuple[int, int]]) -> int:
    """The column a piece of text belongs to: the one it starts in, else the one it overlaps most
    (a header centred over its column), else the nearest."""
    end = pos + len(text)
    for i, (start, stop) in enumerate(columns):
        if start <= pos < stop:
            return i
    overlaps = [max(0, min(end, stop) - max(pos, start)) for start, stop in columns]
    if max(overlaps) > 0:
        return overlaps.index(max(overlaps))
    return min(range(len(columns)), key=lambda i: min(abs(columns[i][0] - end), abs(columns[i][1] - pos)))


def _placed(chunks: list[tuple[int, str]], columns: list[tuple[int, int]]) -> list[tuple[int, str]] | None:
    """(column, text) of a line's pieces: pieces two spaces apart are in different cells, so each goes
    right of the one before it even when it starts inside that one's column (a header cell starting
    early); None when there are more pieces than columns to put them in."""
    out: list[tuple[int, str]] = []
    for pos, text in chunks:
        col = _column_of(pos, text, columns)
        if out and col <= out[-1][0]:
            col = out[-1][0] + 1
        if col >= len(columns):
            return None
        out.append((col, text))
    return out


def _group_row(chunks: list[tuple[int, str]]) -> bool:
    """A group row, whose title may run across the other columns: "II  Hạ tầng số", "II. Hạ tầng
    số" in one cell, or a title announcing its count ("Hạ tầng số (03 chỉ tiêu)")."""
    return (
        len(chunks) == 2
        and bool(re.fullmatch(r"[IVXLC]{1,6}\.?", chunks[0][1]))
        or len(chunks) == 1
        and bool(_GROUP_TITLE.match(chunks[0][1]))
        or len(chunks) <= 2
        and bool(_ANNOUNCED.search(chunks[-1][1]))
    )


def _aligned_rows(region: list[Line], header_lines: int) -> list[Line] | None:
    """The table's rows when its cells stand in columns (found from the body's lines, group rows
    aside, and a header cell over a column the body leaves empty); None when fewer than three columns show or the
    header has more cells than there are columns (cells that do not line up). A row starts at its number, or where a
    number comes into a column that already has one in the row (a row whose number OCR did not see)."""
    body = [line.text for line in region[header_lines:] if line.text.strip()]
    columns = _columns([text for text in body if not _group_row(_chunks(text))] or body)
    columns = sorted(
        [
            *columns,
            *(
                (pos, pos + len(text))
                for pos, text in _chunks(region[0].text)
                if all(pos + len(text) <= start or pos >= stop for start, stop in columns)
            ),
        ]
    )
    if len(columns) < 3 or _placed(_chunks(region[0].text), columns) is None:
        return None
    rows: list[tuple[list[str], list[float | None]]] = []
    repeated = False  # inside a header repeated on a new page, until the next row
    for index, line in enumerate(region):
        chunks = _chunks(line.text)
        if not chunks:
            continue
        body_line = index >= header_lines
        if body_line and _is_header(region, index):
            repeated = True
            continue
        placed = _placed(chunks, columns) or [(_column_of(pos, text, columns), text) for pos, text in chunks]
        second_value = rows and any(_VALUE.match(text) and _VALUE.match(rows[-1][0][col]) for col, text in placed)
        if body_line and (_starts_row(chunks) or second_value):
            repeated = False
            rows.append(([""] * len(columns), []))
        elif index == 0:
            rows.append(([""] * len(columns), []))
        elif repeated:
            continue
        cells, confidences = rows[-1]
        confidences.append(line.confidence)
        for col, text in placed:
            cells[col] = f"{cells[col]} {text}".strip()
    return [Line("\t".join(cells), lowest(conf)) for cells, conf in rows]


def _delimited_rows(region: list[Line]) -> list[Line]:
    """One row a line, cells separated by two or more spaces: a row with fewer cells than the
    header keeps its number and name on the left and its last cells (unit, target) on the right."""
    width = len(_chunks(region[0].text))
    out = []
    for line in region:
        cells = [text for _, text in _chunks(line.text)]
        if not cells:
            continue
        if len(cells) < width:
            cells = cells[:2] + [""] * (width - len(cells)) + cells[2:]
        out.append(Line("\t".join(cells), line.confidence))
    return out


def tabulate(lines: list[Line]) -> list[Line]:
    """The lines with every space-aligned table turned into tab-separated rows (one line a row)."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        if "\t" in lines[i].text or not _is_header(lines, i):
            out.append(lines[i])
            i += 1
            continue
        end = _region_end(lines, i)
        region = lines[i:end]
        header_lines = next(
            (k for k in range(1, min(len(region), MAX_HEADER_LINES + 1)) if _starts_row(_chunks(region[k].text))), 1
        )
        out.extend(_aligned_rows(region, header_lines) or _delimited_rows(region))
        out.append(Line(""))
        i = end
    return out


def reflow(lines: list[Line]) -> list[Line]:
    """Visual lines of a page joined into paragraphs: a line reaching :data:`FULL_LINE` of the
    page's width continues on the next one unless that one opens a new item (a bullet, "1.",
    "a)", "II.", "Đến năm 2030:"), is indented, or is a table row."""
    prose = [line.text for line in lines if line.text.strip() and "\t" not in line.text]
    if not prose:
        return lines
    width = max(len(text.rstrip()) for text in prose)
    margin = min(len(text) - len(text.lstrip()) for text in prose)
    out: list[Line] = []
    open_line = False
    for line in lines:
        text = line.text.rstrip()
        indent = len(text) - len(text.lstrip())
        if open_line and text and "\t" not in text and indent <= margin + 1 and not _NEW_ITEM.match(text.strip()):
            previous = out[-1]
            out[-1] = Line(f"{previous.text} {text.strip()}", lowest([previous.confidence, line.confidence]))
        else:
            out.append(Line(text.strip() if "\t" not in text else text, line.confidence))
        open_line = bool(text) and "\t" not in text and len(text) >= FULL_LINE * width and not text.endswith(":")
    return out
