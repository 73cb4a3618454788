"""The editable template: the default one renders, a broken one gets Vietnamese messages naming the problem."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from page_fixtures import JUNE

from reports.build import build, read_inputs, report_content, write
from reports.template import default_template
from reports.template_check import check_template
from store.accounts import Account
from store.db import connection, writing
from store.report_templates import save_template

pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def content(known_store, catalog):
    with connection(known_store) as con:
        inputs = read_inputs(con, catalog, "ke_sat", JUNE)
    return report_content(catalog, inputs, "ke_sat", JUNE)


def edited(replace: str, by: str) -> bytes:
    """The default template with the text of one run changed, as Word would save it."""
    doc = Document(io.BytesIO(default_template()))
    paragraphs = list(doc.paragraphs) + [p for t in doc.tables for c in t.rows[0].cells for p in c.paragraphs]
    run = next(r for p in paragraphs for r in p.runs if replace in r.text)
    run.text = run.text.replace(replace, by)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render(content):
    return lambda template: write(content, template).docx


def test_default_template_passes_and_wording_can_change(content):
    assert check_template(default_template(), render(content)) == []
    mine = edited("V. KIẾN NGHỊ, ĐỀ XUẤT", "V. KIẾN NGHỊ, ĐỀ XUẤT VỚI THÀNH PHỐ")
    assert check_template(mine, render(content)) == []
    texts = [p.text for p in Document(io.BytesIO(write(content, mine).docx)).paragraphs]
    assert (
        "V. KIẾN NGHỊ, ĐỀ XUẤT VỚI THÀNH PHỐ" in texts
        and texts[texts.index("V. KIẾN NGHỊ, ĐỀ XUẤT VỚI THÀNH PHỐ") + 1] == "Không."
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.4 not a word file", "không phải tài liệu Word .docx"),
        (
            lambda: edited("{{ trich_yeu }}", "{{ trich_yeu_ngan }}"),
            "Thẻ “{{ trich_yeu_ngan }}” dùng tên “trich_yeu_ngan”, không có trong danh sách thẻ của mẫu",
        ),
        (
            lambda: edited("{{p ket_qua }}", "(phần II viết tay)"),
            "không có nội dung phần II, kết quả thực hiện (dùng {{p ket_qua }})",
        ),
        (lambda: edited("{{ trich_yeu }}", "{{ trich_yeu "), "Thẻ “{{ trich_yeu” thiếu dấu đóng “}}”"),
        (lambda: edited("{{ nguoi_ky }}", "{{ nguoi_ky.ho_ten }}"), "đọc thuộc tính “ho_ten” của một giá trị"),
        # A brace short: the tag would swallow what follows, the signer and the appendices with it.
        (lambda: edited("{{ nguoi_ky }}", "{{ nguoi_ky }"), "Thẻ “{{ nguoi_ky }” thiếu dấu đóng “}}”"),
        (lambda: edited("{{ mo_dau }}", "{{ mo_dau }"), "Thẻ “{{ mo_dau }” thiếu dấu đóng “}}”"),
        (lambda: edited("{{ nguoi_ky }}", "{ nguoi_ky }"), "Thẻ “{ nguoi_ky }” chỉ có một dấu ngoặc mỗi bên"),
        (lambda: edited("{{ nguoi_ky }}", "Nguyễn Văn A"), "không có họ tên người ký"),
        (
            lambda: edited("{%p for dong in noi_nhan %}", "{%p for dong in range(100000) %}"),
            "Thẻ “{% for dong in range(100000) %}” gọi hàm “range”, không được phép",
        ),
    ],
)
def test_broken_templates_get_a_vietnamese_message(content, data, message):
    problems = check_template(data() if callable(data) else data, render(content))
    assert problems and message in " ".join(problems), problems
    assert not any(word in " ".join(problems) for word in ("unexpected", "expected", "undefined", "Traceback"))


def test_a_stored_template_is_used_by_the_command_line(known_db, catalog):
    db = known_db
    with writing(db) as con:
        save_template(
            con,
            Account("lan", "office", "ke_sat"),
            "ke_sat",
            edited("BÁO CÁO", "BÁO CÁO NHANH"),
            "mau.docx",
            dt.datetime(2026, 6, 20),
        )
    texts = [p.text for p in Document(io.BytesIO(build(db, catalog, "ke_sat", JUNE).docx)).paragraphs]
    assert "BÁO CÁO NHANH" in texts
    other = [p.text for p in Document(io.BytesIO(build(db, catalog, "tan_an", JUNE).docx)).paragraphs]
    assert "BÁO CÁO" in other and "BÁO CÁO NHANH" not in other
