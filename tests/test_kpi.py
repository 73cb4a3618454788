"""KPI points per rule and ratings, hand-computed from Appendix 2 of the Nam Thanh Miện plan."""
from __future__ import annotations

from dataclasses import replace

import pytest

from loaders.catalog import Catalog, FrameworkItem
from loaders.periods import Period
from scoring import statuses as st
from scoring.kpi import item_points, rating_for, score


def item(catalog: Catalog, code: str) -> FrameworkItem:
    return next(i for i in catalog.framework.items if i.code == code)


@pytest.mark.parametrize("code, value, points", [
    ("1.3", 2, 1.5),       # ≥ 4 cuộc/năm, 3 điểm: 3 × 2/4
    ("1.3", 4, 3.0),
    ("1.3", 6, 3.0),       # capped at the maximum
    ("1.3", 0, 0.0),
    ("1.3", None, 0.0),    # not reported
    ("1.1", 1, 3.0),       # Có/không: Có
    ("1.1", 0, 0.0),       # Không
    ("1.4", 5, 3.125),     # ≥ 8 sáng kiến/năm, 5 điểm: 5 × 5/8
    ("2.2", 72, 3.2),      # ≥ 90% cán bộ, 4 điểm: 4 × 72/90
    ("3.3", 15, 3.75),     # Giảm ≥ 20%, 5 điểm: 5 × 15/20
    ("3.3", 25, 5.0),
    ("3.1", 100, 5.0),     # 100% TTHC đủ điều kiện
    ("4.1", 1, 2.0),       # ≥ 3 mô hình, 6 điểm: 6 × 1/3
    ("5.2", 75, 3.0),      # 100% thôn, 4 điểm: 3 of 4 villages
])
def test_item_points_default_rules(catalog: Catalog, code, value, points) -> None:
    assert item_points(item(catalog, code), value) == pytest.approx(points)


def test_all_or_nothing_rule(catalog: Catalog) -> None:
    strict = replace(item(catalog, "3.4"), rule="all_or_nothing")  # ≥ 90%, 5 điểm
    assert item_points(strict, 89.9) == 0
    assert item_points(strict, 90) == 5


@pytest.mark.parametrize("value, points", [(100, 4.0), (85, 2.0), (80, 2.0), (79, 0.0)])
def test_steps_rule(catalog: Catalog, value, points) -> None:
    stepped = replace(item(catalog, "2.1"), max_points=4, rule="steps",
                      steps=({"min_ratio": 1.0, "share": 1.0}, {"min_ratio": 0.8, "share": 0.5}))
    assert item_points(stepped, value) == pytest.approx(points)


def test_lower_is_better_proportional(catalog: Catalog) -> None:
    fewer = replace(item(catalog, "1.3"), comparator="<=", threshold=10, max_points=4)
    assert item_points(fewer, 20) == pytest.approx(2.0)
    assert item_points(fewer, 5) == pytest.approx(4.0)


@pytest.mark.parametrize("points, rating", [
    (100, "Xuất sắc"), (90, "Xuất sắc"), (89.99, "Tốt"), (75, "Tốt"), (74.99, "Khá"),
    (60, "Khá"), (59.99, "Trung bình"), (50, "Trung bình"), (49.99, "Chưa đạt"), (0, "Chưa đạt"),
])
def test_rating_boundaries(catalog: Catalog, points, rating) -> None:
    assert rating_for(points, catalog.framework.ratings) == rating


def test_score_all_thresholds_met_is_100(catalog: Catalog) -> None:
    values = {i.measure: i.threshold for i in catalog.framework.items}
    result = score(catalog.framework, values, Period(2026, 12))
    assert result.points == 100 and result.rating == "Xuất sắc" and result.provisional is False
    assert [g.points for g in result.groups] == [15, 20, 20, 30, 15]


def test_score_mixed_case_by_hand(catalog: Catalog) -> None:
    values = {
        "plan_issued": 1,                        # 1.1 → 3
        "staff_digital_trained": 80,             # 1.2 → 4 × 0.8 = 3.2
        "propaganda_campaigns": 2,               # 1.3 → 1.5
        "mgmt_initiatives": 8,                   # 1.4 → 5           group 1 = 12.7
        "networked_computers_share": 100,        # 2.1 → 3
        "staff_digital_signature_share": 45,     # 2.2 → 2
        "tthc_records_digitised": 40,            # 2.3 → 2.5
        "shared_database": 0,                    # 2.4 → 0
        # 2.5 smart_radio not reported → 0       group 2 = 7.5
        "dvc_full_online_share": 100,            # 3.1 → 5
        "online_dossier_share": 35,              # 3.2 → 2.5
        "tthc_time_reduction": 10,               # 3.3 → 2.5
        "satisfaction_rate": 95,                 # 3.4 → 5           group 3 = 15
        "hitech_agri_models": 3,                 # 4.1 → 6
        "ocop_digital_products": 1,              # 4.2 → 4
        "smart_tourism_models": 0,               # 4.3 → 0
        "biz_household_ecommerce_share": 25,     # 4.4 → 2.5
        "cashless_payment_share": 50,            # 4.5 → 5
        "initiatives_applied": 4,                # 4.6 → 2.5         group 4 = 20
        "dvc_online_usage": 70,                  # 5.1 → 5
        "village_innovation_team_share": 50,     # 5.2 → 2
        "community_support_activities": 4,       # 5.3 → 3
        "biz_innovation_share": 15,              # 5.4 → 1.5         group 5 = 11.5
    }
    result = score(catalog.framework, values, Period(2026, 6))
    assert [g.points for g in result.groups] == [12.7, 7.5, 15.0, 20.0, 11.5]
    assert result.points == pytest.approx(66.7)
    assert result.rating == "Khá"
    assert result.provisional is True
    statuses = {i.code: i.status for i in result.items}
    assert statuses["2.5"] == st.NOT_REPORTED and statuses["1.4"] == st.MET and statuses["1.3"] == st.NOT_MET
    assert result.not_reported == 1
