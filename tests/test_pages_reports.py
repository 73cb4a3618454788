"""The Báo cáo page (AppTest): preview, downloads, the city scope and the template upload, on the
known database (tests/page_fixtures.py)."""

from __future__ import annotations

import io

import pytest
import streamlit as st
from docx import Document
from page_fixtures import JUNE, assert_clean, edited_plans, open_page, page_text

from plans.periods import Period
from reports import pdf
from reports.build import build
from reports.template import default_template

pytestmark = pytest.mark.both_backends

PAGE = "views/reports.py"


def downloads(at) -> dict[str, object]:
    return {d.proto.label: d for d in at.get("download_button")}


def test_report_page_previews_and_offers_the_files(known_db):
    at = open_page(PAGE, "tan_an", JUNE)
    assert_clean(at)
    text = page_text(at)
    assert "Kết quả thực hiện Kế hoạch triển khai Đề án" in text and "6 tháng đầu năm 2026" in text
    assert "14/06/2026" in text
    labels = downloads(at)
    assert {"Tải báo cáo (.docx)", "Tải phụ lục (.xlsx)", "Tải mẫu mặc định (.docx)"} <= set(labels)
    # the report's files are written when downloaded (tests/test_browser.py downloads them), not on opening
    assert all(labels[label].proto.deferred_file_id for label in ("Tải báo cáo (.docx)", "Tải phụ lục (.xlsx)"))
    assert not labels["Tải mẫu mặc định (.docx)"].proto.deferred_file_id
    assert at.selectbox(key="report_kind_2026-06").value == "6thang"


def test_without_libreoffice_a_clerk_is_told_what_to_do_not_what_to_install(known_db, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    office = page_text(open_page(PAGE, "tan_an", JUNE, role="office"))
    assert "mở bằng Word rồi lưu hoặc in ra PDF" in office and "libreoffice" not in office.lower()
    admin = page_text(open_page(PAGE, "tan_an", JUNE))
    assert "gói libreoffice-writer-nogui" in admin


def test_city_scope_ranks_every_locality(known_db):
    at = open_page(PAGE, "tan_an", JUNE)
    at.radio(key="report_scope").set_value("Cả thành phố (so sánh các địa phương)").run()
    assert_clean(at)
    text = page_text(at)
    assert "tại các xã, phường 6 tháng đầu năm 2026" in text
    assert "5 địa phương tự đánh giá theo Bộ chỉ số đánh giá “Xã, phường đổi mới sáng tạo”" in text


def test_a_broken_template_is_refused_in_vietnamese(known_db):
    at = open_page(PAGE, "tan_an", JUNE)
    at.file_uploader(key="template_upload").upload("mau.docx", b"PK not really a docx", "application/octet-stream")
    at.run()
    assert_clean(at)
    errors = " ".join(e.value for e in at.error).replace("\\", "")  # the reasons are shown as plain text
    assert "không dùng được" in errors and "không phải tài liệu Word .docx" in errors


def test_an_edited_template_is_used_for_the_locality(known_db, catalog):
    doc = Document(io.BytesIO(default_template()))
    for paragraph in doc.paragraphs:
        if paragraph.text.startswith("V. KIẾN NGHỊ"):
            paragraph.runs[0].text = "V. KIẾN NGHỊ VỚI THÀNH PHỐ"
    buffer = io.BytesIO()
    doc.save(buffer)
    at = open_page(PAGE, "tan_an", JUNE)
    at.file_uploader(key="template_upload").upload("mau_tan_an.docx", buffer.getvalue(), "application/octet-stream")
    at.run()
    assert_clean(at)
    assert any("hợp lệ" in s.value for s in at.success)
    at.button(key="template_use").click().run()
    assert_clean(at)
    assert "mẫu riêng **mau\\_tan\\_an\\.docx** (nạp " in page_text(at)  # a file name is plain text
    assert ", bởi admin\\-all)" in page_text(at)  # the signed-in account, as plain text
    report = Document(io.BytesIO(build(known_db, catalog, "tan_an", JUNE).docx))
    assert "V. KIẾN NGHỊ VỚI THÀNH PHỐ" in [p.text for p in report.paragraphs]


def test_phases_page_shows_the_same_projection(known_db):
    at = open_page("views/phases.py", "tan_an", JUNE)
    assert_clean(at)
    frame = next(d.value for d in at.dataframe if "Mã" in d.value.columns)
    column = "Dự kiến đạt (theo tốc độ hiện nay)"
    records = frame.loc[frame["Mã"] == "TA-a-03", column].iloc[0]  # 40% in May, 42% in June: two months
    assert records == "chưa đủ dữ liệu để dự báo (có 2 tháng báo cáo, cần ít nhất 3)"
    assert frame.loc[frame["Mã"] == "TA-a-01", column].iloc[0] == ""  # met: nothing to project


def test_the_offices_text_goes_into_the_report(known_db):
    at = open_page(PAGE, "tan_an", JUNE)
    at.text_area(key="note_nguyen_nhan_tan_an_2026-06_6thang").input("Một số đơn vị chưa bố trí cán bộ theo dõi.").run()
    at.text_area(key="note_kien_nghi_tan_an_2026-06_6thang").input("Đề nghị Sở hỗ trợ tập huấn.").run()
    assert_clean(at)
    text = page_text(at).replace("\\", "")  # the preview shows the office's text as plain text (escaped markdown)
    assert "3. Nguyên nhân" in text and "Một số đơn vị chưa bố trí cán bộ theo dõi." in text
    assert "Đề nghị Sở hỗ trợ tập huấn." in text and "Không." not in text


def test_a_month_before_the_plans_first_reporting_month_is_not_offered(tmp_path, known_db, monkeypatch):
    """Tân An reporting from 06/2026: its report for 03/2026 is not built; the page says why."""
    data = edited_plans(
        tmp_path / "data", {"tan_an.yaml": [("ward_code: 11167\n", "ward_code: 11167\nreporting_start: 2026-06\n")]}
    )
    monkeypatch.setenv("DMST_DATA", str(data))
    st.cache_resource.clear()
    try:
        at = open_page(PAGE, "tan_an", Period(2026, 3))
        assert_clean(at)
        assert any("trước tháng báo cáo đầu tiên của Xã Tân An (tháng 06/2026)" in w.value for w in at.warning)
        assert not downloads(at).keys() & {"Tải báo cáo (.docx)", "Tải phụ lục (.xlsx)"}
    finally:
        st.cache_resource.clear()
