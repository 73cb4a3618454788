"""The default Word template of the report: its layout and the tags an office may use.

The default template is built here with python-docx: A4 portrait, margins 20/20/30/15 mm, Times
New Roman 14 pt, the letterhead table, "BÁO CÁO", headings I–IV, signature block and "Nơi
nhận", a centred page number in the header from page 2 on (different first page), "DỮ LIỆU MẪU"
in both headers for sample data. What the data says comes in through docxtpl tags
(``{{ trich_yeu }}``, ``{{p muc_I }}``…, see ``TAGS``). An office downloads it, changes the
wording in Word, and uploads it for its locality; ``reports.template_check`` decides whether it
may be used (and renders every template in Jinja's sandbox).
"""
from __future__ import annotations

import io
from functools import lru_cache

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from reports import docx_format as f

PAGE_W, PAGE_H = 21.0, 29.7
TOP, BOTTOM, LEFT, RIGHT = 2.0, 2.0, 3.0, 1.5
TEXT_W = PAGE_W - LEFT - RIGHT
LEFT_COL, RIGHT_COL = 6.3, TEXT_W - 6.3
TAGS = {
    "co_quan_chu_quan": "cơ quan chủ quản (dòng trên cùng bên trái)",
    "co_quan_ban_hanh": "tên cơ quan ban hành (in hoa, đậm)",
    "so_ky_hieu": "số, ký hiệu văn bản",
    "dia_danh_ngay": "địa danh, ngày tháng năm",
    "trich_yeu": "trích yếu (dòng tóm tắt dưới chữ BÁO CÁO)",
    "kinh_gui": "nơi gửi báo cáo",
    "can_cu": "các dòng căn cứ (danh sách)",
    "mo_dau": "câu mở đầu",
    "muc_I": "nội dung phần I (dùng {{p muc_I }})",
    "muc_II": "nội dung phần II (dùng {{p muc_II }})",
    "muc_III": "nội dung phần III (dùng {{p muc_III }})",
    "muc_IV": "nội dung phần IV (dùng {{p muc_IV }})",
    "ky_toi": "kỳ tới (ví dụ: 6 tháng cuối năm 2026)",
    "ket_thuc": "câu kết",
    "chuc_danh_ky": "các dòng chức danh người ký (danh sách)",
    "nguoi_ky": "họ tên người ký",
    "noi_nhan": "các dòng nơi nhận (danh sách)",
    "phu_luc": "các phụ lục và nguồn số liệu (dùng {{p phu_luc }})",
    "du_lieu_mau": "đúng khi báo cáo dùng dữ liệu mẫu",
}
REQUIRED = ("muc_I", "muc_II", "muc_III", "muc_IV", "phu_luc")
LIST_TAGS = ("can_cu", "chuc_danh_ky", "noi_nhan")
SAMPLE_TAG = "{% if du_lieu_mau %}" + f.SAMPLE_TEXT + "{% endif %}"


def _line(cell_or_doc, text: str, size: float, bold: bool = False, italic: bool = False,
          align=WD_ALIGN_PARAGRAPH.CENTER, after: float = 0):
    paragraph = cell_or_doc.add_paragraph()
    f.tight(paragraph, align, after)
    f.add_text(paragraph, text, size, bold, italic)
    return paragraph


def _body_line(doc, text: str, bold: bool = False, indent: bool = True):
    paragraph = doc.add_paragraph()
    f.body(paragraph, indent)
    f.add_text(paragraph, text, bold=bold)
    return paragraph


def _sample_line(container) -> None:
    paragraph = container.add_paragraph()
    f.tight(paragraph)
    run = f.add_text(paragraph, SAMPLE_TAG, 12, bold=True)
    run.font.color.rgb = f.SAMPLE_COLOUR


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(PAGE_W), Cm(PAGE_H)
    section.top_margin, section.bottom_margin = Cm(TOP), Cm(BOTTOM)
    section.left_margin, section.right_margin = Cm(LEFT), Cm(RIGHT)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0]._p.getparent().remove(first.paragraphs[0]._p)
    _sample_line(first)
    header = section.header
    header.is_linked_to_previous = False
    f.page_field(header.paragraphs[0])
    _sample_line(header)
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        f.style_font(doc.styles[name], f.BODY_PT)


def _letterhead(doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    f.borderless(table)
    f.fixed_widths(table, [LEFT_COL, RIGHT_COL])
    left, right = table.rows[0].cells
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    _line(left, "{{ co_quan_chu_quan }}", 12)
    _line(left, "{{ co_quan_ban_hanh }}", 12, bold=True)
    f.rule(left.add_paragraph(), 2.0, LEFT_COL)
    _line(left, "{{ so_ky_hieu }}", 13).paragraph_format.space_before = Pt(6)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True)
    _line(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    f.rule(right.add_paragraph(), 5.8, RIGHT_COL)
    _line(right, "{{ dia_danh_ngay }}", 14, italic=True).paragraph_format.space_before = Pt(6)


def _signature(doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    f.borderless(table)
    f.fixed_widths(table, [7.5, TEXT_W - 7.5])
    left, right = table.rows[0].cells
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    _line(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(left, "{%p for dong in noi_nhan %}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(left, "- {{ dong }}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(left, "{%p endfor %}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, "{%p for dong in chuc_danh_ky %}", 14, bold=True)
    _line(right, "{{ dong }}", 14, bold=True)
    _line(right, "{%p endfor %}", 14, bold=True)
    for _ in range(4):
        _line(right, "", 14)
    _line(right, "{{ nguoi_ky }}", 14, bold=True)


@lru_cache(maxsize=1)
def default_template() -> bytes:
    """The default report template as .docx bytes (what the page offers for download)."""
    doc = Document()
    _page_setup(doc)
    _letterhead(doc)
    _line(doc, "", 14)
    _line(doc, "BÁO CÁO", 14, bold=True).paragraph_format.space_before = Pt(12)
    _line(doc, "{{ trich_yeu }}", 14, bold=True)
    f.rule(doc.add_paragraph(), 4.0, TEXT_W)
    _line(doc, "Kính gửi: {{ kinh_gui }}", 14, after=12).paragraph_format.space_before = Pt(12)
    _body_line(doc, "{%p for dong in can_cu %}")
    _body_line(doc, "{{ dong }}")
    _body_line(doc, "{%p endfor %}")
    _body_line(doc, "{{ mo_dau }}")
    for heading, tag in (("I. KẾT QUẢ THỰC HIỆN", "muc_I"), ("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "muc_II"),
                         ("III. PHƯƠNG HƯỚNG, NHIỆM VỤ {{ ky_toi|upper }}", "muc_III"),
                         ("IV. KIẾN NGHỊ, ĐỀ XUẤT", "muc_IV")):
        _body_line(doc, heading, bold=True)
        _body_line(doc, "{{p " + tag + " }}")
    _body_line(doc, "{{ ket_thuc }}")
    _signature(doc)
    _body_line(doc, "{{p phu_luc }}", indent=False)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
