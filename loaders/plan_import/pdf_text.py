"""The text layer of a PDF, page by page, laid out at one scale on every page, read in a bounded
child process (``plans.bounded``).

Besides the child's memory and time bounds, pypdf is told to refuse any stream that inflates
beyond ``MAX_STREAM_BYTES`` (a page's text needs far less) and a file of more than ``MAX_PAGES``
pages is refused before any page is read.

pypdf's layout mode (``extract_text(extraction_mode="layout")``) places each piece of text at its
position on the page counted in characters, but it measures a character on each page separately,
so a table that runs over a page break has its columns a few characters off from one page to the
next. :func:`page_texts` does what layout mode does with one character width for the whole
document (the median of the pages'), through pypdf's layout functions (``pypdf._text_extraction
._layout_mode``, pypdf pinned in requirements.txt; tests/test_plan_import_tables.py reads a table
over a page break through it).
"""

from __future__ import annotations

import io
import statistics

MAX_PAGES = 300
MAX_STREAM_BYTES = 16 * 1024 * 1024
SECONDS = 60.0
MEMORY_MB = 768
SCALE_WEIGHT = 1.25  # pypdf's default weighting of long strings in the character width


def _groups(page) -> list:
    """The page's text shown, grouped as pypdf's layout mode groups it (rotated text left out); its
    content stream is decoded first, so that a stream past the limit is refused."""
    from pypdf._text_extraction import _layout_mode
    from pypdf.generic import ArrayObject, ContentStream, StreamObject

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if not isinstance(contents, (ArrayObject, StreamObject)):
        return []
    page.get_contents().get_data()
    operations = iter(ContentStream(contents, page.pdf, "bytes").operations)
    return _layout_mode.text_show_operations(operations, page._layout_mode_fonts(), True, None)


def _laid_out(groups: list[list]) -> list[str]:
    """Every page's text, laid out in characters of one width."""
    from pypdf._text_extraction import _layout_mode

    widths = [_layout_mode.fixed_char_width(g, SCALE_WEIGHT) for g in groups if g]
    width = statistics.median(widths) if widths else 1.0
    return [
        _layout_mode.fixed_width_page(_layout_mode.y_coordinate_groups(g, None), width, True, 1) if g else ""
        for g in groups
    ]


def page_texts(data: bytes) -> dict[str, object]:
    """``{"pages": [text of each page], "sizes": [[width, height] in points]}``, or ``{"refused": why}``
    (Vietnamese) for a file not read."""
    from pypdf import PdfReader
    from pypdf._configuration import overwrite_configuration
    from pypdf.errors import LimitReachedError

    overwrite_configuration(
        zlib_maximum_output_length=MAX_STREAM_BYTES,
        lzw_maximum_output_length=MAX_STREAM_BYTES,
        run_length_maximum_output_length=MAX_STREAM_BYTES,
        brotli_maximum_output_length=MAX_STREAM_BYTES,
        stream_decoding_work_maximum_length=4 * MAX_STREAM_BYTES,
        page_tree_maximum_entries=10_000,
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        count = len(reader.pages)
        if count > MAX_PAGES:
            return {"refused": f"tệp PDF có {count} trang, quá {MAX_PAGES} trang của một kế hoạch"}
        return {
            "pages": _laid_out([_groups(page) for page in reader.pages]),
            "sizes": [[float(page.mediabox.width), float(page.mediabox.height)] for page in reader.pages],
        }
    except LimitReachedError:
        return {"refused": "tệp PDF có phần nén giải ra lớn bất thường (nghi tệp độc hại); không đọc tệp này"}
