"""Plan documents in the shapes real commune plans take, made here (tests and the importer's
benchmark use them): a plan whose targets are in appendix tables — as a Word file, as text with
tab-separated cells (copied from Word), as text laid out with spaces (copied from a PDF), as a PDF
with a text layer — and a seed plan as a Word file, a PDF and a scan (pages rendered to images
and put back into a PDF without any text).

The appendix plan ("Xã Gia Lộc", written for these tests) has 28 targets; each row carries the
target read by hand: (comparator, target, year, every year).
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from PIL import Image


@dataclass(frozen=True)
class Row:
    """A table row and the targets a careful reader takes from it: (comparator, target, year, every year)."""

    cells: tuple[str, ...]
    targets: tuple[tuple[str, float, int, bool], ...] = ()


PROSE = """ỦY BAN NHÂN DÂN
XÃ GIA LỘC
Số: 58/KH-UBND
Gia Lộc, ngày 12 tháng 3 năm 2026
KẾ HOẠCH
Chuyển đổi số, đổi mới sáng tạo xã Gia Lộc giai đoạn 2026 – 2030
Thực hiện Đề án “Hải Phòng - Thành phố Đổi mới sáng tạo”, Ủy ban nhân dân xã Gia Lộc ban hành Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
- Đưa chuyển đổi số, đổi mới sáng tạo thành động lực phát triển kinh tế - xã hội của xã.
- Xác định rõ trách nhiệm của từng phòng, đơn vị, thôn trong tổ chức thực hiện.
II. MỤC TIÊU
1. Mục tiêu chung
Xây dựng chính quyền số, kinh tế số, xã hội số trên địa bàn xã, phục vụ người dân và doanh nghiệp.
2. Mục tiêu cụ thể
Các chỉ tiêu cụ thể tại Phụ lục 1 và lộ trình thực hiện tại Phụ lục 2 kèm theo Kế hoạch này.
III. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội
- Là cơ quan đầu mối, tham mưu Ủy ban nhân dân xã triển khai Kế hoạch; tổng hợp, báo cáo kết quả.
2. Phòng Kinh tế
- Hỗ trợ hộ kinh doanh, hợp tác xã ứng dụng thương mại điện tử, thanh toán không dùng tiền mặt.
3. Trung tâm Phục vụ hành chính công
- Tiếp nhận, giải quyết thủ tục hành chính trên môi trường điện tử.
4. Chế độ báo cáo
- Các đơn vị báo cáo kết quả 6 tháng trước ngày 15/6 và báo cáo năm trước ngày 15/12.
Nơi nhận:
- UBND thành phố;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn Hòa"""

APPENDIX_1_TITLE = (
    "PHỤ LỤC 1",
    "MỤC TIÊU CHUYỂN ĐỔI SỐ, ĐỔI MỚI SÁNG TẠO XÃ GIA LỘC ĐẾN NĂM 2030",
    "(Kèm theo Kế hoạch số 58/KH-UBND ngày 12/3/2026 của UBND xã Gia Lộc)",
)
APPENDIX_1 = (
    Row(("STT", "Tên chỉ tiêu", "Giải thích chỉ tiêu", "Đơn vị tính", "Chỉ tiêu cụ thể")),
    Row(("I", "Chính quyền số (04 chỉ tiêu)", "", "", "")),
    Row(
        (
            "1",
            "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình",
            "Số hồ sơ nộp và trả kết quả trực tuyến toàn trình trên tổng số hồ sơ tiếp nhận trong năm",
            "%",
            "≥ 80",
        ),
        ((">=", 80, 2030, False),),
    ),
    Row(
        (
            "2",
            "Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa",
            "Hồ sơ được số hóa, ký số và lưu trữ điện tử theo quy định",
            "%",
            "100",
        ),
        ((">=", 100, 2030, False),),
    ),
    Row(
        (
            "3",
            "Tỷ lệ văn bản trao đổi giữa các cơ quan được ký số và gửi trên môi trường điện tử",
            "Trừ văn bản có nội dung mật",
            "%",
            "100",
        ),
        ((">=", 100, 2030, False),),
    ),
    Row(
        (
            "4",
            "Thời gian giải quyết thủ tục hành chính được rút ngắn so với quy định",
            "Bình quân các thủ tục hành chính trong năm",
            "%",
            "30",
        ),
        ((">=", 30, 2030, False),),
    ),
    Row(("II", "Hạ tầng số (03 chỉ tiêu)", "", "", "")),
    Row(("5", "Tỷ lệ thôn có sóng di động 4G/5G", "", "%", "100"), ((">=", 100, 2030, False),)),
    Row(
        (
            "6",
            "Số camera giám sát an ninh trật tự kết nối Trung tâm giám sát của xã",
            "Camera tại cổng thôn, nút giao thông, trường học",
            "camera",
            "24",
        ),
        ((">=", 24, 2030, False),),
    ),
    Row(("7", "Tỷ lệ hộ gia đình có đường truyền Internet cáp quang", "", "%", "Trên 85"), ((">", 85, 2030, False),)),
    Row(("III", "Kinh tế số và đổi mới sáng tạo (03 chỉ tiêu)", "", "", "")),
    Row(
        (
            "8",
            "Số mô hình chuyển đổi số, đổi mới sáng tạo trong sản xuất nông nghiệp",
            "Mô hình được Ủy ban nhân dân xã công nhận",
            "mô hình",
            "05",
        ),
        ((">=", 5, 2030, False),),
    ),
    Row(("9", "Tỷ lệ sản phẩm OCOP được bán trên sàn thương mại điện tử", "", "%", "100"), ((">=", 100, 2030, False),)),
    Row(
        ("10", "Số lớp tập huấn kỹ năng số cho người dân", "Tổ chức tại nhà văn hóa thôn", "lớp/năm", "04"),
        ((">=", 4, 2026, True),),
    ),
    Row(("IV", "Xã hội số (02 chỉ tiêu)", "", "", "")),
    Row(("11", "Tỷ lệ người dân trưởng thành có điện thoại thông minh", "", "%", "≥ 90"), ((">=", 90, 2030, False),)),
    Row(
        ("12", "Tổ công nghệ số cộng đồng hoạt động ở tất cả các thôn", "", "Có/Không", "Có"), (("=", 1, 2030, False),)
    ),
)
APPENDIX_2_TITLE = ("PHỤ LỤC 2", "LỘ TRÌNH THỰC HIỆN MỘT SỐ CHỈ TIÊU CHỦ YẾU")
APPENDIX_2 = (
    Row(("STT", "Tên chỉ tiêu", "Đơn vị tính", "Hiện trạng năm 2025", "Lộ trình thực hiện", "", "", "", "")),
    Row(("", "", "", "", "2026", "2027", "2028", "2029", "2030")),
    Row(
        ("1", "Tỷ lệ người dân có tài khoản định danh điện tử mức 2", "%", "65", "75", "80", "85", "90", "≥ 95"),
        tuple((">=", v, y, False) for v, y in ((75, 2026), (80, 2027), (85, 2028), (90, 2029), (95, 2030))),
    ),
    Row(
        ("2", "Tỷ lệ hộ kinh doanh sử dụng thanh toán không dùng tiền mặt", "%", "40", "50", "60", "70", "75", "80"),
        tuple((">=", v, y, False) for v, y in ((50, 2026), (60, 2027), (70, 2028), (75, 2029), (80, 2030))),
    ),
    Row(
        ("3", "Số sáng kiến cải tiến được công nhận", "sáng kiến", "2", "3", "3", "4", "4", "5"),
        tuple((">=", v, y, False) for v, y in ((3, 2026), (3, 2027), (4, 2028), (4, 2029), (5, 2030))),
    ),
    Row(
        ("4", "Cổng thông tin điện tử của xã đạt chuẩn theo quy định", "Có/Không", "Không", "Có", "-", "-", "-", "-"),
        (("=", 1, 2026, False),),
    ),
)
EXPECTED = [(row.cells[1], *target) for row in (*APPENDIX_1, *APPENDIX_2) for target in row.targets]
"""(name, comparator, target, year, every year) of the 28 targets, in the order of the tables."""


ONE_PAGE_PLAN = [
    "KẾ HOẠCH",
    "Chuyển đổi số xã Gia Lộc năm 2026",
    "",
    "II. MỤC TIÊU",
    "",
    "STT\tTên chỉ tiêu\tĐơn vị tính\tChỉ tiêu năm 2026",
    "1\tTỷ lệ hồ sơ thủ tục hành chính trực tuyến toàn trình\t%\t85",
    "2\tSố camera giám sát an ninh kết nối trung tâm của xã\tcamera\t24",
    "3\tTỷ lệ thôn có điểm truy cập Internet công cộng\t%\t100",
]
"""A plan on one page, its lines for ``docx_of``: a target table of three rows for 2026 (85, 24, 100)."""


def table_plan_lines(tables: str = "tabs") -> list[str]:
    """The appendix plan as lines; its tables with tab-separated cells (``tabs``, as Word copies
    them) or laid out in columns with spaces and wrapped cells (``spaces``, as a PDF's text)."""
    lines = PROSE.splitlines()
    for title, rows in ((APPENDIX_1_TITLE, APPENDIX_1), (APPENDIX_2_TITLE, APPENDIX_2)):
        lines += ["", *title, ""]
        cells = [row.cells for row in rows]
        lines += ["\t".join(c) for c in cells] if tables == "tabs" else spaced_text(cells)
    return lines


def spaced_text(rows: list[tuple[str, ...]], widths: tuple[int, ...] = (5, 34, 26, 11, 10, 6, 6, 6, 6)) -> list[str]:
    """Rows laid out in fixed columns (at least two spaces apart), each cell wrapped in its column."""
    out = []
    for row in rows:
        wrapped = [textwrap.wrap(cell, widths[i]) or [""] for i, cell in enumerate(row)]
        if len([c for c in row if c]) == 2 and re.fullmatch(r"[IVX]+", row[0]):
            wrapped = [[row[0]], [row[1]]] + [[""]] * (len(row) - 2)  # a group row runs across
        for k in range(max(len(w) for w in wrapped)):
            parts = [(w[k] if k < len(w) else "").ljust(widths[i]) for i, w in enumerate(wrapped)]
            out.append("  ".join(parts).rstrip())
    return out


def _font(document: Document) -> None:
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(2), Cm(2), Cm(3), Cm(1.5)


def _add_table(document: Document, rows: tuple[Row, ...]) -> None:
    """A Word table of the rows, merged as plans merge them: a group row's title across the row; with
    a second header row (the years), a header cell over empty places spans them ("Lộ trình thực
    hiện") and a header cell over an empty place below runs down into it."""
    width = len(rows[0].cells)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row.cells):
            table.cell(r, c).text = text
    if len(rows) > 1 and not rows[1].cells[0]:
        top, below = rows[0].cells, rows[1].cells
        for c in range(width):
            if top[c] and not below[c]:
                table.cell(0, c).merge(table.cell(1, c)).text = top[c]
            elif top[c]:
                end = next((k for k in range(c + 1, width) if top[k]), width) - 1
                table.cell(0, c).merge(table.cell(0, end)).text = top[c]
    for r, row in enumerate(rows):
        if re.fullmatch(r"[IVX]+", row.cells[0]):
            table.cell(r, 1).merge(table.cell(r, width - 1)).text = row.cells[1]


def table_plan_docx() -> bytes:
    """The appendix plan as a Word file: prose paragraphs, then two appendix tables (merged cells
    for the group rows, a year header spanning five columns, header cells merged down)."""
    document = Document()
    _font(document)
    for line in PROSE.splitlines():
        document.add_paragraph(line)
    for title, rows in ((APPENDIX_1_TITLE, APPENDIX_1), (APPENDIX_2_TITLE, APPENDIX_2)):
        document.add_page_break()
        for line in title:
            document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_table(document, rows)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_of(lines: list[str]) -> bytes:
    """A Word file of a text plan: a paragraph a line (justified, Markdown marks removed), a table
    for each run of tab-separated lines."""
    document = Document()
    _font(document)
    table_rows: list[list[str]] = []

    def flush() -> None:
        if table_rows:
            width = max(len(r) for r in table_rows)
            table = document.add_table(rows=len(table_rows), cols=width)
            table.style = "Table Grid"
            for r, cells in enumerate(table_rows):
                for c, text in enumerate(cells):
                    table.cell(r, c).text = text
            table_rows.clear()

    for raw in lines:
        text = re.sub(r"</?b>|\*\*|^#+\s*", "", raw).rstrip()
        if "\t" in text:
            table_rows.append([cell.strip() for cell in text.split("\t")])
            continue
        flush()
        if text.strip():
            document.add_paragraph(text.strip()).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    flush()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def seed_docx(seed: Path) -> bytes:
    """A seed plan (Markdown-like text) as a Word file."""
    return docx_of(seed.read_text(encoding="utf-8").splitlines())


def scanned(pdf: bytes, dpi: int = 200) -> bytes:
    """A PDF as a scan: every page rendered to a grey image (slightly turned, as paper on a
    scanner) and put back into a PDF that has no text at all."""
    with tempfile.TemporaryDirectory(prefix="dmst-scan-") as tmp:
        source = Path(tmp) / "plan.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp) / "page")],
            check=True,
            capture_output=True,
            timeout=300,
        )
        images = [
            Image.open(path).convert("L").rotate(0.4, fillcolor=255, expand=False)
            for path in sorted(Path(tmp).glob("page-*.png"))
        ]
        out = io.BytesIO()
        images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
        return out.getvalue()
