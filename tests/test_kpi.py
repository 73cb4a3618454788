"""KPI points per rule and ratings, hand-computed from Appendix 2 of the Nam Thanh Miện plan."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from sheet_factory import filled

from loaders.ingest import ingest_files
from plans import vocabulary as vocab
from plans.catalog import DATA_DIR, CatalogError, load_catalog
from plans.model import Catalog, FrameworkItem
from plans.periods import Period
from scoring.kpi import is_provisional, item_points, rating_for, round_points, score
from scoring.report import locality_reports
from store.db import prepare

AFTER_2026 = dt.date(2027, 1, 1)  # a "today" on which the whole of 2026 is over


def item(catalog: Catalog, code: str) -> FrameworkItem:
    return next(i for i in catalog.framework_for(2026).items if i.code == code)


@pytest.mark.parametrize(
    "code, value, points",
    [
        ("1.3", 2, 1.5),  # ≥ 4 cuộc/năm, 3 điểm: 3 × 2/4
        ("1.3", 4, 3.0),
        ("1.3", 6, 3.0),  # capped at the maximum
        ("1.3", 0, 0.0),
        ("1.3", None, 0.0),  # not reported
        ("1.1", 1, 3.0),  # Có/không: Có
        ("1.1", 0, 0.0),  # Không
        ("1.4", 5, 3.125),  # ≥ 8 sáng kiến/năm, 5 điểm: 5 × 5/8
        ("2.2", 72, 3.2),  # ≥ 90% cán bộ, 4 điểm: 4 × 72/90
        ("3.3", 15, 3.75),  # Giảm ≥ 20%, 5 điểm: 5 × 15/20
        ("3.3", 25, 5.0),
        ("3.1", 100, 5.0),  # 100% TTHC đủ điều kiện
        ("4.1", 1, 2.0),  # ≥ 3 mô hình, 6 điểm: 6 × 1/3
        ("5.2", 75, 3.0),  # 100% thôn, 4 điểm: 3 of 4 villages
    ],
)
def test_item_points_default_rules(catalog: Catalog, code, value, points) -> None:
    assert item_points(item(catalog, code), value) == pytest.approx(points)


def test_all_or_nothing_rule(catalog: Catalog) -> None:
    strict = replace(item(catalog, "3.4"), rule="all_or_nothing")  # ≥ 90%, 5 điểm
    assert item_points(strict, 89.9) == 0
    assert item_points(strict, 90) == 5


@pytest.mark.parametrize("value, points", [(100, 4.0), (85, 2.0), (80, 2.0), (79, 0.0)])
def test_steps_rule(catalog: Catalog, value, points) -> None:
    stepped = replace(
        item(catalog, "2.1"),
        max_points=4,
        rule="steps",
        steps=({"min_ratio": 1.0, "share": 1.0}, {"min_ratio": 0.8, "share": 0.5}),
    )
    assert item_points(stepped, value) == pytest.approx(points)


def test_lower_is_better_proportional(catalog: Catalog) -> None:
    fewer = replace(item(catalog, "1.3"), comparator="<=", threshold=10, max_points=4)
    assert item_points(fewer, 20) == pytest.approx(2.0)
    assert item_points(fewer, 5) == pytest.approx(4.0)


@pytest.mark.parametrize(
    "points, rating",
    [
        (100, "Xuất sắc"),
        (90, "Xuất sắc"),
        (89.99, "Tốt"),
        (75, "Tốt"),
        (74.99, "Khá"),
        (60, "Khá"),
        (59.99, "Trung bình"),
        (50, "Trung bình"),
        (49.99, "Chưa đạt"),
        (0, "Chưa đạt"),
    ],
)
def test_rating_boundaries(catalog: Catalog, points, rating) -> None:
    assert rating_for(points, catalog.framework_for(2026).ratings) == rating


def test_score_all_thresholds_met_is_100(catalog: Catalog) -> None:
    values = {i.measure: i.threshold for i in catalog.framework_for(2026).items}
    result = score(catalog.framework_for(2026), values, Period(2026, 12), AFTER_2026)
    assert result.points == 100 and result.rating == "Xuất sắc" and result.provisional is False
    assert [g.points for g in result.groups] == [15, 20, 20, 30, 15]


def test_score_mixed_case_by_hand(catalog: Catalog) -> None:
    values = {
        "plan_issued": 1,  # 1.1 → 3
        "staff_digital_trained": 80,  # 1.2 → 4 × 0.8 = 3.2
        "propaganda_campaigns": 2,  # 1.3 → 1.5
        "mgmt_initiatives": 8,  # 1.4 → 5           group 1 = 12.7
        "networked_computers_share": 100,  # 2.1 → 3
        "staff_digital_signature_share": 45,  # 2.2 → 2
        "tthc_records_digitised": 40,  # 2.3 → 2.5
        "shared_database": 0,  # 2.4 → 0
        # 2.5 smart_radio not reported → 0       group 2 = 7.5
        "dvc_full_online_share": 100,  # 3.1 → 5
        "online_dossier_share": 35,  # 3.2 → 2.5
        "tthc_time_reduction": 10,  # 3.3 → 2.5
        "satisfaction_rate": 95,  # 3.4 → 5           group 3 = 15
        "hitech_agri_models": 3,  # 4.1 → 6
        "ocop_digital_products": 1,  # 4.2 → 4
        "smart_tourism_models": 0,  # 4.3 → 0
        "biz_household_ecommerce_share": 25,  # 4.4 → 2.5
        "cashless_payment_share": 50,  # 4.5 → 5
        "initiatives_applied": 4,  # 4.6 → 2.5         group 4 = 20
        "dvc_online_usage": 70,  # 5.1 → 5
        "village_innovation_team_share": 50,  # 5.2 → 2
        "community_support_activities": 4,  # 5.3 → 3
        "biz_innovation_share": 15,  # 5.4 → 1.5         group 5 = 11.5
    }
    result = score(catalog.framework_for(2026), values, Period(2026, 6))
    assert [g.points for g in result.groups] == [12.7, 7.5, 15.0, 20.0, 11.5]
    assert result.points == pytest.approx(66.7)
    assert result.rating == "Khá"
    assert result.provisional is True
    statuses = {i.code: i.status for i in result.items}
    assert statuses["2.5"] == vocab.NOT_REPORTED and statuses["1.4"] == vocab.MET and statuses["1.3"] == vocab.NOT_MET
    assert result.not_reported == 1


def at_thresholds(catalog: Catalog, **changes: float) -> dict[str, float]:
    """Every measure at its threshold (100 points), with ``changes`` applied."""
    return {**{i.measure: i.threshold for i in catalog.framework_for(2026).items}, **changes}


# 90 = 100 − 4 (4.1: 1 of 3 models, 6 × 1/3 = 2 of 6) − 4 (2.5: smart radio "Không") − 2 (1.2: 50% trained, 4 × 0.5)
NINETY = {"hitech_agri_models": 1, "smart_radio": 0, "staff_digital_trained": 50}
# group 4 at 0: −30 (4.1 6 + 4.2 4 + 4.3 5 + 4.4 5 + 4.5 5 + 4.6 5)
GROUP_4_ZERO = {
    "hitech_agri_models": 0,
    "ocop_digital_products": 0,
    "smart_tourism_models": 0,
    "biz_household_ecommerce_share": 0,
    "cashless_payment_share": 0,
    "initiatives_applied": 0,
}
# 75 = 100 − 25: group 4 at 0 except 4.6
SEVENTY_FIVE = {k: v for k, v in GROUP_4_ZERO.items() if k != "initiatives_applied"}
# 60 = 100 − 30 (group 4) − 4 (2.4 "Không") − 4 (2.5 "Không") − 2 (5.2: 50% of villages, 4 × 0.5)
SIXTY = {**GROUP_4_ZERO, "shared_database": 0, "smart_radio": 0, "village_innovation_team_share": 50}
# 50 = 100 − 30 (group 4) − 20 (group 3: 3.1–3.4 at 0, 5 points each)
FIFTY = {
    **GROUP_4_ZERO,
    "dvc_full_online_share": 0,
    "online_dossier_share": 0,
    "tthc_time_reduction": 0,
    "satisfaction_rate": 0,
}


@pytest.mark.parametrize(
    "changes, points, rating",
    [
        (NINETY, 90.0, "Xuất sắc"),
        # 3.2 (≥ 70%, 5 points) at 69.888: 5 × 69.888/70 = 4.992 → raw 89.992 → 89.99
        ({**NINETY, "online_dossier_share": 69.888}, 89.99, "Tốt"),
        # 3.2 at 69.93: 5 × 69.93/70 = 4.995 → raw 89.995 → half up 90.00
        ({**NINETY, "online_dossier_share": 69.93}, 90.0, "Xuất sắc"),
        # 3.2 at 69.944: 4.996 and 4.4 (≥ 50%, 5 points) at 49.96: 4.996 → raw 89.992; rounding each
        # item first (5.00 + 5.00) would have given 90.00 "Xuất sắc"
        ({**NINETY, "online_dossier_share": 69.944, "biz_household_ecommerce_share": 49.96}, 89.99, "Tốt"),
        (SEVENTY_FIVE, 75.0, "Tốt"),
        # 3.2 at 69.86: 5 × 69.86/70 = 4.99 → 74.99
        ({**SEVENTY_FIVE, "online_dossier_share": 69.86}, 74.99, "Khá"),
        (SIXTY, 60.0, "Khá"),
        ({**SIXTY, "online_dossier_share": 69.86}, 59.99, "Trung bình"),
        (FIFTY, 50.0, "Trung bình"),
        # 5.1 (≥ 70%, 5 points) at 69.86: 4.99 → 49.99
        ({**FIFTY, "dvc_online_usage": 69.86}, 49.99, "Chưa đạt"),
    ],
)
def test_total_rounded_once_and_rated_near_boundaries(catalog: Catalog, changes, points, rating) -> None:
    result = score(catalog.framework_for(2026), at_thresholds(catalog, **changes), Period(2026, 12), AFTER_2026)
    assert (result.points, result.rating) == (points, rating)


def test_group_subtotals_from_exact_item_points(catalog: Catalog) -> None:
    # 1.4 and 4.6 (≥ 8 a year, 5 points) at 5: 5 × 5/8 = 3.125 each, kept exact on the item.
    # group 1 = 3 + 4 + 3 + 3.125 = 13.125 → 13.13; group 4 = 6 + 4 + 5 + 5 + 5 + 3.125 = 28.125 → 28.13;
    # total = 100 − 2 × 1.875 = 96.25. Rounding items first (round(3.125, 2) = 3.12) gave 13.12, 28.12, 96.24.
    result = score(
        catalog.framework_for(2026),
        at_thresholds(catalog, mgmt_initiatives=5, initiatives_applied=5),
        Period(2026, 12),
        AFTER_2026,
    )
    assert [g.points for g in result.groups] == [13.13, 20.0, 20.0, 28.13, 15.0]
    assert result.points == 96.25
    assert {i.code: i.points for i in result.items}["1.4"] == 3.125


@pytest.mark.parametrize(
    "raw, rounded",
    [
        (89.992, 89.99),
        (89.995, 90.0),
        (89.99499999999999, 90.0),  # float noise of a sum that is 89.995
        (89.9949, 89.99),
        (67.025, 67.03),
        (0.005, 0.01),
        (100.0, 100.0),
    ],
)
def test_round_points_half_up(raw, rounded) -> None:
    assert round_points(raw) == rounded


@pytest.mark.parametrize(
    "period, today, provisional",
    [
        ("2026-06", dt.date(2026, 11, 23), True),  # a month before December
        ("2026-06", dt.date(2027, 3, 1), True),  # still only January–June, even when read later
        ("2026-12", dt.date(2026, 11, 23), True),  # December before December has even started
        ("2026-12", dt.date(2026, 12, 31), True),  # the last day of the year is not over yet
        ("2026-12", dt.date(2027, 1, 1), False),  # the year is over: final
        ("2025-12", dt.date(2026, 11, 23), False),
        ("2027-12", dt.date(2026, 11, 23), True),  # a year still to come
    ],
)
def test_provisional_until_the_year_is_over(catalog: Catalog, period, today, provisional) -> None:
    assert is_provisional(Period.parse(period), today) is provisional
    assert score(catalog.framework_for(2026), {}, Period.parse(period), today).provisional is provisional


# --- framework files: which one applies, defaults and checks --------------------------------------


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ (plans, measures, frameworks; not the database)."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.duckdb*"))
    return target


def framework_doc(data: Path, name: str = "ntm_kpi.yaml") -> dict[str, Any]:
    return yaml.safe_load((data / "frameworks" / name).read_text(encoding="utf-8"))


def write_framework(data: Path, name: str, doc: dict[str, Any]) -> None:
    (data / "frameworks" / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def doc_item(doc: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in doc["items"] if str(i["code"]) == code)


def add_variant(data: Path, fw_id: str, valid_from: int, valid_to: int, propaganda_threshold: float = 4) -> None:
    """A framework file like ntm_kpi.yaml for other years (1.3 threshold changed if asked)."""
    doc = framework_doc(data)
    doc.update(id=fw_id, valid_from=valid_from, valid_to=valid_to)
    doc_item(doc, "1.3")["threshold"] = propaganda_threshold
    write_framework(data, f"{fw_id}.yaml", doc)


@pytest.fixture(scope="module")
def three_frameworks(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """ntm_kpi_2026 (2026–2030), a 2027-only file with ≥ 6 meetings for 1.3, and one for 2032–2035."""
    data = tmp_path_factory.mktemp("fw") / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    add_variant(data, "ntm_kpi_2027", 2027, 2027, propaganda_threshold=6)
    add_variant(data, "ntm_kpi_2032", 2032, 2035)
    return load_catalog(data)


@pytest.mark.parametrize(
    "year, framework_id",
    [
        (2025, "ntm_kpi_2026"),  # before every file: the nearest, which starts in 2026
        (2026, "ntm_kpi_2026"),
        (2027, "ntm_kpi_2027"),  # the one-year file overrides 2026–2030
        (2028, "ntm_kpi_2026"),
        (2030, "ntm_kpi_2026"),
        (2031, "ntm_kpi_2026"),  # one year from both 2030 and 2032: the one that was in force
        (2032, "ntm_kpi_2032"),
        (2036, "ntm_kpi_2032"),  # after every file: the one that ended last
    ],
)
def test_framework_for_the_year(three_frameworks: Catalog, year, framework_id) -> None:
    assert three_frameworks.framework_for(year).id == framework_id


def test_reports_score_with_the_framework_of_the_year(three_frameworks: Catalog, tmp_path: Path) -> None:
    db = prepare(tmp_path / "fw.duckdb", three_frameworks)
    sheets = [
        (
            f"vhxh_{p}.xlsx",
            filled(three_frameworks, "nam_thanh_mien", "vhxh", p, {"propaganda_campaigns": 3}),
            dt.datetime(2027, 4, 3, 9),
        )
        for p in ("2026-03", "2027-03")
    ]
    results = ingest_files(db, sheets, catalog=three_frameworks, today=dt.date(2027, 4, 10))
    assert all(r.accepted for r in results), [str(x) for r in results for x in r.problems]
    for period, framework_id, points in (
        ("2026-03", "ntm_kpi_2026", 2.25),  # 1.3: 3 × 3/4 (≥ 4 meetings a year)
        ("2027-03", "ntm_kpi_2027", 1.5),  # 1.3: 3 × 3/6 (≥ 6 meetings in the 2027 file)
    ):
        kpi = locality_reports(
            db, three_frameworks, Period.parse(period), ["nam_thanh_mien"], today=dt.date(2027, 4, 10)
        )["nam_thanh_mien"].kpi
        assert kpi.framework_id == framework_id
        assert {i.code: i.points for i in kpi.items}["1.3"] == points


def test_rule_defaults_to_proportional(data_copy: Path) -> None:
    doc = framework_doc(data_copy)
    del doc_item(doc, "1.3")["rule"]
    write_framework(data_copy, "ntm_kpi.yaml", doc)
    item = next(i for i in load_catalog(data_copy).framework_for(2026).items if i.code == "1.3")
    assert item.rule == "proportional"
    assert item_points(item, 2) == 1.5  # 3 × 2/4


def test_steps_from_the_file(data_copy: Path) -> None:
    doc = framework_doc(data_copy)
    doc_item(doc, "2.1").update(rule="steps", steps=[{"min_ratio": 1, "share": 1}, {"min_ratio": 0.8, "share": 0.5}])
    write_framework(data_copy, "ntm_kpi.yaml", doc)
    item = next(i for i in load_catalog(data_copy).framework_for(2026).items if i.code == "2.1")
    assert item.steps == ({"min_ratio": 1.0, "share": 1.0}, {"min_ratio": 0.8, "share": 0.5})
    assert [item_points(item, v) for v in (100, 85, 79)] == [3.0, 1.5, 0.0]  # 3 points: full, half, none


AT = "frameworks/ntm_kpi.yaml/2.1"


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"rule": "steps", "steps": [{"min_ratio": 1.0}]}, f"{AT}: bậc thứ 1 của 'steps': thiếu share"),
        (
            {"rule": "steps", "steps": [{"min_ratio": 1, "share": 1}, {"min_ratio": "80%", "share": 0.5}]},
            f"{AT}: bậc thứ 2 của 'steps': min_ratio '80%' phải là số ≥ 0",
        ),
        (
            {"rule": "steps", "steps": [{"min_ratio": 0.8, "share": 50}]},
            f"{AT}: bậc thứ 1 của 'steps': share 50 phải là số từ 0 đến 1",
        ),
        (
            {"rule": "steps", "steps": [{"min_ratio": 0.8, "share": 0.5, "points": 2}]},
            f"{AT}: bậc thứ 1 của 'steps': trường lạ points",
        ),
        ({"rule": "steps", "steps": [0.8]}, f"{AT}: bậc thứ 1 của 'steps' phải có dạng {{min_ratio: …, share: …}}"),
        ({"rule": "steps", "steps": "0.8: 0.5"}, f"{AT}: 'steps' phải là danh sách bậc {{min_ratio, share}}"),
        ({"rule": "steps"}, f"{AT}: quy tắc 'steps' cần danh sách bậc"),
        ({"steps": [{"min_ratio": 1, "share": 1}]}, f"{AT}: có 'steps' nhưng quy tắc chấm là 'proportional'"),
        ({"rule": "bac_thang"}, f"{AT}: quy tắc chấm 'bac_thang' không hợp lệ"),
        ({"threshold": "100%"}, f"{AT}: threshold và max_points phải là số"),
        ({"threshold": None}, f"{AT}: threshold và max_points phải là số"),
    ],
)
def test_framework_item_checks_name_file_and_item(data_copy: Path, change, problem) -> None:
    doc = framework_doc(data_copy)
    doc_item(doc, "2.1").update(change)
    write_framework(data_copy, "ntm_kpi.yaml", doc)
    with pytest.raises(CatalogError) as err:
        load_catalog(data_copy)
    assert err.value.problems == [problem]


def test_missing_item_field_is_a_problem(data_copy: Path) -> None:
    doc = framework_doc(data_copy)
    del doc_item(doc, "2.1")["threshold"]
    write_framework(data_copy, "ntm_kpi.yaml", doc)
    with pytest.raises(CatalogError) as err:
        load_catalog(data_copy)
    assert err.value.problems == [f"{AT}: thiếu trường threshold"]


def test_two_frameworks_for_the_same_years_are_a_problem(data_copy: Path) -> None:
    add_variant(data_copy, "ntm_kpi_copy", 2026, 2030)
    with pytest.raises(CatalogError) as err:
        load_catalog(data_copy)
    assert err.value.problems == [
        "frameworks/ntm_kpi_copy.yaml: cùng thời gian áp dụng 2026–2030 với bộ chỉ số 'ntm_kpi_2026'"
    ]
