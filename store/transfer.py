"""A whole store copied between backends: ``python -m store copy --from SRC --to DST`` (a DuckDB file to
a PostgreSQL database, or back; also file to file).

The catalog tables are not copied: the target loads them from the plan files, as every store does
(:func:`store.db.prepare`). Every other table is copied row for row, ids and the journal's hash chain
as they are, in one transaction of the target's writer's turn, read from one view of the source (a
PostgreSQL snapshot, or the file's reader lock); the target's sequences then continue after the
copied ids, and a PostgreSQL target's tables are vacuumed and analyzed (``store.postgres.vacuum_analyze``).
A target that already holds anything written by people (sheets, accounts, journal, closed months,
sessions, templates) is refused: a copy never merges two stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from plans import clock
from plans.catalog import load_catalog
from plans.model import Catalog
from store import audit
from store.backend import Connection, columns_of, insert_rows
from store.db import CATALOG_TABLES, Target, connection, described, locate, prepare, writing_transaction
from store.errors import StoreError
from store.postgres import is_url, vacuum_analyze

CHUNK_ROWS = 2_000
"""Rows read and written at a time (the original files are in ``upload_contents``: bounded memory)."""
SEQUENCES = {
    "submissions": "submission_id_seq",
    "period_locks": "period_lock_seq",
    "audit_log": "audit_seq",
    "report_templates": "report_template_id_seq",
}
"""The tables whose ids come from a sequence, and its name."""
PEOPLE_TABLES = ("submissions", "users", "audit_log", "period_locks", "sessions", "report_templates")
"""What people wrote: a target holding a row of any of these is refused."""
ADDRESS = "máy chủ (dòng lệnh)"


class CopyError(StoreError):
    """A copy that cannot be done (message in Vietnamese); nothing was written to the target."""


@dataclass(frozen=True)
class Copied:
    """What a copy wrote: rows per table, in the order they were copied."""

    rows: dict[str, int]


def data_tables(con: Connection) -> list[str]:
    """The store's tables that are not the catalog nor ``meta``, in name order."""
    found = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [name for (name,) in found if name not in CATALOG_TABLES and name != "meta"]


def _written_by_people(con: Connection) -> dict[str, int]:
    counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in PEOPLE_TABLES}
    return {table: n for table, n in counts.items() if n}


def _copy_table(source: Connection, target: Connection, table: str) -> int:
    names = columns_of(target, table)
    cursor = source.execute(f"SELECT {', '.join(names)} FROM {table}")
    copied = 0
    while rows := cursor.fetchmany(CHUNK_ROWS):
        insert_rows(target, table, names, rows)
        copied += len(rows)
    return copied


def _continue_sequences(target: Connection, counts: dict[str, int]) -> None:
    """Move each sequence of the target (fresh: no id taken yet) past the largest copied id."""
    for table, sequence in SEQUENCES.items():
        if counts.get(table):
            top = target.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
            target.execute(f"SELECT max(nextval('{sequence}')) FROM generate_series(1, ?)", [top]).fetchone()


def _origin(source: Target) -> str:
    """The source as the journal names it (shown on a page: no server path, no address)."""
    if is_url(source):
        return f"cơ sở dữ liệu PostgreSQL {urlsplit(source).path.lstrip('/')}"
    return f"tệp DuckDB {Path(source).name}"


def copy_store(source: Path | str, target: Path | str, catalog: Catalog | None = None) -> Copied:
    """Copy the store ``source`` into ``target`` (both brought to the current schema first; a DuckDB
    target file is made when missing) and journal it in the target. ``CopyError`` when the source
    does not exist, is the target itself, or the target already holds what people wrote."""
    source, target = locate(source), locate(target)
    if str(source) == str(target) or (
        not is_url(source) and not is_url(target) and Path(source).resolve() == Path(target).resolve()
    ):
        raise CopyError(f"Nguồn và đích là cùng một cơ sở dữ liệu ({described(source)}).")
    if not is_url(source) and not Path(source).is_file():
        raise CopyError(f"Không có cơ sở dữ liệu nguồn {source}.")
    catalog = catalog or load_catalog()
    prepare(source, catalog)
    prepare(target, catalog)
    with connection(source) as src, writing_transaction(target) as dst:
        held = _written_by_people(dst)
        if held:
            what = ", ".join(f"{table}: {n} dòng" for table, n in held.items())
            raise CopyError(
                f"Cơ sở dữ liệu đích {described(target)} đã có dữ liệu ({what}); chỉ chép vào một cơ sở "
                f"dữ liệu mới hoặc trống. Chưa ghi gì."
            )
        counts = {}
        for table in data_tables(dst):
            dst.execute(f"DELETE FROM {table}")
            counts[table] = _copy_table(src, dst, table)
        _continue_sequences(dst, counts)
        audit.record(
            dst,
            clock.now(),
            None,
            audit.COPIED,
            f"Chép toàn bộ dữ liệu từ {_origin(source)} ({counts.get('submissions', 0)} phiếu)",
            address=ADDRESS,
            detail={"rows": counts},
        )
    if is_url(target):  # a bulk load: the planner's statistics now, not when autovacuum comes
        vacuum_analyze(target, [*counts, *CATALOG_TABLES])
    return Copied(counts)
