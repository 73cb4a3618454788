"""The report as a Nghị định 30/2020 .docx: the template (default or the locality's own) filled
with the report's content through docxtpl; body sections, tables, charts and appendices are
written as sub-documents with direct formatting (Times New Roman, 14 pt body, 11 pt tables).
"""
from __future__ import annotations

import copy
import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docxtpl import DocxTemplate, Listing

from plans.text import fmt_date
from reports import docx_format as f
from reports.blocks import Block, Bullet, Chart, Heading, Para, Table, cell_text
from reports.content import ReportContent
from reports.letterhead import date_line
from reports.template import LEFT, PAGE_H, RIGHT, TEXT_W
from reports.template_check import jinja_env


def _table(doc, table: Table, text_width: float = TEXT_W, stretch: bool = False) -> None:
    """A table at its columns' widths, narrowed to ``text_width`` (or stretched to it: appendices)."""
    columns = [c for c in table.columns if c.width > 0]
    scale = text_width / sum(c.width for c in columns)
    scale = scale if stretch else min(1.0, scale)
    caption = doc.add_paragraph()
    f.tight(caption, after=3)
    caption.paragraph_format.space_before = Pt(6)
    f.add_text(caption, table.title, 12, bold=True)
    grid = doc.add_table(rows=len(table.rows) + 1, cols=len(columns))
    f.grid(grid)
    rows = grid.rows
    for cell, column in zip(rows[0].cells, columns):
        paragraph = cell.paragraphs[0]
        f.tight(paragraph)
        f.add_text(paragraph, column.header, f.TABLE_PT, bold=True)
    f.repeat_header(rows[0])
    for row, values in zip(rows[1:], table.rows):
        strong = str(values.get("code", "")).startswith("Nhóm") or values.get("name") == "TỔNG CỘNG"
        for cell, column in zip(row.cells, columns):
            paragraph = cell.paragraphs[0]
            f.tight(paragraph, WD_ALIGN_PARAGRAPH.LEFT if column.kind == "text" else WD_ALIGN_PARAGRAPH.CENTER)
            f.add_text(paragraph, cell_text(column, values), f.TABLE_PT, bold=strong)
    f.fixed_widths(grid, [c.width * scale for c in columns])
    if table.note:
        note = doc.add_paragraph()
        f.tight(note, WD_ALIGN_PARAGRAPH.LEFT, after=6)
        f.add_text(note, table.note, 11, italic=True)


def _chart(doc, chart: Chart) -> None:
    picture = doc.add_paragraph()
    f.tight(picture)
    picture.paragraph_format.space_before = Pt(6)
    picture.add_run().add_picture(io.BytesIO(chart.png), width=Cm(chart.width_cm))
    caption = doc.add_paragraph()
    f.tight(caption, after=6)
    f.add_text(caption, chart.caption, 12, italic=True)


def write_blocks(doc, blocks: list[Block]) -> None:
    """Append blocks to a python-docx document (or docxtpl sub-document)."""
    for block in blocks:
        if isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            _chart(doc, block)
        else:
            paragraph = doc.add_paragraph()
            f.body(paragraph)
            if isinstance(block, Heading):
                f.add_text(paragraph, block.text, bold=True, italic=block.level > 2)
            elif isinstance(block, Bullet):
                f.add_text(paragraph, f"- {block.text}")
            elif isinstance(block, Para):
                run = f.add_text(paragraph, block.text, italic=block.marked)
                if block.marked:
                    f.mark(run)


def _appendices(doc, content: ReportContent) -> None:
    head = content.letterhead
    reference = (f"(Kèm theo Báo cáo số {head.number.removeprefix('Số:').strip()} ngày {fmt_date(content.issued)} "
                 f"của {head.issuer_text})")
    for appendix in content.appendices:
        for n, (text, bold, italic) in enumerate(((appendix.number, True, False), (appendix.title, True, False),
                                                  (reference, False, True))):
            paragraph = doc.add_paragraph()
            f.tight(paragraph, after=2)
            paragraph.paragraph_format.page_break_before = n == 0 and appendix is not content.appendices[0]
            f.add_text(paragraph, text, 13, bold, italic)
            if n == 0 and appendix is content.appendices[0]:
                paragraph.paragraph_format.keep_with_next = True
                _first_appendix_marker(paragraph)
        _table(doc, appendix.table, LANDSCAPE_TEXT_W, stretch=True)
    paragraph = doc.add_paragraph()
    f.tight(paragraph, after=6)
    paragraph.paragraph_format.page_break_before = True
    f.add_text(paragraph, "NGUỒN SỐ LIỆU", 13, bold=True)
    write_blocks(doc, [Para(f"Số liệu tính đến ngày {fmt_date(content.cut_off)}, tổng hợp từ "
                            f"{sum(r['count'] for r in content.sources.rows)} phiếu báo cáo tháng đang dùng "
                            f"(phiếu nộp lại thay phiếu cũ) đến {content.period.label.lower()}"
                            + ("; các phiếu này là DỮ LIỆU MẪU, không phải số liệu thật." if content.sample else "."))])
    _table(doc, content.sources, LANDSCAPE_TEXT_W)


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
        subdocs[f"muc_{key}"] = sub
    appendix = tpl.new_subdoc()
    _appendices(appendix, content)
    return {
        "co_quan_chu_quan": head.parent, "co_quan_ban_hanh": Listing("\n".join(head.issuer)),
        "so_ky_hieu": head.number, "dia_danh_ngay": date_line(head.place, content.issued),
        "trich_yeu": content.title_line, "kinh_gui": head.recipient, "can_cu": list(content.can_cu),
        "mo_dau": content.intro, "ky_toi": content.next_heading, "ket_thuc": content.closing,
        "chuc_danh_ky": list(head.signer_lines), "nguoi_ky": head.signer, "noi_nhan": list(head.recipients),
        "phu_luc": appendix, "du_lieu_mau": content.sample, **subdocs,
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
