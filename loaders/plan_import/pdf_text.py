"""The text layer of a PDF, page by page, read in a bounded child process (``plans.bounded``).

Besides the child's memory and time bounds, pypdf is told to refuse any stream that inflates
beyond ``MAX_STREAM_BYTES`` (a page's text needs far less) and a file of more than ``MAX_PAGES``
pages is refused before any page is read.
"""
from __future__ import annotations

import io

MAX_PAGES = 300
MAX_STREAM_BYTES = 16 * 1024 * 1024
SECONDS = 60.0
MEMORY_MB = 768


def _text(page) -> str:
    """A page's text; its content stream is decoded first, so that a stream past the limit is refused
    (pypdf's text extraction alone would skip it and return nothing)."""
    contents = page.get_contents()
    if contents is not None:
        contents.get_data()
    return page.extract_text() or ""


def page_texts(data: bytes) -> dict[str, object]:
    """``{"pages": [text of each page]}``, or ``{"refused": why}`` (Vietnamese) for a file not read."""
    from pypdf import PdfReader
    from pypdf._configuration import overwrite_configuration
    from pypdf.errors import LimitReachedError

    overwrite_configuration(zlib_maximum_output_length=MAX_STREAM_BYTES, lzw_maximum_output_length=MAX_STREAM_BYTES,
                            run_length_maximum_output_length=MAX_STREAM_BYTES,
                            brotli_maximum_output_length=MAX_STREAM_BYTES,
                            stream_decoding_work_maximum_length=4 * MAX_STREAM_BYTES, page_tree_maximum_entries=10_000)
    try:
        reader = PdfReader(io.BytesIO(data))
        count = len(reader.pages)
        if count > MAX_PAGES:
            return {"refused": f"tệp PDF có {count} trang, quá {MAX_PAGES} trang của một kế hoạch"}
        return {"pages": [_text(page) for page in reader.pages]}
    except LimitReachedError:
        return {"refused": "tệp PDF có phần nén giải ra lớn bất thường (nghi tệp độc hại); không đọc tệp này"}
