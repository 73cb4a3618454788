"""A city-scale data set for benchmarks: Hải Phòng's 114 commune-level units, each with a plan.

The five real plans keep their own files; every other unit of the official list (package
vietnam-provinces) gets a copy of one of the five plans (cycled), renamed to that unit, so the
catalog has 114 localities with real names and codes. Values are synthetic and written
straight into the upload tables (bulk insert: this is benchmark data, not the upload path,
which ``bench/bench_ingest.py`` measures).
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from bench.scale_data import SUB_COLS, VAL_COLS
from plans.catalog import DATA_DIR, load_catalog
from plans.localities import hai_phong_units
from plans.model import Catalog
from plans.periods import Period, month_range
from plans.vocabulary import MeasureUnit
from store.db import prepare

REAL_PLANS = ("tan_an", "hung_dao", "binh_giang", "ke_sat", "nam_thanh_mien")


def city_data_dir(target: Path) -> Path:
    """Write a data dir with a plan file for each of the 114 units; return it."""
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.duckdb*"))
    templates = {
        pid: yaml.safe_load((DATA_DIR / "plans" / f"{pid}.yaml").read_text(encoding="utf-8")) for pid in REAL_PLANS
    }
    taken = {doc["ward_code"] for doc in templates.values()}
    others = [u for u in hai_phong_units() if u.code not in taken]
    for n, unit in enumerate(others):
        doc = dict(templates[REAL_PLANS[n % len(REAL_PLANS)]])
        prefix, locality_id = f"U{unit.code}", f"{unit.codename}_{unit.code}"
        doc.update(id=locality_id, ward_code=unit.code, aliases=[unit.name])
        doc["indicators"] = [{**i, "code": f"{prefix}-{i['code']}"} for i in doc.get("indicators") or []]
        doc["tasks"] = [{**t, "code": f"{prefix}-{t['code']}"} for t in doc.get("tasks") or []]
        (target / "plans" / f"{locality_id}.yaml").write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return target


def synthetic_values(catalog: Catalog, months: list[Period], seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Submissions and values: every measure each month, counts also from two villages."""
    rng = random.Random(seed)
    subs, values = [], []
    next_id = 1
    for lid, plan in catalog.plans.items():
        units = [u["code"] for u in plan.units]
        for period in months:
            sub_of = {}
            for unit in units + ["thon#1", "thon#2"]:
                code, _, village = unit.partition("#")
                subs.append(
                    (
                        next_id,
                        lid,
                        code,
                        f"Thôn {village}" if village else "",
                        str(period),
                        f"{lid}-{unit}-{period}.xlsx",
                        f"{lid}{unit}{period}",
                        "bench",
                        pd.Timestamp(period.shift(1).first_day) + pd.Timedelta(days=rng.randint(0, 9)),
                        None,
                        True,
                        True,
                        None,
                        0,
                        0,
                        0,
                    )
                )
                sub_of[unit] = next_id
                next_id += 1
            for m in catalog.measures.values():
                reporter = m.default_unit if m.default_unit in units else units[0]
                progress = (period.month + rng.random()) / 12
                if m.unit == MeasureUnit.PERCENT:
                    values.append(
                        (sub_of[reporter], m.code, round(min(100.0, 30 + 70 * progress), 1), None, None, None, None, 0)
                    )
                elif m.unit == MeasureUnit.YES_NO:
                    values.append((sub_of[reporter], m.code, float(progress > 0.5), None, None, None, None, 0))
                else:
                    for unit in (reporter, "thon#1", "thon#2"):
                        values.append((sub_of[unit], m.code, float(rng.randint(0, 2)), None, None, None, None, 0))
    return pd.DataFrame(subs, columns=list(SUB_COLS)), pd.DataFrame(values, columns=list(VAL_COLS))


def build_city_db(workdir: Path, year: int = 2026) -> tuple[Path, Catalog]:
    """A DuckDB file with 114 localities × 12 months of values; returns (db path, catalog)."""
    catalog = load_catalog(city_data_dir(workdir / "data"))
    db = workdir / "city.duckdb"
    prepare(db, catalog)
    subs, values = synthetic_values(catalog, month_range(Period(year, 1), Period(year, 12)))
    con = duckdb.connect(str(db))
    try:
        con.register("subs_df", subs)
        con.register("values_df", values)
        con.execute("INSERT INTO submissions SELECT * FROM subs_df")
        con.execute("INSERT INTO submission_values SELECT * FROM values_df")
        con.execute(
            "INSERT INTO current_keys SELECT locality_id, unit_code, lower(village), period, id "
            "FROM submissions WHERE is_current"
        )
        con.execute("SELECT max(nextval('submission_id_seq')) FROM range((SELECT max(id) FROM submissions))")
    finally:
        con.close()
    prepare(db, catalog)  # the rows bypassed the writers: compute the localities' monthly values
    return db, catalog


def temp_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="dmst-bench-"))


def done_with(work: Path, keep: bool, what: str) -> None:
    """A benchmark's temporary folder at its end: kept (its path printed after ``what``) or removed."""
    if keep:
        print(f"{what}: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


def built_city() -> tuple[Path, Path, Catalog]:
    """The city database in a new temporary folder, its build time printed: (folder, db path, catalog)."""
    work = temp_workdir()
    start = time.perf_counter()
    db, catalog = build_city_db(work)
    print(
        f"city database: {len(catalog.plans)} localities × 12 months, built in {time.perf_counter() - start:.1f} s;"
        f" {os.cpu_count()} CPU"
    )
    return work, db, catalog
