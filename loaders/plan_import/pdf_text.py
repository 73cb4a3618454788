"""A PDF's text layer laid out at one scale on every page.

pypdf's layout mode (``extract_text(extraction_mode="layout")``) places each piece of text at its
position on the page counted in characters, but it measures a character on each page separately,
so a table that runs over a page break has its columns a few characters off from one page to the
next. This module does what layout mode does with one character width for the whole document
(the median of the pages'), through pypdf's layout functions (``pypdf._text_extraction
._layout_mode``, pypdf pinned in requirements.txt; tests/test_plan_import_tables.py reads a table
over a page break through it).
"""
from __future__ import annotations

import statistics

from pypdf import PdfReader
from pypdf._text_extraction import _layout_mode
from pypdf.generic import ArrayObject, ContentStream, StreamObject

SCALE_WEIGHT = 1.25      # pypdf's default weighting of long strings in the character width


def _groups(page) -> list:
    """The page's text shown, grouped as pypdf's layout mode groups it (rotated text left out)."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if not isinstance(contents, (ArrayObject, StreamObject)):
        return []
    operations = iter(ContentStream(contents, page.pdf, "bytes").operations)
    return _layout_mode.text_show_operations(operations, page._layout_mode_fonts(), True, None)


def page_texts(reader: PdfReader) -> list[str]:
    """Every page's text, laid out in characters of one width."""
    groups = [_groups(page) for page in reader.pages]
    widths = [_layout_mode.fixed_char_width(g, SCALE_WEIGHT) for g in groups if g]
    width = statistics.median(widths) if widths else 1.0
    return [_layout_mode.fixed_width_page(_layout_mode.y_coordinate_groups(g, None), width, True, 1) if g else ""
            for g in groups]
