"""The summary dict (what ``python -m scoring summary --json`` prints), computed in process.

Nam Thanh Miện's culture-society office (vhxh) sends its December 2026 sheet through the real
loader on 03/01/2027; whether the December score is final depends on the day it is read.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable

import pytest
from sheet_factory import filled

from loaders.ingest import ingest_files
from plans.catalog import DATA_DIR, load_catalog
from plans.model import Catalog
from plans.periods import Period
from scoring.report import locality_reports, read_indicators
from scoring.summary import number_or_null, summary_dict
from store.db import Target, connection

DECEMBER = Period(2026, 12)


pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def store(backend: str, make_store: Callable[[str, str], Target], catalog: Catalog) -> Target:
    db = make_store(backend, "summary")
    sheet = filled(catalog, "nam_thanh_mien", "vhxh", str(DECEMBER), {"mgmt_initiatives": 5, "plan_issued": "Có"})
    results = ingest_files(
        db, [("vhxh_2026-12.xlsx", sheet, dt.datetime(2027, 1, 3, 9, 0))], catalog=catalog, today=dt.date(2027, 1, 3)
    )
    assert all(r.accepted for r in results), [str(p) for r in results for p in r.problems]
    return db


def ntm_summary(store: Target, catalog: Catalog, today: dt.date) -> dict:
    reports = locality_reports(store, catalog, DECEMBER, ["nam_thanh_mien"], today=today)
    return summary_dict(reports, DECEMBER)["localities"][0]


@pytest.mark.parametrize(
    "today, provisional",
    [
        (dt.date(2026, 11, 23), True),  # December not started yet
        (dt.date(2026, 12, 31), True),  # its last day: not over
        (dt.date(2027, 1, 2), False),  # the year is over: the final annual score
    ],
)
def test_december_is_provisional_until_it_ends(store: Target, catalog: Catalog, today, provisional) -> None:
    assert ntm_summary(store, catalog, today)["kpi"]["provisional"] is provisional


def test_exact_item_points_and_once_rounded_totals(store: Target, catalog: Catalog) -> None:
    kpi = ntm_summary(store, catalog, dt.date(2027, 1, 2))["kpi"]
    items = {i["code"]: i["points"] for i in kpi["items"]}
    # 1.4 (≥ 8 sáng kiến/năm, 5 points): 5 × 5/8 = 3.125, printed exactly; 1.1 "Có": 3
    assert (items["1.4"], items["1.1"]) == (3.125, 3.0)
    # group 1 = 3 + 3.125 = 6.125 → 6.13 (half up, once); total the same
    assert kpi["groups"][0]["points"] == 6.13 and kpi["points"] == 6.13


def test_summary_is_strict_json(store: Target, catalog: Catalog) -> None:
    reports = locality_reports(store, catalog, DECEMBER, today=dt.date(2027, 1, 2))
    text = json.dumps(summary_dict(reports, DECEMBER), ensure_ascii=False, allow_nan=False)
    assert "NaN" not in text and '"Xã Nam Thanh Miện"' in text


@pytest.mark.parametrize(
    "value, number",
    [(None, None), (float("nan"), None), (float("inf"), None), ("85,5", None), (3.14159, 3.1416), (7, 7.0)],
)
def test_numbers_are_finite_or_null(value, number) -> None:
    assert number_or_null(value) == number


def test_every_localitys_indicators_alone_are_those_of_the_full_reports(known_store, catalog) -> None:
    """``read_indicators`` (the status grid of all localities, without tasks or points) gives the
    rows the full reports give, for every locality."""
    full = locality_reports(known_store, catalog, Period(2026, 6), today=dt.date(2026, 7, 10))
    with connection(known_store) as con:
        alone = read_indicators(con, catalog, Period(2026, 6))
    assert alone.keys() == full.keys() and len(alone) == 5
    assert all(alone[lid] == full[lid].indicator_rows for lid in full)
    assert any(row["status"] != "not_reported" for row in alone["tan_an"])
    measures = ["dvc_online_usage", "smart_tourism_models"]
    with connection(known_store) as con:
        some = read_indicators(con, catalog, Period(2026, 6), measures=measures)
    assert all(some[lid] == [r for r in full[lid].indicator_rows if r["measure"] in measures] for lid in full)
    assert any(some[lid] for lid in full) and not all(some[lid] == alone[lid] for lid in full)


def test_counting_tasks_needs_no_task_text(known_store, catalog, tmp_path) -> None:
    """With the plans read from the cache file, every locality's task counts come from the plans'
    schedules; the tasks' text is unpickled only for the rows a page or a report shows."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", ".cache"))
    load_catalog(data)
    cached = load_catalog(data)
    today = dt.date(2026, 7, 10)
    light = locality_reports(known_store, cached, Period(2026, 6), today=today)
    full = locality_reports(known_store, catalog, Period(2026, 6), today=today)
    assert not any(plan.tasks.unpickled for plan in cached.plans.values())
    assert {lid: r.task_counts for lid, r in light.items()} == {lid: r.task_counts for lid, r in full.items()}
    # Tân An's June sheet: TA-III.1-GD1 in progress, TA-VII.1-a done (tests/page_fixtures.py)
    assert light["tan_an"].task_counts["done"] >= 1 and light["tan_an"].task_counts["in_progress"] >= 1
    assert light["tan_an"].task_rows == full["tan_an"].task_rows and cached.plan("tan_an").tasks.unpickled
    assert not cached.plan("hung_dao").tasks.unpickled
