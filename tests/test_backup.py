"""Backups: a consistent copy (also while another process keeps writing), a checked restore that refuses
a database in use, a damaged file brought back to the same ``summary --json``, and the daily copy."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from holders import APP_PRESENCE, DUCKDB_OPEN, holding
from page_fixtures import ensure_account, sheet

from plans.periods import Period
from store import backup as store_backup
from store.__main__ import main
from store.accounts import add_user
from store.backup import check_copy, daily_backup
from store.db import connection, writing
from store.errors import StoreLockedError

ROOT = Path(__file__).resolve().parent.parent


def summary_json(db: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "summary", "--db", str(db), "--period", "2026-06", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def with_admin(db: Path) -> Path:
    """A store someone can use once restored: it has an enabled admin."""
    with writing(db) as con:
        add_user(con, "thanhpho", "mật khẩu quản trị 2026", "admin", None, dt.datetime(2026, 6, 1))
    return db


@pytest.mark.slow  # command lines in their own processes
def test_backup_damage_restore_gives_the_same_summary(known_db, tmp_path, capsys):
    with_admin(known_db)
    before = summary_json(known_db)
    copy = tmp_path / "sao-luu" / "dmst-2026-07-01.duckdb"
    assert main(["--db", str(known_db), "backup", "--out", str(copy)]) == 0
    assert f"Đã sao lưu {known_db} vào {copy}: 4 phiếu" in capsys.readouterr().out
    size = known_db.stat().st_size
    with open(known_db, "r+b") as handle:  # damage: overwrite the middle of the file
        handle.seek(size // 3)
        handle.write(b"\xff" * (size // 3))
    damaged = subprocess.run(
        [sys.executable, "-m", "scoring", "summary", "--db", str(known_db), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert damaged.returncode == 1 and "Traceback" not in damaged.stderr, damaged.stderr
    assert "python -m store restore" in damaged.stderr
    assert main(["--db", str(known_db), "restore", str(copy)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Đã phục hồi {known_db} từ {copy}: 4 phiếu; tệp cũ giữ tại {known_db}.before-restore-")
    assert summary_json(known_db) == before
    with connection(known_db) as con:
        assert con.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone() == ("restored",)


def test_restore_checks_the_copy_first(known_db, tmp_path, capsys):
    bad = tmp_path / "hong.duckdb"
    bad.write_bytes(b"not a database at all" * 100)
    assert main(["--db", str(known_db), "restore", str(bad)]) == 1
    assert "không phải cơ sở dữ liệu đọc được" in capsys.readouterr().err
    other = tmp_path / "khac.duckdb"
    with connection(other) as con:
        con.execute("CREATE TABLE t (x INTEGER)")
    assert main(["--db", str(known_db), "restore", str(other)]) == 1
    assert "không phải cơ sở dữ liệu của phần mềm này" in capsys.readouterr().err
    assert main(["--db", str(known_db), "restore", str(tmp_path / "khong-co.duckdb")]) == 1
    assert len(summary_json(known_db)["localities"]) == 5


def foreign_copies(known_db: Path, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Copies a restore must refuse, each with the reason it gives."""
    half = tmp_path / "nua.duckdb"
    with connection(half) as con:
        con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("INSERT INTO meta VALUES ('schema_version', '7')")
        con.execute("CREATE TABLE submissions (id BIGINT)")
    copies = {"only meta and submissions": (half, "thiếu bảng submission_values")}
    for name, change, reason in (
        ("no admin", "DELETE FROM users", "không có tài khoản quản trị nào đang dùng"),
        ("admin disabled", "UPDATE users SET disabled = TRUE", "không có tài khoản quản trị nào đang dùng"),
        ("newer schema", "UPDATE meta SET value = '99' WHERE key = 'schema_version'", "phiên bản cơ sở dữ liệu '99'"),
        (
            "journal changed",
            "DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)",
            "nhật ký đã bị thay đổi ngoài phần mềm",
        ),
    ):
        copy = tmp_path / f"{name.replace(' ', '_')}.duckdb"
        store_backup.backup(known_db, copy)
        with connection(copy) as con:
            con.execute(change)
        copies[name] = (copy, reason)
    return copies


def test_restore_refuses_a_copy_that_is_not_ours_and_changes_nothing(known_db, tmp_path, capsys):
    with_admin(known_db)
    before = summary_json(known_db)
    with connection(known_db) as con:
        audit_rows = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    for name, (copy, reason) in foreign_copies(known_db, tmp_path).items():
        assert main(["--db", str(known_db), "restore", str(copy)]) == 1, name
        assert reason in capsys.readouterr().err, name
    assert summary_json(known_db) == before
    assert not list(known_db.parent.glob("*.before-restore-*"))
    with connection(known_db) as con:
        assert con.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone() == (1,)
        assert (
            con.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_rows + 4
        )  # the 4 copies made, journaled


def test_restore_refuses_a_database_in_use(known_db, tmp_path, capsys):
    with_admin(known_db)
    copy = tmp_path / "copy.duckdb"
    store_backup.backup(known_db, copy)
    with holding(DUCKDB_OPEN, known_db):
        assert main(["--db", str(known_db), "restore", str(copy)]) == 3
        assert "đang được dùng" in capsys.readouterr().err
    with holding(APP_PRESENCE, known_db):
        assert main(["--db", str(known_db), "restore", str(copy)]) == 3
        assert "Hãy dừng ứng dụng (scripts/run.sh) rồi phục hồi lại." in capsys.readouterr().err
    assert main(["--db", str(known_db), "restore", str(copy)]) == 0


@pytest.mark.slow  # a loader in its own process
def test_a_backup_while_another_process_writes_is_consistent(known_db, tmp_path, catalog):
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    paths = []
    for month in range(1, 11):
        path = sheets / f"ke_sat_{month}.xlsx"
        path.write_bytes(sheet(catalog, "ke_sat", "all", Period(2026, month), {"dvc_full_online_share": month}))
        paths.append(str(path))
    admin = ensure_account(path=known_db)
    writer = subprocess.Popen(
        [sys.executable, "-m", "loaders", "ingest", "--db", str(known_db), "--user", admin, *paths],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    copies = []
    while writer.poll() is None and len(copies) < 5:
        copies.append(tmp_path / f"b{len(copies)}.duckdb")
        store_backup.backup(known_db, copies[-1])
    writer.communicate(timeout=300)
    for copy in copies:
        counts = check_copy(copy)
        assert counts["submissions"] == counts["current_keys"] == counts["upload_files"]
        with connection(copy) as con:
            assert con.execute(
                "SELECT count(*) FROM submissions s WHERE n_values <> (SELECT count(*) FROM "
                "submission_values v WHERE v.submission_id = s.id)"
            ).fetchone() == (0,)


def test_daily_backup_keeps_the_newest_copies(known_db, tmp_path, monkeypatch):
    monkeypatch.setenv("DMST_BACKUP_KEEP", "14")
    folder = tmp_path / "daily"
    start = dt.datetime(2026, 7, 1, 8)
    made = [daily_backup(known_db, start + dt.timedelta(hours=h), folder, keep=3) for h in range(0, 24 * 5, 12)]
    assert [p.name if p else None for p in made] == [
        "dmst-20260701-080000.duckdb",
        None,
        "dmst-20260702-080000.duckdb",
        None,
        "dmst-20260703-080000.duckdb",
        None,
        "dmst-20260704-080000.duckdb",
        None,
        "dmst-20260705-080000.duckdb",
        None,
    ]
    assert sorted(p.name for p in folder.iterdir()) == [
        "dmst-20260703-080000.duckdb",
        "dmst-20260704-080000.duckdb",
        "dmst-20260705-080000.duckdb",
    ]
    assert check_copy(folder / "dmst-20260705-080000.duckdb")["submissions"] == 4
    monkeypatch.setenv("DMST_BACKUP_KEEP", "0")
    assert daily_backup(known_db, start + dt.timedelta(days=30), folder) is None


def test_the_app_makes_the_daily_backup_off_the_page_and_marks_the_database_in_use(known_db, tmp_path, monkeypatch):
    """The copy is made by a thread of the app: the page is drawn while the backup is still held back."""
    from page_fixtures import open_page

    monkeypatch.setenv("DMST_BACKUP_DIR", str(tmp_path / "auto"))
    monkeypatch.setenv("DMST_BACKUP_KEEP", "14")
    (tmp_path / "auto").mkdir()
    (tmp_path / "auto" / "dmst-20260101-020000.duckdb.partial").write_bytes(b"left by a killed backup")
    release, started = threading.Event(), threading.Event()
    real_backup = store_backup.backup

    def held_back(*args, **kwargs):
        started.set()
        assert release.wait(120)
        return real_backup(*args, **kwargs)

    monkeypatch.setattr(store_backup, "backup", held_back)
    import streamlit as st

    st.cache_resource.clear()
    at = open_page("views/overview.py")
    assert started.wait(60) and not list((tmp_path / "auto").glob("dmst-*.duckdb"))
    assert not at.exception and at.title and at.title[0].value == "Tổng quan"
    release.set()
    for _ in range(600):
        made = list((tmp_path / "auto").glob("dmst-*.duckdb"))
        if made:
            break
        time.sleep(0.1)
    assert len(made) == 1 and check_copy(made[0])["submissions"] == 4
    assert not list((tmp_path / "auto").glob("*.partial"))
    with connection(known_db) as con:
        assert con.execute("SELECT action, address FROM audit_log ORDER BY id DESC LIMIT 1").fetchone() == (
            "backed_up",
            "máy chủ (sao lưu hằng ngày)",
        )
    assert store_backup.in_use_by_app(known_db)
    with pytest.raises(StoreLockedError, match="đang được dùng"):
        store_backup.restore(made[0], known_db, dt.datetime(2026, 7, 1))
