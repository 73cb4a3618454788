"""Reporting periods (Nghị định 09/2019/NĐ-CP): the data window a report states, never after its own
date; the months a report may be made for; monthly sheets not yet due are "chưa đến hạn", not
"chưa nộp". The office's clock is set in the test (``plans.clock``)."""

from __future__ import annotations

import datetime as dt

import pytest
from page_fixtures import JUNE

from plans import clock
from plans.periods import DataWindow, Period, data_window
from plans.reporting import report_month_problem
from reports.__main__ import main
from reports.build import read_inputs, report_content
from store.db import connection

pytestmark = pytest.mark.both_backends

D = dt.date


@pytest.mark.parametrize(
    "first, last, today, own, window",
    [
        # monthly: 15th of the previous month to the 14th
        (Period(2026, 5), Period(2026, 5), D(2026, 5, 20), None, DataWindow(D(2026, 4, 15), D(2026, 5, 14), False)),
        # quarterly (II): 15/3 to 14/6
        (Period(2026, 4), Period(2026, 6), D(2026, 7, 1), None, DataWindow(D(2026, 3, 15), D(2026, 6, 14), False)),
        # 6 months: 15/12 of the year before to 14/6; the annual report: to 14/12
        (Period(2026, 1), Period(2026, 6), D(2026, 6, 20), None, DataWindow(D(2025, 12, 15), D(2026, 6, 14), False)),
        (Period(2026, 1), Period(2026, 12), D(2026, 12, 20), None, DataWindow(D(2025, 12, 15), D(2026, 12, 14), False)),
        # made before the cut-off: the window ends the day the report is made, provisional (was: "tính đến
        # ngày 14/12/2026" in a report dated 06/12/2026)
        (Period(2026, 1), Period(2026, 12), D(2026, 12, 6), None, DataWindow(D(2025, 12, 15), D(2026, 12, 6), True)),
        (Period(2026, 1), Period(2026, 6), D(2026, 6, 14), None, DataWindow(D(2025, 12, 15), D(2026, 6, 14), True)),
        # a plan's own deadline (Hưng Đạo: before 10/6) cuts the day before it
        (Period(2026, 1), Period(2026, 6), D(2026, 6, 20), 10, DataWindow(D(2025, 12, 10), D(2026, 6, 9), False)),
    ],
)
def test_data_window(first, last, today, own, window):
    assert data_window(first, last, today, own) == window


@pytest.mark.parametrize(
    "month, problem",
    [
        ("2025-12", "Tháng 12/2025 trước tháng báo cáo đầu tiên của Xã Tân An (tháng 01/2026)"),
        ("2027-01", "Tháng 01/2027 chưa bắt đầu (hôm nay là 06/12/2026)"),
        ("2031-01", "Tháng 01/2031 sau khi kế hoạch của Xã Tân An kết thúc (hết năm 2030)"),
        ("2026-01", None),
        ("2026-12", None),
    ],
)
def test_months_a_report_can_be_made_for(catalog, month, problem):
    found = report_month_problem([catalog.plan("tan_an")], Period.parse(month), D(2026, 12, 6), "Xã Tân An")
    assert (found is None) if problem is None else found.startswith(problem), found


@pytest.mark.parametrize("month", ["2025-12", "2027-01", "2031-01"])
def test_the_command_line_refuses_those_months_with_exit_1(known_store, tmp_path, monkeypatch, capsys, month):
    """Was: official-looking reports for any month ("Trong năm 2025, đã nhận 0/144 lượt" for a plan of 05/2026)."""
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 6, 9, 0))
    out = tmp_path / "x.docx"
    assert main(["build", "--locality", "tan_an", "--period", month, "--out", str(out), "--db", str(known_store)]) == 1
    assert not out.exists()
    assert capsys.readouterr().err.startswith(f"Lỗi: Tháng {month[5:]}/{month[:4]} ")


def content_on(known_store, catalog, locality: str, today: D, kind: str | None = None, period: Period = JUNE):
    with connection(known_store) as con:
        inputs = read_inputs(con, catalog, locality, period, today, kind=kind)
    return report_content(catalog, inputs, locality, period, kind, today)


def text_of(content) -> str:
    return "\n".join(getattr(b, "text", "") for blocks in content.sections.values() for b in blocks)


def test_sheets_not_yet_due_are_not_missing(known_store, catalog):
    """On 14/6/2026 June's sheets are due 5/7: Hưng Đạo's nine units that have not sent theirs are
    "chưa đến hạn" (was: "chưa nộp"); on 10/7 they are late and missing."""
    early = content_on(known_store, catalog, "hung_dao", D(2026, 6, 14))
    june = early.appendices[3].tables[0].rows[5]
    assert (june["expected"], june["received"], june["missing"], june["not_due"]) == (11, 2, 0, 9)
    text = text_of(early)
    assert "9 lượt của tháng 6/2026 chưa đến hạn gửi (hạn ngày 05/7/2026)" in text
    # January to May: no sheet at all from Hưng Đạo's 11 units, those are missing
    assert "đã gửi 2/66 lượt báo cáo tháng; 2 lượt đúng hạn; 55 lượt chưa gửi;" in text
    assert "(số liệu từ ngày 10/12/2025 đến ngày 09/6/2026)" in early.intro  # Hưng Đạo reports before 10/6
    late = content_on(known_store, catalog, "hung_dao", D(2026, 7, 10))
    june = late.appendices[3].tables[0].rows[5]
    assert (june["missing"], june["not_due"]) == (9, 0)
    assert "chưa đến hạn" not in text_of(late) and not late.window.provisional


def test_a_report_never_states_data_after_its_own_date(known_store, catalog):
    annual = content_on(known_store, catalog, "tan_an", D(2026, 12, 6), "nam", Period(2026, 12))
    assert (
        annual.cut_off == D(2026, 12, 6) and "(số liệu tạm tính từ ngày 15/12/2025 đến ngày 06/12/2026)" in annual.intro
    )
    half = content_on(known_store, catalog, "tan_an", D(2026, 6, 14))  # Tân An's cut-off is 14/6: not over yet
    assert half.cut_off == D(2026, 6, 14) and half.window.provisional and "tạm tính" in half.intro
