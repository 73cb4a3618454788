"""Open an uploaded file as an .xlsx package, safely, before any spreadsheet parser sees it.

Checks, in order, each with a Vietnamese message: not empty and at most ``$DMST_MAX_UPLOAD_MB``;
a zip (an old .xls or a password-protected workbook, a PDF, a web page saved as .xls, a text
file such as a CSV, or a corrupted zip are named as such; anything else gets a neutral
message); at most ``MAX_ENTRIES`` parts whose declared sizes add up to at most
``MAX_UNZIPPED_BYTES``; no macros (``vbaProject.bin``, Excel 4.0 macro sheets, or a
macro-enabled content type: the file is refused); an Excel workbook part (a Word document or
an OpenDocument spreadsheet are named as such). Every part is then inflated here with that bound
(a part that inflates beyond its declared size or fails its CRC is a corrupted file), and the
spreadsheet reader is handed a re-packed, uncompressed copy, so it never inflates anything
itself: a zip bomb cannot get past this module.
"""

from __future__ import annotations

import zipfile

from plans import settings
from plans.packages import ZIP_ERRORS, Bounds, Package, PackageError, archive, inflate

MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 500
BOUNDS = Bounds(max_parts=MAX_ENTRIES, max_unzipped=MAX_UNZIPPED_BYTES, max_parsed=MAX_UNZIPPED_BYTES)
_SKIPPED_PREFIXES = ("xl/media/", "xl/embeddings/", "xl/printerSettings/", "docProps/thumbnail")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MACRO_TYPES = (b"macroEnabled", b"vbaProject", b"macrosheet")
_MACRO_PARTS = ("xl/macrosheets/",)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_MACRO_MESSAGE = (
    "Tệp có macro (.xlsm hoặc trang macro Excel 4.0) không được nhận; hãy lưu lại dạng .xlsx không có macro"
)


def _looks_like_text(head: bytes) -> bool:
    """A text file: a byte-order mark, or no control bytes other than tabs and line breaks."""
    if head.startswith(_TEXT_BOMS):
        return True
    return bool(head) and not any(b < 32 and b not in (9, 10, 13) for b in head)


def _not_a_zip(data: bytes) -> str:
    if data.startswith(_OLE_MAGIC):
        return (
            "Tệp là bảng tính Excel cũ (.xls) hoặc tệp đã đặt mật khẩu; hãy mở bằng Excel, "
            "bỏ mật khẩu (nếu có) và lưu lại dạng .xlsx"
        )
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return "Tệp là tài liệu PDF, không phải bảng tính; hãy gửi tệp Excel .xlsx của phiếu"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table")) or (start.startswith(b"<") and b"<html" in start):
        return (
            "Tệp là trang web (HTML) mang đuôi Excel, không phải bảng tính .xlsx; hãy mở bằng Excel "
            "và lưu lại dạng .xlsx"
        )
    if _looks_like_text(head):
        return "Tệp là tệp văn bản (ví dụ CSV) chứ không phải bảng tính Excel .xlsx; hãy dùng mẫu phiếu .xlsx"
    return "Tệp không phải bảng tính Excel .xlsx; hãy dùng mẫu phiếu .xlsx"


def _not_a_workbook(zipped: zipfile.ZipFile, names: set[str]) -> str:
    """What a zip without an Excel workbook part is, as far as can be told."""
    kind = b""
    if "mimetype" in names:
        try:
            with zipped.open("mimetype") as stream:
                kind = stream.read(100)
        except ZIP_ERRORS:
            kind = b""
    if b"opendocument" in kind:
        return "Tệp là bảng tính OpenDocument (.ods), không phải Excel .xlsx; hãy mở và lưu lại dạng Excel .xlsx"
    if "word/document.xml" in names:
        return "Tệp là văn bản Word (.docx), không phải bảng tính Excel .xlsx"
    return "Tệp nén không phải bảng tính Excel .xlsx (thiếu phần workbook)"


def open_package(data: bytes) -> Package:
    """Check and inflate an .xlsx; raise :class:`PackageError` with the reason."""
    if not data:
        raise PackageError("Tệp rỗng")
    if len(data) > settings.max_upload_bytes():
        raise PackageError(
            f"Tệp lớn {len(data) / 1048576:.1f} MB, vượt giới hạn "
            f"{settings.max_upload_bytes() // 1048576} MB của một tệp tải lên"
        )
    if not data.startswith(b"PK"):
        raise PackageError(_not_a_zip(data))
    zipped = archive(data, "Tệp .xlsx")
    names = {i.filename for i in zipped.infolist()}
    if any(n.lower().endswith("vbaproject.bin") or n.lower().startswith(_MACRO_PARTS) for n in names):
        raise PackageError(_MACRO_MESSAGE)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise PackageError(_not_a_workbook(zipped, names))
    package = inflate(zipped, BOUNDS, "Tệp .xlsx", skipped=_SKIPPED_PREFIXES)
    if any(marker in package.parts["[Content_Types].xml"] for marker in _MACRO_TYPES):
        raise PackageError(_MACRO_MESSAGE)
    return package
