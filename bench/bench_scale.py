"""Benchmark: the dashboard at any scale — N localities × M months of synthetic data.

Run: .venv/bin/python bench/bench_scale.py --localities 3300 --months 60 [--backend both] [--json]
Builds a synthetic store under a temporary folder (``bench/scale_data.py``: plans shaped like the
five real ones, units, villages, task updates, originals of the last month, all marked synthetic);
with ``--backend postgres`` or ``both`` it is copied (``store.transfer.copy_store``, timed, its closing
VACUUM (ANALYZE) included) into a PostgreSQL server of its own (``bench/postgres_server.py``: a new
cluster in the temporary folder, stopped at the end). Then, for each backend, it measures, each part
in its own process so that its peak memory is its own:

* summary: the city summary (``python -m scoring summary`` for every locality at the last month)
  cold (fresh process: catalog, store, scoring, JSON) and warm (median of 3 more), and one
  locality's summary warm;
* report: one locality's report at the last month that has begun (``reports.build.build``: read, score, .docx
  and .xlsx) in a fresh process, then again (median of 2 more); the city report once;
* pages: every page under Streamlit's AppTest at the last month, signed in through the login form
  as an admin (``bench/page_timing.py``) — cold start (every cache
  emptied), cold data (data caches emptied, as after an upload) and warm (median of 3).

With ``--json`` the last line is one JSON object: summary_cold_ms, summary_warm_ms,
locality_summary_warm_ms, page_cold_ms (slowest cold start), page_cold_data_ms, page_warm_ms
(slowest warm), report_ms (one locality's report, first build in a fresh process),
report_warm_ms, city_report_ms, peak_rss_mb (largest of the measuring processes), db_mb, build_s
and the per-page figures; with ``--backend both``, the same figures of PostgreSQL under ``postgres``
(and ``copy_s``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plans.periods import Period  # noqa: E402

START = Period(2026, 1)


def peak_rss_mb() -> float:
    """Peak resident memory of this process since it started its program: ``VmHWM`` of
    /proc/self/status. (``ru_maxrss`` is not: Linux keeps it across fork and exec, so a measuring
    child would report the building parent's peak.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def build(work: Path, localities: int, months: int) -> dict:
    """Plans, database with schema and catalog, synthetic rows; returns figures of the build."""
    from bench.scale_data import fill_store, write_plans
    from plans.catalog import load_catalog
    from store.db import prepare

    start = time.perf_counter()
    data_dir = write_plans(work / "data", localities)
    t_plans = time.perf_counter()
    catalog = load_catalog(data_dir)
    t_catalog = time.perf_counter()
    db = work / "scale.duckdb"
    prepare(db, catalog)
    t_prepare = time.perf_counter()
    counts = fill_store(db, catalog, months, START)
    t_rows = time.perf_counter()
    prepare(db, catalog)
    end = time.perf_counter()
    return {
        "plans_s": round(t_plans - start, 1),
        "catalog_parse_s": round(t_catalog - t_plans, 1),
        "catalog_write_s": round(t_prepare - t_catalog, 1),
        "rows_s": round(t_rows - t_prepare, 1),
        "months_s": round(end - t_rows, 1),
        "build_s": round(end - start, 1),
        **counts,
    }


def measure_summary(work: Path, db: str, period: Period) -> dict:
    """City summary cold and warm, one locality warm (run in a fresh process)."""
    from plans.catalog import load_catalog
    from scoring.report import locality_reports
    from scoring.summary import summary_dict
    from store.db import prepare

    def city(catalog, ids=None) -> dict:
        return summary_dict(locality_reports(db, catalog, period, locality_ids=ids), period)

    start = time.perf_counter()
    catalog = load_catalog(work / "data")
    t_catalog = time.perf_counter()
    prepare(db, catalog)
    city(catalog)
    cold = time.perf_counter() - start
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        city(catalog)
        warm.append(time.perf_counter() - t0)
    one = next(iter(catalog.plans))
    single = []
    for _ in range(3):
        t0 = time.perf_counter()
        city(catalog, [one])
        single.append(time.perf_counter() - t0)
    return {
        "catalog_load_ms": ms(t_catalog - start),
        "summary_cold_ms": ms(cold),
        "summary_warm_ms": ms(statistics.median(warm)),
        "locality_summary_warm_ms": ms(statistics.median(single)),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def measure_report(work: Path, db: str, period: Period) -> dict:
    """One locality's report: first build in this fresh process, then the median of 2 more; the
    city report once (run in a fresh process)."""
    from plans.catalog import load_catalog
    from reports.build import CITY
    from reports.build import build as build_report
    from store.db import prepare

    catalog = load_catalog(work / "data")
    prepare(db, catalog)
    one = next(iter(catalog.plans))
    t0 = time.perf_counter()
    built = build_report(db, catalog, one, period)
    first = time.perf_counter() - t0
    again = []
    for _ in range(2):
        t0 = time.perf_counter()
        build_report(db, catalog, one, period)
        again.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    build_report(db, catalog, CITY, period)
    city = time.perf_counter() - t0
    return {
        "report_ms": ms(first),
        "report_warm_ms": ms(statistics.median(again)),
        "city_report_ms": ms(city),
        "report_docx_kb": round(len(built.docx) / 1024),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def measure_pages(work: Path, db: str, period: Period, pages: list[str], runs: int) -> dict:
    """Each page under AppTest, signed in: cold start, cold data, warm median (run in a fresh process)."""
    os.environ["DMST_DB"] = db
    os.environ["DMST_DATA"] = str(work / "data")
    from bench.page_timing import PAGES, ensure_admin, measure_page

    ensure_admin(db)
    figures = {}
    for title, page in PAGES:
        if pages and page not in pages:
            continue
        times = measure_page(page, str(period), runs)
        figures[title] = {
            "cold_start_ms": ms(times.cold_start),
            "cold_data_ms": ms(times.cold_data),
            "warm_ms": ms(times.warm),
        }
    return {"pages": figures, "peak_rss_mb": round(peak_rss_mb())}


def child(part: str, work: Path, db: str, period: Period, extra: list[str]) -> dict:
    """Run one measuring part on the store ``db`` in a fresh interpreter; its last stdout line is JSON."""
    out = subprocess.run(
        [sys.executable, __file__, "--part", part, "--workdir", str(work), "--db", db, "--period", str(period), *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{part} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(label: str, work: Path, db: str, period: Period, args: argparse.Namespace) -> dict:
    """Every measuring part on one store, printed with ``label``; the figures as one dict. The reports are
    of the last month that has begun (a report of a month to come is refused)."""
    reported = min(period, Period.of(dt.date.today()))
    summary = child("summary", work, db, period, [])
    print(
        f"{label}: city summary {period}: cold {summary['summary_cold_ms']:.0f} ms (catalog "
        f"{summary['catalog_load_ms']:.0f} ms), warm {summary['summary_warm_ms']:.0f} ms; one locality warm "
        f"{summary['locality_summary_warm_ms']:.0f} ms; peak {summary['peak_rss_mb']} MB"
    )
    report = child("report", work, db, reported, [])
    print(
        f"{label}: one locality's report {reported}: {report['report_ms']:.0f} ms in a fresh process, then "
        f"{report['report_warm_ms']:.0f} ms; city report {report['city_report_ms']:.0f} ms; "
        f"peak {report['peak_rss_mb']} MB"
    )
    pages = {"pages": {}, "peak_rss_mb": 0}
    if not args.no_pages:
        pages = child("pages", work, db, period, ["--runs", str(args.runs), "--pages", *args.pages])
        print(f"{label + ': page':26}{'cold start':>12}{'cold data':>11}{'warm':>9}")
        for title, f in pages["pages"].items():
            print(
                f"{title:26}{f['cold_start_ms'] / 1000:>11.2f}s{f['cold_data_ms'] / 1000:>10.2f}s"
                f"{f['warm_ms'] / 1000:>8.3f}s"
            )
        print(f"{label}: pages: peak {pages['peak_rss_mb']} MB")
    figures = pages["pages"].values()
    return {
        "summary_cold_ms": summary["summary_cold_ms"],
        "summary_warm_ms": summary["summary_warm_ms"],
        "locality_summary_warm_ms": summary["locality_summary_warm_ms"],
        "page_cold_ms": max((f["cold_start_ms"] for f in figures), default=None),
        "page_cold_data_ms": max((f["cold_data_ms"] for f in figures), default=None),
        "page_warm_ms": max((f["warm_ms"] for f in figures), default=None),
        "report_ms": report["report_ms"],
        "report_warm_ms": report["report_warm_ms"],
        "city_report_ms": report["city_report_ms"],
        "peak_rss_mb": max(summary["peak_rss_mb"], report["peak_rss_mb"], pages["peak_rss_mb"]),
        "catalog_load_ms": summary["catalog_load_ms"],
        "pages": pages["pages"],
    }


def to_postgres(work: Path, stack: ExitStack) -> tuple[str, float]:
    """The synthetic store copied into a PostgreSQL server of its own (stopped when ``stack`` closes);
    its address and the seconds the copy took."""
    from bench.postgres_server import copied_store
    from plans.catalog import load_catalog

    return copied_store(work / "scale.duckdb", load_catalog(work / "data"), "scale", stack)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--localities", type=int, default=114)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument(
        "--backend",
        choices=("duckdb", "postgres", "both"),
        default="duckdb",
        help="the store(s) measured (postgres: a copy of the DuckDB store in a server of its own)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object on the last line")
    parser.add_argument("--runs", type=int, default=3, help="warm runs per page (median)")
    parser.add_argument("--pages", nargs="*", default=[], help="only these pages (e.g. views/overview.py)")
    parser.add_argument("--no-pages", action="store_true", help="skip the page measurements")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (not the PostgreSQL server)")
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--part", choices=("summary", "report", "pages"), help=argparse.SUPPRESS)
    parser.add_argument("--period", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part:
        period = Period.parse(args.period)
        parts = {
            "summary": lambda: measure_summary(args.workdir, args.db, period),
            "report": lambda: measure_report(args.workdir, args.db, period),
            "pages": lambda: measure_pages(args.workdir, args.db, period, args.pages, args.runs),
        }
        result = parts[args.part]()
        print(json.dumps(result, ensure_ascii=False))
        return
    work = Path(tempfile.mkdtemp(prefix="dmst-scale-"))
    period = START.shift(args.months - 1)
    try:
        with ExitStack() as stack:
            built = build(work, args.localities, args.months)
            db_mb = round((work / "scale.duckdb").stat().st_size / 2**20, 1)
            print(
                f"{args.localities} localities × {args.months} months: {built['submissions']:,} submissions, "
                f"{built['submission_values']:,} values, {built['task_updates']:,} task updates, "
                f"{built['originals']:,} originals; database {db_mb} MB; built in {built['build_s']} s "
                f"(plans {built['plans_s']} s, catalog parse {built['catalog_parse_s']} s, "
                f"catalog tables {built['catalog_write_s']} s, rows {built['rows_s']} s, monthly values "
                f"{built.get('months_s', '–')} s); {os.cpu_count()} CPU"
            )
            result: dict = {"localities": args.localities, "months": args.months, "db_mb": db_mb, "build": built}
            if args.backend != "postgres":
                result.update(measure("duckdb", work, str(work / "scale.duckdb"), period, args))
            if args.backend != "duckdb":
                url, copy_s = to_postgres(work, stack)
                print(f"copied into PostgreSQL in {copy_s} s (python -m store copy)")
                figures = {"copy_s": copy_s, **measure("postgres", work, url, period, args)}
                if args.backend == "postgres":
                    result.update(figures)
                else:
                    result["postgres"] = figures
                    print(
                        "postgres ÷ duckdb: "
                        + ", ".join(
                            f"{key} {figures[key] / result[key]:.2f}×"
                            for key in (
                                "summary_cold_ms",
                                "summary_warm_ms",
                                "locality_summary_warm_ms",
                                "report_ms",
                                "city_report_ms",
                            )
                            if result[key]
                        )
                    )
            if args.json:
                print(json.dumps(result, ensure_ascii=False))
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
