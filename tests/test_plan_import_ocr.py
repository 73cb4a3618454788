"""Scanned plans read with OCR (Tesseract with its Vietnamese model, installed by scripts/test.sh).

The seed plan of Hưng Đạo (tests/assets/ke_hoach_hung_dao.txt, a copy of the shared seed
001_7384b2cb27b7289e.txt) is made into a Word file, a PDF (LibreOffice), then a scan: every page
rendered to a slightly turned grey image and put back into a PDF without any text. The command
line must draft at least 85% of the plan's 25 targets with the right comparator, value and year.
Slow (OCR of about ten pages): marked ``slow``; it runs in the full suite.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from bench.bench_plan_import import pair, same_target
from bench.plan_documents import ONE_PAGE_PLAN, docx_of, scanned, seed_docx, table_plan_docx
from loaders.__main__ import main
from loaders.plan_import import import_plan
from plans.catalog import DATA_DIR
from reports.pdf import to_pdf

pytestmark = pytest.mark.slow

SEED = Path(__file__).parent / "assets" / "ke_hoach_hung_dao.txt"

# The targets of the seed, read by hand (mục II.2.a–e and V.1): (words of the sentence, comparator,
# target, year). A yearly target ("ít nhất 01 lần/năm", "hằng năm", "mỗi năm") carries the plan's
# first year, 2026; the others the year of their heading, "Đến năm 2030".
HAND_READ = [
    ("Trên 80% tỷ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp", ">", 80, 2030),
    ("90% tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình", ">=", 90, 2030),
    ("100% tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", ">=", 100, 2030),
    ("100% văn bản trao đổi nội bộ được xử lý trên môi trường điện tử và ký số", ">=", 100, 2030),
    ("100% cán bộ, công chức sử dụng thành thạo phần mềm quản lý văn bản điều hành", ">=", 100, 2030),
    ("100% cuộc họp chuyên môn, giao ban được thực hiện theo hình thức không giấy", ">=", 100, 2030),
    ("tỷ lệ hài lòng của người dân, tổ chức đạt trên 95%", ">", 95, 2030),
    ("100% cán bộ được bồi dưỡng kỹ năng số, chuyển đổi số ít nhất 01 lần/năm", ">=", 100, 2026),
    ("Xây dựng tối thiểu 02 mô hình sản xuất nông nghiệp ứng dụng công nghệ cao", ">=", 2, 2030),
    ("100% sản phẩm OCOP của địa phương, sản phẩm chủ lực có mã QR truy xuất nguồn gốc", ">=", 100, 2030),
    ("100% doanh nghiệp vừa và nhỏ địa phương ứng dụng công nghệ số", ">=", 100, 2030),
    ("100% người dân trưởng thành có tài khoản dịch vụ công trực tuyến", ">=", 100, 2030),
    ("100% các địa điểm vui chơi công cộng, các nhà văn hoá được phủ sóng Internet 5G", ">=", 100, 2030),
    ("Phấn đấu 90% hộ gia đình có kết nối Internet băng rộng tốc độ cao", ">=", 90, 2030),
    ("100% cán bộ, hội viên đoàn thể nòng cốt được tập huấn kỹ năng số cơ bản", ">=", 100, 2030),
    ("tập huấn cho nhân dân về kỹ năng số cơ bản ít nhất 1 buổi/năm", ">=", 1, 2026),
    ("Hằng năm tổ chức ít nhất 01 đợt tuyên truyền, phổ biến kỹ năng số cho người dân", ">=", 1, 2026),
    ("tỷ lệ 100% cán bộ, công chức chuyên môn có trang thiết bị CNTT", ">=", 100, 2030),
    ("100% dữ liệu chuyên ngành được cập nhật, quản lý tập trung", ">=", 100, 2030),
    ("100% dữ liệu quản lý được số hóa, chuẩn hóa, lưu trữ điện tử", ">=", 100, 2030),
    ("không để xảy ra sự cố nghiêm trọng", "<=", 0, 2026),
    (
        "100% cán bộ, công chức được đào tạo, bồi dưỡng về kỹ năng số, chuyển đổi số và đổi mới sáng tạo",
        ">=",
        100,
        2030,
    ),
    ("mỗi năm có sáng kiến được áp dụng thực tiễn tại UBND phường và các thôn", ">=", 1, 2026),
    ("Tổ chức ít nhất 1 - 2 lớp đào tạo, bồi dưỡng kỹ năng số, đổi mới sáng tạo", ">=", 1, 2026),
    ("Triển khai 100% các văn bản ban hành được tiến hành ký số cá nhân, tổ chức", ">=", 100, 2030),
]


@pytest.fixture(scope="module")
def scan() -> bytes:
    assert shutil.which("tesseract") and shutil.which("soffice"), "scripts/test.sh installs tesseract-ocr, LibreOffice"
    return scanned(to_pdf(seed_docx(SEED)))


def test_a_scanned_seed_plan_is_drafted_by_the_command_line_with_85_percent_of_its_targets(scan, tmp_path, capsys):
    source, out = tmp_path / "ke_hoach_hung_dao_ban_quet.pdf", tmp_path / "nhap.yaml"
    source.write_bytes(scan)
    pages = len(PdfReader(source).pages)
    assert "".join(page.extract_text() for page in PdfReader(source).pages).strip() == ""  # no text layer at all
    assert main(["plan-import", str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    progress = [line for line in printed.err.splitlines() if line.startswith("Nhận dạng chữ (OCR) bản quét: trang ")]
    assert [line.split("trang ")[1].split(" ")[0] for line in progress] == [f"{n}/{pages}" for n in range(1, pages + 1)]
    assert f"Đã nhận dạng chữ (OCR) {pages} trang bản quét" in printed.out
    draft = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert (draft["id"], draft["ward_code"]) == ("hung_dao", 11689)
    expected = [
        {"name": words, "text": words, "comparator": c, "target": t, "target_year": y} for words, c, t, y in HAND_READ
    ]
    right = [(e, d) for e, d in pair(expected, draft["indicators"], same_target) if same_target(e, d)]
    assert len(right) >= math.ceil(0.85 * len(HAND_READ)), [
        e["name"] for e in expected if e not in [r[0] for r in right]
    ]
    assert all(0 < i["ocr_confidence"] <= 1 for i in draft["indicators"])


def test_ocr_stops_starting_pages_when_its_time_is_spent(monkeypatch):
    """DMST_OCR_MAX_SECONDS=0: the first page is read, the four others are left and the draft says so."""
    monkeypatch.setenv("DMST_OCR_MAX_SECONDS", "0")
    draft = import_plan(scanned(to_pdf(table_plan_docx())), "ban_quet.pdf", DATA_DIR / "measures.yaml")
    assert len(draft.ocr_seconds) == 1
    assert draft.unplaced[0] == (
        "hết thời gian nhận dạng chữ (0 giây, DMST_OCR_MAX_SECONDS): chưa đọc 4 trang "
        "(2, 3, 4, 5); bản nháp thiếu nội dung các trang này"
    )


def test_a_scanned_target_table_keeps_rows_and_confidence(tmp_path):
    draft = import_plan(scanned(to_pdf(docx_of(ONE_PAGE_PLAN))), "mot_trang.pdf", DATA_DIR / "measures.yaml")
    got = [(i["target"], i["target_year"], i["table_row"].split(":")[0]) for i in draft.doc["indicators"]]
    assert got == [(85, 2026, "dòng 2 (STT 1)"), (24, 2026, "dòng 3 (STT 2)"), (100, 2026, "dòng 4 (STT 3)")]
    assert all(i["ocr_confidence"] is not None for i in draft.doc["indicators"])
