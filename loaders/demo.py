"""Sample data: filled monthly sheets for every locality, made and ingested through the real path.

Each sheet is the real template (:mod:`loaders.template`) filled with plausible, seeded values
and marked "DỮ LIỆU MẪU" in its title block, then taken in by :mod:`loaders.ingest` like any
upload (so every submission is stored with ``is_sample``). The values vary by locality and
month: rates rise towards their targets at different speeds, flows are a few a month, stocks
and yes/no items switch on at some month, some sheets are missing (more in the latest month),
some values are left blank, and tasks are done on time, late, in progress or overdue.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from loaders.ingest import IngestResult, ingest_files
from loaders.template import MeasureFill, SheetFill, TaskFill, build_workbook, workbook_bytes
from plans import clock
from plans.catalog import load_catalog
from plans.model import Catalog, Task
from plans.periods import Period, month_range
from plans.reporting import COUNT, PERCENT, VILLAGE_UNIT, MeasureLine, reporting_units, sheet_spec
from plans.vocabulary import TASK_DONE, TASK_IN_PROGRESS, TASK_NOT_STARTED, Accumulation, MeasureKind, Recurrence
from store.db import connection
from store.uploads import submission_count

SAMPLE_USER = "Dữ liệu mẫu"
SAMPLE_VILLAGES = ("Thôn Đông", "Thôn Trung", "Thôn Tây")
DEFAULT_START = Period(2026, 1)


class DemoError(Exception):
    """The sample data cannot be loaded (message in Vietnamese)."""


@dataclass
class DemoSummary:
    """What the demo loaded."""

    files: int = 0
    accepted: int = 0
    rejected: list[IngestResult] = field(default_factory=list)
    seconds: float = 0.0


def _rng(seed: int, *parts: object) -> random.Random:
    return random.Random("/".join([str(seed), *map(str, parts)]))


def _target(line: MeasureLine) -> float:
    targets = [i.target for i in line.indicators if i.comparator in (">", ">=", "=")]
    targets += [it.threshold for it in line.framework_items]
    return max(targets) if targets else 100.0


def _percent_value(line: MeasureLine, key: tuple, seed: int, month: int) -> float:
    rng = _rng(seed, *key, line.code)
    base = rng.uniform(5, 20) if line.measure.kind == MeasureKind.REDUCTION else rng.uniform(25, 65)
    goal = min(100.0, _target(line)) * rng.uniform(0.8, 1.05)
    months = max(12, (max((i.target_year for i in line.indicators), default=2030) - 2025) * 12)
    trend = base + (goal - base) * min(1.0, (month + 1) / months * rng.uniform(1.0, 2.5))
    noise = _rng(seed, *key, line.code, month).uniform(-1.5, 1.5)
    return round(min(100.0, max(0.0, trend + noise)), 1)


def _measure_fill(line: MeasureLine, key: tuple, seed: int, month: int) -> MeasureFill | None:
    """The cell contents of one measure for one month (``None``: left blank)."""
    rng = _rng(seed, *key, line.code, month)
    if rng.random() < 0.06:
        return None
    setup = _rng(seed, *key, line.code)
    if line.entry == PERCENT:
        value = _percent_value(line, key, seed, month)
        if setup.random() < 0.35 and line.takes_ratio:
            denominator = setup.randint(40, 240)
            numerator = round(denominator * value / 100)
            shown = None if rng.random() < 0.5 else round(numerator / denominator * 100, 1)
            return MeasureFill(shown, numerator, denominator)
        return MeasureFill(f"{value:.1f}".replace(".", ",") if rng.random() < 0.2 else value)
    if line.entry == COUNT:
        if line.measure.accumulation == Accumulation.SUM_YEAR:
            weights = (8, 1, 0, 0) if line.measure.direction == "lower" else (3, 3, 2, 1)
            return MeasureFill(rng.choices((0, 1, 2, 3), weights)[0])
        start, step = setup.randint(0, 1), setup.uniform(0.05, 0.25)
        return MeasureFill(start + sum(_rng(seed, *key, line.code, m).random() < step for m in range(month + 1)))
    switch_on = setup.randint(0, 16)
    return MeasureFill("Có" if month >= switch_on else "Không")


def _task_fill(task: Task, key: tuple, seed: int, period: Period, today: dt.date) -> TaskFill | None:
    rng = _rng(seed, *key, task.code)
    if _rng(seed, *key, task.code, period).random() < 0.05:
        return None
    if task.deadline is None:
        if task.recurrence == Recurrence.MONTHLY and rng.random() < 0.7:
            return TaskFill(TASK_DONE, 100, min(period.last_day, today).strftime("%d/%m/%Y"))
        return TaskFill(TASK_IN_PROGRESS, min(95, 30 + 5 * (period.month + rng.randint(0, 6))))
    due = Period.of(task.deadline)
    done = None if rng.random() < 0.25 else due.shift(rng.randint(-3, 2))
    start = (done or due).shift(-rng.randint(2, 6))
    if done is not None and period >= done:
        day = min(dt.date(done.year, done.month, rng.randint(1, done.last_day.day)), today)
        return TaskFill(TASK_DONE, 100, day.strftime("%d/%m/%Y"), f"Báo cáo kết quả ngày {day:%d/%m/%Y}")
    if period >= start:
        span = max(1, (done or due).index - start.index)
        return TaskFill(TASK_IN_PROGRESS, min(90, round(100 * (period.index - start.index + 1) / (span + 1))))
    return TaskFill(TASK_NOT_STARTED, 0)


def _uploaded_at(seed: int, key: tuple, period: Period, now: dt.datetime) -> dt.datetime:
    rng = _rng(seed, *key, period, "upload")
    nxt = period.shift(1)
    moment = dt.datetime(
        nxt.year, nxt.month, rng.choice((1, 2, 3, 4, 5, 5, 7, 9)), rng.randint(7, 16), rng.randint(0, 59)
    )
    return min(moment, now)


def last_ended_month(today: dt.date) -> Period:
    """The newest month that is over (a unit reports a month once it has ended): the sample data's last."""
    return Period.of(today).shift(-1)


def _sample_keys(
    catalog: Catalog, start: Period, end: Period, seed: int, latest: Period
) -> Iterator[tuple[tuple, Period]]:
    """((locality, unit, village), month) of every sample sheet, the missing ones (more in the
    ``latest`` month, just ended: some units are late) left out."""
    for locality_id in catalog.plans:
        years = {period.year: reporting_units(catalog, locality_id, period.year) for period in month_range(start, end)}
        for unit in dict.fromkeys(unit for units in years.values() for unit in units):
            for village in SAMPLE_VILLAGES if unit == VILLAGE_UNIT else ("",):
                key = (locality_id, unit, village)
                for period in (p for p in month_range(start, end) if unit in years[p.year]):
                    missing = 0.35 if period == latest else 0.08
                    if _rng(seed, *key, period, "missing").random() >= missing:
                        yield key, period


def sample_count(catalog: Catalog, start: Period, end: Period, seed: int = 2026, now: dt.datetime | None = None) -> int:
    """How many sheets :func:`sample_sheets` makes (without making them: for a progress bar)."""
    latest = last_ended_month((now or clock.now()).date())
    return sum(1 for _ in _sample_keys(catalog, start, end, seed, latest))


def sample_sheets(
    catalog: Catalog, start: Period, end: Period, seed: int = 2026, now: dt.datetime | None = None
) -> Iterator[tuple[str, bytes, dt.datetime]]:
    """Filled sample sheets (name, bytes, simulated upload time) for every locality and month."""
    now = now or clock.now()
    for key, period in _sample_keys(catalog, start, end, seed, last_ended_month(now.date())):
        locality_id, unit, village = key
        spec = sheet_spec(catalog, locality_id, unit, period.year)
        month = period.index - DEFAULT_START.index
        fill = SheetFill(
            measures={line.code: f for line in spec.lines if (f := _measure_fill(line, key, seed, month)) is not None},
            tasks={t.code: f for t in spec.tasks if (f := _task_fill(t, key, seed, period, now.date())) is not None},
        )
        book = build_workbook(catalog, locality_id, unit, period, village, fill, sample=True)
        suffix = f"_{village.split()[-1].lower()}" if village else ""
        name = f"mau_{locality_id}_{unit}{suffix}_{period}.xlsx"
        yield name, workbook_bytes(book), _uploaded_at(seed, key, period, now)


def run_demo(
    db_path: Path | str | None,
    catalog: Catalog | None = None,
    start: Period = DEFAULT_START,
    end: Period | None = None,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
    address: str | None = None,
) -> DemoSummary:
    """Fill an empty database with sample data from ``start`` to ``end`` (default: the last month
    that has ended, :func:`last_ended_month`); ``progress(done, total)`` is told after each group
    of sheets is written; ``address`` is where the request came from (journal)."""
    catalog = catalog or load_catalog()
    now = clock.now()
    end = end or last_ended_month(now.date())
    with connection(db_path) as con:
        if submission_count(con):
            raise DemoError(
                "Cơ sở dữ liệu đã có phiếu báo cáo: chỉ tạo dữ liệu mẫu trên cơ sở dữ liệu trống "
                "(đặt DMST_DB hoặc --db tới một tệp mới)"
            )
    began = time.perf_counter()
    total, done = sample_count(catalog, start, end, seed, now), []

    def told(result: IngestResult) -> None:
        done.append(result)
        if progress is not None:
            progress(len(done), total)

    results = ingest_files(
        db_path,
        sample_sheets(catalog, start, end, seed, now),
        user=SAMPLE_USER,
        catalog=catalog,
        today=now.date(),
        on_result=told,
        address=address,
    )
    summary = DemoSummary(
        files=len(results), accepted=sum(r.accepted for r in results), rejected=[r for r in results if not r.accepted]
    )
    summary.seconds = time.perf_counter() - began
    return summary
