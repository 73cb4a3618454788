"""Backups: a consistent copy while the app runs, a checked restore, and a daily copy with retention.

A backup takes the writer's turn (:mod:`store.locks`), checkpoints the write-ahead log into the
file, copies the file (and a write-ahead log the checkpoint could not fold in, when the app's
readers were busy) while holding it open, so no other process can write it meanwhile; the
copy is folded into one file and every row of it is read before it gets its final name. A restore refuses a database in
use (a running app, or any process holding the file), reads every row of the copy first, keeps
the replaced file beside it and removes its stale write-ahead log.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import threading
from pathlib import Path

import duckdb

from plans import clock, settings
from store import audit
from store.db import SCHEMA_VERSION, connection
from store.errors import StoreError, StoreLockedError, explain
from store.journal import write_entry
from store.locks import held_elsewhere, in_use_by_app, writer_lock
from store.postgres import is_url

_DAILY = re.compile(r"dmst-(\d{8}-\d{6})\.duckdb")
DAILY_ADDRESS = "máy chủ (sao lưu hằng ngày)"
CHECK_SECONDS = 600.0
log = logging.getLogger("dmst.backup")


class BackupError(StoreError):
    """A backup or restore that cannot be done (message in Vietnamese)."""


POSTGRES_BACKUP = (
    "Cơ sở dữ liệu PostgreSQL được sao lưu và phục hồi bằng công cụ của PostgreSQL (pg_dump, pg_restore "
    "hoặc sao lưu liên tục của máy chủ), hoặc chép ra một tệp DuckDB bằng python -m store copy "
    "(xem README, mục Triển khai). Lệnh backup/restore này chỉ dành cho tệp DuckDB."
)


def _file_store(db: Path | str) -> Path:
    """The DuckDB file to back up or restore; a PostgreSQL store is refused (``BackupError``)."""
    if is_url(db):
        raise BackupError(POSTGRES_BACKUP)
    return Path(db)


REQUIRED_TABLES = (
    "meta",
    "submissions",
    "submission_values",
    "task_updates",
    "upload_files",
    "users",
    "audit_log",
    "current_keys",
    "period_locks",
)


def _ours(con: duckdb.DuckDBPyConnection, path: Path, tables: list[str]) -> None:
    """Refuse (``BackupError``) a copy that is not a store of this software that someone can use:
    a known schema version (not a newer one), every table the app needs, at least one enabled admin,
    and, from schema 7 on, a journal nobody changed outside the software."""
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise BackupError(f"Tệp {path} không phải cơ sở dữ liệu của phần mềm này (thiếu bảng {', '.join(missing)}).")
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = row[0] if row else None
    if version not in {str(v) for v in range(1, int(SCHEMA_VERSION) + 1)}:
        raise BackupError(
            f"Tệp {path} có phiên bản cơ sở dữ liệu {version!r} mà phần mềm này không biết "
            f"(phiên bản hiện nay: {SCHEMA_VERSION})."
        )
    admins = con.execute("SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled").fetchone()[0]
    if not admins:
        raise BackupError(
            f"Tệp {path} không có tài khoản quản trị nào đang dùng: phục hồi bản này thì ai mở ứng dụng "
            f"trước sẽ tự tạo được tài khoản quản trị. Hãy dùng bản sao lưu khác."
        )
    columns = {r[0] for r in con.execute("DESCRIBE audit_log").fetchall()}
    broken = audit.verify(con) if "row_hash" in columns else None
    if broken is not None:
        raise BackupError(
            f"Tệp {path} có nhật ký đã bị thay đổi ngoài phần mềm (từ dòng số {broken}); không phục hồi bản này."
        )


def check_copy(path: Path | str, restorable: bool = False) -> dict[str, int]:
    """Open a database copy read-only and read every row of every table; return the row counts.

    Raises ``BackupError`` when the copy is not a readable database of this software (with
    ``restorable``, also when it is not one that may replace the store: see :func:`_ours`).
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không có tệp sao lưu {path}.")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as err:
        raise BackupError(f"Tệp {path} không phải cơ sở dữ liệu đọc được ({explain(err)}).") from err
    try:
        tables = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1"
            ).fetchall()
        ]
        if "meta" not in tables or "submissions" not in tables:
            raise BackupError(f"Tệp {path} không phải cơ sở dữ liệu của phần mềm này (thiếu bảng meta/submissions).")
        if restorable:
            _ours(con, path, tables)
        counts = {}
        for table in tables:
            cursor = con.execute(f'SELECT * FROM "{table}"')
            counts[table] = 0
            while rows := cursor.fetchmany(5000):
                counts[table] += len(rows)
        return counts
    except duckdb.Error as err:
        raise BackupError(f"Tệp {path} bị hỏng, không đọc hết được ({explain(err)}).") from err
    finally:
        con.close()


def backup(
    db: Path | str, out: Path | str, now: dt.datetime | None = None, address: str = "máy chủ (dòng lệnh)"
) -> dict[str, int]:
    """Copy ``db`` to ``out`` consistently (also while the app runs), journal it (at ``now``, from
    ``address``); return the copy's row counts. A ``.partial`` copy left by a killed backup is
    replaced (no other backup can be running: each holds the writer's turn)."""
    db, out = _file_store(db), Path(out)
    if not db.is_file():
        raise BackupError(f"Không có cơ sở dữ liệu {db} để sao lưu.")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial_wal = Path(f"{partial}.wal")
    try:
        with writer_lock(db), connection(db) as con:
            partial.unlink(missing_ok=True)
            partial_wal.unlink(missing_ok=True)
            try:
                con.execute("CHECKPOINT")
            except duckdb.Error:
                pass  # readers of this process are busy: the log is copied with the file instead
            shutil.copyfile(db, partial)
            if Path(f"{db}.wal").exists():
                shutil.copyfile(f"{db}.wal", partial_wal)
        if partial_wal.exists():
            folded = duckdb.connect(str(partial))
            folded.execute("CHECKPOINT")
            folded.close()
        counts = check_copy(partial)
        os.replace(partial, out)
    except OSError as err:
        raise BackupError(f"Không ghi được bản sao lưu {out}: {explain(err)}") from err
    finally:
        partial.unlink(missing_ok=True)
        partial_wal.unlink(missing_ok=True)
    size = out.stat().st_size / 1048576
    write_entry(
        db,
        audit.NewEntry(
            now or clock.now(),
            None,
            audit.BACKED_UP,
            f"Sao lưu vào {out.name} ({size:.1f} MB, {counts.get('submissions', 0)} phiếu)",
            address=address,
            detail={"file": out.name, "size_bytes": out.stat().st_size},
        ),
    )
    return counts


def restore(source: Path | str, db: Path | str, now: dt.datetime) -> tuple[dict[str, int], Path | None]:
    """Replace ``db`` by the checked copy ``source``; return its row counts and where the replaced file went."""
    source, db = Path(source), _file_store(db)
    if in_use_by_app(db) or held_elsewhere(db, posix=True):  # the app, or any process with the file open
        raise StoreLockedError(
            f"Cơ sở dữ liệu {db} đang được dùng (ứng dụng đang chạy hoặc một lệnh khác đang mở "
            f"tệp). Hãy dừng ứng dụng (scripts/run.sh) rồi phục hồi lại.",
            "Cơ sở dữ liệu đang được dùng; hãy dừng ứng dụng rồi phục hồi lại.",
        )
    counts = check_copy(source, restorable=True)
    staged = db.with_name(db.name + ".restoring")
    kept = None
    try:
        with writer_lock(db, wait_seconds=5):
            shutil.copyfile(source, staged)
            with open(staged, "rb+") as handle:
                os.fsync(handle.fileno())
            if db.exists():
                kept = db.with_name(f"{db.name}.before-restore-{now:%Y%m%d-%H%M%S}")
                os.replace(db, kept)
            Path(f"{db}.wal").unlink(missing_ok=True)
            os.replace(staged, db)
    except OSError as err:
        staged.unlink(missing_ok=True)
        raise BackupError(f"Không phục hồi được {db}: {explain(err)}") from err
    return counts, kept


def backup_folder(db: Path) -> Path:
    """``$DMST_BACKUP_DIR``, else ``backups/`` beside the database."""
    return Path(settings.text("DMST_BACKUP_DIR")) if settings.is_set("DMST_BACKUP_DIR") else db.parent / "backups"


def backup_keep() -> int:
    """How many daily copies to keep: ``$DMST_BACKUP_KEEP`` (default 14; 0 = no daily backup)."""
    return settings.integer("DMST_BACKUP_KEEP")


def daily_backup(db: Path | str, now: dt.datetime, folder: Path | None = None, keep: int | None = None) -> Path | None:
    """Make today's copy when the newest copy is a day old or more, and drop copies beyond ``keep``.

    Returns the new copy, or ``None`` when none was due (or daily backups are off, or the store is
    PostgreSQL: its server's own backups serve it).
    """
    if is_url(db):
        return None
    db = Path(db)
    folder = folder or backup_folder(db)
    keep = backup_keep() if keep is None else keep
    if not keep or not db.is_file():
        return None
    made = sorted(p for p in folder.glob("dmst-*.duckdb") if _DAILY.fullmatch(p.name)) if folder.exists() else []
    if made:
        newest = dt.datetime.strptime(_DAILY.fullmatch(made[-1].name).group(1), "%Y%m%d-%H%M%S")
        if now - newest < dt.timedelta(days=1):
            return None
    out = folder / f"dmst-{now:%Y%m%d-%H%M%S}.duckdb"
    for stale in folder.glob("dmst-*.duckdb.partial*") if folder.exists() else ():
        stale.unlink(missing_ok=True)
    backup(db, out, now, DAILY_ADDRESS)
    made.append(out)
    for old in made[:-keep]:
        old.unlink(missing_ok=True)
    return out


def run_daily(db: Path | str, stop: threading.Event, every: float = CHECK_SECONDS) -> None:
    """Make the daily copy when it is due, looking every ``every`` seconds until ``stop`` is set: the
    app runs this in a thread of its own, so no page waits for a backup. A failed copy is logged
    for the server's operator and tried again at the next look."""
    while not stop.is_set():
        try:
            daily_backup(db, clock.now())
        except (StoreError, OSError, duckdb.Error) as err:
            log.error("daily backup failed: %s", err)
        stop.wait(every)
