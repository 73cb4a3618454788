"""Sample data: made as filled sheets and taken in through the real loader, clearly marked."""

from __future__ import annotations

import pytest
from sheet_factory import query

from loaders.demo import DemoError, run_demo
from plans.periods import Period
from store.db import connection
from store.uploads import has_sample_data

pytestmark = pytest.mark.both_backends

JAN, FEB = Period(2026, 1), Period(2026, 2)


@pytest.fixture(scope="module")
def demo_db(backend, make_store, catalog):
    """Two months of sample data, loaded once for the module's read-only checks."""
    db = make_store(backend, "demo")
    summary = run_demo(db, catalog, JAN, FEB)
    assert summary.files > 0 and summary.accepted == summary.files, [r.summary() for r in summary.rejected]
    return db


def test_every_sheet_is_accepted_and_marked_as_sample(demo_db):
    assert query(demo_db, "SELECT count(*) FROM submissions WHERE NOT is_sample OR uploaded_by <> 'Dữ liệu mẫu'") == [
        (0,)
    ]
    with connection(demo_db) as con:
        assert has_sample_data(con)


def test_all_five_localities_and_both_months(demo_db, catalog):
    rows = query(demo_db, "SELECT DISTINCT locality_id, period FROM current_values")
    assert {(loc, p) for loc in catalog.plans for p in ("2026-01", "2026-02")} == set(rows)


def test_values_are_plausible(demo_db, catalog):
    percent = [code for code, m in catalog.measures.items() if m.unit == "%"]
    marks = ", ".join("?" * len(percent))
    low, high = query(
        demo_db, f"SELECT min(value), max(value) FROM current_values WHERE measure IN ({marks})", percent
    )[0]
    assert 0 <= low and high <= 100
    assert query(demo_db, "SELECT count(*) FROM current_values WHERE numerator IS NOT NULL")[0][0] > 0
    statuses = {s for (s,) in query(demo_db, "SELECT DISTINCT status FROM current_task_updates")}
    assert statuses <= {"not_started", "in_progress", "done"} and len(statuses) >= 2
    villages = {v for (v,) in query(demo_db, "SELECT DISTINCT village FROM submissions WHERE unit_code = 'thon'")}
    assert villages == {"Thôn Đông", "Thôn Trung", "Thôn Tây"}


def test_same_seed_same_values(demo_db, catalog, db):
    run_demo(db, catalog, JAN, JAN)
    sql = (
        "SELECT locality_id, unit_code, village, measure, value FROM current_values WHERE period = '2026-01' "
        "ORDER BY 1, 2, 3, 4"
    )
    assert query(db, sql) == query(demo_db, sql)


def test_demo_refuses_a_database_with_submissions(demo_db, catalog):
    with pytest.raises(DemoError, match="đã có phiếu báo cáo"):
        run_demo(demo_db, catalog, JAN, JAN)
