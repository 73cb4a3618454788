"""What only a PostgreSQL store does: no file anywhere for it (no lock, no queue, no journal waiting
beside it, no daily copy), its writers' turn an advisory lock of the server, its rules said by the
database itself (a second current sheet of a key refused whoever writes), and backups left to
PostgreSQL's own tools. A real server (tests/conftest.py: ``pg_server``)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from sheet_factory import filled, ingest_file

from store import audit, backup, locks, sign_in
from store.accounts import add_user
from store.db import connection, version, writing, writing_transaction

ROOT = Path(__file__).resolve().parent.parent
T0 = dt.datetime(2026, 7, 1, 8, 0)

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def backend() -> str:
    return "postgres"


def test_a_postgresql_store_makes_no_file_anywhere(db, catalog, tmp_path, monkeypatch):
    """Signing in and out, an upload, a write turn, the daily backup: nothing is made in the working
    folder (where a misread address would put ``postgresql:/…/<db>.lock``) nor under the repository
    (tests/conftest.py checks that for the whole run)."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("DMST_BACKUP_KEEP", "3")
    with writing_transaction(db) as con:
        add_user(con, "lan", "mật khẩu văn hóa 2026", "office", "tan_an", T0)
    before = version(db)
    account = sign_in.sign_in(db, "lan", "mật khẩu văn hóa 2026", T0, "10.0.0.9")
    with pytest.raises(sign_in.LoginError):
        sign_in.sign_in(db, "lan", "sai mật khẩu", T0, "10.0.0.9")
    sign_in.sign_out(db, "lan", T0, "10.0.0.9")
    result = ingest_file(
        db,
        "phieu.xlsx",
        filled(catalog, "tan_an", "vhxh", "2026-03", {"public_wifi_coverage": 60}),
        user=account,
        catalog=catalog,
    )
    assert result.accepted, [str(p) for p in result.problems]
    assert backup.daily_backup(db, T0) is None
    audit.keep_pending(db, audit.NewEntry(T0, "lan", audit.LOGOUT, "Đăng xuất"))  # to the server's log
    assert version(db) != before
    with connection(db) as con:
        actions = [row[0] for row in con.execute("SELECT action FROM audit_log ORDER BY id").fetchall()]
    assert actions[-4:] == [audit.LOGIN_OK, audit.LOGIN_FAILED, audit.LOGOUT, audit.SUBMITTED]
    assert list(work.iterdir()) == []
    with pytest.raises(ValueError, match="PostgreSQL address"), locks.writer_lock(db):
        pass
    assert list(work.iterdir()) == []


def test_a_second_current_sheet_of_a_key_is_refused_by_the_database(db, catalog):
    """Written past the software (a SQL tool), a second current submission of a key (the village in
    other letter case) is refused by the unique index; a replaced one may stay beside it."""
    assert ingest_file(
        db,
        "a.xlsx",
        filled(catalog, "nam_thanh_mien", "thon", "2026-03", {"village_innovation_team_share": "Có"}, village="Thôn 1"),
        catalog=catalog,
    ).accepted
    copy = (
        "INSERT INTO submissions (locality_id, unit_code, village, period, file_name, file_sha256, uploaded_at, "
        "is_current, is_sample, template_version, n_values, n_blank, n_tasks) SELECT locality_id, unit_code, "
        "upper(village), period, file_name, file_sha256, uploaded_at, %s, is_sample, template_version, n_values, "
        "n_blank, n_tasks FROM submissions"
    )
    with psycopg.connect(db, autocommit=True) as raw:
        with pytest.raises(psycopg.errors.UniqueViolation, match="one_current_sheet_per_key"):
            raw.execute(copy, [True])
        raw.execute(copy, [False])
        assert raw.execute("SELECT count(*), count(*) FILTER (WHERE is_current) FROM submissions").fetchone() == (2, 1)


def test_the_writers_turn_is_an_advisory_lock_of_the_server(db):
    """While one connection writes, the server shows its advisory lock; another writer waits for it and,
    with ``DMST_WRITE_WAIT`` = 1, gives up with the Vietnamese message (no file involved)."""
    with writing(db) as con:
        held = con.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted").fetchone()[0]
        out = subprocess.run(
            [sys.executable, "-c", "import sys; from store.db import writing\nwith writing(sys.argv[1]): pass", db],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "DMST_WRITE_WAIT": "1"},
            timeout=60,
        )
    assert held == 1
    assert out.returncode != 0 and "Đã đợi 1 giây mà một lần ghi khác" in out.stderr
    with connection(db) as con:
        assert con.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()[0] == 0


@pytest.mark.parametrize("command", [["backup", "--out", "copy.duckdb"], ["restore", "copy.duckdb"]])
def test_backup_and_restore_of_a_postgresql_store_point_to_its_own_tools(db, tmp_path, command):
    (tmp_path / "copy.duckdb").write_bytes(b"")
    out = subprocess.run(
        [sys.executable, "-m", "store", "--db", db, *command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 1, out.stderr
    assert "pg_dump" in out.stderr and "python -m store copy" in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.duckdb"]
