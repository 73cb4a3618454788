"""One writer at a time, readers first: locks per database file, shared by the threads of a process and by processes.

Every write transaction runs inside :func:`writer_lock`: a process-wide ``threading.Lock`` for
the file (Streamlit runs each browser session in a thread of one process, and DuckDB lets two
connections of one process write at once) and an exclusive ``fcntl.flock`` on ``<database>.lock``
beside the database (the app, command-line batches and backups are separate processes). A writer
waits its turn up to ``DMST_WRITE_WAIT`` seconds (default 120) and then gets
:class:`WriterBusyError` with a Vietnamese message, never a raw DuckDB error. Readers hold the same
file shared (:func:`reader_lock`) while they read, so they queue with the writers instead of
racing them for DuckDB's own lock.

Whoever waits for the lock says so, by holding ``<database>.readers`` or ``<database>.writers``
shared while it waits (released when it has the lock, or when its process dies). Readers go
first: a writer does not take the lock while a reader waits; and a writer holding the lock for a
long batch asks :func:`turn_wanted` after each transaction, and gives the lock up at once for a
waiting reader, and after ``TURN_SECONDS`` for a waiting writer (:mod:`store.turns`). So a page
opened during a batch of a thousand sheets waits for one transaction, not for the batch.

:func:`app_presence` is held (shared) by a running app for its whole life, so that a restore can
refuse to replace a database in use even between the app's short-lived connections.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from plans import settings
from store.errors import StoreLockedError
from store.postgres import is_url, shown

TURN_SECONDS = 0.25  # the longest a writer keeps the lock while another writer waits (readers: one transaction)
READERS, WRITERS = "readers", "writers"
_POLL = 0.005
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_REGISTRY = threading.Lock()
_PRESENCE: dict[str, int] = {}
_HELD = threading.local()


class WriterBusyError(StoreLockedError):
    """Another writer kept the database longer than a writer is willing to wait."""


def write_wait_seconds() -> float:
    """How long a writer waits for its turn: ``$DMST_WRITE_WAIT`` seconds, default 120."""
    return settings.number("DMST_WRITE_WAIT")


def _file(db: Path | str) -> Path:
    """The database file ``db`` names; a PostgreSQL address is refused (its writers take turns by an
    advisory lock of the server, :mod:`store.postgres`, and no file is made for it anywhere)."""
    if is_url(db):
        raise ValueError(f"{shown(str(db))} is a PostgreSQL address: it has no lock files")
    return Path(db)


def lock_file(db: Path) -> Path:
    """The lock file beside a database: ``<database>.lock``."""
    return db.with_name(db.name + ".lock")


def queue_file(db: Path, who: str) -> Path:
    """The file held shared by those waiting for the lock: ``<database>.readers`` or ``<database>.writers``."""
    return db.with_name(f"{db.name}.{who}")


def _thread_lock(db: Path) -> threading.Lock:
    with _REGISTRY:
        return _THREAD_LOCKS.setdefault(str(db.resolve()), threading.Lock())


def busy(seconds: float) -> WriterBusyError:
    return WriterBusyError(
        f"Đã đợi {seconds:.0f} giây mà một lần ghi khác vào cơ sở dữ liệu vẫn chưa xong "
        f"(đang nạp nhiều phiếu, sao lưu hoặc phục hồi). Chưa ghi gì; hãy thử lại sau ít phút."
    )


@contextmanager
def _announced(db: Path, who: str) -> Iterator[None]:
    """Say that this thread waits for the lock (``queue_file`` held shared) for the duration of the
    block; nothing to say where the file cannot be made (a read-only disk has no writers)."""
    try:
        fd = os.open(queue_file(db, who), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # waits only while someone looks (an instant: see waiting)
        yield
    finally:
        os.close(fd)


def waiting(db: Path | str, who: str) -> bool:
    """True when a reader (``who`` = READERS) or a writer (WRITERS) waits for the lock of ``db``: the
    file cannot be locked exclusively, three times a millisecond apart (once could be someone else
    looking at the same instant)."""
    try:
        fd = os.open(queue_file(_file(db), who), os.O_RDWR)
    except OSError:
        return False
    try:
        for attempt in range(3):
            if attempt:
                time.sleep(0.001)
            if _try_lock(fd, fcntl.LOCK_EX):  # released when the file is closed
                return False
        return True
    finally:
        os.close(fd)


def someone_waiting(db: Path | str) -> bool:
    """True when a reader or a writer waits for the lock of ``db``."""
    db = _file(db)
    return waiting(db, READERS) or waiting(db, WRITERS)


def turn_wanted(db: Path | str, held_for: float) -> bool:
    """Should a writer that has held the lock of ``db`` for ``held_for`` seconds give it up now? Yes
    when a reader waits, or a writer waits and the turn has lasted ``TURN_SECONDS``."""
    db = _file(db)
    return waiting(db, READERS) or (held_for >= TURN_SECONDS and waiting(db, WRITERS))


@contextmanager
def writer_lock(db: Path | str, wait_seconds: float | None = None) -> Iterator[None]:
    """Hold the only right to write ``db`` (threads of this process, then other processes; waiting
    readers first)."""
    db = _file(db)
    wait = write_wait_seconds() if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait
    mine = _thread_lock(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    with _announced(db, WRITERS):
        if not mine.acquire(timeout=max(wait, 0.0)):
            raise busy(wait)
        try:
            fd = os.open(lock_file(db), os.O_RDWR | os.O_CREAT, 0o644)
            try:
                while not (not waiting(db, READERS) and _try_lock(fd, fcntl.LOCK_EX)):
                    if time.monotonic() >= deadline:
                        raise busy(wait)
                    time.sleep(_POLL)
            except BaseException:
                os.close(fd)
                raise
        except BaseException:
            mine.release()
            raise
    held = _held()
    held.add(str(db.resolve()))
    try:
        yield
    finally:
        held.discard(str(db.resolve()))
        os.close(fd)  # releases the flock
        mine.release()


def _try_lock(fd: int, kind: int) -> bool:
    """Take ``kind`` (LOCK_EX or LOCK_SH) on ``fd`` if it is free now."""
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _held() -> set[str]:
    """The databases whose writer's turn this thread holds."""
    if not hasattr(_HELD, "dbs"):
        _HELD.dbs = set()
    return _HELD.dbs


@contextmanager
def reader_lock(db: Path | str, wait_seconds: float) -> Iterator[None]:
    """Hold ``<database>.lock`` shared while reading (nothing to do for a thread that holds the
    writer's turn, or when the lock file cannot be made: a read-only disk has no writers). While it
    waits, the reader says so, and writers let it in first."""
    db = _file(db)
    if str(db.resolve()) in _held():
        yield
        return
    try:
        fd = os.open(lock_file(db), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    deadline = time.monotonic() + wait_seconds
    try:
        with _announced(db, READERS):
            while not _try_lock(fd, fcntl.LOCK_SH):
                if time.monotonic() >= deadline:
                    raise StoreLockedError(
                        f"Đã đợi {wait_seconds:.0f} giây mà một lần ghi vào cơ sở dữ liệu vẫn chưa xong; hãy thử lại "
                        f"sau ít phút."
                    )
                time.sleep(_POLL)
        yield
    finally:
        os.close(fd)


def presence_file(db: Path) -> Path:
    """The file a running app holds a shared lock on: ``<database>.inuse``."""
    return db.with_name(db.name + ".inuse")


def app_presence(db: Path | str) -> None:
    """Mark ``db`` as used by this process until it exits (idempotent). On a read-only disk no mark
    can be made, and none is needed: nothing can replace the file there either; nor for a PostgreSQL
    store (no restore replaces it)."""
    if is_url(db):
        return
    db = _file(db)
    key = str(db.resolve())
    with _REGISTRY:
        if key in _PRESENCE:
            return
        try:
            fd = os.open(presence_file(db), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            try:
                fd = os.open(presence_file(db), os.O_RDONLY)
            except OSError:
                return
        fcntl.flock(fd, fcntl.LOCK_SH)
        _PRESENCE[key] = fd


def in_use_by_app(db: Path | str) -> bool:
    """True when a running app (another process, or this one) has marked ``db`` as used."""
    db = _file(db)
    return str(db.resolve()) in _PRESENCE or held_elsewhere(presence_file(db))


def held_elsewhere(path: Path, posix: bool = False) -> bool:
    """True when another process holds a lock on the file ``path`` (False when there is no such file): a
    ``flock`` (this module's files) or, with ``posix``, an ``fcntl`` record lock (DuckDB's own lock on its
    database file). The one probe of a lock held elsewhere: taken exclusively without waiting, let go at once."""
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        if posix:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # lets the probe's lock go (either kind)
    return False
