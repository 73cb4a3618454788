"""The report as a Nghị định 30/2020 .docx: the template (default or the locality's own) filled
with the report's content through docxtpl; the body sections and the appendices (their "Biểu mẫu"
tables and charts) are written as sub-documents with direct formatting (Times New Roman, 14 pt
body, 12 pt tables, vi-VN). Headings and captions are kept with what follows them; table rows do
not split across pages and their header row repeats.
"""

from __future__ import annotations

import copy
import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docxtpl import DocxTemplate, Listing
from PIL import Image

from reports import docx_format as f
from reports.blocks import BOLD, Block, Bullet, Chart, Heading, Para, Table, cell_text
from reports.content import ReportContent
from reports.letterhead import appendix_reference, date_line
from reports.template import LEFT, PAGE_H, RIGHT, TEXT_W
from reports.template_check import jinja_env
from reports.wording import balanced_lines

CHART_MAX_HEIGHT_CM = 13.5


def _table(doc, table: Table, text_width: float = TEXT_W, stretch: bool = False) -> None:
    """A table at its columns' widths, narrowed to ``text_width`` (or stretched to it: appendices)."""
    columns = [c for c in table.columns if c.width > 0]
    scale = text_width / sum(c.width for c in columns)
    scale = scale if stretch else min(1.0, scale)
    caption = doc.add_paragraph()
    f.tight(caption, after=3)
    caption.paragraph_format.space_before = Pt(6)
    f.keep_with_next(caption)
    f.add_text(caption, table.title, f.TABLE_PT, bold=True)
    grid = doc.add_table(rows=len(table.rows) + 1, cols=len(columns))
    f.grid(grid)
    rows = grid.rows
    for cell, column in zip(rows[0].cells, columns):
        paragraph = cell.paragraphs[0]
        f.tight(paragraph)
        f.add_text(paragraph, column.header, f.TABLE_PT, bold=True)
    f.repeat_header(rows[0])
    for row, values in zip(rows, [{}] + table.rows):
        f.cant_split(row)
        if not values:
            continue
        texts = [cell_text(column, values) for column in columns]
        for cell, column, text in zip(row.cells, columns, texts):
            paragraph = cell.paragraphs[0]
            f.tight(
                paragraph,
                WD_ALIGN_PARAGRAPH.LEFT if column.kind == "text" and column.key != "stt" else WD_ALIGN_PARAGRAPH.CENTER,
            )
            f.add_text(paragraph, text, f.TABLE_PT, bold=bool(values.get(BOLD)))
            if values.get(BOLD) and values is not table.rows[-1]:
                f.keep_with_next(paragraph)  # a group's row stays with its first item
    f.fixed_widths(grid, [c.width * scale for c in columns])
    for row, values in zip(rows[1:], table.rows):
        _span_heading(row, values, columns)
    if table.note:
        note = doc.add_paragraph()
        f.tight(note, WD_ALIGN_PARAGRAPH.LEFT, after=6)
        f.add_text(note, table.note, 11, italic=True)


def _span_heading(row, values: dict, columns: list) -> None:
    """A heading row (a group, a section) whose only text is its name: the name's cell spans the
    rest of the row, so that it reads on one line."""
    texts = [cell_text(column, values) for column in columns]
    named = next((n for n, column in enumerate(columns) if column.key == "name"), None)
    if not values.get(BOLD) or named is None or any(texts[named + 1 :]):
        return
    merged = row.cells[named].merge(row.cells[len(columns) - 1])
    for paragraph in merged.paragraphs[1:]:
        if not paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)


def _chart(doc, chart: Chart, width_cm: float) -> None:
    """A chart and its caption, as wide as it was drawn for, narrowed to the text width and so that
    it is never taller than ``CHART_MAX_HEIGHT_CM`` (it then fits a page with its appendix title)."""
    with Image.open(io.BytesIO(chart.png)) as image:
        aspect = image.height / image.width
    picture = doc.add_paragraph()
    f.tight(picture)
    picture.paragraph_format.space_before = Pt(6)
    f.keep_with_next(picture)
    width = min(chart.width_cm, width_cm, CHART_MAX_HEIGHT_CM / aspect)
    picture.add_run().add_picture(io.BytesIO(chart.png), width=Cm(width))
    caption = doc.add_paragraph()
    f.tight(caption, after=6)
    f.add_text(caption, chart.caption, 12, italic=True)


def write_blocks(doc, blocks: list[Block], text_width: float = TEXT_W) -> None:
    """Append blocks to a python-docx document (or docxtpl sub-document)."""
    for block in blocks:
        if isinstance(block, Table):
            _table(doc, block, text_width, stretch=text_width > TEXT_W)
        elif isinstance(block, Chart):
            _chart(doc, block, text_width)
        else:
            paragraph = doc.add_paragraph()
            f.body(paragraph)
            if isinstance(block, Heading):
                f.keep_with_next(paragraph)
                f.add_text(paragraph, block.text, bold=True, italic=block.level > 2)
            elif isinstance(block, Bullet):
                f.add_text(paragraph, f"- {block.text}")
            elif isinstance(block, Para):
                f.add_text(paragraph, block.text)


def _appendices(doc, content: ReportContent) -> None:
    """Each appendix on its own (landscape) pages: "PHỤ LỤC I", its title, "(Kèm theo Báo cáo số …)",
    then its tables and charts."""
    reference = appendix_reference(content.letterhead, content.issued)
    for appendix in content.appendices:
        first = appendix is content.appendices[0]
        for n, (text, size, bold, italic) in enumerate(
            (
                (appendix.number, f.BODY_PT, True, False),
                (appendix.title, f.BODY_PT, True, False),
                (reference, 13, False, True),
            )
        ):
            paragraph = doc.add_paragraph()
            f.tight(paragraph, after=2 if n < 2 else 6)
            f.keep_with_next(paragraph)
            paragraph.paragraph_format.page_break_before = n == 0 and not first
            f.add_text(paragraph, text, size, bold, italic)
            if n == 0 and first:
                _first_appendix_marker(paragraph)
        write_blocks(doc, list(appendix.blocks), LANDSCAPE_TEXT_W)


APPENDIX_MARK = "dmst-appendix-start"
LANDSCAPE_TEXT_W = PAGE_H - LEFT - RIGHT


def _first_appendix_marker(paragraph) -> None:
    """Tag the first appendix paragraph (a bookmark name) so the section break can be put before it."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "9301")
    start.set(qn("w:name"), APPENDIX_MARK)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), "9301")
    paragraph._p.insert(1, start)
    paragraph._p.append(end)


def _landscape_appendices(document) -> None:
    """End the portrait body before the first appendix (a section break that keeps the template's
    page settings, headers and first-page rule) and lay the appendices out on A4 landscape, page
    numbers continuing on every page, as Nghị định 30/2020 allows for wide tables."""
    body = document.element.body
    marks = body.findall(f".//{qn('w:bookmarkStart')}[@{qn('w:name')}='{APPENDIX_MARK}']")
    last = body.find(qn("w:sectPr"))
    if not marks or last is None:
        return
    first = marks[0].getparent()
    portrait = copy.deepcopy(last)
    breaker = OxmlElement("w:p")
    breaker.append(OxmlElement("w:pPr"))
    breaker[0].append(portrait)
    first.addprevious(breaker)
    size = last.find(qn("w:pgSz"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    size.set(qn("w:w"), height)
    size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")
    title_page = last.find(qn("w:titlePg"))
    if title_page is not None:
        last.remove(title_page)


def context(tpl: DocxTemplate, content: ReportContent) -> dict:
    """The values of the template's tags (``reports.template.TAGS``)."""
    head = content.letterhead
    subdocs = {}
    for key, blocks in content.sections.items():
        sub = tpl.new_subdoc()
        write_blocks(sub, blocks)
        subdocs[key] = sub
    appendix = tpl.new_subdoc()
    _appendices(appendix, content)
    return {
        "co_quan_chu_quan": Listing("\n".join(head.parent)),
        "co_quan_ban_hanh": Listing("\n".join(head.issuer)),
        "so_ky_hieu": head.number,
        "dia_danh_ngay": date_line(head.place, content.issued),
        "trich_yeu": Listing("\n".join(balanced_lines(content.title_line))),
        "mo_dau": content.intro,
        "ky_toi": content.next_heading,
        "ket_thuc": content.closing,
        "chuc_danh_ky": list(head.signer_lines),
        "nguoi_ky": head.signer,
        "noi_nhan": list(head.recipients),
        "phu_luc": appendix,
        "du_lieu_mau": content.sample,
        **subdocs,
    }


def render_docx(content: ReportContent, template: bytes) -> bytes:
    """The finished .docx, rendered in Jinja's sandbox (``template`` is the default one or an office's
    template that passed ``template_check.usable``)."""
    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render(context(tpl, content), jinja_env())
    _landscape_appendices(tpl.docx)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()
