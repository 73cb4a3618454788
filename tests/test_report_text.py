"""The five communes' 6-month reports, and a monthly and an annual one, on six months of sample data
(loaders.demo, January–June 2026), read as an official would: tables of cases over the generated
text — no symbols, codes, forecasts or other communes' names in the body, no image or table before
the first appendix, strengths before shortcomings, the next period named and its tasks numbered,
counts that add up, names and signers from the plan files."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from page_fixtures import edited_plans

from loaders.demo import run_demo
from plans import clock
from plans.catalog import load_catalog
from plans.periods import Period
from reports.body import Notes
from reports.build import build, read_inputs, report_content, write
from reports.names import place_name
from store.db import connection

pytestmark = pytest.mark.both_backends

MADE = dt.date(2026, 7, 10)
JUNE = Period(2026, 6)
COMMUNES = ("tan_an", "hung_dao", "binh_giang", "ke_sat", "nam_thanh_mien")


@pytest.fixture(scope="module")
def demo(backend, make_store, catalog):
    """January to June 2026 of sample data for the five communes, loaded on 10/7/2026."""
    db = make_store(backend, "text")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: dt.datetime(2026, 7, 10, 9, 0))
        summary = run_demo(db, catalog, Period(2026, 1), JUNE)
    assert summary.accepted == summary.files > 0
    return db


@pytest.fixture(scope="module")
def reports(demo, catalog):
    """Each commune's 6-month report: (its content, its .docx read back)."""
    out = {}
    for locality in COMMUNES:
        built = build(demo, catalog, locality, JUNE, "6thang", today=MADE)
        out[locality] = (built.content, Document(io.BytesIO(built.docx)))
    return out


def body_text(doc) -> str:
    """The body as printed: from "BÁO CÁO" to the closing sentence (the signature block left out)."""
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("BÁO CÁO")
    end = next(n for n, t in enumerate(texts) if t.startswith("Trên đây là báo cáo"))
    return "\n".join(texts[start : end + 1])


def all_text(doc) -> str:
    return "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )


def section(content, key: str) -> str:
    return "\n".join(getattr(b, "text", "") for b in content.sections[key])


@pytest.mark.parametrize("locality", COMMUNES)
def test_no_symbols_dashes_or_forecasts_in_the_body(reports, locality):
    text = body_text(reports[locality][1])
    assert not re.search(r"[≥≤<>—]", text), re.findall(r".{30}[≥≤<>—].{10}", text)
    assert "dự kiến" not in text and "dự báo" not in text


@pytest.mark.parametrize("locality", COMMUNES)
def test_no_internal_code_in_the_body_nor_in_any_docx_table(reports, catalog, locality):
    text = all_text(reports[locality][1])
    codes = [
        c
        for plan in catalog.plans.values()
        for c in (*(i.code for i in plan.indicators), *(t.code for t in plan.tasks))
    ]
    assert not [c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)]
    assert "chỉ tiêu có số)" not in text and "(mục V.1" not in text  # working notes, not headings


@pytest.mark.parametrize("locality", COMMUNES)
def test_no_other_communes_name(reports, catalog, locality):
    text = all_text(reports[locality][1])
    for other in (p for p in catalog.plans.values() if p.id != locality):
        for name in {place_name(other), *other.aliases}:
            bare = name.split(" ", 1)[1] if name.split(" ", 1)[0].lower() in ("xã", "phường") else name
            assert bare not in text, (other.id, bare)


@pytest.mark.parametrize(
    "locality, own, kpi",
    [
        ("tan_an", "xã Tân An", "Bộ chỉ số đánh giá “Xã Tân An đổi mới sáng tạo”"),
        ("hung_dao", "phường Hưng Đạo", "Bộ chỉ số đánh giá “Phường Hưng Đạo đổi mới sáng tạo”"),
        ("binh_giang", "xã Bình Giang", "Bộ chỉ số đánh giá “Xã Bình Giang đổi mới sáng tạo”"),
        # Kè Sắt's plan spells it "Kè Sắt"; the registry's name is "Kẻ Sặt", everywhere
        ("ke_sat", "xã Kẻ Sặt", "Bộ chỉ số đánh giá “Xã Kẻ Sặt đổi mới sáng tạo”"),
        ("nam_thanh_mien", "xã Nam Thanh Miện", "Bộ chỉ số đánh giá “Xã Nam Thanh Miện đổi mới sáng tạo”"),
    ],
)
def test_names_from_one_place(reports, locality, own, kpi):
    content, doc = reports[locality]
    text = all_text(doc)
    assert f"Ủy ban nhân dân {own}" in content.intro and kpi in text
    assert "Kè Sắt" not in text and "Kẽ Sắt" not in text


@pytest.mark.parametrize("locality", COMMUNES)
def test_no_image_or_table_before_the_first_appendix(reports, locality):
    doc = reports[locality][1]
    before, tables, images = True, 0, 0
    for element in doc.element.body.iterchildren():
        text = "".join(t.text or "" for t in element.iter("{*}t"))
        if element.tag.endswith("}p") and text == "PHỤ LỤC I":
            break
        tables += element.tag.endswith("}tbl")
        images += len(list(element.iter("{*}drawing")))
    assert before and tables == 2 and images == 0  # the header and the signature block only


@pytest.mark.parametrize("locality", COMMUNES)
def test_the_subject_names_the_next_period_and_its_tasks_are_numbered(reports, locality):
    content, doc = reports[locality]
    assert content.title_line.endswith("6 tháng đầu năm 2026 và phương hướng, nhiệm vụ 6 tháng cuối năm 2026")
    items = [b.text for b in content.sections["phuong_huong"]]
    assert items and [int(t.split(".", 1)[0]) for t in items] == list(range(1, len(items) + 1))
    assert "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2026" in [p.text for p in doc.paragraphs]


@pytest.mark.parametrize("locality", COMMUNES)
def test_strengths_first_when_something_was_met_then_shortcomings(reports, locality):
    content, _ = reports[locality]
    text = section(content, "danh_gia")
    assert text.index("1. Ưu điểm") < text.index("2. Tồn tại, hạn chế")
    met = sum(1 for r in content.appendices[0].tables[0].rows if r.get("verdict") == "Đạt")
    if met:
        assert f"Có {met}/" in text.split("2. Tồn tại")[0]
    assert "Nguyên nhân" not in text and "[" not in text  # nothing the office has not written


@pytest.mark.parametrize("locality", COMMUNES)
def test_counts_add_up(reports, locality):
    content, _ = reports[locality]
    tasks = re.search(r"Kế hoạch giao (\d+) nhiệm vụ; đến hết tháng 6/2026: ([^.]+)\.", section(content, "ket_qua"))
    assert int(tasks.group(1)) == sum(int(n) for n in re.findall(r"(\d+) [a-zđ]", tasks.group(2)))
    sheets = re.search(r"đã gửi (\d+)/(\d+) lượt báo cáo tháng; (.+)\.", section(content, "chi_dao"))
    received, expected = int(sheets.group(1)), int(sheets.group(2))
    counted = {w: int(n) for n, w in re.findall(r"(\d+) lượt (đúng hạn|gửi muộn|chưa gửi|của)", sheets.group(3))}
    assert counted.get("đúng hạn", 0) + counted.get("gửi muộn", 0) == received
    assert received + counted.get("chưa gửi", 0) + counted.get("của", 0) == expected
    table = content.appendices[3].tables[0].rows
    assert all(r["received"] + r["missing"] + r["not_due"] == r["expected"] for r in table)
    assert table[-1]["expected"] == expected


@pytest.mark.parametrize("locality", COMMUNES)
def test_months_in_the_body_are_written_without_a_leading_zero(reports, locality):
    assert not re.search(r"\b\d{1,2}/0\d/\d{4}\b", body_text(reports[locality][1]))


@pytest.mark.parametrize(
    "locality, authority, name, first",
    [
        ("tan_an", ["CHỦ TỊCH"], "Bùi Văn Khoan", "Sở Khoa học và Công nghệ thành phố Hải Phòng;"),
        (
            "ke_sat",
            ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
            "Phạm Thị Thu Hiền",
            "Sở Khoa học và Công nghệ thành phố Hải Phòng;",
        ),
        (
            "nam_thanh_mien",
            ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
            "Vũ Văn Nguyễn",
            "Sở Khoa học và Công nghệ thành phố Hải Phòng;",
        ),
    ],
)
def test_signer_and_recipients_per_plan(reports, locality, authority, name, first):
    head = reports[locality][0].letterhead
    assert list(head.signer_lines) == authority and head.signer == name
    assert head.recipients[0] == first and head.recipients[-1] == "Lưu: VT, VHXH."
    assert not any("Như trên" in r for r in head.recipients) and len(set(head.recipients)) == len(head.recipients)


def test_recipients_differ_by_plan(reports):
    assert reports["tan_an"][0].letterhead.recipients != reports["nam_thanh_mien"][0].letterhead.recipients
    assert "Sở Nội vụ thành phố Hải Phòng;" in reports["nam_thanh_mien"][0].letterhead.recipients


def test_default_authority_is_kt_chu_tich_pho_chu_tich(tmp_path, known_store):
    """A plan file without report_signer: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", and no name when the plan's
    own signer was the Chủ tịch (the name is left for the signing day)."""
    data = edited_plans(
        tmp_path / "data",
        {
            "tan_an.yaml": [
                ('report_signer: {title: "Chủ tịch", name: "Bùi Văn Khoan", source: "KH Tân An, chữ ký"}\n', "")
            ]
        },
    )
    catalog = load_catalog(data)
    head = build(known_store, catalog, "tan_an", JUNE, today=MADE).content.letterhead
    assert list(head.signer_lines) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] and head.signer == ""


def test_the_offices_text_prints_only_when_written(demo, catalog):
    with connection(demo) as con:
        inputs = read_inputs(con, catalog, "tan_an", JUNE, MADE, kind="6thang")
    plain = report_content(catalog, inputs, "tan_an", JUNE, "6thang", MADE)
    assert section(plain, "kien_nghi") == "Không." and "Nguyên nhân" not in section(plain, "danh_gia")
    notes = Notes(
        chi_dao="Ban hành Quyết định số 12/QĐ-UBND ngày 03/3/2026.",
        nguyen_nhan="Thiếu kinh phí.",
        kien_nghi="Đề nghị Sở Khoa học và Công nghệ hỗ trợ tập huấn.",
    )
    written = report_content(catalog, inputs, "tan_an", JUNE, "6thang", MADE, notes)
    assert section(written, "chi_dao").endswith("Ban hành Quyết định số 12/QĐ-UBND ngày 03/3/2026.")
    assert section(written, "danh_gia").endswith("3. Nguyên nhân\nThiếu kinh phí.")
    assert section(written, "kien_nghi") == "Đề nghị Sở Khoa học và Công nghệ hỗ trợ tập huấn."
    texts = [p.text for p in Document(io.BytesIO(write(written).docx)).paragraphs]
    assert "Thiếu kinh phí." in texts


def test_the_monthly_report_is_short(demo, catalog):
    content = build(demo, catalog, "binh_giang", Period(2026, 5), "thang", today=MADE).content
    prose = " ".join(section(content, key) for key in content.sections)
    assert len(prose) < 2000 and len(content.sections["phuong_huong"]) <= 6
    assert [a.number for a in content.appendices] == ["PHỤ LỤC"]
    assert content.title_line.endswith("tháng 5 năm 2026 và nhiệm vụ trọng tâm tháng 6 năm 2026")


def test_the_annual_outlook_sets_next_years_yearly_targets(demo, catalog):
    """Was: last year's missed targets listed for the year ahead, the yearly ones that apply again dropped."""
    content = build(demo, catalog, "tan_an", Period(2026, 12), "nam", today=dt.date(2026, 12, 20)).content
    outlook = section(content, "phuong_huong")
    yearly = next(t for t in outlook.split("\n") if "chỉ tiêu hằng năm của năm 2027" in t)
    plan = catalog.plan("tan_an")
    assert all(i.name[1:] in yearly for i in plan.indicators if i.every_year)
    assert "kế hoạch năm 2026" not in outlook and "trong năm 2026" not in outlook
