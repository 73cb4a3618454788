"""Thêm địa phương: upload a plan, review, save; the new locality shows on the overview at once.
Runs on a temporary copy of data/ ($DMST_DATA) and a fresh database ($DMST_DB)."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import streamlit as st
from page_fixtures import assert_clean, open_page  # noqa: F401
from pypdf import PdfWriter

from loaders.plan_import import import_plan
from plans.catalog import DATA_DIR
from ui import plan_review

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


def test_a_scanned_pdf_gets_the_message_on_the_page(data_copy):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    at = open_page(PAGE)
    at.file_uploader(key="plan_upload").upload("ban_quet.pdf", out.getvalue(), "application/pdf").run()
    assert_clean(at)
    assert any("không có lớp chữ" in e.value for e in at.error)


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
