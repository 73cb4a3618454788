"""Benchmark: one locality's report (.docx + .xlsx + charts) and the city's comparison report on
Hải Phòng's 114 localities × 12 months (``bench/city.py``), December 2026.

Run: .venv/bin/python bench/bench_reports.py [--runs 3]

* cold: a new process's first report (plan files read, store read, scoring, charts, files);
* warm: median of ``--runs`` more reports in the same process (store read and scored again each time).

Targets on a 2-core machine: one locality < 3 s, the city < 10 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.city import built_city  # noqa: E402

LIMITS = {"tan_an": 3.0, "all": 10.0}
ONE_RUN = """
import sys, time
start = time.perf_counter()
from pathlib import Path
from plans.catalog import load_catalog
from plans.periods import Period
from reports.build import build
catalog = load_catalog(Path(sys.argv[3]))
built = build(sys.argv[1], catalog, sys.argv[2], Period(2026, 12))
print(time.perf_counter() - start, len(built.docx), len(built.xlsx), len(built.content.charts))
for _ in range(int(sys.argv[4])):
    start = time.perf_counter()
    build(sys.argv[1], catalog, sys.argv[2], Period(2026, 12))
    print(time.perf_counter() - start)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="warm runs (median)")
    args = parser.parse_args()
    work, db, _ = built_city()
    print(f"{'report':22}{'cold':>8}{'warm':>8}{'docx':>10}{'xlsx':>10}{'charts':>8}")
    for locality, label in (("tan_an", "one locality (Tân An)"), ("all", "city (114 localities)")):
        out = subprocess.run(
            [sys.executable, "-c", ONE_RUN, str(db), locality, str(work / "data"), str(args.runs)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
        cold, docx, xlsx, charts = out[0].split()
        warm = statistics.median(float(line) for line in out[1:] if line.strip())
        flag = "" if max(float(cold), warm) < LIMITS[locality] else "  ← over target"
        print(
            f"{label:22}{float(cold):>7.2f}s{warm:>7.2f}s{int(docx) // 1024:>8} KB{int(xlsx) // 1024:>8} KB"
            f"{charts:>8}{flag}"
        )


if __name__ == "__main__":
    main()
