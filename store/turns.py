"""A long batch's transactions in short turns of the writer's lock (:class:`WriterTurns`).

A batch of a thousand sheets is written in many transactions. Opening the database for each one
costs more than most of them (DuckDB reads its catalog on open and checkpoints its log on close),
so a batch keeps the database open from one transaction to the next while nobody else asks for
it. After each transaction, and every 10 ms while the batch does something else, it asks
:func:`store.locks.turn_wanted`: for a waiting reader it closes the database and lets the lock go at
once, for a waiting writer once its turn has lasted ``TURN_SECONDS``; its next transaction then
waits for the next turn (readers first). A page opened during a batch therefore waits for one
transaction, never for the batch.

On PostgreSQL readers never wait (they read a snapshot) and other writers may be on other machines:
a turn there is one transaction, and the lock (:func:`store.postgres.writer_turn`) is let go after
each; ``quiet`` asks the server whether another writer waits.

The kept monthly and latest rows (:mod:`store.measure_months`) of the localities written are
brought up to date once per turn, in one transaction, just before the turn is given up: once for a
batch that nobody interrupts (on PostgreSQL, after each transaction). Between the transactions of a
turn nobody else can read, and a turn cut short by a failure or a killed process leaves them stale,
which readers notice (they combine the values themselves) until a later writer or
``store.db.prepare`` keeps them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from store import measure_months, postgres
from store.backend import Connection, transaction
from store.db import connection, locate, writing
from store.errors import DB_ERRORS, explain
from store.locks import someone_waiting, turn_wanted

log = logging.getLogger("dmst.turns")
YIELD_SECONDS = 0.02
"""After giving the turn up to someone who waits, how long a batch lets them take it before it asks
again (waiters look every 5 ms; without the pause the batch would take the turn straight back)."""
_WATCH_SECONDS = 0.01


class WriterTurns:
    """The writer's turns of one batch: use :meth:`connection` for each transaction, and the object
    as a context manager (the turn held at the end is given up).

    Between two transactions the batch does other work (reads and checks the next files, prints
    what it committed, which may block on a full pipe): meanwhile a watcher thread gives the turn
    up as soon as someone else wants it, so the batch never keeps the lock while it is not writing
    and someone waits."""

    def __init__(self, path: Path | str | None = None) -> None:
        self._target = locate(path)
        self._shared = postgres.is_url(self._target)  # PostgreSQL: one transaction per turn
        self._held: ExitStack | None = None
        self._con: Connection | None = None
        self._since = self._gave_up = 0.0
        self._wrote: set[str] = set()
        self._mutex = threading.Lock()  # one of: a transaction of the batch, the watcher giving the turn up
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def __enter__(self) -> WriterTurns:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join()
        with self._mutex:
            self._release(refresh=True)

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """The database for one transaction, in this batch's turn (taken, waiting for it, when not
        held); afterwards the turn is given up if someone else wants it. Raises
        ``StoreLockedError`` when the turn does not come."""
        with self._mutex:
            if self._con is None:
                self._take()
            started = time.monotonic()
            try:
                yield self._con
            except BaseException:
                self._release(refresh=False)
                raise
            now = time.monotonic()
            # the next transaction would likely last as long as this one: a waiting writer gets the
            # turn before this one would pass TURN_SECONDS
            self._give_up_if_wanted(now - self._since + (now - started))

    def quiet(self) -> bool:
        """True while nobody (but perhaps this batch) waits for the lock: then a longer transaction
        keeps nobody waiting (otherwise keep them short: the next one may be someone's wait)."""
        if self._shared:
            with connection(self._target) as con:
                return not postgres.writers_waiting(con)
        return not someone_waiting(self._target)

    def wrote(self, locality_ids: Iterable[str]) -> None:
        """Within :meth:`connection`: note the localities whose sheets the transaction wrote; their
        kept rows (``store.measure_months``) are brought up to date once, when the turn ends."""
        self._wrote.update(locality_ids)

    def _take(self) -> None:
        time.sleep(max(0.0, self._gave_up + YIELD_SECONDS - time.monotonic()))
        stack = ExitStack()
        self._con = stack.enter_context(writing(self._target))
        self._held, self._since = stack, time.monotonic()
        if self._watcher is None and not self._shared:
            self._watcher = threading.Thread(target=self._watch, name="dmst-writer-turns", daemon=True)
            self._watcher.start()

    def _watch(self) -> None:
        """Between the batch's transactions, give the turn up when someone wants it."""
        while not self._stop.wait(_WATCH_SECONDS):
            with self._mutex:
                if self._held is not None:
                    self._give_up_if_wanted(time.monotonic() - self._since)

    def _give_up_if_wanted(self, held_for: float) -> None:
        if self._shared or turn_wanted(self._target, held_for):
            self._release(refresh=True)
            self._gave_up = time.monotonic()

    def _release(self, refresh: bool) -> None:
        """Bring the kept rows of the localities written up to date (one transaction; skipped after
        a failure: they stay stale, and are read from the values until a later writer or
        ``store.db.prepare`` keeps them), close the database and give up the turn (nothing when it
        is not held). The caller holds ``_mutex``. What was committed stays so: a failure here is
        only logged, and the lock is let go all the same."""
        held, con, self._held, self._con = self._held, self._con, None, None
        if held is None:
            return
        wrote, self._wrote = sorted(self._wrote), set()
        try:
            with held:
                if refresh and wrote:
                    with transaction(con):
                        measure_months.refresh(con, wrote)
        except (*DB_ERRORS, OSError) as err:
            log.warning(
                "kept rows of %d localities left stale, or the database not closed cleanly: %s",
                len(wrote),
                explain(err),
            )
