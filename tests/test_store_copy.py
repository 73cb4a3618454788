"""``python -m store copy``: a DuckDB store with sheets, accounts, a closed month and its journal copied
to a real PostgreSQL database and back to a new file. ``python -m scoring summary --json`` prints the
same on all three, every table holds the same rows, the journal's chain is whole, new ids continue
after the copied ones, the PostgreSQL copy's tables are vacuumed and analyzed, and a target that already
holds data is refused with nothing written."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from page_fixtures import sheet

from loaders.ingest import ingest_files
from plans.periods import Period
from store import audit, closing
from store.accounts import Account, add_user
from store.db import Target, connection, writing_transaction
from store.transfer import data_tables

pytestmark = [pytest.mark.slow, pytest.mark.postgres]  # many command-line processes
ROOT = Path(__file__).resolve().parent.parent
T0 = dt.datetime(2026, 7, 2, 9, 0)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DMST_WRITE_WAIT": "30"},
    )


def summary(db: Target) -> dict:
    done = run("-m", "scoring", "summary", "--db", str(db), "--period", "2026-06", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def rows(db: Target) -> dict[str, list[tuple]]:
    """Every row of every copied table but the journal, sorted."""
    with connection(db) as con:
        return {
            table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in data_tables(con)
            if table != "audit_log"
        }


def journal(db: Target) -> list[tuple]:
    with connection(db) as con:
        return con.execute("SELECT id, at_time, actor, action, summary, row_hash FROM audit_log ORDER BY id").fetchall()


def test_a_store_copied_to_postgresql_and_back_holds_and_scores_the_same(known_store, make_store, catalog, tmp_path):
    source = tmp_path / "dmst.duckdb"
    shutil.copyfile(known_store, source)
    with writing_transaction(source) as con:
        add_user(con, "lan", "mật khẩu văn hóa 2026", "office", "tan_an", T0)
        closing.close_month(con, Account("lan", "office", "tan_an"), "tan_an", "2026-03", T0, "đã báo cáo")
    expected, expected_rows, expected_journal = summary(source), rows(source), journal(source)
    assert expected_rows["submissions"] and expected_rows["users"] and expected_rows["period_locks"]

    pg = make_store("postgres", "copy")
    done = run("-m", "store", "copy", "--from", str(source), "--to", pg)
    assert done.returncode == 0, done.stderr
    assert f"{len(expected_rows['submissions'])} phiếu, 1 tài khoản" in done.stdout
    with connection(pg) as con:  # analyzed by the copy itself, not left to autovacuum (last_autoanalyze)
        settled = con.execute(
            "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('submissions', 'task_updates', 'localities') "
            "AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
        ).fetchone()[0]
    assert settled == 3
    assert summary(pg) == expected
    assert rows(pg) == expected_rows
    copied = journal(pg)
    assert copied[:-1] == expected_journal and copied[-1][3] == audit.COPIED
    sheets = len(expected_rows["submissions"])
    assert copied[-1][4] == f"Chép toàn bộ dữ liệu từ tệp DuckDB dmst.duckdb ({sheets} phiếu)"
    assert run("-m", "store", "--db", pg, "audit", "--verify").returncode == 0

    again = run("-m", "store", "copy", "--from", str(source), "--to", pg)
    assert again.returncode == 1 and "đã có dữ liệu" in again.stderr and "Chưa ghi gì" in again.stderr
    assert journal(pg) == copied

    back = tmp_path / "back" / "dmst.duckdb"
    assert run("-m", "store", "copy", "--from", pg, "--to", str(back)).returncode == 0
    assert summary(back) == expected
    assert rows(back) == expected_rows
    assert journal(back)[:-1] == copied
    assert run("-m", "store", "--db", str(back), "audit", "--verify").returncode == 0

    top = max(row[0] for row in expected_rows["submissions"])
    new = sheet(catalog, "tan_an", "vhxh", Period(2026, 7), {"public_wifi_coverage": 50})
    [result] = ingest_files(back, [("ks.xlsx", new, T0)], catalog=catalog, today=T0.date())
    assert result.accepted and result.submission_id == top + 1


def test_copy_refuses_a_missing_source_and_a_store_onto_itself(tmp_path, make_store):
    missing = run("-m", "store", "copy", "--from", str(tmp_path / "none.duckdb"), "--to", str(tmp_path / "x.duckdb"))
    assert missing.returncode == 1 and "Không có cơ sở dữ liệu nguồn" in missing.stderr
    pg = make_store("postgres", "self")
    itself = run("-m", "store", "copy", "--from", pg, "--to", pg)
    assert itself.returncode == 1 and "cùng một cơ sở dữ liệu" in itself.stderr
    assert not (tmp_path / "x.duckdb").exists()
