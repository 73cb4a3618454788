"""The default Word template of the report: its layout and the tags an office may use.

The default template is built here with python-docx, in the form of a People's Committee's report
(Nghị định 30/2020; ../shared/REPORT_FORM.md): A4 portrait, margins 20/20/30/20 mm, Times New Roman
14 pt, text tagged vi-VN; a borderless 2 × 2 header (body's name 13 pt over a short rule | national
motto 13/14 pt over a rule; then "Số:      /BC-UBND" level with the place and date, number and day
left blank); "BÁO CÁO" and the subject in 14 pt bold, with no "Kính gửi"; headings I–V, each kept
with what follows; the closing sentence kept with the signature block, a table row that cannot
split ("Nơi nhận" 12/11 pt on the left, the authority line, title and name 14 pt bold on the right);
a centred page number in the header from page 2 on (different first page), "DỮ LIỆU MẪU" in both
headers for sample data. What the data says comes in through docxtpl tags (``{{ trich_yeu }}``,
``{{p ket_qua }}``…, see ``TAGS``). An office downloads it, changes the wording in Word, and uploads
it for its locality; ``reports.template_check`` decides whether it may be used (and renders every
template in Jinja's sandbox), from ``TAGS``, ``REQUIRED`` and ``LIST_TAGS`` here.
"""

from __future__ import annotations

import io
from functools import lru_cache

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from reports import docx_format as f

PAGE_W, PAGE_H = 21.0, 29.7
TOP, BOTTOM, LEFT, RIGHT = 2.0, 2.0, 3.0, 2.0
TEXT_W = PAGE_W - LEFT - RIGHT
LEFT_COL, RIGHT_COL = 5.8, TEXT_W - 5.8
HEADER_PT, MOTTO_PT = 13, 14
SECTIONS = {
    "chi_dao": "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
    "ket_qua": "II. KẾT QUẢ THỰC HIỆN",
    "danh_gia": "III. ĐÁNH GIÁ CHUNG",
    "phuong_huong": "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ",
    "kien_nghi": "V. KIẾN NGHỊ, ĐỀ XUẤT",
}
"""The body's sections: template tag → heading (section IV's heading is followed by the next period)."""
TAGS = {
    "co_quan_chu_quan": "cơ quan cấp trên (dòng trên cùng bên trái)",
    "co_quan_ban_hanh": "tên cơ quan ban hành (in hoa, đậm)",
    "so_ky_hieu": "số, ký hiệu văn bản (số để trống, điền khi ký)",
    "dia_danh_ngay": "địa danh, ngày tháng năm (ngày để trống, điền khi ký)",
    "trich_yeu": "trích yếu (dòng tóm tắt dưới chữ BÁO CÁO)",
    "mo_dau": "đoạn mở đầu (căn cứ, kỳ báo cáo, thời gian lấy số liệu)",
    "chi_dao": "nội dung phần I, công tác chỉ đạo, điều hành (dùng {{p chi_dao }})",
    "ket_qua": "nội dung phần II, kết quả thực hiện (dùng {{p ket_qua }})",
    "danh_gia": "nội dung phần III, đánh giá chung (dùng {{p danh_gia }})",
    "phuong_huong": "nội dung phần IV, phương hướng, nhiệm vụ kỳ tới (dùng {{p phuong_huong }})",
    "kien_nghi": "nội dung phần V, kiến nghị, đề xuất (dùng {{p kien_nghi }})",
    "ky_toi": "kỳ tới (ví dụ: 6 tháng cuối năm 2026)",
    "ket_thuc": "câu kết (nêu nơi nhận báo cáo)",
    "chuc_danh_ky": "các dòng thẩm quyền, chức danh người ký (danh sách)",
    "nguoi_ky": "họ tên người ký",
    "noi_nhan": "các dòng nơi nhận (danh sách, nơi nhận báo cáo đứng đầu)",
    "phu_luc": "các phụ lục (dùng {{p phu_luc }})",
    "du_lieu_mau": "đúng khi báo cáo dùng dữ liệu mẫu",
}
REQUIRED = (*SECTIONS, "phu_luc")
LIST_TAGS = ("chuc_danh_ky", "noi_nhan")
SAMPLE_TAG = "{% if du_lieu_mau %}" + f.SAMPLE_TEXT + "{% endif %}"


def _line(
    cell_or_doc,
    text: str,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
):
    paragraph = cell_or_doc.add_paragraph()
    f.tight(paragraph, align, after)
    f.add_text(paragraph, text, size, bold, italic)
    return paragraph


def _body_line(doc, text: str, bold: bool = False, indent: bool = True):
    paragraph = doc.add_paragraph()
    f.body(paragraph, indent)
    f.add_text(paragraph, text, bold=bold)
    if bold:
        f.keep_with_next(paragraph)
    return paragraph


def _emptied(cell):
    """A table cell without its initial empty paragraph."""
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return cell


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
    f.document_language(doc)


def _letterhead(doc) -> None:
    """The 2 × 2 header: body and motto, then number and place-date level with each other."""
    table = doc.add_table(rows=2, cols=2)
    f.borderless(table)
    f.fixed_widths(table, [LEFT_COL, RIGHT_COL])
    (body, motto), (number, date) = ([_emptied(c) for c in row.cells] for row in table.rows)
    _line(body, "{{ co_quan_chu_quan }}", HEADER_PT)
    _line(body, "{{ co_quan_ban_hanh }}", HEADER_PT, bold=True)
    f.rule(body.add_paragraph(), 2.2, LEFT_COL)
    _line(motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", HEADER_PT, bold=True)
    _line(motto, "Độc lập - Tự do - Hạnh phúc", MOTTO_PT, bold=True)
    f.rule(motto.add_paragraph(), 5.6, RIGHT_COL)
    _line(number, "{{ so_ky_hieu }}", HEADER_PT).paragraph_format.space_before = Pt(6)
    _line(date, "{{ dia_danh_ngay }}", HEADER_PT, italic=True).paragraph_format.space_before = Pt(6)
    for row in table.rows:
        f.cant_split(row)


def _signature(doc) -> None:
    """ "Nơi nhận" and the signer side by side, in one row that cannot split across pages."""
    table = doc.add_table(rows=1, cols=2)
    f.borderless(table)
    f.fixed_widths(table, [7.2, TEXT_W - 7.2])
    left, right = (_emptied(c) for c in table.rows[0].cells)
    f.cant_split(table.rows[0])
    heading = _line(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    heading.paragraph_format.space_before = Pt(6)
    _line(left, "{%p for dong in noi_nhan %}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(left, "- {{ dong }}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(left, "{%p endfor %}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, "{%p for dong in chuc_danh_ky %}", f.BODY_PT, bold=True)
    _line(right, "{{ dong }}", f.BODY_PT, bold=True)
    _line(right, "{%p endfor %}", f.BODY_PT, bold=True)
    for _ in range(4):
        _line(right, "", f.BODY_PT)
    _line(right, "{{ nguoi_ky }}", f.BODY_PT, bold=True)


@lru_cache(maxsize=1)
def default_template() -> bytes:
    """The default report template as .docx bytes (what the page offers for download)."""
    doc = Document()
    _page_setup(doc)
    _letterhead(doc)
    title = _line(doc, "BÁO CÁO", f.BODY_PT, bold=True)
    title.paragraph_format.space_before = Pt(18)
    f.keep_with_next(title)
    f.keep_with_next(_line(doc, "{{ trich_yeu }}", f.BODY_PT, bold=True))
    f.rule(doc.add_paragraph(), 3.0, TEXT_W)
    _body_line(doc, "{{ mo_dau }}").paragraph_format.space_before = Pt(12)
    for tag, heading in SECTIONS.items():
        _body_line(doc, heading + (" {{ ky_toi|upper }}" if tag == "phuong_huong" else ""), bold=True)
        _body_line(doc, "{{p " + tag + " }}")
    f.keep_with_next(_body_line(doc, "{{ ket_thuc }}"))
    _signature(doc)
    _body_line(doc, "{{p phu_luc }}", indent=False)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
