"""When an unmet indicator is reached at the current pace: hand-computed cases."""
from __future__ import annotations

import pandas as pd
import pytest

from plans.model import Measure
from plans.periods import Period
from reports.kinds import coverage, cut_off, default_kind
from reports.projection import project

RATE = Measure("rate", "Tỷ lệ", "%", "rate", "latest", "ratio", "g", "vhxh")
FLOW = Measure("flow", "Số buổi", "count", "flow", "sum_year", "sum", "g", "vhxh")
YESNO = Measure("yes", "Có/không", "yes/no", "yes_no", "latest", "any", "g", "vhxh")


def monthly(measure: str, values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"locality_id": "x", "measure": measure, "period": list(values), "value": list(values.values())})


def row(comparator=">=", target=100.0, year=2030, status="behind") -> dict:
    return {"code": "X-1", "status": status, "comparator": comparator, "target": target, "target_year": year}


@pytest.mark.parametrize("values, target_row, measure, text", [
    # 40, 50, 60: +10 a month; from 60 in 03/2026 to ≥ 100 needs 4 months → 07/2026
    ({"2026-01": 40, "2026-02": 50, "2026-03": 60}, row(), RATE, "dự kiến đạt vào tháng 07/2026"),
    # +1 a month from 60: 40 months → 07/2029, before the end of 2027? no → not before 2027
    ({"2026-01": 58, "2026-02": 59, "2026-03": 60}, row(year=2027), RATE, "không đạt trước 2027 (theo tốc độ hiện nay: tháng 07/2029)"),
    ({"2026-01": 60, "2026-02": 55, "2026-03": 50}, row(), RATE, "không đạt trước 2030 (kết quả không tăng"),
    # lower is better: 8, 6, 4 incidents, target ≤ 0: −2 a month → 2 more months → 05/2026
    ({"2026-01": 8, "2026-02": 6, "2026-03": 4}, row("<=", 0, 2026), RATE, "dự kiến đạt vào tháng 05/2026"),
    # a flow per year: 1 + 1 + 1 → running total 1, 2, 3; ≥ 8 needs 5 more months → 08/2026
    ({"2026-01": 1, "2026-02": 1, "2026-03": 1}, row(target=8, year=2026), FLOW, "dự kiến đạt vào tháng 08/2026"),
    ({"2026-02": 50, "2026-03": 60}, row(), RATE, "chưa đủ số liệu để dự báo: có 2 tháng báo cáo, cần ít nhất 3"),
    ({"2026-01": 0, "2026-02": 0, "2026-03": 0}, row(target=1), YESNO, "chỉ tiêu Có/Không"),
])
def test_projection(values, target_row, measure, text):
    found = project(target_row, measure, monthly(measure.code, values), Period(2026, 3), every_year=False)
    assert found is not None and found.text.startswith(text), found


def test_met_and_unreported_indicators_have_no_projection():
    frame = monthly("rate", {"2026-01": 100})
    assert project(row(status="met"), RATE, frame, Period(2026, 3), False) is None
    assert project(row(status="not_reported"), RATE, frame, Period(2026, 3), False) is None


@pytest.mark.parametrize("month, kind", [(6, "6thang"), (12, "nam"), (5, "thang"), (1, "thang")])
def test_kind_defaults_from_the_month(month, kind):
    assert default_kind(Period(2026, month)) == kind


def test_coverage_and_cut_off(catalog):
    assert coverage("6thang", Period(2026, 6), 2026, 2030).label == "6 tháng đầu năm 2026"
    assert coverage("nam", Period(2026, 12), 2026, 2030).next_label == "năm 2027"
    assert coverage("tongket", Period(2030, 12), 2026, 2030).label == "tổng kết giai đoạn 2026 - 2030"
    assert str(cut_off("6thang", Period(2026, 6), catalog.plan("tan_an"))) == "2026-06-14"
    assert str(cut_off("nam", Period(2026, 12), catalog.plan("hung_dao"))) == "2026-12-09"
    assert str(cut_off("6thang", Period(2026, 6), catalog.plan("binh_giang"))) == "2026-06-30"  # no fixed day
    assert str(cut_off("thang", Period(2026, 6), catalog.plan("tan_an"))) == "2026-06-30"
