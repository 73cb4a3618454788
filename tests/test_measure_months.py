"""The combined monthly values the writers keep (``store.measure_months``): written with the sheets
that change them, only for the localities written, recomputed when a measure's rule changes, and
never trusted when stale (a read-only store answers from the values themselves)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import shutil
import sys
import threading
from pathlib import Path

import pytest
from sheet_factory import filled, ingest_file

from loaders import ingest as ingest_module
from loaders.ingest import ingest_files
from loaders.template import MeasureFill, SheetFill, TaskFill, build_workbook, workbook_bytes
from plans.catalog import DATA_DIR, load_catalog
from plans.model import Catalog
from plans.periods import Period
from plans.reporting import PERCENT, YES_NO, reporting_units, sheet_spec
from plans.vocabulary import ALL_UNITS, TASK_SHEET_LABELS, VILLAGE_UNIT
from store import measure_months, queries
from store.accounts import Account
from store.db import connection, prepare
from store.sql import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.scale_data import VILLAGES, fill_store, write_plans

pytestmark = pytest.mark.both_backends


def kept(db: Path, locality_id: str) -> dict[tuple[str, str], tuple[str, float]]:
    """(measure, month) → (accumulation, value) kept for a locality."""
    with connection(db) as con:
        rows = con.execute(
            "SELECT measure, period, accumulation, value FROM measure_months WHERE locality_id = ?", [locality_id]
        ).fetchall()
    return {(m, p): (a, v) for m, p, a, v in rows}


def version(db: Path, locality_id: str) -> int | None:
    with connection(db) as con:
        row = con.execute("SELECT version FROM measure_month_versions WHERE locality_id = ?", [locality_id]).fetchone()
    return row[0] if row else None


APRIL_TASK = {"TA-VII.2-a": {"Tình trạng": "Đang thực hiện", "Tỷ lệ hoàn thành (%)": 40}}
"""What Tân An's Phòng Văn hóa - Xã hội reports of task TA-VII.2-a in April 2026."""


def send(
    db: Path,
    catalog: Catalog,
    unit: str,
    period: str,
    values: dict,
    locality: str = "tan_an",
    tasks: dict | None = None,
) -> None:
    result = ingest_file(
        db, f"{locality}_{unit}_{period}.xlsx", filled(catalog, locality, unit, period, values, tasks), catalog=catalog
    )
    assert result.accepted, result.problems


def latest(db: Path, locality_id: str) -> tuple[str | None, dict, dict]:
    """(latest month kept, measure → kept row, task code → kept line) of a locality."""
    with connection(db) as con:
        through = con.execute(
            "SELECT through FROM measure_month_versions WHERE locality_id = ?", [locality_id]
        ).fetchone()
        values = con.execute(
            "SELECT measure, value, last_period, first_period, first_value, year_first_period, "
            "year_first_value FROM latest_values WHERE locality_id = ?",
            [locality_id],
        ).fetchall()
        tasks = con.execute(
            "SELECT task_code, unit_code, period, status, percent FROM latest_tasks WHERE locality_id = ?",
            [locality_id],
        ).fetchall()
    return through and through[0], {m: tuple(rest) for m, *rest in values}, {c: tuple(rest) for c, *rest in tasks}


def test_each_upload_keeps_its_localitys_months_in_the_same_transaction(db: Path, catalog: Catalog) -> None:
    send(db, catalog, "kt", "2026-03", {"sme_digital_share": 30})
    send(db, catalog, "ca", "2026-03", {"fraud_awareness_sessions": 2})
    send(db, catalog, "ca", "2026-04", {"fraud_awareness_sessions": 1})
    assert kept(db, "tan_an") == {
        ("sme_digital_share", "2026-03"): ("latest", 30.0),
        ("fraud_awareness_sessions", "2026-03"): ("sum_year", 2.0),
        ("fraud_awareness_sessions", "2026-04"): ("sum_year", 1.0),
    }
    send(db, catalog, "kt", "2026-03", {"sme_digital_share": 35})  # a re-sent March replaces the first
    assert kept(db, "tan_an")[("sme_digital_share", "2026-03")] == ("latest", 35.0)
    with connection(db) as con:
        newest = con.execute("SELECT max(id) FROM submissions WHERE locality_id = 'tan_an'").fetchone()[0]
        assert measure_months.stale(con) == []
        as_of = queries.values_as_of(con, ["tan_an"], "2026-04").set_index("measure")
    assert version(db, "tan_an") == newest
    assert (
        as_of.loc["sme_digital_share", "value"] == 35.0 and as_of.loc["sme_digital_share", "last_period"] == "2026-03"
    )
    assert as_of.loc["fraud_awareness_sessions", "value"] == 3.0  # 2 in March + 1 in April


def test_an_upload_for_one_locality_leaves_the_others_months_alone(db: Path, catalog: Catalog) -> None:
    send(db, catalog, "vhxh", "2026-05", {"propaganda_campaigns": 4}, locality="hung_dao")
    before = version(db, "hung_dao"), kept(db, "hung_dao")
    send(db, catalog, "ca", "2026-05", {"fraud_awareness_sessions": 2})
    assert (version(db, "hung_dao"), kept(db, "hung_dao")) == before
    assert version(db, "tan_an") is not None and version(db, "tan_an") > before[0]


def test_a_changed_measure_rule_recomputes_every_locality(db: Path, catalog: Catalog, tmp_path: Path) -> None:
    send(db, catalog, "ca", "2026-05", {"fraud_awareness_sessions": 2})
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", ".cache"))
    measures = data / "measures.yaml"
    text = measures.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "code: fraud_awareness_sessions" in x)
    measures.write_text(
        text.replace(line, line.replace("accumulation: sum_year", "accumulation: latest")), encoding="utf-8"
    )
    prepare(db, load_catalog(data))
    assert kept(db, "tan_an")[("fraud_awareness_sessions", "2026-05")] == ("latest", 2.0)


def test_rows_written_around_the_writers_are_combined_until_prepare_keeps_them(db: Path, catalog: Catalog) -> None:
    send(db, catalog, "kt", "2026-03", {"sme_digital_share": 30})
    with connection(db) as con:  # a sheet's rows written straight into the tables (a tool, an old release)
        con.execute(
            "INSERT INTO submissions (locality_id, unit_code, period, file_sha256, uploaded_at, is_current) "
            "VALUES ('tan_an', 'kt', '2026-04', 'abc', now(), TRUE)"
        )
        sub = con.execute("SELECT max(id) FROM submissions").fetchone()[0]
        con.execute(
            "INSERT INTO submission_values (submission_id, measure, value) VALUES (?, 'sme_digital_share', 50)", [sub]
        )
        assert measure_months.split_fresh(con, ["tan_an", "hung_dao"]) == ([], ["tan_an"])
        assert (
            queries.values_as_of(con, ["tan_an"], "2026-04").set_index("measure").loc["sme_digital_share", "value"]
            == 50.0
        )
    prepare(db, catalog)
    assert kept(db, "tan_an")[("sme_digital_share", "2026-04")] == ("latest", 50.0)
    assert version(db, "tan_an") == sub


def test_each_upload_keeps_its_localitys_values_and_task_lines_as_of_its_latest_month(
    db: Path, catalog: Catalog
) -> None:
    send(db, catalog, "kt", "2026-03", {"sme_digital_share": 30})
    send(db, catalog, "ca", "2026-03", {"fraud_awareness_sessions": 2})
    send(db, catalog, "ca", "2026-04", {"fraud_awareness_sessions": 1})
    send(db, catalog, "vhxh", "2026-04", {}, tasks=APRIL_TASK)
    through, values, tasks = latest(db, "tan_an")
    assert through == "2026-04"
    assert values == {  # value, last month, first month and value, first month and value of the year
        "sme_digital_share": (30.0, "2026-03", "2026-03", 30.0, "2026-03", 30.0),
        "fraud_awareness_sessions": (3.0, "2026-04", "2026-03", 2.0, "2026-03", 2.0),
    }  # 2 + 1 this year
    assert tasks["TA-VII.2-a"] == ("vhxh", "2026-04", "in_progress", 40.0)
    send(db, catalog, "vhxh", "2026-05", {}, tasks={"TA-VII.2-a": {"Tình trạng": "Hoàn thành"}})
    through, values, tasks = latest(db, "tan_an")
    assert through == "2026-05" and values["fraud_awareness_sessions"][:2] == (3.0, "2026-04")
    assert tasks["TA-VII.2-a"] == ("vhxh", "2026-05", "done", 100.0)


def test_a_later_month_of_the_same_year_is_answered_from_the_kept_latest_month(db: Path, catalog: Catalog) -> None:
    """The kept rows are what answers from the latest month to December; an earlier month or
    another year is aggregated from the months (a kept row altered by hand shows which path answered)."""
    send(db, catalog, "kt", "2026-03", {"sme_digital_share": 30})
    send(db, catalog, "vhxh", "2026-04", {}, tasks=APRIL_TASK)
    with connection(db) as con:
        con.execute(
            "UPDATE latest_values SET value = 99 WHERE locality_id = 'tan_an' AND measure = 'sme_digital_share'"
        )
        con.execute("UPDATE latest_tasks SET percent = 77 WHERE task_code = 'TA-VII.2-a'")

        def value(period: str) -> float:
            return (
                queries.values_as_of(con, ["tan_an", "hung_dao"], period)
                .set_index("measure")
                .loc["sme_digital_share", "value"]
            )

        def percent(period: str) -> list[float]:
            return [
                percent
                for code, _, _, percent in queries.task_updates(con, ["tan_an", "hung_dao"], period)
                if code == "TA-VII.2-a"
            ]

        assert [value(p) for p in ("2026-03", "2026-04", "2026-12", "2027-01")] == [30.0, 99.0, 99.0, 30.0]
        assert [percent(p) for p in ("2026-03", "2026-04", "2026-12", "2027-01")] == [[], [77.0], [77.0], [77.0]]


def test_a_schema_5_store_gets_its_latest_months_kept_on_start(db: Path, catalog: Catalog) -> None:
    send(db, catalog, "ca", "2026-03", {"fraud_awareness_sessions": 2})
    send(db, catalog, "ca", "2026-04", {"fraud_awareness_sessions": 1})
    with connection(db) as con:  # the store as schema 5 left it
        con.execute("ALTER TABLE measure_month_versions DROP COLUMN through")
        con.execute("DROP TABLE latest_values")
        con.execute("DROP TABLE latest_tasks")
        con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    prepare(db, catalog)
    through, values, _ = latest(db, "tan_an")
    assert through == "2026-04" and values["fraud_awareness_sessions"] == (
        3.0,
        "2026-04",
        "2026-03",
        2.0,
        "2026-03",
        2.0,
    )


def test_a_task_line_sent_later_with_an_earlier_upload_time_does_not_replace_the_kept_one(
    db: Path, catalog: Catalog
) -> None:
    """The kept line of a task is the latest by month, then upload time (task_updates.sql), not the
    latest written: a whole-commune sheet typed in on the 3rd at 09:00 but loaded after the culture
    office's sheet of 10:00 leaves the office's line kept; a sheet of the 4th then wins."""

    def at(day: int, hour: int) -> dt.datetime:
        return dt.datetime(2026, 5, day, hour)

    def upload(unit: str, percent: int, when: dt.datetime) -> None:
        data = filled(
            catalog,
            "tan_an",
            unit,
            "2026-04",
            {},
            tasks={"TA-VII.2-a": {"Tình trạng": "Đang thực hiện", "Tỷ lệ hoàn thành (%)": percent}},
        )
        [result] = ingest_files(db, [(f"{unit}_{when:%d%H}.xlsx", data, when)], catalog=catalog)
        assert result.accepted and not result.duplicate, result.problems

    upload("vhxh", 40, at(3, 10))
    upload("all", 50, at(3, 9))
    assert latest(db, "tan_an")[2]["TA-VII.2-a"] == ("vhxh", "2026-04", "in_progress", 40.0)
    upload("all", 60, at(4, 9))  # replaces the whole-commune sheet of the 3rd
    assert latest(db, "tan_an")[2]["TA-VII.2-a"] == ("all", "2026-04", "in_progress", 60.0)


# ---------- kept rows after random interleaved batches ----------

SYNTHETIC = 7  # localities: the five plans and two copies (bench/scale_data.py)
HISTORY = (Period(2026, 1), 14)  # January 2026 to February 2027, written around the writers
SENT_MONTHS = ("2026-06", "2026-12", "2027-01", "2027-02", "2027-03")  # backlog, latest, a new month
TODAY = dt.date(2027, 4, 20)  # the office's day for these sheets (none is of a month still to come)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Catalog]:
    """(store, data dir, catalog): a synthetic history whose rows are kept by ``prepare``."""
    work = tmp_path_factory.mktemp("kept_synthetic")
    data = write_plans(work / "data", SYNTHETIC)
    catalog = load_catalog(data)
    db = prepare(work / "scale.duckdb", catalog)
    fill_store(db, catalog, HISTORY[1], HISTORY[0])
    prepare(db, catalog)
    return db, data, catalog


def random_sheet(catalog: Catalog, rng: random.Random, number: int) -> tuple[str, bytes, dt.datetime]:
    """A real sheet of a random reporter and month (whole-locality sheets and villages among them),
    some lines and tasks left blank, sent at a random moment of the next month's first ten days."""
    lid = rng.choice(list(catalog.plans))
    plan = catalog.plan(lid)
    period = Period.parse(rng.choice([m for m in SENT_MONTHS if plan.start_year <= int(m[:4]) <= plan.end_year]))
    unit = rng.choice([*reporting_units(catalog, lid, period.year), ALL_UNITS])
    village = rng.choice([*VILLAGES, "Thôn Mới"]) if unit == VILLAGE_UNIT else ""
    spec = sheet_spec(catalog, lid, unit, period.year)
    measures = {}
    for line in spec.lines:
        if rng.random() < 0.2:
            continue
        measures[line.code] = MeasureFill(
            rng.choice(("Có", "Không"))
            if line.entry == YES_NO
            else rng.randint(0, 100)
            if line.entry == PERCENT
            else rng.randint(0, 4)
        )
    statuses = {t.code: rng.choice(TASK_SHEET_LABELS) for t in spec.tasks if rng.random() < 0.7}
    tasks = {
        code: TaskFill(status, {"Chưa thực hiện": 0, "Hoàn thành": 100}.get(status, rng.randint(10, 90)))
        for code, status in statuses.items()
    }
    book = build_workbook(catalog, lid, unit, period, village, SheetFill(measures, tasks))
    sent = dt.datetime.combine(period.shift(1).first_day, dt.time(8)) + dt.timedelta(minutes=rng.randint(0, 14400))
    return f"r{number}_{lid}_{unit}_{period}.xlsx", workbook_bytes(book), sent


def _batches_in_a_process(db: str, data: str, batches: list[list[tuple]], group: int) -> None:
    """A command-line writer: its batches one after the other, ``group`` files per transaction."""
    from loaders import ingest

    ingest.GROUP_FILES = ingest.BUSY_FILES = group
    catalog = load_catalog(Path(data))
    for files in batches:
        results = ingest.ingest_files(db, files, user="tiến trình", catalog=catalog, today=TODAY)
        if not all(r.accepted for r in results):
            raise SystemExit([str(p) for r in results for p in r.errors])


def recomputed(db: Path) -> dict[str, list[tuple]]:
    """What the kept tables should hold, computed from the submissions alone: the value rules over
    every month (monthly_values), task_updates.sql over every line, and the values as of each
    locality's latest month combined on the fly (values_as_of.sql with every locality stale)."""
    with connection(db) as con:
        ids = [row[0] for row in con.execute("SELECT DISTINCT locality_id FROM submissions").fetchall()]
        versions = con.execute(
            "SELECT locality_id, max(id), max(period) FILTER (WHERE is_current) FROM submissions GROUP BY locality_id"
        ).fetchall()
        latest_values = [
            row
            for lid, _, through in versions
            for row in con.execute(
                text("values_as_of"), {"latest": [], "fresh": [], "stale": [lid], "period": through, "measures": None}
            ).fetchall()
        ]
        return {
            "measure_months": con.execute(
                "SELECT locality_id, measure, period, year, accumulation, value FROM monthly_values($ids, '9999-12')",
                {"ids": ids},
            ).fetchall(),
            "measure_month_versions": versions,
            "latest_tasks": con.execute(text("task_updates"), {"ids": ids, "latest": [], "upto": "9999-12"}).fetchall(),
            "latest_values": latest_values,
        }


def kept_tables(db: Path) -> dict[str, list[tuple]]:
    with connection(db) as con:
        return {
            table: con.execute(f"SELECT * FROM {table}").fetchall()
            for table in ("measure_months", "measure_month_versions", "latest_tasks", "latest_values")
        }


def same_rows(got: list[tuple], expected: list[tuple]) -> bool:
    """The same rows in any order; numbers equal to 1e-9 (sums may add up in another order)."""

    def key(row: tuple) -> tuple:
        return tuple(round(x, 9) if isinstance(x, float) else x for x in row)

    return sorted(map(key, got), key=repr) == sorted(map(key, expected), key=repr)


@pytest.mark.slow  # random batches, recomputed after each
@pytest.mark.parametrize("seed", [1, 2])
def test_kept_rows_equal_a_full_recomputation_after_random_interleaved_batches(
    seed, synthetic, tmp_path, monkeypatch
) -> None:
    """Two sessions (threads) and two command-line writers (processes) send random batches at once
    over a history written around the writers: re-sent sheets (also of the latest month, also with
    tasks left blank), backlog months, a new month, whole-locality and village sheets, upload times
    out of order. Afterwards every locality is fresh and each kept table equals its recomputation
    from the submissions alone."""
    source, data, catalog = synthetic
    db = tmp_path / "scale.duckdb"
    shutil.copyfile(source, db)
    with connection(db) as con:
        history_ids = con.execute("SELECT max(id) FROM submissions").fetchone()[0]
    rng = random.Random(seed)
    pool = [random_sheet(catalog, rng, n) for n in range(36)]
    writers = [[rng.sample(pool, rng.randint(4, 9)) for _ in range(2)] for _ in range(4)]
    monkeypatch.setattr(ingest_module, "GROUP_FILES", 3)
    monkeypatch.setattr(ingest_module, "BUSY_FILES", 2)
    spawn = multiprocessing.get_context("spawn")
    procs = [
        spawn.Process(target=_batches_in_a_process, args=(str(db), str(data), batches, 2 + n))
        for n, batches in enumerate(writers[2:])
    ]
    outcomes: list = []

    def session(batches: list[list[tuple]]) -> None:
        for files in batches:
            outcomes.extend(ingest_files(db, files, user=Account("phiên", "admin"), catalog=catalog, today=TODAY))

    threads = [threading.Thread(target=session, args=(batches,)) for batches in writers[:2]]
    for worker in (*procs, *threads):
        worker.start()
    for thread in threads:
        thread.join()
    for proc in procs:
        proc.join(timeout=300)
    assert [proc.exitcode for proc in procs] == [0, 0]
    assert all(r.accepted for r in outcomes), [str(p) for r in outcomes for p in r.errors]
    with connection(db) as con:
        assert measure_months.stale(con) == []
        written = con.execute(
            "SELECT count(*), count(replaces), count(DISTINCT period) FROM submissions WHERE id > ?", [history_ids]
        ).fetchone()
    assert written[0] >= 20 and written[1] > 0 and written[2] >= 4  # the batches wrote, replaced, across months
    kept, expected = kept_tables(db), recomputed(db)
    for table in kept:
        assert same_rows(kept[table], expected[table]), table
