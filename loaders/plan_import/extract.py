"""Plain text out of a plan document: .docx (tables as tab-separated rows), .txt, .md, .pdf with text.

The result is a list of lines; a table row is one line whose cells are joined by tabs, so the rest
of the importer reads every format the same way. Bad input raises :class:`ExtractError` with a
Vietnamese message (never the library's English traceback).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from loaders.plan_import import pdf_text
from plans import settings
from plans.bounded import BoundExceeded, run_bounded
from plans.packages import PackageError, open_docx

TEXT_SUFFIXES = (".txt", ".md")
SUFFIXES = (".docx", ".pdf", *TEXT_SUFFIXES)
MIN_PDF_CHARS = 200
MAX_PLAN_XML = 12 * 1024 * 1024


class ExtractError(ValueError):
    """The document cannot be read as text; the message says why, in Vietnamese."""


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without a byte-order mark), or UTF-16 when the file starts with its mark."""
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    raise ExtractError(f"{name}: tệp văn bản không ở bảng mã UTF-8, hãy lưu lại với bảng mã UTF-8")


def _docx_lines(data: bytes, name: str) -> list[str]:
    """Paragraphs and tables of a Word file in document order; merged cells appear once per row."""
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
            for row in block.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    if cell._tc is previous:
                        cells.append("")
                        continue
                    previous = cell._tc
                    cells.append(" ".join(cell.text.split()))
                lines.append("\t".join(cells))
            lines.append("")
    return lines


def _pdf_lines(data: bytes, name: str) -> list[str]:
    """The text layer of a PDF, read in a bounded child process (:mod:`pdf_text`); a scan without one
    is refused with a message saying what to send."""
    if not data.startswith(b"%PDF"):
        raise ExtractError(f"{name}: không phải tệp PDF (tệp không bắt đầu bằng %PDF)")
    try:
        read = run_bounded("loaders.plan_import.pdf_text:page_texts", data, pdf_text.SECONDS, pdf_text.MEMORY_MB)
    except BoundExceeded as err:
        raise ExtractError(f"{name}: không đọc được tệp PDF ({err.reason})") from err
    if "refused" in read:
        raise ExtractError(f"{name}: {read['refused']}")
    text = "\n".join(read["pages"])
    if len("".join(text.split())) < MIN_PDF_CHARS:
        raise ExtractError(
            f"{name}: tệp PDF này không có lớp chữ (có thể là bản quét/ảnh chụp), phần mềm không đọc được nội "
            "dung. Hãy gửi bản Word (.docx) hoặc PDF có chữ (xuất trực tiếp từ Word), hoặc nhận dạng chữ (OCR) "
            "trước khi tải lên."
        )
    return text.splitlines()


def extract_lines(data: bytes, name: str) -> list[str]:
    """The document's lines; ``name`` (the file name) decides the format by its extension."""
    suffix = Path(name).suffix.lower()
    if not data:
        raise ExtractError(f"{name}: tệp rỗng")
    if len(data) > settings.max_upload_bytes():
        raise ExtractError(f"{name}: tệp lớn {len(data) / 1048576:.1f} MB, vượt giới hạn "
                           f"{settings.max_upload_bytes() // 1048576} MB của một tệp tải lên")
    if suffix == ".docx":
        return _docx_lines(data, name)
    if suffix == ".pdf":
        return _pdf_lines(data, name)
    if suffix in TEXT_SUFFIXES:
        return _decode(data, name).splitlines()
    raise ExtractError(f"{name}: không đọc được loại tệp '{suffix or '(không có đuôi)'}'; "
                       f"hãy dùng một trong: {', '.join(SUFFIXES)}")
