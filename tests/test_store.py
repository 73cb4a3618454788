"""The DuckDB store: schema, idempotent catalog load, catalog changes that keep uploads."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders.catalog import DATA_DIR, load_catalog
from store.db import DEFAULT_DB, connection, db_path, prepare, sync_catalog


def _count(path: Path, table: str) -> int:
    with connection(path) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_db_path_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DMST_DB", raising=False)
    assert db_path() == DEFAULT_DB
    assert DEFAULT_DB.parent.name == "data"
    monkeypatch.setenv("DMST_DB", str(tmp_path / "x.duckdb"))
    assert db_path() == tmp_path / "x.duckdb"


def test_first_start_creates_the_file_and_loads_the_catalog(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dmst.duckdb"
    prepare(path)
    assert path.exists()
    assert _count(path, "localities") == 5
    assert _count(path, "indicators") == 82
    assert _count(path, "tasks") == 257   # 49 Tân An + 44 Hưng Đạo + 53 Bình Giang + 23 Kè Sắt + 88 Nam Thanh Miện
    assert _count(path, "framework_items") == 23
    with connection(path) as con:
        assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
        row = con.execute("SELECT deadline, recurrence FROM tasks WHERE code='BG-PL1-06'").fetchone()
        assert str(row[0]) == "2026-06-30" and row[1] is None


def test_second_start_changes_nothing(db: Path) -> None:
    with connection(db) as con:
        assert sync_catalog(con, load_catalog()) is False
        before = con.execute("SELECT count(*), sum(target) FROM indicators").fetchone()
    prepare(db)
    with connection(db) as con:
        assert con.execute("SELECT count(*), sum(target) FROM indicators").fetchone() == before


def test_changed_plan_file_updates_catalog_and_keeps_uploads(db: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    with connection(db) as con:
        con.execute("INSERT INTO submissions (locality_id, unit_code, period, file_sha256, uploaded_at, is_current) "
                    "VALUES ('tan_an', 'vhxh', '2026-06', 'abc', now(), TRUE)")
        sub_id = con.execute("SELECT max(id) FROM submissions").fetchone()[0]
        con.execute("INSERT INTO submission_values VALUES (?, 'dvc_online_usage', 61.5, NULL, NULL, NULL, NULL, 7)", [sub_id])
    plan = data / "plans" / "tan_an.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        'measure: hitech_agri_models, comparator: ">=", target: 1,',
        'measure: hitech_agri_models, comparator: ">=", target: 2,'), encoding="utf-8")
    changed = load_catalog(data)
    with connection(db) as con:
        assert sync_catalog(con, changed) is True
        assert con.execute("SELECT target FROM indicators WHERE code='TA-b-01'").fetchone() == (2.0,)
        assert con.execute("SELECT value FROM current_values WHERE measure='dvc_online_usage'").fetchone() == (61.5,)
        assert con.execute("SELECT count(*) FROM submissions").fetchone() == (1,)
