"""The .docx of Tân An's 6-month report for June 2026 on the known database (tests/page_fixtures.py),
read back with python-docx: Nghị định 30/2020 form, and every indicator as ``python -m scoring summary``."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm, Pt
from page_fixtures import JUNE, sheet

from loaders.ingest import ingest_files
from plans.model import Catalog
from plans.text import fmt_value
from plans.vocabulary import label
from reports.build import build
from store.db import prepare

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def tan_an(known_store: Path, catalog: Catalog):
    return build(known_store, catalog, "tan_an", JUNE)


@pytest.fixture(scope="module")
def doc(tan_an):
    return Document(io.BytesIO(tan_an.docx))


@pytest.fixture(scope="module")
def summary(known_store: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "scoring", "summary", "--period", str(JUNE), "--json", "--db",
                          str(known_store)], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {loc["id"]: loc for loc in json.loads(out)["localities"]}


def signature(doc):
    """The borderless table holding "Nơi nhận" (left) and the signer (right)."""
    return next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:")).rows[0].cells


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_a4_portrait_and_margins(doc):
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert Cm(2.0) - Cm(0.01) <= section.top_margin <= Cm(2.5) and Cm(2.0) - Cm(0.01) <= section.bottom_margin <= Cm(2.5)
    assert Cm(3.0) - Cm(0.01) <= section.left_margin <= Cm(3.5)
    assert Cm(1.5) - Cm(0.01) <= section.right_margin <= Cm(2.0)


def test_times_new_roman_everywhere_and_body_size(doc):
    assert doc.styles["Normal"].font.name == "Times New Roman"
    names = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    names |= {r.font.name for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
              for r in p.runs if r.text.strip()}
    assert names == {"Times New Roman"}
    body = next(p for p in doc.paragraphs if p.text.startswith("Căn cứ Kế hoạch số"))
    assert body.runs[0].font.size == Pt(14)
    assert body.alignment == 3  # justified
    assert body.paragraph_format.first_line_indent == Cm(1.27)
    assert body.paragraph_format.space_after >= Pt(6)


def test_letterhead_title_and_recipient(doc):
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["THÀNH PHỐ HẢI PHÒNG", "ỦY BAN NHÂN DÂN\nXÃ TÂN AN",
                                                           "Số:        /BC-UBND"]
    issuer = next(p for p in left.paragraphs if "ỦY BAN NHÂN DÂN" in p.text)
    assert all(r.font.bold for r in issuer.runs if r.text.strip())
    motto = [p for p in right.paragraphs if p.text]
    assert motto[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and motto[0].runs[0].font.bold
    assert motto[1].text == "Độc lập - Tự do - Hạnh phúc" and motto[1].runs[0].font.bold
    date = next(p for p in right.paragraphs if p.text.startswith("Tân An, ngày "))
    assert date.runs[0].font.italic
    texts = [p.text for p in doc.paragraphs]
    title = texts.index("BÁO CÁO")
    assert doc.paragraphs[title].runs[0].font.bold
    assert texts[title + 1] == ("Kết quả thực hiện Kế hoạch triển khai Đề án “Hải Phòng - Thành phố Đổi mới sáng tạo” "
                                "trên địa bàn xã Tân An 6 tháng đầu năm 2026")
    assert "Kính gửi: Sở Khoa học và Công nghệ thành phố Hải Phòng" in texts
    assert any(t.startswith("Căn cứ Kế hoạch số …/KH-UBND tháng 05 năm 2026 của Ủy ban nhân dân xã Tân An") for t in texts)
    assert any("tính đến ngày 14/06/2026" in t for t in texts)  # Tân An reports before 15/6
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
                    "III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2026", "IV. KIẾN NGHỊ, ĐỀ XUẤT"):
        assert heading in texts


def test_page_number_in_the_header_but_not_on_page_one(doc):
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    assert "DỮ LIỆU MẪU" not in section.header._element.xml + section.first_page_header._element.xml


def test_signer_from_the_plan_file_and_recipients(doc):
    cells = signature(doc)
    lines = [p.text for p in cells[1].paragraphs if p.text]
    assert lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Bùi Văn Khoan"]  # data/plans/tan_an.yaml
    heading = cells[0].paragraphs[0]
    assert heading.text == "Nơi nhận:" and heading.runs[0].font.bold and heading.runs[0].font.italic
    assert heading.runs[0].font.size == Pt(12)
    listed = [p for p in cells[0].paragraphs[1:] if p.text]
    assert listed[-1].text == "- Lưu: VT, VHXH." and all(p.runs[0].font.size == Pt(11) for p in listed)


def test_appendix_one_has_every_indicator_as_the_summary(doc, summary, catalog):
    texts = [p.text for p in doc.paragraphs]
    for number in ("PHỤ LỤC I", "PHỤ LỤC II", "PHỤ LỤC III"):
        assert number in texts
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Mã" and t.rows[0].cells[2].text == "Chỉ tiêu")
    header = [c.text for c in table.rows[0].cells]
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows[1:]}
    plan = catalog.plan("tan_an")
    assert set(rows) == {i.code for i in plan.indicators}
    units = {i.code: catalog.measures[i.measure].unit for i in plan.indicators}
    for expected in summary["tan_an"]["indicators"]:
        row = rows[expected["code"]]
        assert row[header.index("Kết quả")] == fmt_value(expected["actual"], units[expected["code"]])
        assert row[header.index("Trạng thái")] == label(expected["status"])
    # hand-computed from the known sheets: 85,5% under "> 80%"; Wi-Fi fell from 50% (May) to 45%
    assert rows["TA-a-01"][header.index("Kết quả")] == "85,5%" and rows["TA-a-01"][header.index("Trạng thái")] == "Đạt"
    assert rows["TA-d-04"][header.index("Kết quả")] == "45%" and rows["TA-d-04"][header.index("Trạng thái")] == "Đi xuống"


def test_charts_and_projection_wording(doc):
    assert len(doc.inline_shapes) == 3  # status counts, lagging series (May and June reported), KPI by group
    text = all_text(doc)
    assert "chưa đủ số liệu để dự báo: có 2 tháng báo cáo, cần ít nhất 3" in text
    assert "Nơi nhận:" in text


def test_sample_data_is_marked_on_every_page(tmp_path, catalog):
    db = prepare(tmp_path / "sample.duckdb", catalog)
    data = sheet(catalog, "hung_dao", "all", JUNE, {"dvc_online_usage": 70}, sample=True)
    assert all(r.accepted for r in ingest_files(db, [("mau.xlsx", data)], catalog=catalog))
    doc = Document(io.BytesIO(build(db, catalog, "hung_dao", JUNE).docx))
    section = doc.sections[0]
    assert "DỮ LIỆU MẪU" in section.header._element.xml and "DỮ LIỆU MẪU" in section.first_page_header._element.xml
    assert any("tính đến ngày 09/06/2026" in p.text for p in doc.paragraphs)  # Hưng Đạo reports before 10/6
    signer = [p.text for p in signature(doc)[1].paragraphs if p.text]
    assert signer[-1] == "Phạm Văn Minh"
