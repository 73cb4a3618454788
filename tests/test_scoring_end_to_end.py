"""Nam Thanh Miện from filled sheets to KPI points, checked against Appendix 2 by hand.

Every sheet is the real template for one unit, filled with openpyxl and taken in by
``loaders.ingest.ingest_files``; points are then read from ``scoring.report.locality_reports``.
Appendix 2 of the plan (seeds/004_61226364b0f6a7c1.txt, Phụ lục 2, mục III) gives, per item,
the threshold and the maximum points; an item with a threshold earns max × min(1, value ÷ threshold),
a Có/không item its maximum for "Có". Flows counted per year (1.3, 1.4, 4.6, 5.3) add up from
January; every other value is the latest one reported.

Sheets (sent on the 3rd of the next month, on time, unless said otherwise):

* 03/2026 — vhxh: 1.1 Có, 1.2 50%, 1.3 1 meeting, 1.4 2 initiatives, 4.3 0 models, 4.6 1, 5.3 1;
  vp: 2.1 90%, 2.2 45%, 2.4 Không; ttpvhcc: 2.3 40%, 3.1 80%, 3.2 35%, 3.3 10%, 3.4 81%, 5.1 56%;
  villages: Thôn 1 Có, Thôn 2 Không, Thôn 3 Không, Thôn 4 Có (5.2).
* 06/2026 — vhxh first sent 1.3 2 and 1.4 3, then re-sent on 20/07 with 1.3 1 and 1.4 4 (the
  re-upload replaces the first sheet); both: 1.1 Có, 1.2 80%, 4.3 1, 4.6 2, 5.3 1;
  vp: 2.1 100%, 2.2 72%, 2.4 Có; kt: 4.1 1, 4.2 1, 4.4 25%, 4.5 40%, 5.4 15%;
  villages: Thôn 1 Có, Thôn 2 Có, Thôn 3 Không, Thôn 4 Có. ttpvhcc sends nothing (March stays).
* 01/2027 — vhxh: 1.1 Có, 1.2 90%, 1.3 1, 1.4 1, 4.3 1, 4.6 0, 5.3 0.

2.5 (smart radio, ttdvsnc) is never reported: 0 points and flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sheet_factory import filled

from loaders.ingest import ingest_files
from plans import vocabulary as vocab
from plans.model import Catalog
from plans.periods import Period
from scoring.report import LocalityReport, locality_reports
from store import queries
from store.db import Target, connection

NTM = "nam_thanh_mien"
VILLAGES = ("Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4")

VHXH_JUNE = {
    "plan_issued": "Có",
    "staff_digital_trained": 80,
    "smart_tourism_models": 1,
    "initiatives_applied": 2,
    "community_support_activities": 1,
}
SHEETS: list[tuple[str, str, dict[str, object], dt.datetime]] = [
    (
        "vhxh",
        "2026-03",
        {
            "plan_issued": "Có",
            "staff_digital_trained": 50,
            "propaganda_campaigns": 1,
            "mgmt_initiatives": 2,
            "smart_tourism_models": 0,
            "initiatives_applied": 1,
            "community_support_activities": 1,
        },
        dt.datetime(2026, 4, 3, 9),
    ),
    (
        "vp",
        "2026-03",
        {"networked_computers_share": 90, "staff_digital_signature_share": 45, "shared_database": "Không"},
        dt.datetime(2026, 4, 3, 9),
    ),
    (
        "ttpvhcc",
        "2026-03",
        {
            "tthc_records_digitised": 40,
            "dvc_full_online_share": 80,
            "online_dossier_share": 35,
            "tthc_time_reduction": 10,
            "satisfaction_rate": 81,
            "dvc_online_usage": 56,
        },
        dt.datetime(2026, 4, 3, 9),
    ),
    ("vhxh", "2026-06", {**VHXH_JUNE, "propaganda_campaigns": 2, "mgmt_initiatives": 3}, dt.datetime(2026, 7, 3, 9)),
    (
        "vp",
        "2026-06",
        {"networked_computers_share": 100, "staff_digital_signature_share": 72, "shared_database": "Có"},
        dt.datetime(2026, 7, 3, 9),
    ),
    (
        "kt",
        "2026-06",
        {
            "hitech_agri_models": 1,
            "ocop_digital_products": 1,
            "biz_household_ecommerce_share": 25,
            "cashless_payment_share": 40,
            "biz_innovation_share": 15,
        },
        dt.datetime(2026, 7, 3, 9),
    ),
    ("vhxh", "2026-06", {**VHXH_JUNE, "propaganda_campaigns": 1, "mgmt_initiatives": 4}, dt.datetime(2026, 7, 20, 9)),
    (
        "vhxh",
        "2027-01",
        {
            "plan_issued": "Có",
            "staff_digital_trained": 90,
            "propaganda_campaigns": 1,
            "mgmt_initiatives": 1,
            "smart_tourism_models": 1,
            "initiatives_applied": 0,
            "community_support_activities": 0,
        },
        dt.datetime(2027, 2, 3, 9),
    ),
]
VILLAGE_ANSWERS = {"2026-03": ("Có", "Không", "Không", "Có"), "2026-06": ("Có", "Có", "Không", "Có")}


pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def store(backend: str, make_store: Callable[[str, str], Target], catalog: Catalog) -> Target:
    db = make_store(backend, "e2e")
    files = [
        (f"{unit}_{period}_{n}.xlsx", filled(catalog, NTM, unit, period, values), when)
        for n, (unit, period, values, when) in enumerate(SHEETS)
    ]
    for period, answers in VILLAGE_ANSWERS.items():
        nxt = Period.parse(period).shift(1)
        files += [
            (
                f"thon_{period}_{village}.xlsx",
                filled(catalog, NTM, "thon", period, {"village_innovation_team_share": answer}, village=village),
                dt.datetime(nxt.year, nxt.month, 3, 9),
            )
            for village, answer in zip(VILLAGES, answers, strict=True)
        ]
    files.sort(key=lambda f: f[2])
    results = ingest_files(db, files, catalog=catalog, today=dt.date(2027, 2, 10))
    assert all(r.accepted for r in results), [str(p) for r in results for p in r.problems]
    return db


def report(store: Target, catalog: Catalog, period: str, today: dt.date = dt.date(2027, 2, 10)) -> LocalityReport:
    return locality_reports(store, catalog, Period.parse(period), [NTM], today=today)[NTM]


@pytest.mark.parametrize(
    "period, groups, total, rating",
    [
        # March 2026
        # 1: 1.1 Có 3 | 1.2 (100%, 4) 4 × 50/100 = 2 | 1.3 (≥ 4 cuộc/năm, 3) 3 × 1/4 = 0.75
        #    | 1.4 (≥ 8/năm, 5) 5 × 2/8 = 1.25 = 7.0
        # 2: 2.1 (100%, 3) 3 × 0.9 = 2.7 | 2.2 (≥ 90%, 4) 4 × 45/90 = 2 | 2.3 (≥ 80%, 5) 5 × 40/80 = 2.5 | 2.4 Không 0
        #    | 2.5 not reported 0 = 7.2
        # 3: 3.1 (100%, 5) 5 × 0.8 = 4 | 3.2 (≥ 70%, 5) 5 × 35/70 = 2.5 | 3.3 (giảm ≥ 20%, 5) 5 × 10/20 = 2.5
        #    | 3.4 (≥ 90%, 5) 5 × 81/90 = 4.5 = 13.5
        # 4: 4.3 0 models 0 | 4.6 (≥ 8/năm, 5) 5 × 1/8 = 0.625 | 4.1, 4.2, 4.4, 4.5 not reported = 0.625 → 0.63
        # 5: 5.1 (≥ 70%, 5) 5 × 56/70 = 4 | 5.2 (100% thôn, 4) 2 of 4 villages: 4 × 0.5 = 2 | 5.3 (≥ 4/năm, 3) 3 × 1/4
        #    = 0.75 | 5.4 not reported = 6.75
        # total 7 + 7.2 + 13.5 + 0.625 + 6.75 = 35.075 → 35.08 (< 50)
        ("2026-03", [7.0, 7.2, 13.5, 0.63, 6.75], 35.08, "Chưa đạt"),
        # June 2026 (the re-sent vhxh sheet counts, the first one does not)
        # 1: 3 | 1.2 4 × 80/100 = 3.2 | 1.3 1 + 1 = 2 → 3 × 2/4 = 1.5 | 1.4 2 + 4 = 6 → 5 × 6/8 = 3.75 = 11.45
        # 2: 2.1 100% → 3 | 2.2 4 × 72/90 = 3.2 | 2.3 still 40% (March) 2.5 | 2.4 Có 4 | 2.5 0 = 12.7
        # 3: unchanged since March = 13.5
        # 4: 4.1 (≥ 3, 6) 6 × 1/3 = 2 | 4.2 (≥ 1, 4) 4 | 4.3 (≥ 1, 5) 5 | 4.4 (≥ 50%, 5) 5 × 25/50 = 2.5
        #    | 4.5 (≥ 50%, 5) 5 × 40/50 = 4 | 4.6 1 + 2 = 3 → 5 × 3/8 = 1.875 = 19.375 → 19.38
        # 5: 5.1 4 | 5.2 3 of 4 villages: 4 × 0.75 = 3 | 5.3 1 + 1 = 2 → 3 × 2/4 = 1.5 | 5.4 (≥ 30%, 3) 3 × 15/30 = 1.5
        #    = 10.0
        # total 11.45 + 12.7 + 13.5 + 19.375 + 10 = 67.025 → 67.03 (Khá: 60 – < 75)
        ("2026-06", [11.45, 12.7, 13.5, 19.38, 10.0], 67.03, "Khá"),
        # December 2026: nothing sent after June; flows of the year are still 2026's sums
        ("2026-12", [11.45, 12.7, 13.5, 19.38, 10.0], 67.03, "Khá"),
        # January 2027: flows start again from 0, rates and yes/no carry over
        # 1: 3 | 1.2 4 × 90/100 = 3.6 | 1.3 3 × 1/4 = 0.75 | 1.4 5 × 1/8 = 0.625 = 7.975 → 7.98
        # 4: 2 + 4 + 5 + 2.5 + 4 + 4.6 (0 → 0) = 17.5 ; 5: 4 + 3 + 5.3 (0 → 0) + 1.5 = 8.5
        # total 7.975 + 12.7 + 13.5 + 17.5 + 8.5 = 60.175 → 60.18 (Khá)
        ("2027-01", [7.98, 12.7, 13.5, 17.5, 8.5], 60.18, "Khá"),
    ],
)
def test_kpi_by_hand(store: Target, catalog: Catalog, period, groups, total, rating) -> None:
    kpi = report(store, catalog, period).kpi
    assert [g.points for g in kpi.groups] == groups
    assert (kpi.points, kpi.rating) == (total, rating)


def test_flows_summed_and_rates_latest(store: Target, catalog: Catalog) -> None:
    values = {i.code: i.value for i in report(store, catalog, "2026-06").kpi.items}
    assert (values["1.3"], values["1.4"], values["4.6"], values["5.3"]) == (2.0, 6.0, 3.0, 2.0)  # Mar + Jun
    assert (values["1.2"], values["2.3"], values["5.2"]) == (80.0, 40.0, 75.0)  # June, March, 3 of 4 villages
    assert values["2.5"] is None


def test_reupload_replaces_without_double_count(store: Target, catalog: Catalog) -> None:
    with connection(store) as con:
        subs = queries.submission_log(con, NTM)
    june = subs[(subs["locality_id"] == NTM) & (subs["unit_code"] == "vhxh") & (subs["period"] == "2026-06")]
    assert sorted(june["is_current"]) == [False, True]
    items = {i.code: i.points for i in report(store, catalog, "2026-06").kpi.items}
    # with both June sheets 1.3 would be 1 + 2 + 1 = 4 → 3 points and 1.4 2 + 3 + 4 = 9 → 5 points
    assert (items["1.3"], items["1.4"]) == (1.5, 3.75)


def test_december_final_only_once_the_year_is_over(store: Target, catalog: Catalog) -> None:
    assert report(store, catalog, "2026-12", today=dt.date(2026, 12, 20)).kpi.provisional is True
    assert report(store, catalog, "2026-12", today=dt.date(2027, 1, 2)).kpi.provisional is False


def test_not_reported_item_flagged(store: Target, catalog: Catalog) -> None:
    kpi = report(store, catalog, "2026-06").kpi
    assert [i.code for i in kpi.items if i.status == vocab.NOT_REPORTED] == ["2.5"]
    assert kpi.not_reported == 1


def test_indicators_and_submissions_in_june(store: Target, catalog: Catalog) -> None:
    june = report(store, catalog, "2026-06")
    rows = {r["code"]: r for r in june.indicator_rows}
    # NTM-4-05 ≥ 8 initiatives every year: from 0 in 12/2025, E = 8 × 6/12 = 4, R = 3 ÷ 4 = 0.75
    assert (rows["NTM-4-05"]["status"], rows["NTM-4-05"]["progress"], rows["NTM-4-05"]["attainment"]) == (
        vocab.SPEED_UP,
        0.75,
        0.375,
    )
    # NTM-5-02 "trên 70%" by 2030: first 56 in 03/2026, still 56 → R = 0
    assert (rows["NTM-5-02"]["status"], rows["NTM-5-02"]["progress"]) == (vocab.BEHIND, 0.0)
    # NTM-5-01 100% of villages by 2030: 50 in 03/2026 → 75; E = 50 + 50 × 3/57 = 52.63, R = 25 ÷ 2.63 = 9.5
    assert rows["NTM-5-01"]["status"] == vocab.ON_TRACK
    assert rows["NTM-5-01"]["progress"] == pytest.approx(25 / (50 * 3 / 57))
    # 7 expected units (vhxh, vp, kt, ttpvhcc, ttdvsnc, thon, ubnd); June: vhxh (first on 03/07), vp, kt, villages
    assert june.submission_counts == {"expected": 7, "received": 4, "on_time": 4}
