"""Benchmark: app sessions and command-line batches writing at once on the 114-locality database, pages and
``python -m scoring summary`` reading meanwhile; on the DuckDB file, on PostgreSQL, or on both side by side.

    python bench/bench_concurrency.py [--sessions 4] [--batches 4] [--session-sheets 20] [--batch-sheets 150]
                                      [--period 2026-11] [--backend duckdb|postgres|both] [--processes N]

The city database (``bench/city.py``: 114 localities × 12 months of values) gets, at the same
moment (8 writers by default): ``--sessions`` app sessions calling the ingest API as Streamlit sessions do
(each with its own signed-in account, so rights are checked), and ``--batches``
``python -m loaders ingest`` processes. The writers overlap on purpose: sessions and batches send
sheets for the same (locality, unit, month) keys with different figures, so replacements race
too. Meanwhile a reader (as a page of the app) opens the database and counts the current submissions
every 0.2 s, and ``python -m scoring summary`` runs again and again in its own process (as an operator would).

``--processes N`` (default 1) is the number of app processes: with 1, the sessions and the reader are
threads of this process (one app server); with N > 1, the sessions are spread over N worker processes
started afresh, each with its own store connections and its own reader (N app servers behind nginx).
``--backend`` (default duckdb): the DuckDB file; ``postgres``: the same database copied (``python -m store
copy``) into a PostgreSQL server of its own (``bench/postgres_server.py``: a new cluster in a temporary
folder on a free port, durable settings, stopped at the end); ``both``: the same workload (the same sheets)
on DuckDB, then on PostgreSQL, and a table of both side by side. N DuckDB app processes share the file on
this one machine only, through its lock files, as the command-line batches do (``scripts/serve_cluster.sh``
refuses a DuckDB file; processes on several machines cannot share one): the bench runs it and says so.

Printed figures, for each run: sheets written, wall time and sheets per second; every page read's wait (from
asking for the database to having read it: median, 95th percentile, longest); the summary's wall
time alone and during the writes; checks that no sheet was lost or doubled (each file exactly one
submission, one current submission per key, ``current_keys`` agreeing), and refusals. Then a
wrong-password flood (``bench/sign_in_flood.py``): a correct sign-in and a one-sheet ingest timed
alone and while 8 sessions send wrong passwords for the admin's name. The last line is one JSON object
(``reader_wait_median_s``, ``reader_wait_p95_s``, ``reader_wait_max_s``, ``summary_alone_s``,
``summary_during_p95_s``, ``sheets_per_s``, ``writers``, ``lost``, ``doubled``, …, ``backend``, ``processes``);
with ``--backend both``, ``{"processes": N, "duckdb": {…}, "postgres": {…}}``. Target: a page waits at most 1 s
(95th percentile) with the writers at work. Exit code 1 when a run misses the target or loses, doubles or
refuses a sheet.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.city import build_city_db, done_with, temp_workdir
from bench.postgres_server import copied_store
from bench.sign_in_flood import flood_figures, print_flood
from loaders.ingest import ingest_files
from loaders.template import MeasureFill, SheetFill, build_workbook, workbook_bytes
from plans import clock
from plans.catalog import load_catalog
from plans.model import Catalog
from plans.periods import Period
from plans.reporting import YES_NO, reporting_units, sheet_spec
from store.accounts import Account, add_user
from store.db import Target, connection, writing

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_S = 1.0
WORKER_WAIT_S = 600.0  # the longest an app process may take to load, or to send its sessions' sheets


_CATALOGS: dict[str, object] = {}


def _sheet(job: tuple[str, str, str, str, int]) -> tuple[str, bytes]:
    """One filled sheet (made in a worker process): (data dir, locality, unit, period, writer)."""
    data_dir, locality, unit, period, writer = job
    if data_dir not in _CATALOGS:
        _CATALOGS[data_dir] = load_catalog(Path(data_dir))
    catalog = _CATALOGS[data_dir]
    spec = sheet_spec(catalog, locality, unit, Period.parse(period).year)
    fill = {line.code: MeasureFill("Có" if line.entry == YES_NO else 10 + writer) for line in spec.lines}
    book = build_workbook(catalog, locality, unit, period, fill=SheetFill(measures=fill))
    return f"w{writer}_{locality}_{unit}_{period}.xlsx", workbook_bytes(book)


def plan_jobs(catalog, data_dir: Path, period: str, counts: list[int]) -> list[list[tuple]]:
    """Each writer's sheets (``counts``: how many for each writer). Keys are drawn from a pool smaller
    than the number of sheets, and every writer walks the pool from its own offset, so several
    writers send the same key; every sheet has a number that only its writer writes, so no two
    sheets are the same file."""
    year = Period.parse(period).year
    pool = [
        (lid, unit)
        for lid in catalog.plans
        for unit in reporting_units(catalog, lid, year)
        if unit != "thon" and any(line.entry != YES_NO for line in sheet_spec(catalog, lid, unit, year).lines)
    ]
    pool = pool[: sum(counts) * 2 // 3]
    writers = []
    for writer, count in enumerate(counts):
        start = writer * len(pool) // len(counts)
        keys = [pool[(start + i) % len(pool)] for i in range(count)]
        writers.append([(str(data_dir), lid, unit, period, writer) for lid, unit in keys])
    return writers


def reader(db: Target, stop: threading.Event, waits: list[float]) -> None:
    """A page reading the store every 0.2 s; records how long each read took (waiting included)."""
    while not stop.is_set():
        start = time.perf_counter()
        with connection(db) as con:
            con.execute("SELECT count(*) FROM submissions WHERE is_current").fetchone()
        waits.append(time.perf_counter() - start)
        time.sleep(0.2)


def summary_seconds(db: Target, period: str) -> float:
    """Wall time of one ``python -m scoring summary`` (a new process, as an operator runs it)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "summary", "--db", str(db), "--period", period],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"scoring summary exited {done.returncode}: {done.stderr.strip()[-300:]}")
    return time.perf_counter() - start


def summaries(db: Target, period: str, stop: threading.Event, times: list[float]) -> None:
    """``python -m scoring summary`` again and again until ``stop``."""
    while not stop.is_set():
        times.append(summary_seconds(db, period))


def _stats(values: list[float]) -> tuple[float, float, float]:
    """(median, 95th percentile, largest)."""
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)], ordered[-1]


@dataclass(frozen=True)
class Workload:
    """The sheets every run sends: ``made[n]`` those of writer ``n`` (the sessions first, then the
    batches, whose files are also in ``batch_files``), and the jobs they were made from."""

    work: Path
    catalog: Catalog
    jobs: list[list[tuple]]
    made: list[list[tuple[str, bytes]]]
    batch_files: list[list[Path]]
    sessions: int
    period: str


def run_sessions(db: Target, catalog: Catalog, sheets: dict[int, list[tuple[str, bytes]]]) -> list[tuple[bool, bool]]:
    """App sessions (threads), session ``n`` confirming ``sheets[n]`` signed in as a city account (rights
    checked); each sheet's (accepted, identical to the sheet in use)."""
    outcomes: list[tuple[bool, bool]] = []

    def session(number: int) -> None:
        results = ingest_files(db, sheets[number], user=Account(f"phien-{number}", "admin"), catalog=catalog)
        outcomes.extend((r.accepted, r.duplicate) for r in results)

    threads = [threading.Thread(target=session, args=(n,)) for n in sheets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def app_process(db: Target, data_dir: str, sheets: dict[int, list[tuple[str, bytes]]], events, messages) -> None:
    """One app process (a worker started afresh): its catalog and store connections of its own, its
    sessions and a reader; says "ready", waits for ``go``, says "sent" when its sessions are done, and
    sends its outcomes and reader waits once ``stop`` is set. ``events``: (go, stop)."""
    go, stop = events
    catalog = load_catalog(Path(data_dir))
    with connection(db) as con:  # the pool (PostgreSQL) or the file, opened before the clock starts
        con.execute("SELECT 1").fetchone()
    messages.put(("ready", os.getpid()))
    go.wait()
    waits: list[float] = []
    page = threading.Event()
    watcher = threading.Thread(target=reader, args=(db, page, waits))
    watcher.start()
    outcomes = run_sessions(db, catalog, sheets)
    messages.put(("sent", os.getpid()))
    stop.wait()
    page.set()
    watcher.join()
    messages.put(("figures", (outcomes, waits)))


def _messages(messages, workers: list, kind: str) -> list:
    """The next message of ``kind`` from every worker (a worker that dies stops the bench)."""
    found = []
    deadline = time.monotonic() + WORKER_WAIT_S
    while len(found) < len(workers):
        try:
            got, value = messages.get(timeout=1.0)
        except queue.Empty as err:
            dead = [w.exitcode for w in workers if w.exitcode not in (None, 0)]
            if dead or time.monotonic() > deadline:
                raise SystemExit(
                    f"an app process failed (exit codes {dead}) or took over {WORKER_WAIT_S:.0f} s"
                ) from err
            continue
        if got != kind:
            raise SystemExit(f"app process: expected {kind!r}, got {got!r}")
        found.append(value)
    return found


def add_batch_users(db: Target, batches: int) -> int:
    """Each CLI batch writes as an admin account of the software (``--user``); the submissions before."""
    with writing(db) as con:
        before = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
        for n in range(batches):
            add_user(con, f"lo-{n}", "mật khẩu lô nạp đo tốc độ", "admin", None, clock.now())
    return before


def start_batches(db: Target, load: Workload) -> tuple[list[subprocess.Popen], list[tuple[Path, Path]]]:
    """The ``python -m loaders ingest`` batches, started; their output files (a pipe could fill up)."""
    outputs = [(load.work / f"batch{n}.out", load.work / f"batch{n}.err") for n in range(len(load.batch_files))]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "loaders", "ingest", "--db", str(db), "--user", f"lo-{n}", *map(str, files)],
            cwd=ROOT,
            stdout=out.open("w"),
            stderr=err.open("w"),
        )
        for n, (files, (out, err)) in enumerate(zip(load.batch_files, outputs))
    ]
    return procs, outputs


def write_at_once(db: Target, load: Workload, processes: int) -> tuple[float, list, list[float], list[float], list]:
    """Every writer at once, the reader(s) and the summaries meanwhile: (seconds, session outcomes,
    reader waits, summary times during, CLI processes with their output)."""
    sessions = {n: load.made[n] for n in range(load.sessions)}
    stop, waits, during = threading.Event(), [], []
    watchers = [threading.Thread(target=summaries, args=(db, load.period, stop, during))]
    workers, messages, events = [], None, None
    if processes == 1:
        watchers.append(threading.Thread(target=reader, args=(db, stop, waits)))
    else:
        spawn = multiprocessing.get_context("spawn")
        messages, events = spawn.Queue(), (spawn.Event(), spawn.Event())
        data_dir = os.environ["DMST_DATA"]
        for k in range(processes):
            mine = {n: sheets for n, sheets in sessions.items() if n % processes == k}
            workers.append(spawn.Process(target=app_process, args=(db, data_dir, mine, events, messages)))
        for worker in workers:
            worker.start()
        _messages(messages, workers, "ready")
    start = time.perf_counter()
    for watcher in watchers:
        watcher.start()
    procs, outputs = start_batches(db, load)
    if workers:
        events[0].set()
        _messages(messages, workers, "sent")
        outcomes = None
    else:
        outcomes = run_sessions(db, load.catalog, sessions)
    for proc in procs:
        proc.wait()
    cli = [
        (proc, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))
        for proc, (out, err) in zip(procs, outputs)
    ]
    elapsed = time.perf_counter() - start
    stop.set()
    if workers:
        events[1].set()
        outcomes = []
        for worker_outcomes, worker_waits in _messages(messages, workers, "figures"):
            outcomes += worker_outcomes
            waits += worker_waits
        for worker in workers:
            worker.join()
    for watcher in watchers:
        watcher.join()
    return elapsed, outcomes, waits, during, cli


def checks(db: Target, before: int, sent: list[bytes]) -> dict:
    """What the store holds after the writes: submissions written, files lost or doubled, keys with
    several current submissions, ``current_keys`` agreeing with the current submissions."""
    with connection(db) as con:
        after = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
        several = con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM submissions WHERE is_current "
            "GROUP BY locality_id, unit_code, lower(village), period HAVING count(*) > 1) AS k"
        ).fetchone()[0]
        keys = con.execute(
            "SELECT count(*) FROM current_keys k JOIN submissions s ON s.id = k.submission_id WHERE s.is_current"
        ).fetchone()[0]
        current = con.execute("SELECT count(*) FROM submissions WHERE is_current").fetchone()[0]
        per_file = dict(
            con.execute("SELECT file_sha256, count(*) FROM submissions WHERE id > ? GROUP BY 1", [before]).fetchall()
        )
    shas = [hashlib.sha256(data).hexdigest() for data in sent]
    return {
        "written": after - before,
        "lost": [s for s in shas if per_file.get(s, 0) == 0],
        "doubled": [s for s, n in per_file.items() if n > 1],
        "several": several,
        "keys": keys,
        "current": current,
    }


def run(db: Target, backend: str, processes: int, load: Workload) -> tuple[dict, bool]:
    """The whole workload on one store, its figures printed; (the figures, whether every check held)."""
    print(f"— {backend}, {processes} app process{'es' if processes > 1 else ''} —")
    if backend == "duckdb" and processes > 1:
        print(
            f"  (DuckDB: the {processes} app processes share the file on this one machine only, through its lock "
            "files, as command-line batches do; scripts/serve_cluster.sh refuses a DuckDB file)"
        )
    before = add_batch_users(db, len(load.batch_files))
    alone = [summary_seconds(db, load.period) for _ in range(3)]
    elapsed, outcomes, waits, during, cli = write_at_once(db, load, processes)
    cli_lines = [line for _, out, _ in cli for line in out.splitlines()]
    cli_accepted = sum(line.startswith("ĐÃ NHẬN") for line in cli_lines)
    same = sum(duplicate for _, duplicate in outcomes) + sum(line.startswith("ĐÃ CÓ") for line in cli_lines)
    refused = sum(not accepted for accepted, _ in outcomes) + sum(line.startswith("TỪ CHỐI") for line in cli_lines)
    sent = [data for files in load.made for _, data in files]
    found = checks(db, before, sent)
    written, lost, doubled, several = found["written"], found["lost"], found["doubled"], found["several"]
    batches, batch_sheets = len(load.batch_files), len(load.made[-1]) if load.batch_files else 0
    session_sheets = len(load.made[0]) if load.sessions else 0
    where = "threads of this process" if processes == 1 else f"threads of {processes} app processes"
    print(
        f"Writers: {load.sessions} sessions × {session_sheets} sheets ({where}, ingest API) + {batches} CLI "
        f"batches × {batch_sheets} sheets (python -m loaders ingest), all at once"
    )
    print(
        f"Written: {written} sheets in {elapsed:.1f} s = {written / elapsed:.1f} sheets/s "
        f"(sessions {sum(a and not d for a, d in outcomes)}, CLI {cli_accepted}); "
        f"identical to the sheet in use, not rewritten: {same}; refused: {refused}; "
        f"written + identical = sent: {written + same} = {len(sent)}"
    )
    print(
        f"Lost sheets: {len(lost)}; doubled sheets: {len(doubled)}; keys with more than one current submission: "
        f"{several}; current_keys agreeing: {found['keys']}/{found['current']}"
    )
    wait_median, wait_p95, wait_max = _stats(waits)
    readers = "a page" if processes == 1 else f"a page in each of {processes} app processes"
    print(
        f"Reader ({readers}, every 0.2 s): {len(waits)} reads; median {wait_median * 1000:.0f} ms, "
        f"p95 {wait_p95 * 1000:.0f} ms, longest {wait_max * 1000:.0f} ms "
        f"(target p95 ≤ {TARGET_P95_S:.0f} s: {'met' if wait_p95 <= TARGET_P95_S else 'NOT met'})"
    )
    summary_median, summary_p95, summary_max = _stats(during or alone)
    print(
        f"python -m scoring summary: alone {statistics.median(alone):.2f} s; during the writes ({len(during)} runs) "
        f"median {summary_median:.2f} s, p95 {summary_p95:.2f} s, longest {summary_max:.2f} s"
    )
    codes = [proc.returncode for proc, _, _ in cli]
    print(f"CLI exit codes: {codes}")
    for proc, out, err in cli:
        if proc.returncode:
            print(f"  CLI {proc.args[7]}: {(err or out).strip().splitlines()[-3:]}")
    extra = [_sheet((*job[:4], 90)) for job in [job for writer in load.jobs for job in writer][:10]]
    flood = flood_figures(db, load.catalog, extra)
    print_flood(flood)
    figures = {
        "writers": load.sessions + batches,
        "sheets_sent": len(sent),
        "sheets_written": written,
        "elapsed_s": round(elapsed, 2),
        "sheets_per_s": round(written / elapsed, 1),
        "reads": len(waits),
        "reader_wait_median_s": round(wait_median, 3),
        "reader_wait_p95_s": round(wait_p95, 3),
        "reader_wait_max_s": round(wait_max, 3),
        "summary_alone_s": round(statistics.median(alone), 2),
        "summary_runs": len(during),
        "summary_during_median_s": round(summary_median, 2),
        "summary_during_p95_s": round(summary_p95, 2),
        "summary_during_max_s": round(summary_max, 2),
        "lost": len(lost),
        "doubled": len(doubled),
        "keys_with_several_current": several,
        "refused": refused,
        "cli_exit_codes": codes,
        "flood": flood,
        "load_average": os.getloadavg()[0],
        "backend": backend,
        "processes": processes,
    }
    agreeing = found["keys"] == found["current"]
    return figures, wait_p95 <= TARGET_P95_S and not lost and not doubled and not several and not refused and agreeing


SIDE_BY_SIDE = (
    ("sheets written per second", "sheets_per_s", "{:.1f}"),
    ("wall time of the writes (s)", "elapsed_s", "{:.1f}"),
    ("page reads", "reads", "{}"),
    ("page wait, median (ms)", "reader_wait_median_s", "ms"),
    ("page wait, p95 (ms)", "reader_wait_p95_s", "ms"),
    ("page wait, longest (ms)", "reader_wait_max_s", "ms"),
    ("scoring summary alone (s)", "summary_alone_s", "{:.2f}"),
    ("scoring summary during, median (s)", "summary_during_median_s", "{:.2f}"),
    ("scoring summary during, p95 (s)", "summary_during_p95_s", "{:.2f}"),
    ("lost / doubled sheets", ("lost", "doubled"), "{} / {}"),
    ("keys with several current", "keys_with_several_current", "{}"),
    ("refused sheets", "refused", "{}"),
)


def _cell(figures: dict, key, form: str) -> str:
    if form == "ms":
        return f"{figures[key] * 1000:.0f}"
    return form.format(*(figures[k] for k in key)) if isinstance(key, tuple) else form.format(figures[key])


def print_side_by_side(runs: dict[str, dict]) -> None:
    """The runs' figures in one table, a column per backend."""
    print(f"{'':38}" + "".join(f"{name:>16}" for name in runs))
    for title, key, form in SIDE_BY_SIDE:
        print(f"{title:38}" + "".join(f"{_cell(f, key, form):>16}" for f in runs.values()))
    for title, key, base in (
        ("correct sign-in alone / flooded (ms)", "sign_in", "sign_in"),
        ("one-sheet ingest alone / flooded (ms)", "ingest", "ingest"),
    ):
        cells = [
            f"{f['flood']['alone'][base] * 1000:.0f} / {f['flood']['flooded'][key] * 1000:.0f}" for f in runs.values()
        ]
        print(f"{title:38}" + "".join(f"{cell:>16}" for cell in cells))


def make_workload(work: Path, catalog: Catalog, args: argparse.Namespace) -> Workload:
    """Every writer's sheets (made in 2 worker processes, not timed), the batches' written to folders."""
    counts = [args.session_sheets] * args.sessions + [args.batch_sheets] * args.batches
    jobs = plan_jobs(catalog, work / "data", args.period, counts)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        made = [list(pool.map(_sheet, writer, chunksize=8)) for writer in jobs]
    print(f"Sheets: {sum(map(len, made))} made in {time.perf_counter() - t0:.1f} s (not timed below)")
    batch_files = []
    for number, files in enumerate(made[args.sessions :]):
        folder = work / f"batch{number}"
        folder.mkdir()
        for name, data in files:
            (folder / name).write_bytes(data)
        batch_files.append(sorted(folder.iterdir()))
    return Workload(work, catalog, jobs, made, batch_files, args.sessions, args.period)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=4, help="app sessions writing (threads of the app processes)")
    parser.add_argument("--batches", type=int, default=4, help="command-line batches writing (processes)")
    parser.add_argument("--session-sheets", type=int, default=20, help="sheets per app session")
    parser.add_argument("--batch-sheets", type=int, default=150, help="sheets per command-line batch")
    parser.add_argument("--period", default="2026-11")
    parser.add_argument(
        "--backend",
        choices=("duckdb", "postgres", "both"),
        default="duckdb",
        help="the store written (postgres: a copy of the city database in a server of its own; both: each in turn)",
    )
    parser.add_argument("--processes", type=int, default=1, help="app processes the sessions are spread over")
    parser.add_argument("--keep", action="store_true", help="keep the city database and the sheets")
    args = parser.parse_args()
    if args.processes < 1:
        parser.error("--processes: at least 1")
    work = temp_workdir()
    t0 = time.perf_counter()
    db, catalog = build_city_db(work)
    os.environ["DMST_DATA"] = str(work / "data")
    print(f"City database: {len(catalog.plans)} localities, built in {time.perf_counter() - t0:.1f} s ({db})")
    load = make_workload(work, catalog, args)
    runs: dict[str, dict] = {}
    ok = True
    with ExitStack() as stack:
        stores: list[tuple[str, Target]] = [] if args.backend == "postgres" else [("duckdb", db)]
        if args.backend != "duckdb":  # copied before any run writes to the file: both start from the same data
            url, copy_s = copied_store(db, catalog, "city", stack)
            print(f"City database copied into PostgreSQL in {copy_s} s (python -m store copy)")
            stores.append(("postgres", url))
        for backend, target in stores:
            runs[backend], held = run(target, backend, args.processes, load)
            ok = ok and held
    if len(runs) > 1:
        print(f"Side by side ({args.processes} app process{'es' if args.processes > 1 else ''}):")
        print_side_by_side(runs)
    done_with(work, args.keep, "City database and sheets")
    print(json.dumps({"processes": args.processes, **runs} if len(runs) > 1 else next(iter(runs.values()))))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
