"""The .docx of Tân An's 6-month report for June 2026 on the known database (tests/page_fixtures.py),
made on 10/7/2026 and read back with python-docx: the form of a People's Committee's report
(../shared/REPORT_FORM.md), the sentences hand-computed from the known sheets, and every indicator
as ``python -m scoring summary`` has it."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from page_fixtures import JUNE, sheet

from loaders.ingest import ingest_files
from plans.model import Catalog
from plans.text import fmt_value
from plans.vocabulary import INDICATOR_STATUSES, label
from reports.build import build
from reports.wording import balanced_lines, status_word

pytestmark = pytest.mark.both_backends

MADE = dt.date(2026, 7, 10)
SUBJECT = (
    "Kết quả thực hiện Kế hoạch triển khai Đề án “Hải Phòng - Thành phố Đổi mới sáng tạo” trên địa bàn xã "
    "Tân An 6 tháng đầu năm 2026 và phương hướng, nhiệm vụ 6 tháng cuối năm 2026"
)


@pytest.fixture(scope="module")
def tan_an(known_store: Path, catalog: Catalog):
    return build(known_store, catalog, "tan_an", JUNE, today=MADE)


@pytest.fixture(scope="module")
def doc(tan_an):
    return Document(io.BytesIO(tan_an.docx))


def signature(doc):
    """The borderless table holding "Nơi nhận" (left) and the signer (right)."""
    return next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))


def flagged(row, name: str) -> bool:
    """Does a table row carry this row property (``w:cantSplit``, ``w:tblHeader``)?"""
    return row._tr.find(f"{qn('w:trPr')}/{qn(name)}") is not None


def body(doc) -> list:
    """The body's paragraphs, from "BÁO CÁO" to the first appendix."""
    paragraphs = doc.paragraphs
    start = next(n for n, p in enumerate(paragraphs) if p.text == "BÁO CÁO")
    end = next(n for n, p in enumerate(paragraphs) if p.text.startswith("PHỤ LỤC"))
    return paragraphs[start:end]


def test_a4_portrait_and_margins(doc):
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert [
        round(m / Cm(1), 2)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [2.0, 2.0, 3.0, 2.0]


def test_header_is_two_by_two_with_the_number_and_the_day_left_blank(doc):
    header = doc.tables[0]
    assert (len(header.rows), len(header.columns)) == (2, 2)
    (body_name, motto), (number, date) = (
        [[p for p in c.paragraphs if p.text] for c in row.cells] for row in header.rows
    )
    assert [p.text for p in body_name] == ["THÀNH PHỐ HẢI PHÒNG", "ỦY BAN NHÂN DÂN\nXÃ TÂN AN"]
    assert [p.text for p in motto] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert re.fullmatch(r"Số:\s{4,}/BC-UBND", number[0].text)
    assert re.fullmatch(r"Tân An, ngày\s{4,}tháng 7 năm 2026", date[0].text)
    sizes = [
        (r.font.size.pt, bool(r.font.bold), bool(r.font.italic))
        for p in (*body_name, *motto, *number, *date)
        for r in p.runs
        if r.text.strip()
    ]
    assert sizes == [
        (13, False, False),
        (13, True, False),
        (13, True, False),
        (14, True, False),
        (13, False, False),
        (13, False, True),
    ]
    assert all(flagged(row, "w:cantSplit") for row in header.rows)


def test_title_subject_and_no_kinh_gui(doc):
    texts = [p.text for p in doc.paragraphs]
    title = texts.index("BÁO CÁO")
    assert doc.paragraphs[title].runs[0].font.bold and doc.paragraphs[title].runs[0].font.size == Pt(14)
    subject = doc.paragraphs[title + 1]
    assert subject.text.split("\n") == balanced_lines(SUBJECT) and len(subject.text.split("\n")) == 3
    assert " ".join(subject.text.split("\n")) == SUBJECT  # names the next period
    assert not any("Kính gửi" in t for t in texts)


def test_opening_cites_the_plan_and_states_the_data_window(doc):
    assert [p.text for p in body(doc)][3] == (
        "Thực hiện Kế hoạch số …/KH-UBND tháng 5/2026 của Ủy ban nhân dân xã Tân An về triển khai Đề án “Hải Phòng - "
        "Thành phố Đổi mới sáng tạo” trên địa bàn xã Tân An, Ủy ban nhân dân xã Tân An báo cáo kết quả thực hiện 6 "
        "tháng đầu năm 2026 và phương hướng, nhiệm vụ 6 tháng cuối năm 2026 (số liệu từ ngày 15/12/2025 đến ngày "
        "14/6/2026), như sau:"
    )  # Tân An reports before 15/6 (data to 14/6); made after it: not provisional


def test_sections_and_the_results_written_as_sentences(doc):
    texts = [p.text for p in body(doc)]
    headings = [t for t in texts if re.match(r"^[IV]+\. ", t)]
    assert headings == [
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2026",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    text = "\n".join(texts)
    # hand-computed from the known sheets: Tân An's whole-locality sheets of May and June (12 units each)
    for sentence in (
        "Trong 6 tháng đầu năm 2026, các cơ quan, đơn vị đã gửi 24/72 lượt báo cáo tháng; 24 lượt đúng hạn; "
        "48 lượt chưa gửi.",
        "Tỷ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp đạt 85,5%, tăng 15,5 điểm phần trăm so "
        "với tháng 5/2026, vượt mục tiêu đến năm 2030 (trên 80%).",
        "đạt 45%, giảm 5 điểm phần trăm so với tháng 5/2026, bằng 45% mục tiêu đến năm 2027 (đạt 100%), xa mục tiêu "
        "hơn so với tháng 5/2026.",
        # 0 → 1 serious incident: a count that is better lower does not read as a good "đi xuống"
        "Số sự cố an toàn thông tin, an ninh mạng nghiêm trọng trong năm là 1 sự cố, chưa đạt kế hoạch năm 2026 "
        "(không để xảy ra sự cố).",
        "Kế hoạch giao 49 nhiệm vụ; đến hết tháng 6/2026: 1 hoàn thành, 1 đang thực hiện và 47 chưa thực hiện.",
    ):
        assert sentence in text
    assert "V. KIẾN NGHỊ, ĐỀ XUẤT\nKhông.\nTrên đây là báo cáo" in text


def test_body_paragraphs_are_14_pt_justified_6_pt_before_and_headings_keep_with_next(doc):
    paragraphs = [p for p in body(doc)[4:] if p.text.strip()]  # after the opening (12 pt below the subject's rule)
    assert all(r.font.size == Pt(14) for p in paragraphs for r in p.runs if r.text.strip())
    assert all(
        p.alignment == 3 and p.paragraph_format.space_before == Pt(6) and p.paragraph_format.space_after == 0
        for p in paragraphs
    )
    headings = [p for p in paragraphs if p.runs and p.runs[0].font.bold]
    assert len(headings) >= 5 + 3 + 2 and all(p.paragraph_format.keep_with_next for p in headings)


def test_signature_recipients_and_closing_from_the_plan_file(doc):
    table = signature(doc)
    left, right = table.rows[0].cells
    assert [p.text for p in right.paragraphs if p.text] == ["CHỦ TỊCH", "Bùi Văn Khoan"]  # report_signer in tan_an.yaml
    heading, *listed = [p for p in left.paragraphs if p.text]
    assert heading.text == "Nơi nhận:" and heading.runs[0].font.bold and heading.runs[0].font.italic
    assert [p.text for p in listed] == [
        "- Sở Khoa học và Công nghệ thành phố Hải Phòng;",
        "- Thường trực Đảng ủy;",
        "- Lãnh đạo UBND xã;",
        "- Lưu: VT, VHXH.",
    ]
    assert all(p.runs[0].font.size == Pt(11) for p in listed)
    assert flagged(table.rows[0], "w:cantSplit")  # the signature block never splits across pages
    closing = next(p for p in body(doc) if p.text.startswith("Trên đây là báo cáo"))
    assert closing.text.endswith(
        "của Ủy ban nhân dân xã Tân An, gửi Sở Khoa học và Công nghệ thành phố Hải Phòng để tổng hợp./."
    )
    assert closing.paragraph_format.keep_with_next


def test_every_run_is_vietnamese(doc):
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [
        r
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
        if r.text.strip()
    ]
    langs = {r._element.rPr.find(qn("w:lang")).get(qn("w:val")) for r in runs}
    assert langs == {"vi-VN"}
    assert doc.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    default = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert default.get(qn("w:val")) == "vi-VN"  # what an office types in Word is Vietnamese too


def test_no_image_or_table_before_the_first_appendix_and_rows_do_not_split(doc):
    body_xml = doc.element.body
    mark = next(p for p in body_xml.iter(qn("w:p")) if "".join(t.text or "" for t in p.iter(qn("w:t"))) == "PHỤ LỤC I")
    before = []
    for element in body_xml.iterchildren():
        if element is mark:
            break
        before.append(element)
    assert [e.tag for e in before if e.tag == qn("w:tbl")] == [qn("w:tbl")] * 2  # the header and the signature
    assert not any(list(e.iter(qn("w:drawing"))) for e in before)
    data = list(doc.tables[2:])
    assert data and all(flagged(row, "w:cantSplit") for t in data for row in t.rows)
    assert all(flagged(t.rows[0], "w:tblHeader") for t in data)
    assert len(doc.inline_shapes) == 3  # the charts, in the last appendix
    assert "w:highlight" not in doc.element.xml  # no yellow prompts


def test_page_number_in_the_header_but_not_on_page_one(doc):
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    assert "DỮ LIỆU MẪU" not in section.header._element.xml + section.first_page_header._element.xml


def test_appendix_one_has_every_indicator_as_the_summary(doc, known_summary, catalog):
    texts = [p.text for p in doc.paragraphs]
    for number in ("PHỤ LỤC I", "PHỤ LỤC II", "PHỤ LỤC III", "PHỤ LỤC IV", "PHỤ LỤC V"):
        assert number in texts
    reference = texts[texts.index("PHỤ LỤC I") + 2]
    assert re.fullmatch(
        r"\(Kèm theo Báo cáo số\s{4,}/BC-UBND ngày\s{4,}tháng 7 năm 2026 của Ủy ban nhân dân xã Tân An\)", reference
    )
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    header = [c.text for c in table.rows[0].cells]
    assert "Mã" not in header  # codes only in the .xlsx
    plan = catalog.plan("tan_an")
    names = {i.name: i for i in plan.indicators}
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows[1:] if r.cells[1].text in names}
    assert set(rows) == set(names)
    for expected in known_summary["tan_an"]["indicators"]:
        indicator = next(i for i in plan.indicators if i.code == expected["code"])
        row = rows[indicator.name]
        unit = catalog.measures[indicator.measure].unit
        assert row[header.index("Kết quả")] == (
            "" if expected["actual"] is None else fmt_value(expected["actual"], unit)
        )
        status = next(s for s in INDICATOR_STATUSES if label(s) == expected["status"])
        assert row[header.index("Đánh giá")] == status_word(status, indicator.comparator)
    wifi = rows[names_of(plan, "TA-d-04")]
    assert wifi[header.index("Kết quả")] == "45%" and wifi[header.index("Đánh giá")] == "Giảm, xa mục tiêu hơn"
    incidents = rows[names_of(plan, "TA-d-06")]
    assert incidents[header.index("Đánh giá")] == "Tăng, xa mục tiêu hơn"
    assert incidents[header.index("Mục tiêu")] == "Không để xảy ra sự cố (hằng năm)"


def names_of(plan, code: str) -> str:
    return next(i.name for i in plan.indicators if i.code == code)


def test_sample_data_is_marked_on_every_page(db, catalog):
    data = sheet(catalog, "hung_dao", "all", JUNE, {"dvc_online_usage": 70}, sample=True)
    assert all(r.accepted for r in ingest_files(db, [("mau.xlsx", data)], catalog=catalog))
    doc = Document(io.BytesIO(build(db, catalog, "hung_dao", JUNE, today=MADE).docx))
    section = doc.sections[0]
    assert "DỮ LIỆU MẪU" in section.header._element.xml and "DỮ LIỆU MẪU" in section.first_page_header._element.xml
    assert any("đến ngày 09/6/2026" in p.text for p in doc.paragraphs)  # Hưng Đạo reports before 10/6
    signer = [p.text for p in signature(doc).rows[0].cells[1].paragraphs if p.text]
    assert signer == ["CHỦ TỊCH", "Phạm Văn Minh"]
