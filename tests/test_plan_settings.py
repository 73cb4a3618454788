"""Optional settings in a plan file: the locality's first reporting month (``reporting_start``)
and each unit's ``contact``; and a plan issued without its number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from page_fixtures import JUNE, MAY, assert_clean, edited_plans, figure, open_page, page_text

from plans import vocabulary as s
from plans.catalog import CatalogError, load_catalog
from plans.periods import Period
from plans.reporting import expected_units, reporting_units

pytestmark = pytest.mark.both_backends

HD_KT = '  - {code: kt, name: "Phòng Kinh tế, Hạ tầng và Đô thị phường", '
HD_VP = '  - {code: vp, name: "Văn phòng HĐND và UBND phường", '
EDITS = {
    "tan_an.yaml": [("ward_code: 11167\n", "ward_code: 11167\nreporting_start: 2026-06\n")],
    "hung_dao.yaml": [
        (HD_KT, HD_KT + 'contact: "Anh Minh, 0912 345 678", '),
        (HD_VP, HD_VP + 'contact: "vanphong@hungdao.gov.vn", '),
    ],
}


@pytest.fixture()
def settings(tmp_path: Path, known_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app on plans where Tân An reports from 06/2026 and two Hưng Đạo units have a contact."""
    data = edited_plans(tmp_path / "data", EDITS)
    monkeypatch.setenv("DMST_DATA", str(data))
    st.cache_resource.clear()
    yield data
    st.cache_resource.clear()


def test_reporting_start_is_read_and_nothing_is_expected_before_it(tmp_path: Path):
    catalog = load_catalog(edited_plans(tmp_path / "data", EDITS))
    assert catalog.plan("tan_an").reporting_start == "2026-06"
    assert catalog.plan("hung_dao").reporting_start is None
    assert expected_units(catalog, "tan_an", MAY) == ()
    assert expected_units(catalog, "tan_an", JUNE) == reporting_units(catalog, "tan_an", 2026)
    assert catalog.plan("hung_dao").unit_contact("kt") == "Anh Minh, 0912 345 678"
    assert catalog.plan("hung_dao").unit_contact("ca") == ""


@pytest.mark.parametrize(
    "value, message",
    [
        ("2026-13", "reporting_start '2026-13' không hợp lệ"),
        ("tháng 11", "không hợp lệ (cần dạng YYYY-MM"),
        ("2031-01", "nằm ngoài thời gian của kế hoạch (2026–2030)"),
    ],
)
def test_a_bad_reporting_start_is_a_located_vietnamese_problem(tmp_path: Path, value, message):
    data = edited_plans(
        tmp_path / "data", {"tan_an.yaml": [("ward_code: 11167\n", f"ward_code: 11167\nreporting_start: '{value}'\n")]}
    )
    with pytest.raises(CatalogError) as err:
        load_catalog(data)
    assert any(p.startswith("plans/tan_an.yaml") and message in p for p in err.value.problems), err.value.problems


def test_a_contact_must_be_text(tmp_path: Path):
    data = edited_plans(tmp_path / "data", {"hung_dao.yaml": [(HD_KT, HD_KT + "contact: [1, 2], ")]})
    with pytest.raises(CatalogError) as err:
        load_catalog(data)
    assert any("plans/hung_dao.yaml/units/kt: contact" in p for p in err.value.problems)


def test_months_before_the_first_reporting_month_are_not_missing(settings):
    at = open_page("views/upload.py", period=Period(2026, 7))
    assert_clean(at)
    grid = figure(at, "Phiếu báo cáo theo đơn vị và tháng")["data"][0]
    months = [x.replace("<br>", "") for x in grid["x"]]
    may, june = months.index("05/2026"), months.index("06/2026")
    # Tân An sends one sheet for all units in May and June: June is on time; before June, no cell is "Chưa nộp"
    symbols = grid["text"]
    assert all(row[months.index("01/2026")] == "" for row in symbols)
    assert all(row[may] == "" for row in symbols)
    assert all(row[june] == "✔" for row in symbols)
    assert "Chưa phải nộp: địa phương báo cáo từ Tháng 06/2026" in grid["customdata"][0][may]


def test_overview_before_the_first_reporting_month_expects_nothing(settings):
    at = open_page("views/overview.py", period=MAY)
    assert_clean(at)
    assert "báo cáo từ Tháng 06/2026: tháng này chưa phải nộp phiếu" in page_text(at)
    assert s.label(s.MISSING) not in page_text(at)


def test_missing_units_show_their_contact_and_a_reminder_to_copy(settings, catalog):
    at = open_page("views/overview.py", locality="hung_dao")
    assert_clean(at)
    text = page_text(at)
    assert "✖ Chưa nộp — Phòng Kinh tế, Hạ tầng và Đô thị phường · liên hệ: Anh Minh, 0912 345 678" in text
    assert "✖ Chưa nộp — Văn phòng HĐND và UBND phường · liên hệ: vanphong@hungdao.gov.vn" in text
    assert "✖ Chưa nộp — Công an phường\n" in text + "\n"
    reminder = at.code[0].value
    sent = {"ttpvhcc", "vhxh"}
    missing = [
        catalog.plan("hung_dao").unit_name(u) for u in reporting_units(catalog, "hung_dao", 2026) if u not in sent
    ]
    assert reminder.startswith("Kính gửi: " + "; ".join(missing) + ".")
    assert "phiếu báo cáo tháng 06/2026" in reminder and "hết ngày 05/07/2026 (đã quá hạn" in reminder


def test_a_plan_without_its_number_says_so(empty_db):
    at = open_page("views/catalog.py")
    assert_clean(at)
    shown = page_text(at).replace("\\", "")  # the plan's words are shown as plain text (escaped markdown)
    assert "(chưa ghi số) /KH-UBND" in shown and "số /KH-UBND" not in shown
    at = open_page("views/catalog.py", locality="hung_dao")
    assert "số 178/KH-UBND" in page_text(at).replace("\\", "")
