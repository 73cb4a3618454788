"""A store that cannot be written (read-only file, read-only disk) is degraded, not closed: the app
starts, people sign in and out and read every page; each writing action says why it cannot write,
in Vietnamese and without a server path; the journal entries of that time are kept and merged."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from page_fixtures import JUNE, ensure_account, open_page

from store import audit
from store.db import connection, writing
from store.errors import READ_ONLY


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture()
def read_only_file(known_db: Path) -> Iterator[Path]:
    """The database file itself read-only (a read-only bind mount of it; its folder stays writable)."""
    ensure_account("admin", path=known_db)
    if not (_mount("--bind", str(known_db), str(known_db)) and _mount("-o", "remount,ro,bind", str(known_db))):
        subprocess.run(["umount", str(known_db)], capture_output=True)
        pytest.skip("cannot bind-mount a file read-only here (not root)")
    st.cache_resource.clear()
    try:
        yield known_db
    finally:
        subprocess.run(["umount", str(known_db)], check=False)
        st.cache_resource.clear()


@pytest.fixture()
def read_only_disk(known_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The database on a disk mounted read-only (a real tmpfs, remounted ro)."""
    ensure_account("admin", path=known_db)
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)):
        pytest.skip("cannot mount a tmpfs here (not root)")
    db = disk / "dmst.duckdb"
    shutil.copyfile(known_db, db)
    monkeypatch.setenv("DMST_DB", str(db))
    monkeypatch.setenv("DMST_BACKUP_DIR", str(disk / "backups"))
    assert _mount("-o", "remount,ro", str(disk))
    st.cache_resource.clear()
    try:
        yield db
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
        st.cache_resource.clear()


def test_sign_in_and_out_on_a_read_only_file_are_journaled_when_it_can_be_written(read_only_file):
    at = open_page("views/overview.py")
    assert not at.exception and at.title[0].value == "Tổng quan"
    pending = audit.pending_file(read_only_file)
    assert '"action": "login"' in pending.read_text(encoding="utf-8")
    at.sidebar.button(key="logout").click().run()
    assert not at.exception and "Đã đăng xuất." in [i.value for i in at.info]
    assert '"action": "logout"' in pending.read_text(encoding="utf-8")
    subprocess.run(["umount", str(read_only_file)], check=True)
    with writing(read_only_file) as con:
        rows = con.execute(
            "SELECT actor, action FROM audit_log WHERE action IN ('login', 'logout') ORDER BY id DESC LIMIT 2"
        ).fetchall()
        assert audit.verify(con) is None
    assert rows == [("admin-all", "logout"), ("admin-all", "login")]
    assert not pending.exists()
    _mount("--bind", str(read_only_file), str(read_only_file))  # the fixture unmounts it again


@pytest.mark.slow  # four pages, each signed in, on a remounted disk
def test_the_app_starts_and_reads_on_a_read_only_disk_and_writes_say_why_not(read_only_disk):
    for page in ("views/overview.py", "views/groups.py", "views/reports.py", "views/journal.py"):
        at = open_page(page, "tan_an", JUNE)
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
    at.button(key="close_month").click().run()
    assert not at.error, "locking asks first"
    at.button(key="close_confirm").click().run()
    errors = [e.value for e in at.error]
    assert errors and READ_ONLY in errors[0] and str(read_only_disk.parent) not in " ".join(errors)
    at.sidebar.button(key="logout").click().run()
    assert not at.exception and "Đã đăng xuất." in [i.value for i in at.info]
    with connection(read_only_disk) as con:
        assert con.execute("SELECT count(*) FROM period_locks").fetchone() == (0,)
