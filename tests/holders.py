"""Another process that holds a store until the test lets it go: DuckDB's file lock (as the DuckDB CLI
or DBeaver would), the writer's turn, or the running app's presence mark."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_WAIT = "print('ok', flush=True); sys.stdin.read()"

DUCKDB_OPEN = f"import sys, duckdb; con = duckdb.connect(sys.argv[1]); {_WAIT}"
"""A plain DuckDB connection, read-write: the file's own lock."""
WRITING = f"import sys; from store.db import writing\nwith writing(sys.argv[1]):\n {_WAIT}"
"""``store.db.writing``: the writer's turn (on PostgreSQL the advisory lock) and the connection."""
WRITER_LOCK = f"import sys; from store.locks import writer_lock\nwith writer_lock(sys.argv[1]):\n {_WAIT}"
"""``store.locks.writer_lock``: the writer's turn alone (``<db>.lock``)."""
APP_PRESENCE = f"import sys; from store.locks import app_presence; app_presence(sys.argv[1]); {_WAIT}"
"""``store.locks.app_presence``: what a running app holds."""


def start_holding(script: str, target: object) -> subprocess.Popen:
    """Runs ``script`` (one of the above) on ``target`` in another Python and returns once it holds;
    it holds until ``let_go``."""
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(target)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    said = holder.stdout.readline().strip()
    if said != "ok":
        let_go(holder)
        raise AssertionError(f"the holder did not take hold: {said!r}")
    return holder


def let_go(holder: subprocess.Popen) -> None:
    """Ends the hold of ``start_holding``: the process reads the end of its input and exits."""
    holder.stdin.close()
    holder.wait(timeout=30)


@contextmanager
def holding(script: str, target: object) -> Iterator[subprocess.Popen]:
    """``start_holding`` for the ``with`` block, let go at its end (also when it fails)."""
    holder = start_holding(script, target)
    try:
        yield holder
    finally:
        let_go(holder)
