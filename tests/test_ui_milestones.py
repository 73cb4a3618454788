"""Report deadlines, reviews and phases of a plan."""

from __future__ import annotations

import datetime as dt

import pytest

from ui.milestones import milestones, next_report_deadline, phase_years


@pytest.mark.parametrize(
    ("today", "name", "day", "days_left"),
    [
        (dt.date(2026, 11, 22), "Báo cáo năm", dt.date(2026, 12, 15), 23),
        (dt.date(2026, 6, 15), "Báo cáo định kỳ 6 tháng", dt.date(2026, 6, 15), 0),
        (dt.date(2026, 6, 16), "Báo cáo năm", dt.date(2026, 12, 15), 182),
        (dt.date(2026, 12, 16), "Báo cáo định kỳ 6 tháng", dt.date(2027, 6, 15), 181),
    ],
)
def test_next_report_deadline_of_tan_an(catalog, today, name, day, days_left):
    deadline = next_report_deadline(catalog.plan("tan_an"), today)
    assert (deadline.name, deadline.day, deadline.days_left) == (name, day, days_left)


def test_hung_dao_reports_by_the_10th(catalog):
    assert next_report_deadline(catalog.plan("hung_dao"), dt.date(2026, 12, 11)).day == dt.date(2027, 6, 10)


@pytest.mark.parametrize("locality", ["binh_giang", "ke_sat", "nam_thanh_mien"])
def test_plans_without_fixed_report_dates(catalog, locality):
    assert next_report_deadline(catalog.plan(locality), dt.date(2026, 11, 22)) is None


def test_milestones_over_the_plan_horizon(catalog):
    frame = milestones(catalog.plan("tan_an"))
    reviews = frame[frame["kind"] == "review"]
    assert list(reviews["date"]) == [dt.date(2028, 12, 31), dt.date(2030, 12, 31)]
    reports = frame[frame["kind"] == "report"]
    assert len(reports) == 2 * 5 and reports["date"].min() == dt.date(2026, 6, 15)


def test_phase_years(catalog):
    plan = catalog.plan("tan_an")
    assert phase_years(plan, "Giai đoạn 2") == (2028, 2030)
    assert phase_years(plan, None) == (2026, 2030)
