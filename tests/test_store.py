"""The store on both backends: schema, idempotent catalog load, catalog changes that keep uploads;
the DuckDB file's own behaviour (its bytes untouched, its older formats migrated)."""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from schema_7 import make_schema_7
from sheet_factory import filled, ingest_file

from loaders.__main__ import main
from plans.catalog import DATA_DIR, load_catalog
from plans.model import Catalog
from store.db import (
    DEFAULT_DB,
    SCHEMA_VERSION,
    connection,
    db_path,
    ensure_schema,
    locked_message,
    prepare,
    sync_catalog,
)
from store.uploads import current_reporters, stored_file

pytestmark = pytest.mark.both_backends


def _count(path: Path, table: str) -> int:
    with connection(path) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_db_path_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DMST_DB", raising=False)
    assert db_path() == DEFAULT_DB
    assert DEFAULT_DB.parent.name == "data"
    monkeypatch.setenv("DMST_DB", str(tmp_path / "x.duckdb"))
    assert db_path() == tmp_path / "x.duckdb"
    monkeypatch.setenv("DMST_DB", "postgresql://dmst@db.haiphong.local:5432/dmst")
    assert db_path() == "postgresql://dmst@db.haiphong.local:5432/dmst"  # an address, not a folded Path


def test_first_start_creates_the_file_and_loads_the_catalog(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dmst.duckdb"
    prepare(path)
    assert path.exists()
    assert _count(path, "localities") == 5
    assert _count(path, "indicators") == 82
    assert _count(path, "tasks") == 257  # 49 Tân An + 44 Hưng Đạo + 53 Bình Giang + 23 Kè Sắt + 88 Nam Thanh Miện
    assert _count(path, "framework_items") == 23
    with connection(path) as con:
        assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("8",)
        row = con.execute("SELECT deadline, recurrence FROM tasks WHERE code='BG-PL1-06'").fetchone()
        assert str(row[0]) == "2026-06-30" and row[1] is None


def test_second_start_changes_nothing(db: Path) -> None:
    with connection(db) as con:
        assert sync_catalog(con, load_catalog()) is False
        before = con.execute("SELECT count(*), sum(target) FROM indicators").fetchone()
    prepare(db)
    with connection(db) as con:
        assert con.execute("SELECT count(*), sum(target) FROM indicators").fetchone() == before


def _fingerprint(path: Path) -> tuple[int, str, bool]:
    """Modification time, content digest, and whether a write-ahead log exists."""
    return path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest(), Path(f"{path}.wal").exists()


@pytest.mark.duckdb_only
def test_preparing_an_up_to_date_store_writes_nothing(db: Path) -> None:
    before = _fingerprint(db)
    time.sleep(0.01)
    prepare(db)
    assert _fingerprint(db) == before
    with connection(db) as con:
        assert ensure_schema(con) is False
        assert sync_catalog(con, load_catalog()) is False


@pytest.mark.duckdb_only
def test_a_dry_run_from_the_command_line_leaves_the_file_untouched(
    db: Path, catalog, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert ingest_file(
        db, "v1.xlsx", filled(catalog, "tan_an", "kt", "2026-03", {"sme_digital_share": 30}), catalog=catalog
    ).accepted
    sheet = tmp_path / "v2.xlsx"
    sheet.write_bytes(filled(catalog, "tan_an", "kt", "2026-03", {"sme_digital_share": 35}))
    before = _fingerprint(db)
    time.sleep(0.01)
    assert main(["ingest", "--db", str(db), "--dry-run", str(sheet)]) == 0
    assert "  Thay đổi chỉ tiêu sme_digital_share: 30% → 35%" in capsys.readouterr().out.splitlines()
    assert _fingerprint(db) == before


def test_a_changed_schema_file_is_applied_again(db: Path) -> None:
    with connection(db) as con:
        con.execute("UPDATE meta SET value = 'schema of an older release' WHERE key = 'schema_sha256'")
        assert ensure_schema(con) is True
        assert ensure_schema(con) is False
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("8",)


@pytest.mark.parametrize(
    "duckdb_message, holder",
    [
        (
            'IO Error: Could not set lock on file "/x/dmst.duckdb": '
            "Conflicting lock is held in /usr/bin/duckdb (PID 4321). "
            "See also https://duckdb.org/docs/current/connect/concurrency",
            " (duckdb, PID 4321)",
        ),
        ('IO Error: Could not set lock on file "/x/dmst.duckdb": Resource temporarily unavailable', ""),
    ],
)
def test_lock_message_names_the_holder_and_what_to_do(duckdb_message: str, holder: str) -> None:
    assert locked_message(Path("/x/dmst.duckdb"), duckdb_message) == (
        f"Cơ sở dữ liệu /x/dmst.duckdb đang bị một chương trình khác giữ{holder}. Nếu đó là công cụ bên ngoài "
        "(DuckDB CLI, DBeaver…), hãy đóng kết nối của công cụ đó tới tệp này; nếu đó là một lần nạp khác đang "
        "chạy, hãy đợi lần nạp đó xong rồi làm lại."
    )


def test_current_reporters_of_a_month(db: Path, catalog) -> None:
    for i, (unit, period) in enumerate((("ca", "2026-03"), ("kt", "2026-03"), ("ca", "2026-03"), ("kt", "2026-02"))):
        values = {"fraud_awareness_sessions": i} if unit == "ca" else {"sme_digital_share": 40}
        assert ingest_file(
            db, f"{unit}_{period}.xlsx", filled(catalog, "tan_an", unit, period, values), catalog=catalog
        ).accepted
    with connection(db) as con:
        assert current_reporters(con, "tan_an", "2026-03") == [("kt", ""), ("ca", "")]  # the re-sent "ca" is newest
        assert current_reporters(con, "hung_dao", "2026-03") == []


def test_changed_plan_file_updates_catalog_and_keeps_uploads(db: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    with connection(db) as con:
        con.execute(
            "INSERT INTO submissions (locality_id, unit_code, period, file_sha256, uploaded_at, is_current) "
            "VALUES ('tan_an', 'vhxh', '2026-06', 'abc', now(), TRUE)"
        )
        sub_id = con.execute("SELECT max(id) FROM submissions").fetchone()[0]
        con.execute(
            "INSERT INTO submission_values VALUES (?, 'dvc_online_usage', 61.5, NULL, NULL, NULL, NULL, 7)", [sub_id]
        )
    plan = data / "plans" / "tan_an.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            'measure: hitech_agri_models, comparator: ">=", target: 1,',
            'measure: hitech_agri_models, comparator: ">=", target: 2,',
        ),
        encoding="utf-8",
    )
    changed = load_catalog(data)
    with connection(db) as con:
        assert sync_catalog(con, changed) is True
        assert con.execute("SELECT target FROM indicators WHERE code='TA-b-01'").fetchone() == (2.0,)
        assert con.execute("SELECT value FROM current_values WHERE measure='dvc_online_usage'").fetchone() == (61.5,)
        assert con.execute("SELECT count(*) FROM submissions").fetchone() == (1,)


def test_a_store_with_originals_in_upload_files_is_migrated_on_start(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE upload_files (sha256 VARCHAR PRIMARY KEY, file_name VARCHAR, size_bytes BIGINT, "
        "content BLOB, first_uploaded_at TIMESTAMP)"
    )
    con.execute(
        "INSERT INTO upload_files VALUES ('abc', 'ca.xlsx', 3, '\\x01\\x02\\x03'::BLOB, TIMESTAMP '2026-07-03 09:00')"
    )
    con.close()
    prepare(path, catalog)
    with connection(path) as con:
        assert [r[0] for r in con.execute("DESCRIBE upload_files").fetchall()] == [
            "sha256",
            "file_name",
            "size_bytes",
            "first_uploaded_at",
        ]
        assert con.execute("SELECT file_name, size_bytes FROM upload_files").fetchall() == [("ca.xlsx", 3)]
        assert stored_file(con, "abc") == b"\x01\x02\x03"
    prepare(path, catalog)
    with connection(path) as con:
        assert con.execute("SELECT count(*) FROM upload_contents").fetchone() == (1,)


def test_a_schema_1_store_gets_task_status_codes(db: Path) -> None:
    """Schema 1 stored the labels a clerk picked ("Hoàn thành"); schema 2 stores codes ("done")."""
    make_schema_7(db)  # without the rules of schema 8, which allow only codes
    with connection(db) as con:
        con.execute(
            "INSERT INTO task_updates VALUES (1, 'TA-VII.2-a', 'Hoàn thành', 100, NULL, 11), "
            "(1, 'TA-VII.2-b', 'Đang thực hiện', 40, NULL, 12), (1, 'TA-VII.2-c', 'Chưa thực hiện', 0, NULL, 13)"
        )
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    prepare(db)
    with connection(db) as con:
        rows = con.execute("SELECT task_code, status FROM task_updates ORDER BY task_code").fetchall()
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert rows == [("TA-VII.2-a", "done"), ("TA-VII.2-b", "in_progress"), ("TA-VII.2-c", "not_started")]
    assert version == (SCHEMA_VERSION,) == ("8",)
