"""The rules the store's tables keep (store/schema.sql): for each, a row breaking it is refused by the
database itself, written with plain SQL through the store's connection, and a row keeping it is
accepted; and a store of schema 7 is given them on start (store/schema_rules.py), keeping every row,
id and the audit trail's chain, or refused whole when one of its rows breaks a rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb
import psycopg
import pytest
from schema_7 import RULES_OF_8, make_schema_7
from sheet_factory import filled, ingest_file

from plans.catalog import load_catalog
from plans.model import Catalog
from plans.vocabulary import TASK_SHEET_STATUSES
from store import audit, sessions
from store.__main__ import main as store_main
from store.accounts import ROLES, Account
from store.backend import Connection, is_postgres
from store.closing import close_month
from store.db import SCHEMA_FILE, SCHEMA_VERSION, connection, prepare
from store.errors import StoreError

pytestmark = pytest.mark.both_backends
REFUSED = (duckdb.ConstraintException, psycopg.IntegrityError)
NOW = "TIMESTAMP '2026-05-04 09:00:00'"
SUB = (
    "INSERT INTO submissions (id, locality_id, unit_code, period, file_sha256, uploaded_at, is_current, replaces, "
    f"n_blank) VALUES (9, 'tan_an', 'vhxh', {{period}}, 'abc', {NOW}, TRUE, {{replaces}}, {{blank}})"
)
VALUE = "INSERT INTO submission_values (submission_id, measure, value, numerator, denominator) VALUES ({key}, {value})"
TASK = "INSERT INTO task_updates (submission_id, task_code, status, percent) VALUES ({key}, {line})"
MONTH = "INSERT INTO measure_months VALUES ('tan_an', {key}, {period}, 'latest', 1)"
USER = (
    "INSERT INTO users (username, password_hash, role, locality_id, created_at, password_changed_at) "
    f"VALUES ('u', 'h', {{account}}, {NOW}, {NOW})"
)
SESSION = f"INSERT INTO sessions VALUES ('t', 'u', {NOW}, {NOW}, NULL, NULL, {{end}})"
LOCK = (
    "INSERT INTO period_locks (locality_id, period, closed, by_user, at_time, reason) "
    f"VALUES ('tan_an', {{lock}}, 'a', {NOW}, {{reason}})"
)
AUDIT = f"INSERT INTO audit_log (id, at_time, action, period, summary) VALUES (1, {NOW}, {{action}}, {{period}}, 's')"

# rule: (statements written first, the statement with a good row, the statement with a row breaking the rule)
CASES: dict[str, tuple[Sequence[str], str, Sequence[str]]] = {
    "upload_files_size": (
        (),
        f"INSERT INTO upload_files VALUES ('a', 'f.xlsx', 0, {NOW})",
        (f"INSERT INTO upload_files VALUES ('a', 'f.xlsx', -1, {NOW})",),
    ),
    "submissions_period": (
        (),
        SUB.format(period="'2026-12'", replaces="NULL", blank=0),
        [
            SUB.format(period=p, replaces="NULL", blank=0)
            for p in ("'2026-13'", "'2026-00'", "'2026-1'", "'26-01'", "'2026-01 '")
        ],
    ),
    "submissions_replaces_earlier": (
        (),
        SUB.format(period="'2026-04'", replaces=8, blank=0),
        (SUB.format(period="'2026-04'", replaces=9, blank=0), SUB.format(period="'2026-04'", replaces=10, blank=0)),
    ),
    "submissions_counts": (
        (),
        SUB.format(period="'2026-04'", replaces="NULL", blank=0),
        (SUB.format(period="'2026-04'", replaces="NULL", blank=-1),),
    ),
    "submission_values_key": (
        (VALUE.format(key="1, 'm'", value="1, NULL, NULL"),),
        VALUE.format(key="1, 'n'", value="1, NULL, NULL"),
        (VALUE.format(key="1, 'm'", value="2, NULL, NULL"),),
    ),
    "submission_values_not_negative": (
        (),
        VALUE.format(key="1, 'm'", value="0, NULL, NULL"),
        (VALUE.format(key="1, 'm'", value="-1, NULL, NULL"),),
    ),
    "submission_values_ratio": (
        (),
        VALUE.format(key="1, 'm'", value="50, 1, 2"),
        [
            VALUE.format(key="1, 'm'", value=v)
            for v in ("50, 1, NULL", "50, NULL, 2", "0, 0, 0", "100, 3, 2", "0, -1, 2")
        ],
    ),
    "task_updates_key": (
        (TASK.format(key="1, 'T-1'", line="'done', 100"),),
        TASK.format(key="1, 'T-2'", line="'done', 100"),
        (TASK.format(key="1, 'T-1'", line="'in_progress', 50"),),
    ),
    "task_updates_status": (
        (),
        TASK.format(key="1, 'T-1'", line="'in_progress', NULL"),
        [TASK.format(key="1, 'T-1'", line=f"{s}, NULL") for s in ("'Hoàn thành'", "'overdue'", "NULL")],
    ),
    "task_updates_percent": (
        (),
        TASK.format(key="1, 'T-1'", line="'in_progress', 0"),
        [
            TASK.format(key="1, 'T-1'", line=v)
            for v in ("'in_progress', 101", "'in_progress', -1", "'done', 80", "'not_started', 10")
        ],
    ),
    "measure_months_key": (
        (MONTH.format(key="'m'", period="'2026-04', '2026'"),),
        MONTH.format(key="'n'", period="'2026-04', '2026'"),
        (MONTH.format(key="'m'", period="'2026-04', '2026'"),),
    ),
    "measure_months_period": (
        (),
        MONTH.format(key="'m'", period="'2026-04', '2026'"),
        (MONTH.format(key="'m'", period="'2026-13', '2026'"), MONTH.format(key="'m'", period="'2026-04', '2025'")),
    ),
    "latest_values_key": (
        ("INSERT INTO latest_values (locality_id, measure) VALUES ('tan_an', 'm')",),
        "INSERT INTO latest_values (locality_id, measure) VALUES ('tan_an', 'n')",
        ("INSERT INTO latest_values (locality_id, measure) VALUES ('tan_an', 'm')",),
    ),
    "latest_tasks_key": (
        ("INSERT INTO latest_tasks (locality_id, task_code) VALUES ('tan_an', 'T-1')",),
        "INSERT INTO latest_tasks (locality_id, task_code) VALUES ('hung_dao', 'T-1')",
        ("INSERT INTO latest_tasks (locality_id, task_code) VALUES ('tan_an', 'T-1')",),
    ),
    "measure_month_versions_key": (
        ("INSERT INTO measure_month_versions VALUES ('tan_an', 1, '2026-04')",),
        "INSERT INTO measure_month_versions VALUES ('hung_dao', 1, NULL)",
        ("INSERT INTO measure_month_versions VALUES ('tan_an', 2, '2026-05')",),
    ),
    "measure_month_versions_through": (
        (),
        "INSERT INTO measure_month_versions VALUES ('tan_an', 1, '2026-10')",
        ("INSERT INTO measure_month_versions VALUES ('tan_an', 1, '2026-4')",),
    ),
    "users_admin_everywhere": ((), USER.format(account="'admin', NULL"), (USER.format(account="'admin', 'tan_an'"),)),
    "sessions_end_reason": (
        (),
        SESSION.format(end=f"{NOW}, 'het_han'"),
        [SESSION.format(end=e) for e in (f"{NOW}, 'bi_da'", f"{NOW}, NULL", "NULL, 'dang_xuat'")],
    ),
    "login_throttle_failures": (
        (),
        f"INSERT INTO login_throttle VALUES ('k', 1, {NOW})",
        (f"INSERT INTO login_throttle VALUES ('k', 0, {NOW})",),
    ),
    "period_locks_period": (
        (),
        LOCK.format(lock="'2026-04', TRUE", reason="NULL"),
        (LOCK.format(lock="'2026-4', TRUE", reason="NULL"),),
    ),
    "period_locks_reopen_reason": (
        (),
        LOCK.format(lock="'2026-04', FALSE", reason="'sửa số liệu'"),
        (LOCK.format(lock="'2026-04', FALSE", reason="NULL"), LOCK.format(lock="'2026-04', FALSE", reason="'  '")),
    ),
    "audit_log_action": (
        (),
        AUDIT.format(action="'closed'", period="'2026-04'"),
        (AUDIT.format(action="'deleted'", period="'2026-04'"),),
    ),
    "audit_log_period": (
        (),
        AUDIT.format(action="'closed'", period="NULL"),
        (AUDIT.format(action="'closed'", period="'2026-13'"),),
    ),
}


def _refusal(con: Connection, sql: str) -> str:
    """The database's refusal of one statement (the test fails when it is accepted)."""
    with pytest.raises(REFUSED) as refused:
        con.execute(sql)
    if is_postgres(con):
        return refused.value.diag.constraint_name or ""
    return str(refused.value)


def test_every_rule_of_schema_8_has_a_case() -> None:
    assert sorted(CASES) == sorted(RULES_OF_8)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_the_database_refuses_a_row_breaking_the_rule(db: Path | str, rule: str) -> None:
    before, good, bad_rows = CASES[rule]
    table = good.split()[2]
    with connection(db) as con:
        for sql in before:
            con.execute(sql)
    for bad in bad_rows:
        with connection(db) as con:
            refusal = _refusal(con, bad)
            # PostgreSQL names the constraint; DuckDB the table and the expression, or the key
            assert refusal == rule if is_postgres(con) else table in refusal or "Duplicate key" in refusal, refusal
    with connection(db) as con:
        con.execute(good)
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(before) + 1


def test_the_codes_the_software_writes_are_the_codes_the_rules_allow(db: Path | str) -> None:
    """Every task status of a sheet, journal kind, end of a session and role is accepted, so a code added
    to the software and not to store/schema.sql fails here."""
    with connection(db) as con:
        for i, status in enumerate(TASK_SHEET_STATUSES):
            percent = {"done": 100, "not_started": 0}.get(status, 50)
            con.execute("INSERT INTO task_updates VALUES (1, ?, ?, ?, NULL, 1)", [f"T-{i}", str(status), percent])
        for i, action in enumerate(audit.ACTION_LABELS, start=1):
            con.execute(f"INSERT INTO audit_log (id, at_time, action, summary) VALUES (?, {NOW}, ?, 's')", [i, action])
        for reason in (sessions.SIGNED_OUT, sessions.EXPIRED, sessions.IDLE, sessions.ACCOUNT_CHANGED):
            con.execute(f"INSERT INTO sessions VALUES (?, 'u', {NOW}, {NOW}, NULL, NULL, {NOW}, ?)", [reason, reason])
        for role in ROLES:
            locality = "tan_an" if role == "office" else None
            con.execute(f"INSERT INTO users VALUES (?, 'h', ?, ?, FALSE, {NOW}, {NOW}, FALSE)", [role, role, locality])
        counts = [
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("task_updates", "audit_log", "sessions", "users")
        ]
    assert counts == [3, 20, 4, 3]


# ---------- a store of schema 7 ----------

TABLES = [
    statement.split()[5]
    for statement in SCHEMA_FILE.read_text(encoding="utf-8").split(";")
    if "CREATE TABLE IF NOT EXISTS" in statement
    for statement in [statement[statement.index("CREATE TABLE") :]]
]


def _contents(db: Path | str) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    with connection(db) as con:
        return {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in TABLES}


def _uploads(db: Path | str, catalog: Catalog) -> None:
    """Real sheets (one replaced), a closed and reopened month, sessions and journal entries."""
    tasks = {"TA-VII.2-a": {"Tình trạng": "Đang thực hiện", "Tỷ lệ hoàn thành (%)": 40}}
    for unit, period, value in (("vhxh", "2026-03", 40), ("vhxh", "2026-04", "55,5"), ("vhxh", "2026-04", 60)):
        data = filled(catalog, "tan_an", unit, period, {"public_wifi_coverage": value}, tasks=tasks)
        result = ingest_file(db, f"{unit}_{period}_{value}.xlsx", data, catalog=catalog, today=dt.date(2026, 5, 20))
        assert result.accepted, result.problems
    admin = Account("quan_tri", "admin", None)
    now = dt.datetime(2026, 5, 21, 8)
    with connection(db) as con:
        close_month(con, admin, "tan_an", "2026-03", now, "đủ phiếu")
        token = sessions.open_session(con, "quan_tri", now, "10.0.0.1", "Firefox")
        sessions.end_session(con, sessions.token_hash(token), now, sessions.SIGNED_OUT)


def _old_store(db: Path | str, catalog: Catalog) -> dict[str, list[tuple]]:
    _uploads(db, catalog)
    make_schema_7(db)
    with connection(db) as con:  # the old store has no rules: a row breaking one is taken
        con.begin()
        con.execute("INSERT INTO task_updates VALUES (1, 'T', 'xong', 120, NULL, 1), (1, 'T', 'xong', 120, NULL, 1)")
        con.rollback()
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("7",)
    return _contents(db)


def test_a_schema_7_store_gets_the_rules_keeping_every_row_id_and_the_journal_chain(
    db: Path | str, catalog: Catalog, capsys: pytest.CaptureFixture
) -> None:
    before = _old_store(db, catalog)
    assert len(before["submissions"]) == 3 and len(before["submission_values"]) == 3 and before["audit_log"]
    prepare(db, catalog)
    after = _contents(db)
    assert after.pop("meta") != before.pop("meta")  # the version, and nothing else
    assert after == before
    with connection(db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (SCHEMA_VERSION,)
        assert audit.verify(con) is None
        _refusal(con, "INSERT INTO task_updates VALUES (1, 'T', 'xong', 120, NULL, 1)")
    assert store_main(["--db", str(db), "audit", "--verify"]) == 0
    data = filled(catalog, "tan_an", "vhxh", "2026-05", {"public_wifi_coverage": 70})
    assert ingest_file(db, "vhxh_2026-05.xlsx", data, catalog=catalog, today=dt.date(2026, 6, 2)).accepted
    with connection(db) as con:  # the numbering goes on where it stood
        newest = con.execute("SELECT max(id) FROM submissions").fetchone()[0]
        assert audit.verify(con) is None
    assert newest == max(row[0] for row in before["submissions"]) + 1
    assert prepare(db, catalog) == db  # done once: the next start changes nothing
    capsys.readouterr()


def test_a_row_breaking_a_rule_stops_the_migration_and_nothing_changes(db: Path | str, catalog: Catalog) -> None:
    _old_store(db, catalog)
    with connection(db) as con:
        sub = con.execute("SELECT min(id) FROM submissions").fetchone()[0]
        con.execute("INSERT INTO task_updates VALUES (?, 'TA-I.1-a', 'xong', 100, NULL, 30)", [sub])
    before = _contents(db)
    with pytest.raises(StoreError) as refused:
        prepare(db, catalog)
    message = str(refused.value)
    assert "phiên bản 8" in message and "bảng task_updates" in message and "Chưa thay đổi gì" in message
    assert "status='xong'" in message and f"submission_id={sub}" in message and "task_code='TA-I.1-a'" in message
    assert _contents(db) == before
    with connection(db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("7",)
        con.execute(
            "INSERT INTO submission_values VALUES (?, 'x', -5, NULL, NULL, NULL, NULL, 1)", [sub]
        )  # no rules yet
        con.execute("DELETE FROM submission_values WHERE measure = 'x'")
        con.execute("UPDATE task_updates SET status = 'done' WHERE status = 'xong'")  # the office fixes its row
    prepare(db, catalog)
    with connection(db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("8",)


def test_two_rows_with_one_key_stop_the_migration_naming_the_key(db: Path | str, catalog: Catalog) -> None:
    _old_store(db, catalog)
    with connection(db) as con:
        sub, measure = con.execute("SELECT submission_id, measure FROM submission_values LIMIT 1").fetchone()
        con.execute("INSERT INTO submission_values (submission_id, measure, value) VALUES (?, ?, 1)", [sub, measure])
    with pytest.raises(StoreError) as refused:
        prepare(db, load_catalog())
    assert "bảng submission_values" in str(refused.value)
    assert f"submission_id={sub}, measure='{measure}' (có 2 dòng)" in str(refused.value)
