"""Benchmark: 8 app sessions and 4 command-line batches writing at once on the 114-locality database.

    python bench/bench_concurrency.py [--session-sheets 20] [--batch-sheets 50] [--period 2026-11]

The city database (``bench/city.py``: 114 localities × 12 months of values) gets, at the same
moment: 8 threads of this process calling the ingest API as Streamlit sessions do (each with its
own signed-in account, so rights are checked), and 4 ``python -m loaders ingest`` processes. The
writers overlap on purpose: sessions and batches send sheets for the same (locality, unit,
month) keys with different figures, so replacements race too. A reader thread of this process
(as a page of the app) opens the database and counts the current submissions every 0.2 s.

Printed figures: sheets written, wall time and sheets per second; every reader wait (median,
95th percentile, longest); checks that no sheet was lost or doubled (each file exactly one
submission, one current submission per key, ``current_keys`` agreeing), and refusals. Then a
wrong-password flood (``bench/sign_in_flood.py``): a correct sign-in and a one-sheet ingest timed
alone and while 8 sessions send wrong passwords for the admin's name.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.city import build_city_db, temp_workdir  # noqa: E402
from bench.sign_in_flood import flood_figures, print_flood  # noqa: E402
from loaders.ingest import ingest_files  # noqa: E402
from loaders.template import MeasureFill, SheetFill, build_workbook, workbook_bytes  # noqa: E402
from plans import clock  # noqa: E402
from plans.catalog import load_catalog  # noqa: E402
from plans.periods import Period  # noqa: E402
from plans.reporting import YES_NO, reporting_units, sheet_spec  # noqa: E402
from store.accounts import Account, add_user  # noqa: E402
from store.db import connection, writing  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SESSIONS, BATCHES = 8, 4


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


def plan_jobs(catalog, data_dir: Path, period: str, per_session: int, per_batch: int) -> list[list[tuple]]:
    """Twelve writers' sheets. Keys are drawn from a pool smaller than the number of sheets, and every
    writer walks the pool from its own offset, so several writers send the same key; every sheet has a
    number that only its writer writes, so no two sheets are the same file."""
    year = Period.parse(period).year
    pool = [(lid, unit) for lid in catalog.plans for unit in reporting_units(catalog, lid, year)
            if unit != "thon" and any(line.entry != YES_NO for line in sheet_spec(catalog, lid, unit, year).lines)]
    pool = pool[: (SESSIONS * per_session + BATCHES * per_batch) * 2 // 3]
    writers = []
    for writer in range(SESSIONS + BATCHES):
        count = per_session if writer < SESSIONS else per_batch
        start = writer * len(pool) // (SESSIONS + BATCHES)
        keys = [pool[(start + i) % len(pool)] for i in range(count)]
        writers.append([(str(data_dir), lid, unit, period, writer) for lid, unit in keys])
    return writers


def reader(db: Path, stop: threading.Event, waits: list[float]) -> None:
    """A page reading the store every 0.2 s; records how long each read took (waiting included)."""
    while not stop.is_set():
        start = time.perf_counter()
        with connection(db) as con:
            con.execute("SELECT count(*) FROM submissions WHERE is_current").fetchone()
        waits.append(time.perf_counter() - start)
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--session-sheets", type=int, default=20, help="sheets per app session (8 sessions)")
    parser.add_argument("--batch-sheets", type=int, default=50, help="sheets per CLI batch (4 batches)")
    parser.add_argument("--period", default="2026-11")
    args = parser.parse_args()
    work = temp_workdir()
    t0 = time.perf_counter()
    db, catalog = build_city_db(work)
    data_dir = work / "data"
    os.environ["DMST_DATA"] = str(data_dir)
    print(f"City database: {len(catalog.plans)} localities, built in {time.perf_counter() - t0:.1f} s ({db})")
    jobs = plan_jobs(catalog, data_dir, args.period, args.session_sheets, args.batch_sheets)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        made = [list(pool.map(_sheet, writer, chunksize=8)) for writer in jobs]
    print(f"Sheets: {sum(map(len, made))} made in {time.perf_counter() - t0:.1f} s (not timed below)")
    batch_files = []
    for number, files in enumerate(made[SESSIONS:]):
        folder = work / f"batch{number}"
        folder.mkdir()
        for name, data in files:
            (folder / name).write_bytes(data)
        batch_files.append(sorted(folder.iterdir()))
    with writing(db) as con:
        before = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
        for n in range(BATCHES):   # each CLI batch writes as an admin account of the software (--user)
            add_user(con, f"lo-{n}", "mật khẩu lô nạp đo tốc độ", "admin", None, clock.now())

    stop, waits, outcomes = threading.Event(), [], []
    watcher = threading.Thread(target=reader, args=(db, stop, waits))

    def session(number: int) -> None:
        """One browser session confirming its sheets, signed in as a city account (rights checked)."""
        outcomes.extend(ingest_files(db, made[number], user=Account(f"phien-{number}", "admin"), catalog=catalog))

    start = time.perf_counter()
    watcher.start()
    procs = [subprocess.Popen([sys.executable, "-m", "loaders", "ingest", "--db", str(db), "--user", f"lo-{n}",
                               *map(str, files)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n, files in enumerate(batch_files)]
    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cli_out = [proc.communicate() for proc in procs]
    elapsed = time.perf_counter() - start
    stop.set()
    watcher.join()

    cli_lines = [line for out, _ in cli_out for line in out.splitlines()]
    cli_accepted = sum(line.startswith("ĐÃ NHẬN") for line in cli_lines)
    same = sum(r.duplicate for r in outcomes) + sum(line.startswith("ĐÃ CÓ") for line in cli_lines)
    refused = [r for r in outcomes if not r.accepted] + [line for line in cli_lines if line.startswith("TỪ CHỐI")]
    sent = [data for files in made for _, data in files]
    with connection(db) as con:
        after = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
        several = con.execute("SELECT count(*) FROM (SELECT 1 FROM submissions WHERE is_current "
                              "GROUP BY locality_id, unit_code, lower(village), period HAVING count(*) > 1)").fetchone()[0]
        keys = con.execute("SELECT count(*) FROM current_keys k JOIN submissions s ON s.id = k.submission_id "
                           "WHERE s.is_current").fetchone()[0]
        current = con.execute("SELECT count(*) FROM submissions WHERE is_current").fetchone()[0]
        per_file = dict(con.execute("SELECT file_sha256, count(*) FROM submissions WHERE id > ? GROUP BY 1",
                                    [before]).fetchall())
    shas = [hashlib.sha256(data).hexdigest() for data in sent]
    lost = [s for s in shas if per_file.get(s, 0) == 0]
    doubled = [s for s, n in per_file.items() if n > 1]
    written = after - before
    print(f"Writers: {SESSIONS} sessions × {args.session_sheets} sheets (threads, ingest API) + {BATCHES} CLI batches "
          f"× {args.batch_sheets} sheets (python -m loaders ingest), all at once")
    print(f"Written: {written} sheets in {elapsed:.1f} s = {written / elapsed:.1f} sheets/s "
          f"(sessions {sum(r.accepted and not r.duplicate for r in outcomes)}, CLI {cli_accepted}); "
          f"identical to the sheet in use, not rewritten: {same}; refused: {len(refused)}; "
          f"written + identical = sent: {written + same} = {len(sent)}")
    print(f"Lost sheets: {len(lost)}; doubled sheets: {len(doubled)}; keys with more than one current submission: "
          f"{several}; current_keys agreeing: {keys}/{current}")
    ordered = sorted(waits)
    print(f"Reader (a page, every 0.2 s): {len(waits)} reads; median {statistics.median(ordered) * 1000:.0f} ms, "
          f"p95 {ordered[int(len(ordered) * 0.95) - 1] * 1000:.0f} ms, longest {ordered[-1] * 1000:.0f} ms")
    print(f"CLI exit codes: {[proc.returncode for proc in procs]}")
    for proc, (out, err) in zip(procs, cli_out):
        if proc.returncode:
            print(f"  CLI {proc.args[6]}: {(err or out).strip().splitlines()[-3:]}")
    extra = [_sheet((*job[:4], 90)) for job in [job for writer in jobs for job in writer][:10]]
    print_flood(flood_figures(db, catalog, extra))


if __name__ == "__main__":
    main()
