"""Plain text out of a plan document: .docx (tables as tab-separated rows), .txt, .md, .pdf with a
text layer, and scanned PDF pages read with OCR.

The result is a list of lines; a table row is one line whose cells are joined by tabs, so the rest
of the importer reads every format the same way. A table laid out with spaces (a PDF's text layer,
an OCR'd page, text copied from a PDF) is turned into such rows first, and a PDF's wrapped lines
are joined into paragraphs (:mod:`loaders.plan_import.layout`). Lines read by OCR carry their
confidence. Bad input raises :class:`ExtractError` with a Vietnamese message (never the library's
English traceback).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from loaders.plan_import import ocr, pdf_text
from loaders.plan_import.layout import Line, reflow, tabulate
from plans import settings
from plans.bounded import BoundExceeded, run_bounded
from plans.packages import PackageError, open_docx
from plans.text import fmt_number

if TYPE_CHECKING:
    from docx.table import _Row

TEXT_SUFFIXES = (".txt", ".md")
SUFFIXES = (".docx", ".pdf", *TEXT_SUFFIXES)
MIN_PAGE_CHARS = 40  # a PDF page with fewer letters in its text layer is a scan
MAX_PLAN_XML = 12 * 1024 * 1024
_PAGE_NUMBER = re.compile(r"^\s*(?:trang\s+)?[-–]?\s*\d{1,3}\s*[-–]?\s*$", re.IGNORECASE)


class ExtractError(ValueError):
    """The document cannot be read as text; the message says why, in Vietnamese."""


@dataclass
class Extracted:
    """The document's lines, the OCR confidence of each (None where not OCR'd), and how OCR went."""

    lines: list[str]
    confidence: list[float | None]
    ocr_seconds: list[float] = field(default_factory=list)  # per page read by OCR
    notes: list[str] = field(default_factory=list)  # for the review: pages left unread

    @classmethod
    def of(cls, lines: list[Line], **more) -> Extracted:
        return cls([line.text for line in lines], [line.confidence for line in lines], **more)


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without a byte-order mark), or UTF-16 when the file starts with its mark."""
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    raise ExtractError(f"{name}: tệp văn bản không ở bảng mã UTF-8, hãy lưu lại với bảng mã UTF-8")


def _row_cells(row: _Row) -> list[str]:
    """A Word table row's cells in grid order: a cell spanning columns, or continuing a cell
    merged down from the row above, gives "" for the places it covers after its first."""
    from docx.table import _Cell

    cells = [""] * row.grid_cols_before
    for tc in row._tr.tc_lst:
        if tc.vMerge == "continue":
            cells.extend([""] * tc.grid_span)
            continue
        cells.extend([" ".join(_Cell(tc, row.table).text.split())] + [""] * (tc.grid_span - 1))
    return cells


def _docx_lines(data: bytes, name: str) -> list[str]:
    """Paragraphs and tables of a Word file in document order."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        package = open_docx(data, f"Tệp {name}", MAX_PLAN_XML)
        document = Document(io.BytesIO(package.repacked))
    except PackageError as err:
        raise ExtractError(str(err)) from err
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise ExtractError(f"{name}: không phải tệp Word .docx hợp lệ ({type(err).__name__})") from err
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
            lines.append("")
        elif isinstance(block, Table):
            lines.extend("\t".join(_row_cells(row)) for row in block.rows)
            lines.append("")
    return lines


def _without_page_number(lines: list[Line]) -> list[Line]:
    """A page's lines without a page number standing alone on its first or last line."""
    filled = [i for i, line in enumerate(lines) if line.text.strip()]
    drop = {i for i in (filled[:1] + filled[-1:]) if _PAGE_NUMBER.match(lines[i].text)}
    return [line for i, line in enumerate(lines) if i not in drop]


def _pdf(data: bytes, name: str, progress: ocr.Progress | None) -> Extracted:
    """The text layer of each page, read in a bounded child process (:mod:`pdf_text`); pages
    without one are read by OCR."""
    if not data.startswith(b"%PDF"):
        raise ExtractError(f"{name}: không phải tệp PDF (tệp không bắt đầu bằng %PDF)")
    try:
        read = run_bounded("loaders.plan_import.pdf_text:page_texts", data, pdf_text.SECONDS, pdf_text.MEMORY_MB)
    except BoundExceeded as err:
        raise ExtractError(f"{name}: không đọc được tệp PDF ({err.reason})") from err
    if "refused" in read:
        raise ExtractError(f"{name}: {read['refused']}")
    texts = read["pages"]
    scanned = {
        i: tuple(read["sizes"][i]) for i, text in enumerate(texts) if len("".join(text.split())) < MIN_PAGE_CHARS
    }
    pages = {i: [Line(text) for text in texts[i].splitlines()] for i in range(len(texts)) if i not in scanned}
    result = ocr.OcrResult()
    if scanned:
        try:
            result = ocr.read_pages(data, scanned, name, progress=progress)
        except ocr.OcrError as err:
            raise ExtractError(str(err)) from err
        pages.update(result.pages)
    notes = []
    if result.left:
        notes.append(
            f"hết thời gian nhận dạng chữ ({fmt_number(ocr.settings().max_seconds)} giây, "
            f"DMST_OCR_MAX_SECONDS): chưa đọc {len(result.left)} trang "
            f"({', '.join(str(p + 1) for p in result.left)}); bản nháp thiếu nội dung các trang này"
        )
    lines: list[Line] = []
    for index in sorted(pages):
        lines.extend([*_without_page_number(pages[index]), Line("")])
    return Extracted.of(reflow(tabulate(lines)), ocr_seconds=result.seconds, notes=notes)


def extract(data: bytes, name: str, progress: ocr.Progress | None = None) -> Extracted:
    """The document's lines; ``name`` (the file name) decides the format by its extension;
    ``progress`` hears of each page read by OCR."""
    suffix = Path(name).suffix.lower()
    if not data:
        raise ExtractError(f"{name}: tệp rỗng")
    if len(data) > settings.max_upload_bytes():
        raise ExtractError(
            f"{name}: tệp lớn {len(data) / 1048576:.1f} MB, vượt giới hạn "
            f"{settings.max_upload_bytes() // 1048576} MB của một tệp tải lên"
        )
    if suffix == ".docx":
        return Extracted.of([Line(text) for text in _docx_lines(data, name)])
    if suffix == ".pdf":
        return _pdf(data, name, progress)
    if suffix in TEXT_SUFFIXES:
        return Extracted.of(tabulate([Line(text) for text in _decode(data, name).splitlines()]))
    raise ExtractError(
        f"{name}: không đọc được loại tệp '{suffix or '(không có đuôi)'}'; hãy dùng một trong: {', '.join(SUFFIXES)}"
    )
