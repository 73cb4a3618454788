"""Wrong-password floods against the admin's name: what they cost the people who work meanwhile.

Used by ``bench/bench_concurrency.py``: on the benchmark's database, a correct sign-in and a one-sheet
ingest are timed alone, then from the moment ``FLOODERS`` threads (as many browser sessions, each from
its own address) start sending wrong passwords for the admin's name as fast as the app lets them:
``rounds`` sign-ins (the flood's first seconds, while each address still gets its first five
password checks), ``rounds`` ingests, and, ``THROTTLED_AFTER`` seconds into the flood, ``rounds``
sign-ins again (the flood going on, every flooding address now waiting). Printed: the medians, alone and under the
flood, their ratio, and how many wrong attempts the flood made (and how many were refused without a password check,
their address waiting).
"""

from __future__ import annotations

import itertools
import statistics
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from loaders.ingest import ingest_files
from plans import clock
from plans.model import Catalog
from store.accounts import Account, LoginError, add_user
from store.db import writing
from store.sign_in import sign_in

FLOODERS = 8
THROTTLED_AFTER = 8.0  # seconds into the flood: every flooding address has had its five tries and must wait
ADMIN, PASSWORD = "thanhpho-do-toc-do", "mật khẩu quản trị đo tốc độ 2026"
_FLOODS = itertools.count(66)  # each flood from addresses of its own: a process remembers which must wait


def _median_seconds(action, rounds: int) -> float:
    times = []
    for n in range(rounds):
        start = time.perf_counter()
        action(n)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def flood_figures(db: Path, catalog: Catalog, sheets: Sequence[tuple[str, bytes]], rounds: int = 5) -> dict:
    """Time a correct sign-in and a one-sheet ingest alone and under the flood; ``sheets``: at least
    ``2 × rounds`` distinct one-sheet uploads."""
    with writing(db) as con:
        add_user(con, ADMIN, PASSWORD, "admin", None, clock.now())
    admin = Account(ADMIN, "admin")

    def correct(n: int) -> None:
        sign_in(db, ADMIN, PASSWORD, clock.now(), "10.0.0.1")

    def one_sheet(offset: int):
        def ingest(n: int) -> None:
            [result] = ingest_files(db, [sheets[offset + n]], user=admin, catalog=catalog)
            assert result.accepted, result.problems

        return ingest

    alone = {"sign_in": _median_seconds(correct, rounds), "ingest": _median_seconds(one_sheet(0), rounds)}
    stop, attempts, waited = threading.Event(), [0] * FLOODERS, [0] * FLOODERS
    network = next(_FLOODS)

    def flooder(number: int) -> None:
        while not stop.is_set():
            try:
                sign_in(db, ADMIN, f"sai mật khẩu {attempts[number]}", clock.now(), f"10.{network}.0.{number + 1}")
            except LoginError as err:
                attempts[number] += 1
                waited[number] += bool(err.wait)

    threads = [threading.Thread(target=flooder, args=(n,), daemon=True) for n in range(FLOODERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    try:
        flooded = {"sign_in": _median_seconds(correct, rounds), "ingest": _median_seconds(one_sheet(rounds), rounds)}
        time.sleep(max(0.0, THROTTLED_AFTER - (time.perf_counter() - started)))
        flooded.update(sign_in_late=_median_seconds(correct, rounds))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return {"alone": alone, "flooded": flooded, "attempts": sum(attempts), "refused_waiting": sum(waited)}


def print_flood(figures: dict) -> None:
    alone, flooded = figures["alone"], figures["flooded"]
    print(
        f"Wrong-password flood ({FLOODERS} sessions, each from its own address, against the admin's name): "
        f"{figures['attempts']} attempts, {figures['refused_waiting']} refused while their address had to wait"
    )
    for key, base, label in (
        ("sign_in", "sign_in", "correct sign-in, flood's first seconds"),
        ("ingest", "ingest", "one-sheet ingest"),
        ("sign_in_late", "sign_in", "correct sign-in, flood going on"),
    ):
        print(
            f"  {label}: alone {alone[base] * 1000:.0f} ms, during the flood {flooded[key] * 1000:.0f} ms "
            f"(× {flooded[key] / alone[base]:.2f})"
        )
