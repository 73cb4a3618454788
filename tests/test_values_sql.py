"""The store's SQL value rules (``store/sql/``) give the same values as the pandas implementation
they replaced (``tests/values_oracle.py``), for every locality and month:

* on sample data (``python -m loaders demo``: the real upload path, units, villages, numerators and
  denominators, blanks) from October 2026 to February 2027, across a January reset;
* on the benchmark's synthetic store (``bench/scale_data.py``: whole-locality sheets, replaced
  sheets, village shares) of 12 localities × 15 months.

Each store is read both ways (``store.measure_months``): the demo store and ``synthetic_kept``
from the monthly values the writers (or ``prepare``) kept, ``synthetic_store`` with its rows written
around the writers, so every locality is stale and combined on the fly.

On both backends: PostgreSQL has its own value SQL (``store/sql/postgres/``). Its demo store is loaded
through the upload path like DuckDB's; its synthetic stores are the DuckDB file copied in with
``python -m store copy`` (the stale one then loses its kept months, as the file never had them).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from values_oracle import combine_reporters, first_reports, monthly_series, values_as_of

from loaders.demo import run_demo
from plans import clock
from plans.catalog import load_catalog
from plans.model import Catalog
from plans.periods import Period, month_range
from scoring.tasks import task_history, task_states
from store import measure_months, postgres, queries
from store.db import Target, connection, prepare, writing_transaction
from store.transfer import copy_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.postgres_server import LocalPostgres
from bench.scale_data import fill_store, write_plans

# a five-month demo and a synthetic store first (~10 s); the stores asked for by name follow the backend
pytestmark = [pytest.mark.slow, pytest.mark.both_backends, pytest.mark.usefixtures("backend")]

KEY = ["locality_id", "measure"]


@pytest.fixture(scope="module")
def demo_store(backend: str, make_store: Callable[[str, str], Target], catalog: Catalog) -> tuple[Target, Catalog]:
    db = make_store(backend, "demo_sql")
    with pytest.MonkeyPatch.context() as patch:  # the office clock in March 2027: February's sheets are due
        patch.setattr(clock, "now", lambda: dt.datetime(2027, 3, 10, 9, 0))
        summary = run_demo(db, catalog, Period(2026, 10), Period(2027, 2))
    # the demo's 2027 sheets for Bình Giang's "cac_don_vi" are rejected (a demo issue outside this test)
    assert summary.accepted > 0.9 * summary.files
    return db, catalog


@pytest.fixture(scope="session")
def synthetic_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Catalog]:
    """The synthetic store as a DuckDB file, its rows written around the writers (nothing kept)."""
    work = tmp_path_factory.mktemp("synthetic_sql")
    catalog = load_catalog(write_plans(work / "data", 12))
    db = prepare(work / "scale.duckdb", catalog)
    counts = fill_store(db, catalog, 15, Period(2026, 10))
    assert counts["submission_values"] > 1000
    return db, catalog


@pytest.fixture(scope="module")
def synthetic_kept(
    backend: str, tmp_path_factory: pytest.TempPathFactory, synthetic_file: tuple[Path, Catalog], request
) -> Iterator[tuple[Target, Catalog]]:
    """The synthetic store after ``prepare`` on this module's backend: every locality's monthly values
    computed and kept."""
    db, catalog = synthetic_file
    kept = tmp_path_factory.mktemp("synthetic_kept") / "scale.duckdb"
    shutil.copyfile(db, kept)
    if backend == "postgres":
        kept = _copied_in(request.getfixturevalue("pg_server"), kept, catalog, "synthetic_kept")
    else:
        prepare(kept, catalog)
    with connection(kept) as con:
        assert measure_months.stale(con) == []
    yield kept, catalog
    if backend == "postgres":
        postgres.close_pool(kept)


@pytest.fixture(scope="module")
def synthetic_store(
    backend: str, tmp_path_factory: pytest.TempPathFactory, synthetic_file: tuple[Path, Catalog], request
) -> Iterator[tuple[Target, Catalog]]:
    """The synthetic store with nothing kept: every locality stale, combined on the fly."""
    if backend == "duckdb":
        yield synthetic_file
        return
    db, catalog = synthetic_file
    source = tmp_path_factory.mktemp("synthetic_stale") / "scale.duckdb"
    shutil.copyfile(db, source)
    url = _copied_in(request.getfixturevalue("pg_server"), source, catalog, "synthetic_stale")
    with writing_transaction(url) as con:
        for table in ("measure_months", "latest_values", "latest_tasks", "measure_month_versions"):
            con.execute(f"DELETE FROM {table}")
    yield url, catalog
    postgres.close_pool(url)


def _copied_in(server: LocalPostgres, source: Path, catalog: Catalog, name: str) -> str:
    """A new PostgreSQL database holding a copy of the DuckDB store ``source`` (``python -m store copy``)."""
    url = server.create_database(name)
    copy_store(source, url, catalog)
    return url


def monthly_of(db: Target, catalog: Catalog) -> pd.DataFrame:
    with connection(db) as con:
        raw = con.execute(
            "SELECT locality_id, unit_code, village, period, measure, value, numerator, denominator "
            "FROM current_values ORDER BY locality_id, period, measure"
        ).df()
    return combine_reporters(raw, catalog.measures)


def assert_same(got: pd.DataFrame, expected: pd.DataFrame, value: str, period: str, where: str) -> None:
    got = got[got[period].notna()].set_index(KEY).sort_index()
    expected = expected.set_index(KEY).sort_index()
    assert got.index.equals(expected.index), where
    assert list(got[period]) == list(expected["period" if period != "last_period" else period]), where
    assert np.allclose(got[value].astype(float), expected["value"].astype(float), rtol=1e-12, atol=1e-9), where


def test_the_kept_store_is_read_from_its_kept_months_and_the_other_combines_on_the_fly(
    demo_store, synthetic_store, synthetic_kept
) -> None:
    for (db, catalog), fresh in ((demo_store, True), (synthetic_kept, True), (synthetic_store, False)):
        with connection(db) as con:
            kept, stale = measure_months.split_fresh(con, list(catalog.plans))
            ends = dict(
                con.execute(
                    "SELECT locality_id, max(period) FROM submissions WHERE is_current GROUP BY locality_id"
                ).fetchall()
            )
            last = max(ends.values())
            months = [last, str(Period.parse(last).shift(-1))]
            splits = [measure_months.split(con, list(catalog.plans), month) for month in months]
        assert (set(kept), set(stale)) == ((set(catalog.plans), set()) if fresh else (set(), set(catalog.plans))), db
        # a month is read from the rows kept as of each locality's latest month when that is not later
        # (where the store keeps them; the values only when it is of the same year)
        for month, split in zip(months, splits):
            done = {lid for lid, end in ends.items() if fresh and end <= month}
            assert set(split.tasks_latest) == done and set(split.tasks_read) == set(catalog.plans) - done, (db, month)
            assert set(split.values_latest) == {lid for lid in done if ends[lid][:4] == month[:4]}, (db, month)
        assert len(splits[0].values_latest) >= (4 if fresh else 0), db


@pytest.mark.parametrize("store", ["demo_store", "synthetic_store", "synthetic_kept"])
def test_sql_values_match_the_pandas_rules_for_every_locality_and_month(store: str, request) -> None:
    db, catalog = request.getfixturevalue(store)
    monthly = monthly_of(db, catalog)
    ids = list(catalog.plans)
    first, last = Period.parse(monthly["period"].min()), Period.parse(monthly["period"].max())
    months = month_range(first.shift(-1), last.shift(2))
    assert first.year < last.year and len(set(monthly["locality_id"])) == len(ids)
    with connection(db) as con:
        for period in months:
            got = queries.values_as_of(con, ids, str(period))
            upto = monthly[monthly["period"] <= str(period)]
            assert_same(got, values_as_of(monthly, catalog.measures, period), "value", "last_period", f"{period}")
            assert_same(
                got.rename(columns={"first_period": "p"}),
                first_reports(upto).rename(columns={"period": "p"}).assign(period=lambda f: f["p"]),
                "first_value",
                "p",
                f"{period} first",
            )
            assert_same(
                got.rename(columns={"year_first_period": "p"}),
                first_reports(upto, Period(period.year, 1)).assign(p=lambda f: f["period"]),
                "year_first_value",
                "p",
                f"{period} first this year",
            )
        series = queries.value_series(con, ids, str(months[0]), str(months[-1]))
    expected = monthly_series(monthly, catalog.measures, months[0], months[-1])
    got = series.set_index(KEY + ["period"])["value"].sort_index()
    want = expected.set_index(KEY + ["period"])["value"].sort_index()
    assert got.index.equals(want.index)
    assert np.allclose(got.astype(float), want.astype(float), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("store", ["demo_store", "synthetic_store", "synthetic_kept"])
def test_monthly_values_match_the_pandas_combination(store: str, request) -> None:
    """``monthly_values`` (what the reports' projections fit their pace on) is the former
    ``combine_reporters``: one combined value per locality, measure and reported month."""
    db, catalog = request.getfixturevalue(store)
    expected = monthly_of(db, catalog)
    last = expected["period"].max()
    with connection(db) as con:
        got = queries.monthly_values(con, list(catalog.plans), last)
        one = queries.monthly_values(con, ["tan_an"], last)
    keys = KEY + ["period"]
    got, expected = got.set_index(keys)["value"].sort_index(), expected.set_index(keys)["value"].sort_index()
    assert len(got) > 100 and got.index.equals(expected.index)
    assert np.allclose(got.astype(float), expected.astype(float), rtol=1e-12, atol=1e-9)
    assert set(one["locality_id"]) == {"tan_an"}
    assert len(one) == (got.index.get_level_values("locality_id") == "tan_an").sum()


def test_only_the_localities_asked_for(synthetic_store) -> None:
    db, catalog = synthetic_store
    one, other = list(catalog.plans)[:2]
    with connection(db) as con:
        both = queries.values_as_of(con, [one, other], "2027-06")
        mine = queries.values_as_of(con, [one], "2027-06")
        series = queries.value_series(con, [other], "2027-01", "2027-06")
    assert set(mine["locality_id"]) == {one} and set(series["locality_id"]) == {other}
    pd.testing.assert_frame_equal(mine.reset_index(drop=True), both[both["locality_id"] == one].reset_index(drop=True))


@pytest.mark.parametrize("store", ["demo_store", "synthetic_store", "synthetic_kept"])
def test_task_lines_read_are_enough_for_every_task_status(store: str, request) -> None:
    """``store/sql/task_updates.sql`` reads only the lines that can decide a status; the statuses
    are those of the whole history, for every locality and month, up to two months after the last
    (read from the lines kept as of each locality's latest month, in the kept stores)."""
    db, catalog = request.getfixturevalue(store)
    today = dt.date(2027, 6, 1)
    with connection(db) as con:
        full = con.execute(
            "SELECT u.locality_id, u.unit_code, u.period, u.task_code, u.status, u.percent, "
            "u.evidence, s.uploaded_at FROM current_task_updates u JOIN submissions s "
            "ON s.id = u.submission_id ORDER BY u.locality_id, u.period, s.uploaded_at, s.id"
        ).df()
        months = month_range(Period.parse(full["period"].min()), Period.parse(full["period"].max()).shift(2))
        for period in months:
            read = queries.task_updates(con, list(catalog.plans), str(period))
            assert len(read) < len(full)
            upto = full.loc[full["period"] <= str(period), ["task_code", "period", "status", "percent"]]
            whole, few = task_history(upto.itertuples(index=False, name=None)), task_history(read)
            for plan in catalog.plans.values():
                start = int(plan.meta["start_year"])
                assert task_states(plan.schedule, few, period, today, start) == task_states(
                    plan.schedule, whole, period, today, start
                ), (plan.id, str(period))
