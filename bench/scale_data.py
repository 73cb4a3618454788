"""A synthetic store of any size for ``bench/bench_scale.py``: N localities × M months.

Plans: the five real plans keep their files; locality n ≥ 5 gets a copy of real plan n mod 5
(its units, groups, indicators, tasks) under the id ``synNNNN``, marked synthetic in its title,
with its own indicator and task codes and its targets perturbed (± 10 %, rates capped at 100).
Ward codes cycle through Hải Phòng's 114 (the catalog only knows that registry), so names repeat.

Values follow the real sheets (``plans.reporting``): each reporting unit sends its own sheet
every month with its measures and the tasks it leads; the unit ``thon`` sends one sheet per
village (three villages), so village counts are summed and the share of villages is a share;
one locality in ten sends one whole-locality sheet (unit ``all``) instead. About 30 % of rate
lines carry numerator and denominator, 5 % of lines are blank, 4 % of sheets are missing and
3 % were sent twice (the first copy kept as replaced history). Every submission is marked
``is_sample`` and uploaded by ``BENCH_USER``. Rows are written in bulk (Arrow tables inserted
with DuckDB), not through the Excel loader, which ``bench/bench_ingest.py`` measures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import yaml

from plans.catalog import DATA_DIR, load_catalog
from plans.localities import hai_phong_units
from plans.model import Catalog
from plans.periods import Period, month_range
from plans.reporting import reporting_units, sheet_spec
from plans.vocabulary import ALL_UNITS, TASK_SHEET_STATUSES, VILLAGE_UNIT

REAL_PLANS = ("tan_an", "hung_dao", "binh_giang", "ke_sat", "nam_thanh_mien")
BENCH_USER = "bench (dữ liệu tổng hợp)"
VILLAGES = ("Thôn Một", "Thôn Hai", "Thôn Ba")
ORIGINAL_BYTES = 12_000
TASK_STEPS = tuple(str(status) for status in TASK_SHEET_STATUSES)  # stored as codes (schema 2 on)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_CHUNK = 100


def write_plans(target: Path, n_localities: int, seed: int = 14) -> Path:
    """A data dir with the real plans and ``n_localities - 5`` perturbed copies; returns it."""
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.duckdb*", "plans"))
    (target / "plans").mkdir()
    rng = random.Random(seed)
    texts = {pid: (DATA_DIR / "plans" / f"{pid}.yaml").read_text(encoding="utf-8") for pid in REAL_PLANS}
    for pid in REAL_PLANS[:n_localities]:
        (target / "plans" / f"{pid}.yaml").write_text(texts[pid], encoding="utf-8")
    templates = {pid: yaml.safe_load(text) for pid, text in texts.items()}
    codes = [u.code for u in hai_phong_units()]
    for n in range(len(REAL_PLANS), n_localities):
        doc = dict(templates[REAL_PLANS[n % len(REAL_PLANS)]])
        prefix = f"S{n:04d}"
        doc.update(id=f"syn{n:04d}", ward_code=codes[n % len(codes)], aliases=[f"Địa phương tổng hợp {n}"])
        doc["plan"] = {**doc["plan"], "title": f"[Dữ liệu tổng hợp] {doc['plan']['title']}", "seed": None}
        doc["indicators"] = [_perturbed(i, prefix, rng) for i in doc.get("indicators") or []]
        doc["tasks"] = [{**t, "code": f"{prefix}-{t['code']}"} for t in doc.get("tasks") or []]
        (target / "plans" / f"syn{n:04d}.yaml").write_text(
            yaml.dump(doc, Dumper=_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return target


def _perturbed(indicator: dict, prefix: str, rng: random.Random) -> dict:
    target = float(indicator["target"])
    if indicator["comparator"] in (">", ">=") and target > 1:
        target = round(target * rng.uniform(0.9, 1.1), 1)
        target = min(target, 100.0) if target > 1 and float(indicator["target"]) <= 100 else target
    return {**indicator, "code": f"{prefix}-{indicator['code']}", "target": target}


@dataclass(frozen=True)
class Sheet:
    """One reporter's monthly sheet in a plan family: (measure, unit of measure) lines and task suffixes."""

    unit_code: str
    village: str
    measures: tuple[tuple[str, str, bool], ...]  # (code, "%" | "count" | "yes/no", takes a ratio)
    tasks: tuple[str, ...]


def _layout(catalog: Catalog, locality_id: str, year: int, whole: bool) -> list[Sheet]:
    """The sheets a locality of this plan family sends each month."""
    units = [ALL_UNITS] if whole else list(reporting_units(catalog, locality_id, year))
    sheets = []
    for unit in units:
        spec = sheet_spec(catalog, locality_id, unit, year)
        lines = tuple((line.code, line.measure.unit, line.takes_ratio) for line in spec.lines)
        tasks = tuple(t.code for t in spec.tasks)
        for village in VILLAGES if unit == VILLAGE_UNIT else ("",):
            sheets.append(Sheet(unit, village, lines, tasks if village in ("", VILLAGES[0]) else ()))
    return sheets


@dataclass
class Columns:
    """Column lists of one table, appended to and then written as one Arrow table."""

    names: tuple[str, ...]

    def __post_init__(self) -> None:
        self.data: dict[str, list] = {n: [] for n in self.names}

    def extend(self, **cols: list) -> None:
        for name, values in cols.items():
            self.data[name].extend(values)

    def table(self) -> pa.Table:
        return pa.table(self.data)

    def __len__(self) -> int:
        return len(self.data[self.names[0]])


SUB_COLS = (
    "id",
    "locality_id",
    "unit_code",
    "village",
    "period",
    "file_name",
    "file_sha256",
    "uploaded_by",
    "uploaded_at",
    "replaces",
    "is_current",
    "is_sample",
    "template_version",
    "n_values",
    "n_blank",
    "n_tasks",
)
VAL_COLS = ("submission_id", "measure", "value", "numerator", "denominator", "evidence", "note", "sheet_row")
TASK_COLS = ("submission_id", "task_code", "status", "percent", "evidence", "sheet_row")


def _locality_rows(
    locality_id: str,
    sheets: list[Sheet],
    prefix: str,
    months: list[Period],
    next_id: int,
    subs: Columns,
    vals: Columns,
    tasks: Columns,
    rng: np.random.Generator,
) -> int:
    """Append one locality's submissions, values and task updates; return the next free id."""
    speed = rng.uniform(0.5, 1.5)
    for m_index, period in enumerate(months):
        progress = min(1.0, (m_index + 1) / 60 * speed * 1.6)
        for sheet in sheets:
            if rng.random() < 0.04:
                continue
            twice = rng.random() < 0.03
            uploaded = dt.datetime.combine(period.shift(1).first_day, dt.time(8)) + dt.timedelta(
                hours=int(rng.integers(0, 24 * 10))
            )
            copies = [(next_id, None, False), (next_id + 1, next_id, True)] if twice else [(next_id, None, True)]
            for sub_id, replaces, current in copies:
                key = f"{locality_id}|{sheet.unit_code}|{sheet.village}|{period}|{sub_id}"
                subs.extend(
                    id=[sub_id],
                    locality_id=[locality_id],
                    unit_code=[sheet.unit_code],
                    village=[sheet.village],
                    period=[str(period)],
                    file_name=[f"phieu_{locality_id}_{sheet.unit_code}_{period}.xlsx"],
                    file_sha256=[hashlib.sha256(key.encode()).hexdigest()],
                    uploaded_by=[BENCH_USER],
                    uploaded_at=[uploaded + dt.timedelta(hours=int(sub_id - next_id))],
                    replaces=[replaces],
                    is_current=[current],
                    is_sample=[True],
                    template_version=["bench"],
                    n_values=[len(sheet.measures)],
                    n_blank=[0],
                    n_tasks=[len(sheet.tasks)],
                )
                _sheet_values(sub_id, sheet, progress, vals, rng)
                if sheet.tasks:
                    steps = np.minimum(2, (rng.random(len(sheet.tasks)) * 1.2 + progress * 2).astype(int))
                    tasks.extend(
                        submission_id=[sub_id] * len(sheet.tasks),
                        task_code=[code if prefix == "" else f"{prefix}-{code}" for code in sheet.tasks],
                        status=[TASK_STEPS[s] for s in steps],
                        percent=[float(s * 50) for s in steps],
                        evidence=[None] * len(sheet.tasks),
                        sheet_row=list(range(len(sheet.tasks))),
                    )
            next_id += len(copies)
    return next_id


def _sheet_values(sub_id: int, sheet: Sheet, progress: float, vals: Columns, rng: np.random.Generator) -> None:
    k = len(sheet.measures)
    if not k:
        return
    noise = rng.random(k)
    value, numerator, denominator = [], [], []
    for (_code, unit, takes_ratio), u in zip(sheet.measures, noise):
        if u < 0.05:
            value.append(None), numerator.append(None), denominator.append(None)
            continue
        if unit == "%" and sheet.unit_code == VILLAGE_UNIT and not takes_ratio:
            value.append(100.0 if u < progress else 0.0), numerator.append(None), denominator.append(None)
        elif unit == "%":
            rate = round(min(100.0, 30 + 70 * progress * (0.8 + 0.4 * u)), 1)
            if takes_ratio and u > 0.7:
                den = float(40 + int(u * 200))
                num = float(round(den * rate / 100))
                value.append(round(num / den * 100, 1)), numerator.append(num), denominator.append(den)
            else:
                value.append(rate), numerator.append(None), denominator.append(None)
        elif unit == "yes/no":
            value.append(float(u < progress)), numerator.append(None), denominator.append(None)
        else:
            value.append(float(int(u * 3))), numerator.append(None), denominator.append(None)
    vals.extend(
        submission_id=[sub_id] * k,
        measure=[m[0] for m in sheet.measures],
        value=value,
        numerator=numerator,
        denominator=denominator,
        evidence=[None] * k,
        note=[None] * k,
        sheet_row=list(range(k)),
    )


def fill_store(db: Path, catalog: Catalog, n_months: int, start: Period = Period(2026, 1), seed: int = 14) -> dict:
    """Write the synthetic submissions, values, task updates, current keys and the submission number
    reached into ``db`` (schema and catalog already prepared); returns row counts. The rows bypass the writers, so the
    localities' computed months (``store.measure_months``) are stale until ``store.db.prepare`` runs again."""
    months = month_range(start, start.shift(n_months - 1))
    real = load_catalog(DATA_DIR)
    layouts = {(pid, whole): _layout(real, pid, start.year, whole) for pid in REAL_PLANS for whole in (False, True)}
    rng = np.random.default_rng(seed)
    counts = {"submissions": 0, "submission_values": 0, "task_updates": 0}
    con = duckdb.connect(str(db))
    try:
        next_id = 1
        ids = list(catalog.plans)
        for chunk_start in range(0, len(ids), _CHUNK):
            subs, vals, tasks = Columns(SUB_COLS), Columns(VAL_COLS), Columns(TASK_COLS)
            for locality_id in ids[chunk_start : chunk_start + _CHUNK]:
                n = int(locality_id[3:]) if locality_id.startswith("syn") else REAL_PLANS.index(locality_id)
                family = REAL_PLANS[n % len(REAL_PLANS)]
                prefix = "" if locality_id in REAL_PLANS else f"S{n:04d}"
                sheets = layouts[(family, n % 10 == 9)]
                next_id = _locality_rows(locality_id, sheets, prefix, months, next_id, subs, vals, tasks, rng)
            for table, cols in (("submissions", subs), ("submission_values", vals), ("task_updates", tasks)):
                arrow = cols.table()
                con.register("chunk", arrow)
                con.execute(f"INSERT INTO {table} SELECT * FROM chunk")
                con.unregister("chunk")
                counts[table] += len(cols)
        counts["originals"] = _write_originals(con, months[-1])
        # as the writers leave them: each key's current submission, and the next submission number
        con.execute(
            "INSERT INTO current_keys SELECT locality_id, unit_code, lower(village), period, id "
            "FROM submissions WHERE is_current"
        )
        con.execute("SELECT max(nextval('submission_id_seq')) FROM range(?)", [next_id - 1])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts


def _write_originals(con: duckdb.DuckDBPyConnection, period: Period) -> int:
    """A 12 KB stand-in original (random bytes: as incompressible as a real .xlsx) for every
    current sheet of the last month; older sheets' originals are not generated."""
    rows = con.execute(
        "SELECT file_sha256, file_name, uploaded_at FROM submissions WHERE period = ? AND is_current", [str(period)]
    ).fetchall()
    rng = np.random.default_rng(7)
    files = pa.table(
        {
            "sha256": [r[0] for r in rows],
            "file_name": [r[1] for r in rows],
            "size_bytes": [ORIGINAL_BYTES] * len(rows),
            "first_uploaded_at": [r[2] for r in rows],
        }
    )
    contents = pa.table({"sha256": [r[0] for r in rows], "content": [rng.bytes(ORIGINAL_BYTES) for _ in rows]})
    for table, arrow in (("upload_files", files), ("upload_contents", contents)):
        con.register("originals", arrow)
        con.execute(f"INSERT INTO {table} SELECT * FROM originals")
        con.unregister("originals")
    return len(rows)
