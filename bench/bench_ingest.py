"""Benchmark: ingest a city-scale month of monthly sheets and compare reading with pandas+openpyxl.

    python bench/bench_ingest.py [--localities 114] [--sheets 10] [--workers 2]

A city-month is Hải Phòng's 114 commune-level units (``plans.localities.hai_phong_units``)
× 10 unit sheets = 1,140 files. Only five localities have a plan, so the benchmark registers
114 synthetic localities in an in-memory catalog: locality *i* gets the name and ward code of
the *i*-th Hải Phòng unit and the structure (units, indicators, tasks) of the five real plans
in turn. Its 10 sheets are its reporting units (villages aside), then the locality-wide sheet
``all``, then village sheets ``Thôn 1``, ``Thôn 2``… for plans with villages; a plan with fewer
than 10 such sheets (Bình Giang: 8 units + ``all``) re-uploads a corrected ``vhxh`` sheet, so
the replacement path is measured too. Sheets are the real template filled with random
plausible values (some as text such as ``85,5``, some blank), written with openpyxl (in
``--workers`` processes; not timed).

Printed figures:
- ingest (check + write to a fresh DuckDB, as ``python -m loaders ingest`` does: ``GROUP_FILES``
  files checked then written per transaction, the database kept open from one transaction to the
  next while nobody else waits, the kept monthly and latest rows refreshed once at the end): files
  per second, median and p95 ms per group of files, the whole month in seconds;
- peak memory of the process (``ru_maxrss``, after ingest, and before it for comparison);
- reading only (package checks + calamine + XML scan, both data sheets) against
  ``pandas.read_excel(engine="openpyxl")`` of the same two sheets, and the ratio;
- with ``--profile N``, the N most expensive functions of the ingest (cProfile, cumulative).
The last line is one JSON object (``city_month_s``, ``sheets_per_s``, ``group_median_ms``,
``group_p95_ms``, ``read_ratio``, ``load_average``, …). Targets: reading ≥ 5× faster than the
baseline; a city-month in under 5 s on 2 cores.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import os
import pstats
import random
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.city import done_with
from loaders.ingest import GROUP_FILES, ingest_files
from loaders.sheet_layout import MEASURE_SHEET, TASK_SHEET
from loaders.sheet_reader import read_sheets
from loaders.template import MeasureFill, SheetFill, TaskFill, build_workbook, workbook_bytes
from loaders.xlsx_package import open_package
from plans import clock
from plans.catalog import load_catalog
from plans.localities import hai_phong_units
from plans.model import Catalog, Plan, PlanTasks
from plans.periods import Period
from plans.reporting import COUNT, PERCENT, reporting_units, sheet_spec
from plans.vocabulary import ALL_UNITS, TASK_SHEET_LABELS, VILLAGE_UNIT
from store.db import prepare

PERIOD = Period.of(clock.today()).shift(-1)
TARGET_S = 5.0


def city_catalog(localities: int) -> Catalog:
    """The real catalog plus ``localities`` synthetic localities cycling the five plans."""
    base = load_catalog()
    plans = list(base.plans.values())
    synthetic: dict[str, Plan] = {}
    for i, unit in enumerate(hai_phong_units()[:localities]):
        plan = plans[i % len(plans)]
        pid = f"hp_{unit.code}"
        synthetic[pid] = dataclasses.replace(
            plan,
            id=pid,
            ward_code=unit.code,
            name=unit.name,
            kind=unit.kind,
            indicators=tuple(dataclasses.replace(x, locality_id=pid) for x in plan.indicators),
            tasks=PlanTasks(dataclasses.replace(x, locality_id=pid) for x in plan.tasks),
        )
    return dataclasses.replace(base, plans=synthetic)


def sheets_of(catalog: Catalog, locality_id: str, count: int) -> list[tuple[str, str]]:
    """The (unit, village) pairs of a locality's month, as described in the module docstring."""
    units = [u for u in reporting_units(catalog, locality_id, 2026) if u != VILLAGE_UNIT]
    pairs = [(u, "") for u in units] + [(ALL_UNITS, "")]
    if VILLAGE_UNIT in reporting_units(catalog, locality_id, 2026):
        pairs += [(VILLAGE_UNIT, f"Thôn {n}") for n in range(1, count + 1)]
    pairs = pairs[:count]
    while len(pairs) < count:
        pairs.append(("vhxh", ""))
    return pairs


def _fill(catalog: Catalog, locality_id: str, unit: str, rng: random.Random) -> SheetFill:
    spec = sheet_spec(catalog, locality_id, unit, 2026)
    measures = {}
    for line in spec.lines:
        if rng.random() < 0.08:
            continue
        if line.entry == PERCENT:
            value = round(rng.uniform(20, 100), 1)
            measures[line.code] = MeasureFill(
                f"{value}".replace(".", ",") if rng.random() < 0.3 else value,
                evidence="Báo cáo tháng" if rng.random() < 0.3 else None,
            )
        elif line.entry == COUNT:
            measures[line.code] = MeasureFill(rng.randint(0, 5))
        else:
            measures[line.code] = MeasureFill(rng.choice(("Có", "Không", "x")))
    tasks = {}
    for task in spec.tasks:
        status = rng.choice(TASK_SHEET_LABELS)
        percent = {"Chưa thực hiện": 0, "Hoàn thành": 100}.get(status, rng.randint(10, 90))
        tasks[task.code] = TaskFill(status, percent)
    return SheetFill(measures, tasks)


def _write_locality(args: tuple[int, int, int, str]) -> list[Path]:
    """Write one locality's sheets (run in a worker process)."""
    index, localities, count, out_dir = args
    catalog = city_catalog(localities)
    locality_id = list(catalog.plans)[index]
    rng = random.Random(index)
    paths = []
    for n, (unit, village) in enumerate(sheets_of(catalog, locality_id, count)):
        book = build_workbook(catalog, locality_id, unit, PERIOD, village, _fill(catalog, locality_id, unit, rng))
        path = Path(out_dir) / f"{locality_id}_{n:02d}_{unit}.xlsx"
        path.write_bytes(workbook_bytes(book))
        paths.append(path)
    return paths


def _timed_files(paths: list[Path], marks: list[float]):
    """Yield (name, bytes) and record the time at each hand-over (per-file durations)."""
    for path in paths:
        data = path.read_bytes()
        marks.append(time.perf_counter())
        yield path.name, data
    marks.append(time.perf_counter())


def _ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--localities", type=int, default=114)
    parser.add_argument("--sheets", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", action="store_true", help="keep the generated sheets and database")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also print the N most expensive functions of the ingest (cProfile, cumulative)",
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench_ingest_"))
    began = time.perf_counter()
    jobs = [(i, args.localities, args.sheets, str(work)) for i in range(args.localities)]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        paths = [p for batch in pool.map(_write_locality, jobs) for p in batch]
    size = sum(p.stat().st_size for p in paths)
    print(
        f"Sinh {len(paths)} phiếu ({size / 1048576:.1f} MB) cho {args.localities} địa phương × {args.sheets} "
        f"phiếu, kỳ {PERIOD}, trong {time.perf_counter() - began:.1f} s (không tính vào kết quả)"
    )

    catalog = city_catalog(args.localities)
    db = prepare(work / "bench.duckdb", load_catalog())
    marks: list[float] = []
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began = time.perf_counter()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    results = ingest_files(db, _timed_files(paths, marks), user="bench", catalog=catalog)
    total = time.perf_counter() - began
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    accepted = sum(r.accepted for r in results)
    groups = [b - a for a, b in zip(marks[::GROUP_FILES], marks[GROUP_FILES::GROUP_FILES])]
    median, p95 = _ms(groups or [total])
    print(f"Nạp: {accepted}/{len(results)} phiếu được nhận, {sum(bool(r.replaced_id) for r in results)} thay phiếu cũ")
    print(
        f"  {total:.1f} s cho cả tháng của thành phố ({len(results) / total:.0f} phiếu/giây); "
        f"mỗi nhóm {GROUP_FILES} phiếu: trung vị {median:.0f} ms, p95 {p95:.0f} ms"
    )
    print(f"  bộ nhớ đỉnh của tiến trình {rss_peak:.0f} MB (RSS; {rss_before:.0f} MB trước khi nạp)")
    for result in [r for r in results if not r.accepted][:3]:
        print("  " + result.summary(), *[f"    {p}" for p in result.errors[:3]], sep="\n")

    ours, ours_pd, baseline = [], [], []
    names = [MEASURE_SHEET, TASK_SHEET]
    for path in paths:
        data = path.read_bytes()
        start = time.perf_counter()
        read_sheets(open_package(data), names)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        pd.read_excel(io.BytesIO(data), sheet_name=names, header=None, engine="calamine")
        ours_pd.append(time.perf_counter() - start)
        start = time.perf_counter()
        pd.read_excel(io.BytesIO(data), sheet_name=names, header=None, engine="openpyxl")
        baseline.append(time.perf_counter() - start)
    ratio = sum(baseline) / sum(ours)
    print(
        f"Đọc ({len(paths)} tệp, hai trang dữ liệu): loader {sum(ours):.1f} s (trung vị {_ms(ours)[0]:.1f} ms); "
        f"pandas+calamine {sum(ours_pd):.1f} s; pandas+openpyxl {sum(baseline):.1f} s "
        f"(trung vị {_ms(baseline)[0]:.1f} ms)"
    )
    print(f"  loader nhanh hơn pandas+openpyxl {ratio:.1f} lần")
    city_ok = total < TARGET_S and accepted == len(results)
    print(
        f"Mục tiêu: đọc ≥ 5 lần: {'ĐẠT' if ratio >= 5 else 'CHƯA ĐẠT'}; cả tháng < {TARGET_S:.0f} s: "
        f"{'ĐẠT' if city_ok else 'CHƯA ĐẠT'} (máy {os.cpu_count()} lõi, tải {os.getloadavg()[0]:.1f})"
    )
    done_with(work, args.keep, "Tệp sinh ra và cơ sở dữ liệu")
    print(
        json.dumps(
            {
                "sheets": len(results),
                "accepted": accepted,
                "replaced": sum(bool(r.replaced_id) for r in results),
                "city_month_s": round(total, 2),
                "sheets_per_s": round(len(results) / total, 1),
                "group_files": GROUP_FILES,
                "group_median_ms": round(median),
                "group_p95_ms": round(p95),
                "rss_peak_mb": round(rss_peak),
                "read_loader_s": round(sum(ours), 2),
                "read_openpyxl_s": round(sum(baseline), 2),
                "read_ratio": round(ratio, 1),
                "profiled": bool(args.profile),
                "cpus": os.cpu_count(),
                "load_average": round(os.getloadavg()[0], 2),
            }
        )
    )
    return 0 if ratio >= 5 and city_ok else 1


if __name__ == "__main__":
    sys.exit(main())
