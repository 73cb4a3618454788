"""A long batch's transactions in short turns of the writer's lock (:class:`WriterTurns`).

A batch of a thousand sheets is written in many transactions. Opening the database for each one
costs more than most of them (DuckDB reads its catalog on open and checkpoints its log on close),
so a batch keeps the database open from one transaction to the next while nobody else asks for
it. After each transaction it asks :func:`store.locks.turn_wanted`: for a waiting reader it
closes the database and lets the lock go at once, for a waiting writer once its turn has lasted
``TURN_SECONDS``; its next transaction then waits for the next turn (readers first). A page opened
during a batch therefore waits for one transaction, never for the batch.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb

from store.db import db_path, writing
from store.locks import turn_wanted


class WriterTurns:
    """The writer's turns of one batch: use :meth:`connection` for each transaction, and the object
    as a context manager (the turn held at the end is given up)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self._target = Path(path) if path else db_path()
        self._held: ExitStack | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._since = 0.0

    def __enter__(self) -> WriterTurns:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The database for one transaction, in this batch's turn (taken, waiting for it, when not
        held); afterwards the turn is given up if someone else wants it. Raises
        ``StoreLockedError`` when the turn does not come."""
        if self._con is None:
            self._take()
        started = time.monotonic()
        try:
            yield self._con
        except BaseException:
            self.release()
            raise
        now = time.monotonic()
        # the next transaction would likely last as long as this one: a waiting writer gets the turn
        # before this one would pass TURN_SECONDS
        if turn_wanted(self._target, now - self._since + (now - started)):
            self.release()

    def _take(self) -> None:
        stack = ExitStack()
        self._con = stack.enter_context(writing(self._target))
        self._held, self._since = stack, time.monotonic()

    def release(self) -> None:
        """Close the database and give up the turn (nothing when it is not held)."""
        held, self._held, self._con = self._held, None, None
        if held is not None:
            held.close()
