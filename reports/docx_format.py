"""Direct formatting for python-docx (Times New Roman everywhere, Nghị định 30/2020 sizes, text
tagged Vietnamese), applied to every paragraph and run the report writes, so an office's edited
template cannot change the look of the generated parts by renaming a style; and what keeps the
page flow clean (a heading stays with what follows it, a table row never splits across pages).
"""

from __future__ import annotations

import copy
from functools import lru_cache

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
FIRST_LINE_CM = 1.27
SPACE_PT = 6
LINE_SPACING = 1.15
LANGUAGE = "vi-VN"
SAMPLE_TEXT = "DỮ LIỆU MẪU"
SAMPLE_COLOUR = RGBColor(0xC0, 0x00, 0x00)


def set_font(run, size: float = BODY_PT, bold: bool = False, italic: bool = False) -> None:
    """Times New Roman (Latin, East Asian and complex scripts) at ``size`` points, tagged Vietnamese
    (a copy of one prepared ``w:rPr`` per look: a report writes a thousand runs)."""
    element = run._element
    old = element.find(qn("w:rPr"))
    if old is not None:
        element.remove(old)
    element.insert(0, copy.deepcopy(_run_properties(float(size), bold, italic)))


@lru_cache(maxsize=32)
def _run_properties(size: float, bold: bool, italic: bool):
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    rpr.append(fonts)
    for flag, name in ((bold, "w:b"), (italic, "w:i")):
        if flag:
            rpr.append(OxmlElement(name))
    for name in ("w:sz", "w:szCs"):
        half_points = OxmlElement(name)
        half_points.set(qn("w:val"), str(round(size * 2)))
        rpr.append(half_points)
    vietnamese(rpr)
    return rpr


def vietnamese(rpr) -> None:
    """Tag a run's (or style's) text as Vietnamese, so that Word checks its spelling as Vietnamese."""
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), LANGUAGE)
    rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")


def style_font(style, size: float = BODY_PT) -> None:
    """Times New Roman, Vietnamese, on a style (the Normal and heading styles of the template)."""
    style.font.name = FONT
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    vietnamese(rpr)


def document_language(doc) -> None:
    """Vietnamese as the document's default language (``w:docDefaults``), for text an office types."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    vietnamese(rpr)


def body(paragraph, indent: bool = True) -> None:
    """Justified, first line indented 1,27 cm, 6 pt before and none after, line spacing 1,15."""
    fmt = paragraph.paragraph_format
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(FIRST_LINE_CM) if indent else None
    fmt.space_before = Pt(SPACE_PT)
    fmt.space_after = Pt(0)
    fmt.line_spacing = LINE_SPACING


def keep_with_next(paragraph) -> None:
    """Never leave this paragraph (a heading, a caption) alone at the foot of a page."""
    paragraph.paragraph_format.keep_with_next = True


def tight(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after: float = 0) -> None:
    """No indent, no spacing: letterhead lines, table cells, signature block."""
    fmt = paragraph.paragraph_format
    paragraph.alignment = align
    fmt.first_line_indent = None
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0


def add_text(paragraph, text: str, size: float = BODY_PT, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(text)
    set_font(run, size, bold, italic)
    return run


def rule(paragraph, width_cm: float, cell_width_cm: float) -> None:
    """A short centred rule (a bottom border on an empty paragraph indented from both sides)."""
    tight(paragraph)
    side = max(0.0, (cell_width_cm - width_cm) / 2)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    paragraph.paragraph_format.line_spacing = Pt(5)
    set_font(paragraph.add_run(), 2)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def page_field(paragraph) -> None:
    """A PAGE field (the page number), centred."""
    tight(paragraph)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    for r in paragraph._p.iter(qn("w:r")):
        rpr = OxmlElement("w:rPr")
        fonts = OxmlElement("w:rFonts")
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), str(BODY_PT * 2))
        rpr.append(fonts)
        rpr.append(size)
        r.insert(0, rpr)


def _borders(table, value: str) -> None:
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def borderless(table) -> None:
    """No borders (the letterhead and the signature block)."""
    _borders(table, "nil")


def grid(table) -> None:
    """Thin black borders on every cell (data tables)."""
    _borders(table, "single")


def fixed_widths(table, widths_cm: list[float]) -> None:
    """Column widths (fixed layout, so Word and LibreOffice agree)."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _row_property(row, name: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(name)) is None:
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def repeat_header(row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    _row_property(row, "w:tblHeader")


def cant_split(row) -> None:
    """Keep the row on one page (a table row, the signature block)."""
    _row_property(row, "w:cantSplit")
