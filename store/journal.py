"""Journal an event in a turn of its own, also when the store cannot be written.

Sign-ins, sign-outs and backups must work on a read-only file or a full disk: their entry then
waits beside the store (``audit.keep_pending``) and is chained in at the next write.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from store import audit
from store.backend import Connection
from store.db import writing_transaction
from store.errors import DB_ERRORS, DISK_FULL, READ_ONLY, StoreError, explain


def write_entry(db: Path, entry: audit.NewEntry, also: Callable[[Connection], None] | None = None) -> bool:
    """Write ``entry`` (and what ``also`` writes) in one short transaction; False when the store could
    not be written and the entry was kept beside it instead (``also`` is then not done)."""
    try:
        with writing_transaction(db) as con:
            if also is not None:
                also(con)
            audit.record_many(con, [entry])
    except (StoreError, *DB_ERRORS, OSError) as err:
        if explain(err) not in (READ_ONLY, DISK_FULL):
            raise
        audit.keep_pending(db, entry)
        return False
    return True
