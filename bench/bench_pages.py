"""Benchmark: how long each page takes to run on a city-scale database (AppTest, in process).

Run: .venv/bin/python bench/bench_pages.py [--runs 5]
Builds Hải Phòng's 114 localities × 12 months of every measure (``bench/city.py``), points the
app at it ($DMST_DB, $DMST_DATA) and times each page for December 2026, signed in through the login form as an admin
(``bench/page_timing.py``):

* cold start: every Streamlit cache emptied (plan files read, database opened, store read, scoring);
* cold data: only the data caches emptied, as after an upload (store read and scoring again);
* warm: median of ``--runs`` reruns with the caches filled.

Target on a 2-core machine: every page < 1 s warm, < 3 s cold.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.city import built_city  # noqa: E402
from bench.page_timing import PAGES, ensure_admin, measure_page  # noqa: E402

COLD_LIMIT, WARM_LIMIT = 3.0, 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (median)")
    args = parser.parse_args()
    work, db, _ = built_city()
    os.environ["DMST_DB"] = str(db)
    os.environ["DMST_DATA"] = str(work / "data")
    ensure_admin(db)
    print(f"{'page':26}{'cold start':>12}{'cold data':>11}{'warm':>8}")
    slow = []
    for title, page in PAGES:
        times = measure_page(page, "2026-12", args.runs, timeout=120)
        cold_start, cold_data, warm = times.cold_start, times.cold_data, times.warm
        flag = "" if max(cold_start, cold_data) < COLD_LIMIT and warm < WARM_LIMIT else "  ← over target"
        if flag:
            slow.append(title)
        print(f"{title:26}{cold_start:>11.2f}s{cold_data:>10.2f}s{warm:>7.2f}s{flag}")
    print("all pages within target" if not slow else f"over target: {', '.join(slow)}")


if __name__ == "__main__":
    main()
