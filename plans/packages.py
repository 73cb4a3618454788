"""Open a zip package (.xlsx, .docx) that a user sent, within bounds, before any parser sees it.

A zip says how large its parts are, and a compressed part can inflate a thousand times: a 0.1 MB
.docx can hold gigabytes of XML. So the declared sizes are checked first (number of parts, their
total, the total of the parts a parser reads), then every part is inflated here in chunks, refused
as soon as it grows past what it declared or past the budget, and the parser is handed a re-packed
copy whose parts are stored uncompressed: it never inflates anything itself. A refused file costs
at most the budget in memory and one pass over its bytes.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass

from plans import settings

_CHUNK = 1024 * 1024
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, RuntimeError, NotImplementedError, OSError)


class PackageError(ValueError):
    """The file is not an acceptable package (message in Vietnamese)."""


@dataclass(frozen=True)
class Bounds:
    """What a package may hold: parts, their total inflated size, and the total of the parts read
    (``parsed``: the parts a parser will read; the others are only counted)."""

    max_parts: int
    max_unzipped: int
    max_parsed: int
    parsed: Callable[[str], bool] = lambda name: True


@dataclass(frozen=True)
class Package:
    """The parts of a checked package: name → bytes (the skipped ones left out), and the re-packed copy."""

    parts: dict[str, bytes]
    repacked: bytes


def _mb(size: int) -> str:
    return f"{size / 1048576:.0f} MB" if size >= 1048576 else f"{size // 1024} KB"


def archive(data: bytes, what: str) -> zipfile.ZipFile:
    """The zip of ``data`` (``what``: how the file is named in a message, e.g. "Tệp .docx")."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError) as err:
        raise PackageError(f"{what} bị hỏng (không mở được phần nén)") from err


def _inflate(zipped: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, what: str) -> bytes:
    out = bytearray()
    with zipped.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            out += chunk
            if len(out) > info.file_size or len(out) > budget:
                raise PackageError(f"{what} có phần nén giải ra lớn bất thường (nghi tệp độc hại); không mở tệp này")
    return bytes(out)


def inflate(zipped: zipfile.ZipFile, bounds: Bounds, what: str, skipped: Collection[str] = ()) -> Package:
    """Check the declared sizes against ``bounds`` and inflate every part not under a ``skipped`` prefix."""
    infos = zipped.infolist()
    if len(infos) > bounds.max_parts:
        raise PackageError(f"{what} có {len(infos)} phần, nhiều bất thường (giới hạn {bounds.max_parts})")
    if sum(i.file_size for i in infos) > bounds.max_unzipped:
        raise PackageError(f"{what} giải nén lớn hơn {_mb(bounds.max_unzipped)} (nghi tệp độc hại)")
    if sum(i.file_size for i in infos if bounds.parsed(i.filename)) > bounds.max_parsed:
        raise PackageError(
            f"{what} có phần nội dung giải nén lớn hơn {_mb(bounds.max_parsed)}, quá lớn để đọc (nghi tệp độc hại)"
        )
    parts: dict[str, bytes] = {}
    budget = bounds.max_unzipped
    try:
        for info in infos:
            if info.is_dir() or info.filename.startswith(tuple(skipped)):
                continue
            parts[info.filename] = _inflate(zipped, info, budget, what)
            budget -= len(parts[info.filename])
    except ZIP_ERRORS as err:
        raise PackageError(f"{what} bị hỏng (dữ liệu nén không đọc được)") from err
    return Package(parts=parts, repacked=repack(parts))


def repack(parts: dict[str, bytes]) -> bytes:
    """The parts as a zip whose members are stored, not compressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as out:
        for name, content in parts.items():
            out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


DOCX_PARTS = 300
DOCX_UNZIPPED = 40 * 1024 * 1024
NOT_DOCX = (
    "không phải tài liệu Word .docx (có thể là .doc cũ, PDF hoặc tệp đổi tên): hãy mở bằng Word và lưu lại "
    "dưới dạng “Word Document (.docx)”"
)


def _xml_part(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def open_docx(data: bytes, what: str, max_xml: int) -> Package:
    """Check and inflate a Word document: at most ``$DMST_MAX_UPLOAD_MB`` as sent, ``DOCX_PARTS``
    parts, ``DOCX_UNZIPPED`` bytes inflated, of which at most ``max_xml`` of XML (what Word's
    readers parse); no macros. ``what`` names the file in messages ("Tệp ke_hoach.docx")."""
    if not data:
        raise PackageError(f"{what} rỗng")
    limit = settings.max_upload_bytes()
    if len(data) > limit:
        raise PackageError(
            f"{what} lớn {len(data) / 1048576:.1f} MB, vượt giới hạn {limit // 1048576} MB của một tệp tải lên"
        )
    if not data.startswith(b"PK"):
        raise PackageError(f"{what} {NOT_DOCX}")
    try:
        zipped = archive(data, what)
    except PackageError as err:
        raise PackageError(f"{what} bị hỏng hoặc {NOT_DOCX}") from err
    names = {info.filename for info in zipped.infolist()}
    if "word/document.xml" not in names:
        raise PackageError(f"{what} {NOT_DOCX}")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise PackageError(f"{what} có macro (.docm) nên không được nhận; hãy lưu lại dạng .docx không có macro")
    bounds = Bounds(max_parts=DOCX_PARTS, max_unzipped=DOCX_UNZIPPED, max_parsed=max_xml, parsed=_xml_part)
    return inflate(zipped, bounds, what)
