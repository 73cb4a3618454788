"""Reading documents (a real .docx made with python-docx, a PDF without a text layer, text files)
and tidying messy text."""

from __future__ import annotations

import io
import shutil

import pytest
from docx import Document
from PIL import Image
from pypdf import PdfWriter

from loaders.plan_import import ocr
from loaders.plan_import.cleanup import clean_line, parse_number
from loaders.plan_import.extract import ExtractError, extract
from loaders.plan_import.ocr import dpi_for
from loaders.plan_import.structure import parse_blocks


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("**Đoàn Thanh niên:** Là lực lượng nòng cốt", "Đoàn Thanh niên: Là lực lượng nòng cốt"),
        ("<b>II</b>\t<b>Về nhân lực</b>", "II\tVề nhân lực"),
        ("### **2. Yêu cầu**", "2. Yêu cầu"),
        ("*(Biểu chi tiết gửi kèm)*", "(Biểu chi tiết gửi kèm)"),
        ("- Phần đầu 90% hộ gia đình có Internet", "- Phấn đấu 90% hộ gia đình có Internet"),
        ("- Phân đầu tỷ lệ hài lòng đạt trên 95%", "- Phấn đấu tỷ lệ hài lòng đạt trên 95%"),
        ("Phần đầu của kế hoạch nêu mục đích", "Phần đầu của kế hoạch nêu mục đích"),
        ("Sử dụng chữ ký số\t$\\geq 90\\%$ cán bộ", "Sử dụng chữ ký số\t≥ 90% cán bộ"),
        ("Tỷ lệ hồ sơ >= 80%", "Tỷ lệ hồ sơ ≥ 80%"),
        ("* mục gạch đầu dòng", "- mục gạch đầu dòng"),
        ("Phường  Tân\u00a0An", "Phường Tân An"),
    ],
)
def test_clean_line(raw, clean):
    assert clean_line(raw) == clean


@pytest.mark.parametrize(
    "text, number",
    [
        ("6,5", 6.5),
        ("7.500", 7500.0),
        ("1.234,5", 1234.5),
        ("01", 1.0),
        ("100", 100.0),
        ("6.5", 6.5),
        ("abc", None),
        ("12a", None),
    ],
)
def test_vietnamese_numbers(text, number):
    assert parse_number(text) == number


def make_docx() -> bytes:
    doc = Document()
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("II. MỤC TIÊU")
    doc.add_paragraph("Đến năm 2028:")
    doc.add_paragraph("- Trên 75% hộ gia đình dùng ví điện tử.")
    table = doc.add_table(rows=3, cols=4)
    for row, cells in zip(
        table.rows,
        [
            ("STT", "Tên chỉ tiêu", "Đơn vị tính", "Chỉ tiêu năm 2027"),
            ("1", "Tỷ lệ hồ sơ trực tuyến", "%", "≥ 85"),
            ("2", "Số lượt truy cập cổng thông tin", "lượt", "7.500"),
        ],
    ):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_word_file_gives_paragraphs_and_tables_as_tab_separated_rows():
    lines = [line for line in extract(make_docx(), "ke_hoach.docx").lines if line]
    assert lines == [
        "KẾ HOẠCH",
        "II. MỤC TIÊU",
        "Đến năm 2028:",
        "- Trên 75% hộ gia đình dùng ví điện tử.",
        "STT\tTên chỉ tiêu\tĐơn vị tính\tChỉ tiêu năm 2027",
        "1\tTỷ lệ hồ sơ trực tuyến\t%\t≥ 85",
        "2\tSố lượt truy cập cổng thông tin\tlượt\t7.500",
    ]
    table = next(b for b in parse_blocks(lines) if b.kind == "table")
    assert (table.section, table.rows[2]) == ("II", ("2", "Số lượt truy cập cổng thông tin", "lượt", "7.500"))


def test_a_scan_on_a_server_without_ocr_says_how_to_install_it(tmp_path, monkeypatch):
    """PATH holds pdftoppm but no tesseract: the message names the Debian packages to install."""
    (tmp_path / "pdftoppm").symlink_to(shutil.which("pdftoppm"))
    monkeypatch.setenv("PATH", str(tmp_path))
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(
        ExtractError,
        match="ban_quet.pdf: tệp PDF này là bản quét.*chưa cài tesseract-ocr.*"
        "apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils",
    ):
        extract(out.getvalue(), "ban_quet.pdf")


def test_a_scan_longer_than_the_page_bound_is_refused_before_any_page_is_read(monkeypatch):
    monkeypatch.setenv("DMST_OCR_MAX_PAGES", "2")
    pages = [Image.new("L", (850, 1100), 255) for _ in range(3)]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=100, save_all=True, append_images=pages[1:])
    with pytest.raises(
        ExtractError,
        match="quet.pdf: bản quét có 3 trang cần nhận dạng chữ, quá giới hạn 2 trang \\(DMST_OCR_MAX_PAGES\\)",
    ):
        extract(out.getvalue(), "quet.pdf")


def test_ocr_of_a_page_runs_within_a_memory_bound(monkeypatch):
    """With 20 MB allowed, pdftoppm or Tesseract cannot do the page: the document is refused, in Vietnamese."""
    monkeypatch.setattr(ocr, "MEMORY_MB", 20)
    page = io.BytesIO()
    Image.new("L", (850, 1100), 255).save(page, "PDF", resolution=100)
    with pytest.raises(
        ExtractError, match=r"^quet.pdf: trang 1 không nhận dạng được chữ \((?:pdftoppm|tesseract) dừng với lỗi"
    ):
        extract(page.getvalue(), "quet.pdf")


def test_a_huge_page_is_rendered_at_a_lower_resolution_for_ocr():
    assert dpi_for(595, 842) == 300  # A4 at 300 dpi: 8.7 million pixels
    low = dpi_for(14_400, 14_400)  # a page 200 inches square
    assert (14_400 / 72 * low) ** 2 <= 40_000_000 < (14_400 / 72 * (low + 1)) ** 2


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "kh.txt", "tệp rỗng"),
        (b"K\xea ho\xe1ch", "kh.txt", "UTF-8"),
        (b"PK\x03\x04 not a zip", "kh.docx", "Tệp kh.docx bị hỏng"),
        (b"%PDF-1.4 broken", "kh.pdf", "không đọc được tệp PDF"),
        (b"abc", "kh.xlsx", "không đọc được loại tệp '.xlsx'"),
    ],
)
def test_unreadable_input_gets_a_vietnamese_message(data, name, message):
    with pytest.raises(ExtractError, match=message):
        extract(data, name)


def test_a_year_heading_applies_to_the_bullets_under_it_until_the_next_numbered_heading():
    blocks = parse_blocks(
        [
            "II. MỤC TIÊU",
            "a) Về chính quyền số",
            "Đến năm 2030:",
            "- 100% hồ sơ số hóa.",
            "b) Về kinh tế số",
            "- 50% hộ bán hàng trực tuyến.",
        ]
    )
    texts = [(b.section, b.year) for b in blocks if b.kind == "text"]
    assert texts == [("II.a", 2030), ("II.b", None)]
