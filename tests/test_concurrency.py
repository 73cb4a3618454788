"""Uploads never corrupt each other, on DuckDB and on PostgreSQL: threads and processes racing on the
same keys leave exactly one current submission per key and the scores of a sequential load; a CLI
batch killed with kill -9 at any moment leaves consistent counts and a rerun adds exactly the rest; a
writer that does not get its turn says so. Readers never wait behind a batch: on a DuckDB file they go
before waiting writers, and a batch gives the lock up between two transactions for a reader, also
while it is busy elsewhere (store.locks, store.turns); on PostgreSQL they read a snapshot."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from holders import WRITER_LOCK, WRITING, holding, let_go, start_holding
from page_fixtures import ensure_account, sheet
from sheet_factory import MEASURES, set_cell, set_cell_xml

from loaders import ingest as ingest_module
from loaders.ingest import ingest_files
from loaders.template import MeasureFill, SheetFill, build_workbook, workbook_bytes
from plans.periods import Period
from plans.reporting import YES_NO, reporting_units, sheet_spec
from scoring.report import locality_reports
from scoring.summary import summary_dict
from store import locks
from store.db import connection, writing

pytestmark = [pytest.mark.both_backends, pytest.mark.slow]  # races, kill -9 and waits: the full run, not the edit loop
ROOT = Path(__file__).resolve().parent.parent
JUNE = Period(2026, 6)
KEYS = (("tan_an", "all"), ("hung_dao", "ttpvhcc"), ("hung_dao", "vhxh"))


def writer_files(catalog, writer: int) -> list[tuple[str, bytes]]:
    """One sheet per key, with figures that differ from every other writer's."""
    return [
        (
            f"w{writer}_{loc}_{unit}.xlsx",
            sheet(
                catalog,
                loc,
                unit,
                JUNE,
                {
                    "dvc_online_usage": 50 + writer,
                    "tthc_records_digitised": 10 + writer,
                    "staff_digital_trained": 60 + writer,
                    "propaganda_campaigns": writer,
                },
            ),
        )
        for loc, unit in KEYS
    ]


def keys_with_several_current(db: Path | str) -> list[tuple]:
    with connection(db) as con:
        return con.execute(
            "SELECT locality_id, unit_code, lower(village), period, count(*) FROM submissions "
            "WHERE is_current GROUP BY locality_id, unit_code, lower(village), period "
            "HAVING count(*) <> 1"
        ).fetchall()


def current_count(db: Path) -> int:
    with connection(db) as con:
        return con.execute("SELECT count(*) FROM submissions WHERE is_current").fetchone()[0]


def summary(db: Path, catalog) -> dict:
    return summary_dict(locality_reports(db, catalog, JUNE, ["tan_an", "hung_dao"]), JUNE)


def sequential_twin(db: Path | str, twin: Path | str, catalog) -> Path | str:
    """The files the race stored, loaded one after another (into the fresh store ``twin``) in the order
    they were committed."""
    with connection(db) as con:
        stored = con.execute(
            "SELECT s.file_name, f.content FROM submissions s JOIN upload_contents f "
            "ON f.sha256 = s.file_sha256 ORDER BY s.id"
        ).fetchall()
    results = ingest_files(twin, [(name, bytes(content)) for name, content in stored], catalog=catalog)
    assert all(r.accepted and not r.duplicate for r in results)
    return twin


def test_threads_racing_on_the_same_keys_leave_one_current_submission(new_store, catalog):
    sheets = {w: writer_files(catalog, w) for w in range(8)}
    for round_ in range(20):
        writers = 2 + round_ % 7
        db = new_store(f"race{round_}")
        start = threading.Barrier(writers)
        outcomes: list = []

        def upload(
            writer: int, db: Path | str = db, start: threading.Barrier = start, outcomes: list = outcomes
        ) -> None:
            start.wait()
            outcomes.extend(ingest_files(db, sheets[writer], user=f"người {writer}", catalog=catalog))

        threads = [threading.Thread(target=upload, args=(w,)) for w in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [r.file_name for r in outcomes if not r.accepted] == [], [str(p) for r in outcomes for p in r.errors]
        assert keys_with_several_current(db) == []
        assert current_count(db) == len(KEYS)
        with connection(db) as con:
            assert con.execute("SELECT count(*) FROM submissions").fetchone()[0] == writers * len(KEYS)
        if round_ % 5 == 0:
            twin = sequential_twin(db, new_store(f"twin{round_}"), catalog)
            assert summary(db, catalog) == summary(twin, catalog)


def _process_writer(db_paths: list[str], writer: int, start, data_dir: str) -> None:
    os.chdir(data_dir)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from plans.catalog import load_catalog

    catalog = load_catalog()
    files = writer_files(catalog, writer)
    for path in db_paths:
        start.wait()
        results = ingest_files(path, files, user=f"tiến trình {writer}", catalog=catalog)
        if not all(r.accepted for r in results):
            raise SystemExit(f"refused: {[str(p) for r in results for p in r.errors]}")


def test_processes_racing_on_the_same_keys_leave_one_current_submission(new_store, catalog):
    rounds = [new_store(f"proc{i}") for i in range(20)]
    spawn = multiprocessing.get_context("spawn")
    writers = 4
    start = spawn.Barrier(writers)
    procs = [
        spawn.Process(target=_process_writer, args=([str(p) for p in rounds], w, start, str(ROOT)))
        for w in range(writers)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=600)
    assert [proc.exitcode for proc in procs] == [0] * writers
    for i, db in enumerate(rounds):
        assert keys_with_several_current(db) == []
        assert current_count(db) == len(KEYS)
        if i % 5 == 0:
            twin = sequential_twin(db, new_store(f"ptwin{i}"), catalog)
            assert summary(db, catalog) == summary(twin, catalog)


@pytest.fixture(scope="module")
def batch_files(tmp_path_factory, catalog) -> list[Path]:
    """36 sheets with 36 different keys (Tân An: whole commune, culture office, economy office;
    January to December): four groups of ``GROUP`` (10)."""
    folder = tmp_path_factory.mktemp("batch")
    paths = []
    for unit in ("all", "vhxh", "kt"):
        for month in range(1, 13):
            path = folder / f"tan_an_{unit}_2026-{month:02d}.xlsx"
            path.write_bytes(
                sheet(
                    catalog,
                    "tan_an",
                    unit,
                    Period(2026, month),
                    {
                        "dvc_online_usage": 40 + month,
                        "propaganda_campaigns": month,
                        "staff_digital_trained": 50 + month,
                        "sme_digital_share": month,
                    },
                )
            )
            paths.append(path)
    return paths


def consistent_counts(db: Path | str) -> int:
    """Submissions, their values, current keys and stored files agree; returns how many submissions."""
    with connection(db) as con:
        subs = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
        assert con.execute(
            "SELECT count(*) FROM submissions s WHERE n_values <> "
            "(SELECT count(*) FROM submission_values v WHERE v.submission_id = s.id)"
        ).fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM current_keys").fetchone() == (subs,)
        assert con.execute("SELECT count(*) FROM upload_files").fetchone() == (subs,)
        assert con.execute(
            "SELECT count(*) FROM submission_values WHERE submission_id NOT IN (SELECT id FROM submissions)"
        ).fetchone() == (0,)
    return subs


GROUP = 10
"""The CLI's group size in the kill test: 36 sheets are four groups (the CLI's own ``GROUP_FILES`` would be one)."""


def run_cli(db: Path | str, files: list[Path]) -> subprocess.Popen:
    """``python -m loaders ingest`` as the city's admin account (made here when missing), writing
    ``GROUP`` files per transaction."""
    admin = ensure_account(path=db)
    program = (
        "import sys; from loaders import ingest; from loaders.__main__ import main; "
        f"ingest.GROUP_FILES = {GROUP}; sys.exit(main())"
    )
    return subprocess.Popen(
        [sys.executable, "-c", program, "ingest", "--db", str(db), "--user", admin, *map(str, files)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
        errors="replace",
    )  # a kill may cut a character in two


@pytest.mark.parametrize("moment", range(10))
def test_kill_9_mid_ingest_then_rerun_adds_exactly_the_rest(moment, new_store, batch_files):
    files = batch_files
    db = new_store("dmst")
    proc = run_cli(db, files)
    printed: list[str] = []
    # Moments 0-2: right after the 1st, 2nd, 3rd group is printed; moments 3-9: a delay after the first
    # group, falling while a later group is being read, checked or written.
    wanted = GROUP * (moment + 1) if moment < 3 else GROUP
    while sum(line.startswith("ĐÃ NHẬN") for line in printed) < wanted:
        printed.append(proc.stdout.readline())
        assert printed[-1], "the CLI ended before the kill"
    if moment >= 3:
        time.sleep(0.12 * (moment - 2))
    os.kill(proc.pid, signal.SIGKILL)
    rest, _ = proc.communicate()
    printed += rest.splitlines()
    announced = sum(line.startswith("ĐÃ NHẬN") for line in printed)
    committed = consistent_counts(db)
    assert announced <= committed <= announced + GROUP
    assert committed % GROUP == 0 or committed == len(files)  # a group is all or nothing
    rerun = run_cli(db, files)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert sum(line.startswith("ĐÃ NHẬN") for line in out.splitlines()) == len(files) - committed
    assert sum(line.startswith("ĐÃ CÓ") for line in out.splitlines()) == committed
    assert consistent_counts(db) == len(files)


def test_a_writer_waits_its_turn_then_gives_up_with_a_vietnamese_message(db, catalog, tmp_path, monkeypatch):
    """Another process keeps the writer's turn (``<db>.lock``; PostgreSQL: the advisory lock): a writer
    waits DMST_WRITE_WAIT seconds, writes nothing and says why; the CLI exits 3. Once the turn is
    free, the same files go in."""
    admin = ensure_account(path=db)
    path = tmp_path / "ta.xlsx"
    path.write_bytes(sheet(catalog, "tan_an", "all", JUNE, {"dvc_online_usage": 70}))
    with holding(WRITING, db):
        monkeypatch.setenv("DMST_WRITE_WAIT", "1")
        started = time.monotonic()
        [result] = ingest_files(db, [("ta.xlsx", path.read_bytes())], catalog=catalog)
        waited = time.monotonic() - started
        assert 1 <= waited < 10 and result.store_locked and not result.accepted
        assert result.errors[0].message.startswith("Đã đợi 1 giây mà một lần ghi khác vào cơ sở dữ liệu vẫn chưa xong")
        done = subprocess.run(
            [sys.executable, "-m", "loaders", "ingest", "--db", str(db), "--user", admin, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "DMST_WRITE_WAIT": "1"},
            timeout=120,
        )
        assert done.returncode == 3 and "mà một lần ghi" in done.stdout + done.stderr, done.stdout + done.stderr
    assert current_count(db) == 0
    [result] = ingest_files(db, [("ta.xlsx", path.read_bytes())], catalog=catalog)
    assert result.accepted and current_count(db) == 1


# ---------- readers never wait behind a batch ----------

READ_BOUND = 3.0
"""Seconds a reader may wait while a batch writes: generous (a page waits about a tenth of a second;
bench/bench_concurrency.py measures it), yet far below what waiting for the batch would take."""


def wait_until(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.mark.duckdb_only
def test_a_waiting_reader_goes_before_a_waiting_writer(db):
    """While another process writes, a page asks to read and then a writer asks to write: when the
    lock is let go, the page reads first, whichever of the two looks first."""
    holder = start_holding(WRITER_LOCK, db)
    order: list[str] = []

    def read() -> None:
        with connection(db) as con:
            con.execute("SELECT count(*) FROM submissions").fetchone()
            order.append("reader")
            time.sleep(0.2)  # a writer that did not wait for the reader would get in meanwhile

    def write() -> None:
        with writing(db):
            order.append("writer")

    reader, writer = threading.Thread(target=read), threading.Thread(target=write)
    try:
        reader.start()
        wait_until(lambda: locks.waiting(db, locks.READERS))
        writer.start()
        wait_until(lambda: locks.waiting(db, locks.WRITERS))
    finally:
        let_go(holder)
    reader.join()
    writer.join()
    assert order == ["reader", "writer"]


def test_a_batch_lets_a_reader_in_while_it_is_busy_between_two_transactions(db, catalog, monkeypatch):
    """A batch prints each group once committed, and its output can block (a full pipe, a paused
    terminal): meanwhile a page opened elsewhere still reads, at once, not when the batch goes on."""
    monkeypatch.setattr(ingest_module, "GROUP_FILES", 3)
    files = writer_files(catalog, 1) + writer_files(catalog, 2)
    blocked, go_on, outcomes = threading.Event(), threading.Event(), []

    def printed(result) -> None:
        blocked.set()
        assert go_on.wait(60)

    batch = threading.Thread(
        target=lambda: outcomes.extend(ingest_files(db, files, user="Lan", catalog=catalog, on_result=printed))
    )
    batch.start()
    try:
        assert blocked.wait(60)  # the first group is committed; the batch is stuck printing it
        started = time.monotonic()
        with connection(db) as con:
            assert con.execute("SELECT count(*) FROM submissions").fetchone() == (3,)
        assert time.monotonic() - started < READ_BOUND and batch.is_alive()
    finally:
        go_on.set()
        batch.join()
    assert [r.accepted for r in outcomes] == [True] * 6 and current_count(db) == len(KEYS)


@pytest.fixture(scope="module")
def thousand_sheets(tmp_path_factory, catalog) -> list[Path]:
    """1,000 sheets of June 2026: 20 (locality, unit) slots × 50 versions, each with another figure
    (0 to 49) in one line (every file new, each replacing the one before it)."""
    folder = tmp_path_factory.mktemp("thousand")
    lines = {
        (lid, unit): [line.code for line in sheet_spec(catalog, lid, unit, 2026).lines if line.entry != YES_NO]
        for lid in catalog.plans
        for unit in reporting_units(catalog, lid, 2026)
    }
    slots = [(lid, unit, codes[0]) for (lid, unit), codes in lines.items() if codes][:20]
    assert len(slots) == 20
    paths = []
    for lid, unit, code in slots:
        book = build_workbook(catalog, lid, unit, JUNE, fill=SheetFill({code: MeasureFill(0)}))
        ref = set_cell(book[MEASURES], code, "Kết quả", 0)
        base = workbook_bytes(book)
        for version in range(50):
            path = folder / f"{lid}_{unit}_{version:02d}.xlsx"
            path.write_bytes(set_cell_xml(base, ref, f'<c r="{ref}"><v>{version}</v></c>'))
            paths.append(path)
    return paths


def summary_seconds(db: Path) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "summary", "--db", str(db), "--period", "2026-06"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def test_a_reader_started_during_a_1000_sheet_batch_returns_within_the_bound(db, thousand_sheets, tmp_path):
    """``python -m loaders ingest`` of 1,000 sheets in another process; once its first group is
    committed, a page reads five times and ``python -m scoring summary`` runs: each returns within
    the bound, while the batch is still running; the batch then finishes with every file."""
    alone = summary_seconds(db)
    out = tmp_path / "batch.out"
    admin = ensure_account(path=db)
    with out.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "loaders", "ingest", "--db", str(db), "--user", admin, *map(str, thousand_sheets)],
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: "ĐÃ NHẬN" in out.read_text(encoding="utf-8", errors="replace"), 120)
        reads = []
        for _ in range(5):
            started = time.monotonic()
            with connection(db) as con:
                con.execute("SELECT count(*) FROM submissions WHERE is_current").fetchone()
            reads.append(time.monotonic() - started)
            time.sleep(0.1)
        summary = summary_seconds(db)
        running = proc.poll() is None
    finally:
        proc.wait(timeout=600)
    assert running, "the batch ended before the readers were done: nothing was measured during it"
    assert max(reads) < READ_BOUND, reads
    assert summary < alone + READ_BOUND, (alone, summary)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert proc.returncode == 0 and sum(line.startswith("ĐÃ NHẬN") for line in lines) == 1000
    assert current_count(db) == 20
