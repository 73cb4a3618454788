"""Thêm địa phương: upload a plan, review, save; the new locality shows on the overview at once.
Runs on a temporary copy of data/ ($DMST_DATA) and a fresh database ($DMST_DB)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import streamlit as st
from page_fixtures import assert_clean, open_page
from pypdf import PdfWriter

from bench.plan_documents import ONE_PAGE_PLAN, docx_of, scanned, table_plan_docx
from loaders.plan_import import import_plan
from loaders.plan_import.ocr import summary as ocr_summary
from plans.catalog import DATA_DIR
from reports.pdf import to_pdf
from ui import plan_review

pytestmark = pytest.mark.both_backends

PAGE = "views/add_locality.py"
PLAN = Path(__file__).parent / "assets" / "ke_hoach_thien_huong.txt"


@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.duckdb*", "plan_documents"))
    monkeypatch.setenv("DMST_DATA", str(target))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield target
    st.cache_resource.clear()


def test_upload_review_save_and_the_locality_is_on_the_overview(data_copy):
    at = open_page(PAGE)
    assert_clean(at)
    at.file_uploader(key="plan_upload").upload(PLAN.name, PLAN.read_bytes(), "text/plain").run()
    assert_clean(at)
    assert {m.label: m.value for m in at.metric}["Chỉ tiêu"] == "7"
    assert at.selectbox(key="plan_ward").value == 11557
    at.button(key="plan_save").click().run()
    assert_clean(at)
    assert any("Đã lưu kế hoạch của Thiên Hương" in s.value for s in at.success), [e.value for e in at.error]
    assert (data_copy / "plans" / "thien_huong.yaml").exists()
    assert (data_copy / "plan_documents" / "thien_huong.txt").exists()
    at.switch_page("views/overview.py").run()
    assert_clean(at)
    assert "Phường Thiên Hương" in at.selectbox(key="pick_locality").options
    assert at.session_state["locality_id"] == "thien_huong"


def test_saving_twice_needs_the_overwrite_box(data_copy):
    at = open_page(PAGE)
    at.file_uploader(key="plan_upload").upload(PLAN.name, PLAN.read_bytes(), "text/plain").run()
    at.button(key="plan_save").click().run()
    at.button(key="plan_save").click().run()
    assert any("đã có kế hoạch của địa phương mã 'thien_huong'" in e.value.replace("\\", "") for e in at.error)
    at.checkbox(key="plan_overwrite").check().run()
    at.button(key="plan_save").click().run()
    assert any("Đã lưu" in s.value for s in at.success)


def test_a_scan_on_a_server_without_ocr_gets_the_install_command_on_the_page(data_copy, tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "pdftoppm").symlink_to(shutil.which("pdftoppm"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    at = open_page(PAGE)
    at.file_uploader(key="plan_upload").upload("ban_quet.pdf", out.getvalue(), "application/pdf").run()
    assert_clean(at)
    assert any(
        "là bản quét" in e.value and "apt-get install tesseract-ocr tesseract-ocr-vie" in e.value for e in at.error
    ), [e.value for e in at.error]


def test_targets_of_an_appendix_table_show_their_row_and_any_commune_can_be_chosen(data_copy):
    at = open_page(PAGE)
    at.file_uploader(key="plan_upload").upload("ke_hoach_gia_loc.docx", table_plan_docx(), "application/octet-stream")
    at.run()
    assert_clean(at)
    assert {m.label: m.value for m in at.metric}["Chỉ tiêu"] == "28"
    ward = at.selectbox(key="plan_ward")
    assert (ward.value, len(ward.options), ward.options[0]) == (10999, 3321, "Phường Thuỷ Nguyên — Hải Phòng (11560)")
    table = at.dataframe[0].value
    assert table.loc[0, "Dòng trong bảng"].startswith("dòng 3 (STT 1): 1 | Tỷ lệ hồ sơ thủ tục hành chính")
    assert "Nhận dạng chữ" not in table and "Xem trước" not in table  # not a scan
    ward.set_value(26179).run()
    assert at.session_state["plan_draft"]["id"] == "tan_an_dong_nai"


@pytest.mark.slow
def test_a_scanned_plan_is_read_with_ocr_and_its_rows_to_check_are_marked(data_copy):
    scan = scanned(to_pdf(docx_of(ONE_PAGE_PLAN)))
    at = open_page(PAGE)
    at.file_uploader(key="plan_upload").upload("ban_quet.pdf", scan, "application/pdf")
    at.run()
    assert_clean(at)
    assert any(i.value.startswith("Đã nhận dạng chữ (OCR) 1 trang bản quét") for i in at.info)
    table = at.dataframe[0].value
    assert list(table["Mục tiêu"]) == [85, 24, 100] and table["Nhận dạng chữ"].between(0, 1).all()
    assert list(table["Xem trước"]) == ["⚠" if c < 0.9 else "" for c in table["Nhận dạng chữ"]]


def test_rows_read_poorly_by_ocr_are_marked_to_check_first():
    doc = {
        "indicators": [
            {"code": "A-01", "ocr_confidence": 0.73},
            {"code": "A-02", "ocr_confidence": 0.95},
            {"code": "A-03", "ocr_confidence": None},
        ]
    }
    assert list(plan_review.indicator_frame(doc)["Xem trước"]) == ["⚠", "", ""]
    assert list(plan_review.indicator_frame(doc).columns[:2]) == ["Xem trước", "Mã"]
    assert "Xem trước" not in plan_review.indicator_frame({"indicators": [{"code": "A-01"}]})
    assert ocr_summary(doc, [2.0, 3.0]) == (
        "Đã nhận dạng chữ (OCR) 2 trang bản quét, trung bình 2,5 giây/trang. 1 chỉ "
        "tiêu đọc chưa chắc (độ tin cậy dưới 0,9, dấu ⚠), hãy đối chiếu với bản "
        "giấy trước: A-01."
    )


def test_edited_tables_fold_back_into_the_draft():
    doc = import_plan(PLAN.read_bytes(), PLAN.name, DATA_DIR / "measures.yaml").doc
    indicators = plan_review.indicator_frame(doc)
    indicators.loc[0, "Mục tiêu"] = 88
    indicators = indicators.drop(index=1)
    tasks = plan_review.task_frame(doc)
    tasks.loc[0, "Chủ trì"] = "vhxh, ca"
    edited = plan_review.apply_edits(doc, indicators, tasks, plan_review.unit_frame(doc))
    assert [i["target"] for i in edited["indicators"]][:2] == [88, 25]
    assert len(edited["indicators"]) == len(doc["indicators"]) - 1
    assert edited["tasks"][0]["lead_units"] == ["vhxh", "ca"]
