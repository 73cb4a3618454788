"""Open an uploaded file as an .xlsx package, safely, before any spreadsheet parser sees it.

Checks, in order, each with a Vietnamese message: not empty and at most ``MAX_FILE_BYTES``;
a zip (an old .xls, a password-protected workbook, a renamed CSV or a corrupted zip are named
as such); at most ``MAX_ENTRIES`` parts whose declared sizes add up to at most
``MAX_UNZIPPED_BYTES``; no macros (``vbaProject.bin`` or a macro-enabled content type: the
file is refused); an Excel workbook part. Every part is then inflated here with that bound
(a part that inflates beyond its declared size or fails its CRC is a corrupted file), and the
spreadsheet reader is handed a re-packed, uncompressed copy, so it never inflates anything
itself: a zip bomb cannot get past this module.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 500
_CHUNK = 1024 * 1024
_SKIPPED_PREFIXES = ("xl/media/", "xl/embeddings/", "xl/printerSettings/", "docProps/thumbnail")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MACRO_TYPES = (b"macroEnabled", b"vbaProject")


class PackageError(Exception):
    """The file is not an acceptable .xlsx package (message in Vietnamese)."""


@dataclass(frozen=True)
class Package:
    """The parts of a checked .xlsx: name → bytes, and the uncompressed copy for the reader."""

    parts: dict[str, bytes]
    repacked: bytes


def _not_a_zip(data: bytes) -> str:
    if data.startswith(_OLE_MAGIC):
        return ("Tệp là bảng tính Excel cũ (.xls) hoặc tệp đã đặt mật khẩu; hãy mở bằng Excel, "
                "bỏ mật khẩu (nếu có) và lưu lại dạng .xlsx")
    head = data[:4096]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and ("," in text or ";" in text or "\t" in text or "\n" in text):
        return "Tệp không phải Excel .xlsx mà là tệp văn bản (CSV) đổi tên; hãy dùng mẫu phiếu .xlsx"
    return "Tệp không phải bảng tính Excel .xlsx"


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    out = bytearray()
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            out += chunk
            if len(out) > info.file_size or len(out) > budget:
                raise PackageError("Tệp .xlsx có phần nén giải ra lớn bất thường (nghi tệp độc hại)")
    return bytes(out)


def open_package(data: bytes) -> Package:
    """Check and inflate an .xlsx; raise :class:`PackageError` with the reason."""
    if not data:
        raise PackageError("Tệp rỗng")
    if len(data) > MAX_FILE_BYTES:
        raise PackageError(f"Tệp lớn {len(data) / 1048576:.1f} MB, vượt giới hạn "
                           f"{MAX_FILE_BYTES // 1048576} MB của một phiếu")
    if not data.startswith(b"PK"):
        raise PackageError(_not_a_zip(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as err:
        raise PackageError("Tệp .xlsx bị hỏng (không mở được phần nén)") from err
    if len(infos) > MAX_ENTRIES:
        raise PackageError(f"Tệp có {len(infos)} phần, nhiều bất thường với một phiếu (giới hạn {MAX_ENTRIES})")
    if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise PackageError(f"Tệp giải nén lớn hơn {MAX_UNZIPPED_BYTES // 1048576} MB (nghi tệp độc hại)")
    names = {i.filename for i in infos}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise PackageError("Tệp có macro (.xlsm) không được nhận; hãy lưu lại dạng .xlsx không có macro")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise PackageError("Tệp nén không phải bảng tính Excel .xlsx (thiếu phần workbook)")
    parts: dict[str, bytes] = {}
    budget = MAX_UNZIPPED_BYTES
    try:
        for info in infos:
            if info.is_dir() or info.filename.startswith(_SKIPPED_PREFIXES):
                continue
            parts[info.filename] = _inflate(archive, info, budget)
            budget -= len(parts[info.filename])
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, RuntimeError, NotImplementedError, OSError) as err:
        raise PackageError("Tệp .xlsx bị hỏng (dữ liệu nén không đọc được)") from err
    if any(marker in parts["[Content_Types].xml"] for marker in _MACRO_TYPES):
        raise PackageError("Tệp có macro (.xlsm) không được nhận; hãy lưu lại dạng .xlsx không có macro")
    return Package(parts=parts, repacked=_repack(parts))


def _repack(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as out:
        for name, content in parts.items():
            out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()
