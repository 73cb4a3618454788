"""Faults of the machine, each a Vietnamese message and an exit code, never a traceback: a read-only
file system (reading commands still work), a missing folder, a full disk (a real small tmpfs), an
older database migrated on start, and pages that never show a server path."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from holders import DUCKDB_OPEN, holding
from page_fixtures import ensure_account, open_page, sheet

from plans.periods import Period
from store import audit
from store import db as store_db
from store.db import connection, writing
from store.errors import DISK_FULL, READ_ONLY

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return done.returncode == 0


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real tmpfs mounted for the test (needs root; skipped elsewhere)."""
    where = tmp_path / "disk"
    if not mount_tmpfs(where, "24m"):
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.slow  # a disk mounted and filled
def test_a_read_only_file_system_still_serves_reading_commands(small_disk, known_db, catalog, tmp_path):
    db = small_disk / "dmst.duckdb"
    shutil.copyfile(known_db, db)
    sent = tmp_path / "ta.xlsx"
    sent.write_bytes(sheet(catalog, "tan_an", "all", Period(2026, 7), {"dvc_online_usage": 90}))
    admin = ensure_account(path=db)
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)]).returncode == 0
    summary = run("scoring", "summary", "--db", str(db), "--period", "2026-06", "--json")
    assert summary.returncode == 0, summary.stderr
    assert run("scoring", "catalog", "--json").returncode == 0
    dry = run("loaders", "ingest", "--db", str(db), "--dry-run", str(sent))
    assert dry.returncode == 0 and dry.stdout.startswith("HỢP LỆ ta.xlsx"), dry.stdout + dry.stderr
    write = run("loaders", "ingest", "--db", str(db), "--user", admin, str(sent))
    assert write.returncode == 1
    assert READ_ONLY in write.stdout and "Traceback" not in write.stdout + write.stderr
    audit = run("store", "--db", str(db), "audit")
    assert audit.returncode == 0, audit.stderr
    missing = run("scoring", "summary", "--db", str(small_disk / "moi" / "dmst.duckdb"))
    assert missing.returncode == 1 and "Không tạo được thư mục" in missing.stderr and "Traceback" not in missing.stderr


@pytest.mark.slow  # command lines in their own processes
def test_a_missing_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    report = ("reports", "build", "--locality", "tan_an", "--period", "2026-06", "--out", str(tmp_path / "bc.docx"))
    for command in (("scoring", "summary"), ("loaders", "demo"), ("store", "audit"), report):
        args = (
            [*command[:1], "--db", str(blocker / "dmst.duckdb"), *command[1:]]
            if command[0] == "store"
            else [*command, "--db", str(blocker / "dmst.duckdb")]
        )
        done = run(*args)
        assert done.returncode == 1, (command, done.stderr)
        assert "Không tạo được thư mục" in done.stderr and "Traceback" not in done.stderr, done.stderr


@pytest.mark.slow  # a disk mounted and filled
def test_a_full_disk_is_named_and_the_store_stays_consistent(small_disk, known_db, catalog, tmp_path):
    db = small_disk / "dmst.duckdb"
    shutil.copyfile(known_db, db)
    admin = ensure_account(path=db)
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    filler.write_bytes(b"\0" * max(0, free - 60_000))
    folder = tmp_path / "sheets"
    folder.mkdir()
    paths = []
    for month in range(1, 13):
        for unit in ("vhxh", "kt", "ca"):
            path = folder / f"{unit}_{month}.xlsx"
            path.write_bytes(sheet(catalog, "tan_an", unit, Period(2026, month), {"fraud_awareness_sessions": month}))
            paths.append(str(path))
    done = run("loaders", "ingest", "--db", str(db), "--user", admin, *paths)
    assert done.returncode == 1
    assert DISK_FULL in done.stdout + done.stderr, done.stdout[-2000:] + done.stderr
    assert "Traceback" not in done.stderr and "No space left" not in done.stdout + done.stderr
    accepted = sum(line.startswith("ĐÃ NHẬN") for line in done.stdout.splitlines())
    filler.unlink()
    with connection(db) as con:
        subs = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
        assert con.execute("SELECT count(*) FROM current_keys").fetchone()[0] == subs
    assert subs == 4 + accepted
    again = run("loaders", "ingest", "--db", str(db), "--user", admin, *paths)
    assert again.returncode == 0, again.stdout[-2000:]
    with connection(db) as con:
        assert con.execute("SELECT count(*) FROM submissions").fetchone()[0] == 4 + len(paths)


def test_an_older_database_is_migrated_on_start(known_db):
    """A schema-3 store (before accounts, closing and the one-current-per-key table), where two
    sessions once left two current sheets for one key: the newest stays current."""
    with connection(known_db) as con:
        for table in ("current_keys", "users", "login_throttle", "period_locks", "audit_log"):
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        con.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_sha256'")
        first = con.execute(
            "SELECT id FROM submissions WHERE locality_id = 'tan_an' AND period = '2026-06'"
        ).fetchone()[0]
        con.execute("INSERT INTO submissions SELECT * REPLACE (id + 100 AS id) FROM submissions WHERE id = ?", [first])
    done = run("scoring", "summary", "--db", str(known_db), "--period", "2026-06", "--json")
    assert done.returncode == 0, done.stderr
    with connection(known_db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("8",)
        current = con.execute(
            "SELECT id FROM submissions WHERE locality_id = 'tan_an' AND period = '2026-06' AND is_current"
        ).fetchall()
        assert current == [(first + 100,)]
        assert con.execute(
            "SELECT submission_id FROM current_keys WHERE locality_id = 'tan_an' AND period = '2026-06'"
        ).fetchall() == [(first + 100,)]
        assert con.execute("SELECT count(*) FROM users").fetchone() == (0,)


def test_a_schema_6_journal_is_chained_on_start(known_db):
    """Schema 6 → 7: the journal's entries (written before the chain) are chained as they are, and
    sign-in failures counted per name only are dropped for the per-(name, address) counts."""
    with writing(known_db) as con:
        for n in range(3):
            audit.record(con, dt.datetime(2026, 7, 1, 8, n), "lan", audit.LOGIN_OK, "Đăng nhập", address="10.0.0.9")
        con.execute("ALTER TABLE audit_log DROP COLUMN row_hash")
        con.execute("DROP TABLE login_throttle")
        con.execute(
            "CREATE TABLE login_failures (username VARCHAR PRIMARY KEY, failures INTEGER NOT NULL, "
            "last_failed_at TIMESTAMP NOT NULL)"
        )
        con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
        con.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_sha256'")
    done = run("store", "--db", str(known_db), "audit", "--verify")
    assert done.returncode == 0, done.stderr
    with connection(known_db) as con:
        assert con.execute("SELECT count(*) FROM audit_log WHERE row_hash IS NULL").fetchone() == (0,)
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "login_throttle" in tables and "login_failures" not in tables


def test_a_page_never_shows_a_server_path(known_db, monkeypatch):
    at = open_page("views/overview.py")
    monkeypatch.setattr(store_db, "LOCK_WAIT_SECONDS", 0.3)
    with holding(DUCKDB_OPEN, known_db):
        at.run()
    shown = [e.value for e in at.error]
    assert shown and all("đang bị một chương trình khác giữ" in text for text in shown), shown
    assert all(str(known_db.parent) not in text and "/tmp" not in text for text in shown)
    assert not at.exception


def test_prepare_reports_a_read_only_store_that_needs_migrating(small_disk, known_db):
    db = small_disk / "dmst.duckdb"
    shutil.copyfile(known_db, db)
    with connection(db) as con:
        con.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_sha256'")
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)]).returncode == 0
    done = run("scoring", "summary", "--db", str(db))
    assert done.returncode == 1
    assert f"Không cập nhật được cơ sở dữ liệu {db}: {READ_ONLY}" in done.stderr, done.stderr
