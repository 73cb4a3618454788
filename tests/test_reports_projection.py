"""When an unmet indicator is reached at the current pace, and what the report then calls it:
hand-computed cases on series built as the store builds them (value as of each reported month)."""

from __future__ import annotations

import pandas as pd
import pytest

from plans import vocabulary as vocab
from plans.model import Measure
from plans.periods import Period
from reports.kinds import coverage, default_kind
from reports.projection import Projection, project, reported_series, verdict

pytestmark = pytest.mark.both_backends

RATE = Measure("rate", "Tỷ lệ", "%", "rate", "latest", "ratio", "g", "vhxh")
FLOW = Measure("flow", "Số buổi", "count", "flow", "sum_year", "sum", "g", "vhxh")
YESNO = Measure("yes", "Có/không", "yes/no", "yes_no", "latest", "any", "g", "vhxh")


def series(values: dict[str, float]) -> pd.Series:
    return pd.Series(values, dtype=float)


def row(comparator=">=", target=100.0, year=2030, status=vocab.BEHIND) -> dict:
    return {"code": "X-1", "status": status, "comparator": comparator, "target": target, "target_year": year}


@pytest.mark.parametrize(
    "values, target_row, text",
    [
        # 40, 50, 60: +10 a month; from 60 in 03/2026 to 100 needs 4 months → 7/2026
        ({"2026-01": 40, "2026-02": 50, "2026-03": 60}, row(), "dự kiến đạt tháng 7/2026"),
        # +1 a month from 60: 40 months → 7/2029, after the end of 2027
        (
            {"2026-01": 58, "2026-02": 59, "2026-03": 60},
            row(year=2027),
            "theo tốc độ hiện nay, đến hết năm 2027 chưa đạt (dự kiến tháng 7/2029)",
        ),
        ({"2026-01": 60, "2026-02": 55, "2026-03": 50}, row(), "kết quả đang giảm, ngược hướng mục tiêu"),
        # lower is better: 8, 6, 4 incidents, target ≤ 0: −2 a month → 2 more months → 5/2026
        ({"2026-01": 8, "2026-02": 6, "2026-03": 4}, row("<=", 0, 2026), "dự kiến đạt tháng 5/2026"),
        ({"2026-01": 0, "2026-02": 1, "2026-03": 2}, row("<=", 0, 2026), "kết quả đang tăng, ngược hướng mục tiêu"),
        ({"2026-02": 50, "2026-03": 60}, row(), "chưa đủ dữ liệu để dự báo (có 2 tháng báo cáo, cần ít nhất 3)"),
        # flat for the last three months after a rise: no pace, whatever came before (was: 100% in 1/2027)
        (
            {"2026-01": 60, "2026-02": 80, "2026-06": 97.3, "2026-09": 97.3, "2026-12": 97.3},
            row(year=2027),
            "chưa có tiến triển từ tháng 6/2026",
        ),
        # a count flat for ten months (was: "không đạt trước 2030")
        ({f"2026-{m:02d}": 2 for m in range(3, 13)}, row(target=3), "chưa có tiến triển từ tháng 3/2026"),
    ],
)
def test_projection(values, target_row, text):
    found = project(target_row, RATE, series(values))
    assert found is not None and found.text == text, found


@pytest.mark.parametrize(
    "status, measure", [(vocab.MET, RATE), (vocab.NOT_REPORTED, RATE), (vocab.NOT_MET, RATE), (vocab.BEHIND, YESNO)]
)
def test_no_projection_where_it_means_nothing(status, measure):
    assert project(row(status=status), measure, series({"2026-01": 0, "2026-02": 1, "2026-03": 1})) is None


def test_the_series_is_the_store_as_of_value_in_the_reported_months():
    """A flow's as-of value is the year's running total (the store's rule, not recomputed here),
    taken only in the months it was reported; a flow starts again in January."""
    as_of = pd.DataFrame(
        {
            "measure": "flow",
            "period": ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"],
            "value": [9.0, 1.0, 1.0, 3.0, 3.0],
        }
    )
    reported = pd.DataFrame({"measure": "flow", "period": ["2025-12", "2026-01", "2026-03"], "value": [2.0, 1.0, 2.0]})
    found = reported_series(as_of, reported, FLOW, Period(2026, 4), this_year_only=False)
    assert found.to_dict() == {"2026-01": 1.0, "2026-03": 3.0}


def projection(in_time: bool | None, pace: float | None = 1.0) -> Projection:
    return Projection("X-1", 6, pace, Period(2031, 2) if in_time is False else Period(2029, 8), in_time, "")


@pytest.mark.parametrize(
    "status, comparator, found, word",
    [
        (vocab.ON_TRACK, ">=", projection(True), "Đúng tiến độ"),
        # never "đúng tiến độ" beside a projection past the deadline, or a result that stopped moving
        (vocab.ON_TRACK, ">=", projection(False), "Cần đẩy nhanh"),
        (vocab.ON_TRACK, ">=", projection(None, pace=0.0), "Cần đẩy nhanh"),
        (vocab.ON_TRACK, ">=", None, "Đúng tiến độ"),
        (vocab.BEHIND, ">=", projection(False), "Chậm tiến độ"),
        # moving away from the target says which way, by whether lower is better
        (vocab.REGRESSING, ">=", None, "Giảm, xa mục tiêu hơn"),
        (vocab.REGRESSING, "<=", None, "Tăng, xa mục tiêu hơn"),
        (vocab.MET, "<=", None, "Đạt"),
        (vocab.NOT_MET, ">=", None, "Không đạt"),
    ],
)
def test_verdict(status, comparator, found, word):
    assert verdict(status, comparator, found) == word


def test_a_target_of_a_year_still_provisional_is_not_yet_missed():
    assert verdict(vocab.NOT_MET, ">=", None, final=False) == "Chưa đạt"


@pytest.mark.parametrize("month, kind", [(6, "6thang"), (12, "nam"), (5, "thang"), (1, "thang")])
def test_kind_defaults_from_the_month(month, kind):
    assert default_kind(Period(2026, month)) == kind


def test_coverage():
    assert coverage("6thang", Period(2026, 6), 2026, 2030).label == "6 tháng đầu năm 2026"
    assert coverage("nam", Period(2026, 12), 2026, 2030).next_label == "năm 2027"
    assert coverage("thang", Period(2026, 5), 2026, 2030).label == "tháng 5 năm 2026"
    assert coverage("tongket", Period(2030, 12), 2026, 2030).label == "tổng kết giai đoạn 2026 - 2030"
