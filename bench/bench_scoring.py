"""Benchmark: the summary (KPI, indicators, tasks, submissions) for 114 localities × 12 months.

Run: .venv/bin/python bench/bench_scoring.py
Prints the time to read the store (values combined in SQL) and score every locality, and the whole
``python -m scoring summary`` computation, cold (first run) and warm (median of 5).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.city import build_city_db, temp_workdir
from plans.periods import Period
from scoring.report import locality_reports
from scoring.summary import summary_dict
from store.db import connection


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    work = temp_workdir()
    t0 = time.perf_counter()
    db, catalog = build_city_db(work)
    with connection(db) as con:
        n_values = con.execute("SELECT count(*) FROM submission_values").fetchone()[0]
        n_subs = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
    print(
        f"city database: {len(catalog.plans)} localities, {n_subs:,} submissions, {n_values:,} values "
        f"(built in {time.perf_counter() - t0:.1f} s)"
    )
    period = Period(2026, 12)
    runs = []
    for _ in range(6):
        reports, t_score = timed(lambda: locality_reports(db, catalog, period))
        _, t_json = timed(lambda reports=reports: summary_dict(reports, period))
        runs.append((t_score, t_json, t_score + t_json))
    cold, warm = runs[0], runs[1:]
    print(f"{'':24}{'cold':>10}{'warm (median)':>16}")
    for i, label in enumerate(("read (SQL) + score", "build JSON", "summary total")):
        print(f"{label:24}{cold[i] * 1000:>8.0f} ms{statistics.median(r[i] for r in warm) * 1000:>13.0f} ms")


if __name__ == "__main__":
    main()
