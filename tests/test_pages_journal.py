"""Nhật ký: names instead of codes, where each action came from, filters by kind of action, account,
locality and dates; routine sign-ins hidden until asked for."""

from __future__ import annotations

import datetime as dt

import pytest
from page_fixtures import assert_clean, open_page

from plans.reporting import ALL_UNITS_NAME
from ui import journal_tables as jt

pytestmark = pytest.mark.both_backends

PAGE = "views/journal.py"


def journal(at) -> list[dict]:
    return at.dataframe[0].value.to_dict("records") if at.dataframe else []


def test_submissions_read_with_unit_names_and_routine_sign_ins_are_hidden(known_db):
    at = open_page(PAGE)
    assert_clean(at)
    rows = [row for row in journal(at) if row["Việc"] == "Nộp phiếu"]
    lines = {row["Nội dung"] for row in rows}
    # the known database: Tân An's whole-locality sheets of May and June, Hưng Đạo's two units in June
    assert lines == {
        f"Phiếu số 1: {ALL_UNITS_NAME}, Tháng 05/2026",
        f"Phiếu số 2: {ALL_UNITS_NAME}, Tháng 06/2026",
        "Phiếu số 3: Trung tâm Phục vụ hành chính công phường, Tháng 06/2026",
        "Phiếu số 4: Phòng Văn hóa - Xã hội phường, Tháng 06/2026",
    }
    assert {row["Địa phương"] for row in rows} == {"Xã Tân An", "Phường Hưng Đạo"}
    assert {row["Từ địa chỉ"] for row in rows} == {"không ghi"}  # loaded before addresses were kept
    assert "Đăng nhập" not in {row["Việc"] for row in journal(at)}  # the sign-in of this test is there, not shown


def test_filters_by_kind_account_locality_and_dates(known_db):
    at = open_page(PAGE)
    at.multiselect(key="journal_actions").set_value(["login"]).run()
    assert [(row["Việc"], row["Người thực hiện"]) for row in journal(at)] == [("Đăng nhập", "admin-all")]
    at.multiselect(key="journal_actions").set_value([]).run()  # nothing chosen: every kind but sign-ins
    assert "Đăng nhập" not in {row["Việc"] for row in journal(at)}
    at.checkbox(key="journal_routine").check().run()
    assert {row["Việc"] for row in journal(at)} >= {"Đăng nhập", "Nộp phiếu"}
    at.multiselect(key="journal_actors").set_value(["admin-all"]).run()
    assert {row["Người thực hiện"] for row in journal(at)} == {"admin-all"}
    at.multiselect(key="journal_actors").set_value([]).run()
    at.multiselect(key="journal_places").set_value(["hung_dao"]).run()
    assert [row["Nội dung"][:11] for row in journal(at)] == ["Phiếu số 4:", "Phiếu số 3:"]
    at.date_input(key="journal_days").set_value((dt.date(2026, 6, 1), dt.date(2026, 6, 30))).run()
    assert not journal(at) and any("Không có dòng nhật ký nào" in i.value for i in at.info)
    at.multiselect(key="journal_places").set_value([]).run()
    assert [row["Nội dung"] for row in journal(at)] == [f"Phiếu số 1: {ALL_UNITS_NAME}, Tháng 05/2026"]
    assert_clean(at)


def test_an_office_reads_its_own_locality_only(known_db):
    at = open_page(PAGE, locality="hung_dao", role="office")
    assert_clean(at)
    assert {row["Địa phương"] for row in journal(at)} == {"Phường Hưng Đạo"}
    assert not any(m.key == "journal_places" for m in at.multiselect)


def test_a_day_range_ends_with_its_last_day():
    found = jt.search([], [], [], [dt.date(2026, 6, 3), dt.date(2026, 6, 3)])
    assert (found.since, found.until) == (dt.datetime(2026, 6, 3), dt.datetime(2026, 6, 4))
    assert jt.search([], [], [], [dt.date(2026, 6, 3)]).until == dt.datetime(2026, 6, 4)  # while choosing the end
