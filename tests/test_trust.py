"""Accounts and rights, closing a month, the audit trail: through ``python -m store``, the loader and the
store API, on real DuckDB files."""

from __future__ import annotations

import datetime as dt
import io
import json
import time

import pytest
from page_fixtures import sheet
from sheet_factory import ingest_file, query

from loaders.__main__ import main as loaders_main
from plans.periods import Period
from store import audit
from store import sign_in as sign_in_module
from store.__main__ import main
from store.accounts import Account, LoginError
from store.closing import PeriodClosedError, closure, require_open
from store.db import connection, writing
from store.sign_in import sign_in
from store.throttle import wait_after

pytestmark = pytest.mark.both_backends

JUNE = Period(2026, 6)
PASSWORD = "mật-khẩu-đủ-dài"


def add(db, monkeypatch, username: str, role: str, locality: str = "all", password: str = PASSWORD) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(
        [
            "--db",
            str(db),
            "users",
            "add",
            "--username",
            username,
            "--role",
            role,
            "--locality",
            locality,
            "--password-stdin",
        ]
    )


def june_sheet(catalog, locality: str = "tan_an", unit: str = "all", value: float = 70) -> bytes:
    return sheet(catalog, locality, unit, JUNE, {"dvc_online_usage": value})


def test_users_cli_hashes_with_argon2id_and_never_prints_the_password(db, monkeypatch, capsys):
    assert add(db, monkeypatch, "lan", "office", "tan_an") == 0
    assert add(db, monkeypatch, "ha", "viewer") == 0
    assert capsys.readouterr().out == (
        "Đã tạo tài khoản lan (office, địa phương: tan_an).\nĐã tạo tài khoản ha (viewer, địa phương: tất cả).\n"
    )
    stored = query(db, "SELECT username, password_hash FROM users ORDER BY username")
    assert [u for u, _ in stored] == ["ha", "lan"]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for _, h in stored)
    assert main(["--db", str(db), "users", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"username": "ha", "role": "viewer", "locality_id": None, "disabled": False},
        {"username": "lan", "role": "office", "locality_id": "tan_an", "disabled": False},
    ]
    assert main(["--db", str(db), "audit", "--json"]) == 0
    assert PASSWORD not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "office", "all"], "Tài khoản office phải gắn với một địa phương"),
        (["x", "viewer", "ha_noi"], "Không có địa phương mã 'ha_noi'"),
        (["x", "admin", "tan_an"], "Tài khoản admin dùng cho mọi địa phương"),
    ],
)
def test_users_cli_refuses_a_bad_account(db, monkeypatch, capsys, args, message):
    assert add(db, monkeypatch, *args) == 1
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ngắn-quá", "ít nhất 10 ký tự"),
        ("12345678", "ít nhất 10 ký tự"),
        ("aaaaaaaaaa", "một ký tự lặp lại hay một dãy liên tiếp"),
        ("9876543210", "một ký tự lặp lại hay một dãy liên tiếp"),
        ("1234567890", "quá phổ biến"),
        ("lan-lan-lan-2026", "chứa tên đăng nhập"),
        ("Password123", "quá phổ biến"),
        ("AnhYeuEm123", "quá phổ biến"),
    ],
)
def test_weak_passwords_are_refused(db, monkeypatch, capsys, password, message):
    assert add(db, monkeypatch, "lan", "viewer", password=password) == 1
    assert message in capsys.readouterr().err
    assert query(db, "SELECT count(*) FROM users") == [(0,)]


def test_a_name_longer_than_64_characters_is_refused(db, monkeypatch, capsys):
    assert add(db, monkeypatch, "x" * 65, "viewer") == 1
    assert "1–64 ký tự" in capsys.readouterr().err


@pytest.mark.slow  # many command lines
def test_short_password_duplicate_name_disable_and_passwd(db, monkeypatch, capsys):
    assert add(db, monkeypatch, "lan", "viewer", password="ngắn") == 1
    assert "ít nhất 10 ký tự" in capsys.readouterr().err
    assert add(db, monkeypatch, "lan", "viewer") == 0
    assert add(db, monkeypatch, "lan", "viewer") == 1
    assert "Đã có tài khoản lan" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("mật khẩu mới 2026\n"))
    assert main(["--db", str(db), "users", "passwd", "lan", "--password-stdin"]) == 0
    now = dt.datetime(2026, 7, 1, 8)
    with pytest.raises(LoginError):
        sign_in(db, "lan", PASSWORD, now)
    assert sign_in(db, "lan", "mật khẩu mới 2026", now) == Account("lan", "viewer", None)
    assert main(["--db", str(db), "users", "disable", "lan"]) == 0
    with pytest.raises(LoginError, match="đã bị khóa"):
        sign_in(db, "lan", "mật khẩu mới 2026", now)


def test_after_five_failures_from_one_address_that_address_waits_and_no_other(db, monkeypatch):
    assert [wait_after(n) for n in (0, 4, 5, 6, 7, 20)] == [0, 0, 30, 60, 120, 3600]
    assert add(db, monkeypatch, "lan", "viewer") == 0
    start = dt.datetime(2026, 7, 1, 8)
    for attempt in range(5):
        with pytest.raises(LoginError, match="Sai tên đăng nhập hoặc mật khẩu") as err:
            sign_in(db, "lan", "sai", start + dt.timedelta(seconds=attempt), "10.0.0.9")
        assert err.value.wait == 0
    with pytest.raises(LoginError, match="Hãy đợi 27 giây") as err:
        sign_in(db, "lan", PASSWORD, start + dt.timedelta(seconds=7), "10.0.0.9")
    # The owner, from their own office, is not refused because of a stranger's failures.
    assert sign_in(db, "lan", PASSWORD, start + dt.timedelta(seconds=8), "10.0.0.20").username == "lan"
    assert sign_in(db, "lan", PASSWORD, start + dt.timedelta(seconds=35), "10.0.0.9").username == "lan"
    with connection(db) as con:
        rows = audit.entries(con)
    assert [(e.action, e.address) for e in rows[:4]] == [
        ("login", "10.0.0.9"),
        ("login", "10.0.0.20"),
        ("login_failed", "10.0.0.9"),
        ("login_failed", "10.0.0.9"),
    ]
    assert rows[2].summary == "Đăng nhập bị chặn tạm (27 giây nữa)"
    assert sum(e.action == "login_failed" for e in rows) == 6


def test_a_refused_sign_in_answers_after_a_pause_and_a_right_one_at_once(db, monkeypatch):
    """The pause paces a session sending wrong passwords (one answer a second, asleep meanwhile)."""
    assert add(db, monkeypatch, "lan", "viewer") == 0
    monkeypatch.setattr(sign_in_module, "FAILURE_PAUSE", 1.0)
    started = time.monotonic()
    with pytest.raises(LoginError):
        sign_in(db, "lan", "sai", dt.datetime(2026, 7, 1, 8), "10.0.0.9")
    assert time.monotonic() - started >= 1.0
    started = time.monotonic()
    sign_in(db, "lan", PASSWORD, dt.datetime(2026, 7, 1, 8), "10.0.0.10")
    assert time.monotonic() - started < 1.0


@pytest.mark.slow  # real pauses between sign-ins
def test_one_address_trying_many_names_waits_too(db, monkeypatch):
    assert add(db, monkeypatch, "lan", "viewer") == 0
    start = dt.datetime(2026, 7, 1, 8)
    for attempt in range(50):
        with pytest.raises(LoginError, match="Sai tên"):
            sign_in(db, f"ten-{attempt}", "sai", start, "10.0.0.66")
    with pytest.raises(LoginError, match="Hãy đợi 30 giây"):
        sign_in(db, "lan", PASSWORD, start, "10.0.0.66")
    assert sign_in(db, "lan", PASSWORD, start, "10.0.0.67").username == "lan"


def test_an_unknown_or_overlong_name_is_refused_and_counted_like_a_known_one(db):
    with pytest.raises(LoginError, match="Sai tên đăng nhập hoặc mật khẩu"):
        sign_in(db, "không-có", "x" * 10, dt.datetime(2026, 7, 1), "10.0.0.5")
    with pytest.raises(LoginError, match="Sai tên đăng nhập hoặc mật khẩu"):
        sign_in(db, "y" * 1_000_000, "x" * 10, dt.datetime(2026, 7, 1), "10.0.0.5")
    assert query(db, "SELECT failures FROM login_throttle WHERE key = 'u\x1fkhông-có\x1f10.0.0.5'") == [(1,)]
    assert query(db, "SELECT failures FROM login_throttle WHERE key = 'a\x1f10.0.0.5'") == [(2,)]
    assert query(db, "SELECT max(length(actor)) FROM audit_log") == [(64,)]


def test_rights_are_enforced_by_the_loader_and_the_store(db, catalog):
    office, viewer, admin = (
        Account("lan", "office", "tan_an"),
        Account("ha", "viewer", "tan_an"),
        Account("city", "admin", None),
    )
    other = ingest_file(db, "hd.xlsx", june_sheet(catalog, "hung_dao", "vhxh"), user=office, catalog=catalog)
    assert not other.accepted
    assert (
        other.errors[0].message == "Tài khoản lan chỉ được nạp phiếu cho Xã Tân An; phiếu này là của Phường Hưng Đạo."
    )
    looked = ingest_file(db, "ta.xlsx", june_sheet(catalog), user=viewer, catalog=catalog)
    assert "Tài khoản ha chỉ được xem, không được nạp phiếu." in looked.errors[0].message
    checked = ingest_file(db, "ta.xlsx", june_sheet(catalog), user=viewer, catalog=catalog, dry_run=True)
    assert not checked.accepted
    assert query(db, "SELECT count(*) FROM submissions") == [(0,)]
    assert ingest_file(db, "ta.xlsx", june_sheet(catalog), user=office, catalog=catalog).accepted
    assert ingest_file(db, "hd.xlsx", june_sheet(catalog, "hung_dao", "vhxh"), user=admin, catalog=catalog).accepted
    assert query(db, "SELECT uploaded_by FROM submissions ORDER BY id") == [("lan",), ("city",)]
    rejected = query(db, "SELECT actor, locality_id, summary FROM audit_log WHERE action = 'rejected' ORDER BY id")
    assert rejected == [
        ("lan", "hung_dao", "Từ chối tệp hd.xlsx: 1 lỗi"),
        ("ha", "tan_an", "Từ chối tệp ta.xlsx: 1 lỗi"),
    ]


def test_a_replacement_is_logged_with_before_and_after(db, catalog):
    office = Account("lan", "office", "tan_an")
    assert ingest_file(db, "a.xlsx", june_sheet(catalog, value=70), user=office, catalog=catalog).accepted
    assert ingest_file(db, "b.xlsx", june_sheet(catalog, value=85.5), user=office, catalog=catalog).accepted
    with connection(db) as con:
        latest, first = audit.entries(con, "tan_an")[:2]
    assert (first.action, latest.action) == ("submitted", "replaced")
    assert latest.summary == "Phiếu số 2 thay phiếu số 1: all, Tháng 06/2026" and latest.actor == "lan"
    assert {"kind": "chỉ tiêu", "code": "dvc_online_usage", "before": 70.0, "after": 85.5} in latest.detail["changes"]


def june(db, action: str, user: str, *more: str) -> int:
    """``python -m store <action>`` (lock, unlock) of Tân An's June 2026, as ``user``."""
    return main(["--db", str(db), action, "--locality", "tan_an", "--period", "2026-06", "--user", user, *more])


@pytest.mark.slow  # many command lines
def test_closing_a_month_refuses_uploads_naming_who_and_when(db, catalog, monkeypatch, tmp_path, capsys):
    assert add(db, monkeypatch, "lan", "office", "tan_an") == 0
    assert add(db, monkeypatch, "hd", "office", "hung_dao") == 0
    assert june(db, "lock", "hd") == 1
    assert "Tài khoản hd chỉ được khóa tháng cho địa phương hung_dao, không phải tan_an." in capsys.readouterr().err
    assert june(db, "lock", "lan") == 0
    capsys.readouterr()
    path = tmp_path / "ta.xlsx"
    path.write_bytes(june_sheet(catalog))
    assert loaders_main(["ingest", "--db", str(db), "--user", "lan", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Tháng 06/2026 của Xã Tân An đã được lan khóa lúc " in out and "không nhận thêm phiếu" in out
    assert query(db, "SELECT count(*) FROM submissions") == [(0,)]
    assert june(db, "unlock", "lan", "--reason", "sửa") == 1
    assert "Chỉ quản trị viên mới được mở lại" in capsys.readouterr().err
    assert add(db, monkeypatch, "city", "admin") == 0
    with pytest.raises(SystemExit) as usage:
        june(db, "unlock", "city")
    assert usage.value.code == 2
    assert june(db, "unlock", "city", "--reason", "Bổ sung phiếu của thôn") == 0
    assert loaders_main(["ingest", "--db", str(db), "--user", "lan", str(path)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "audit", "--locality", "tan_an"]) == 0
    lines = capsys.readouterr().out.splitlines()
    actions = [line.split("\t")[3].split(" [")[0] for line in lines]
    assert actions[:3] == ["Nộp phiếu", "Mở lại tháng", "Phiếu bị từ chối"]
    assert "Mở lại Tháng 06/2026: Bổ sung phiếu của thôn" in lines[1]


def test_months_close_by_themselves_after_the_configured_days(db, monkeypatch):
    monkeypatch.setenv("DMST_AUTO_CLOSE_DAYS", "10")
    with connection(db) as con:
        assert closure(con, "tan_an", "2026-06", dt.date(2026, 7, 15)) is None  # deadline 05/07 + 10 days
        closed = closure(con, "tan_an", "2026-06", dt.date(2026, 7, 16))
        assert closed is not None and closed.automatic
        with pytest.raises(PeriodClosedError, match="Tháng 06/2026 của Xã Tân An đã tự động khóa ngày 15/07/2026"):
            require_open(con, "tan_an", "2026-06", dt.date(2026, 7, 16))
    with writing(db) as con:
        from store.closing import reopen_month

        reopen_month(con, Account("city", "admin"), "tan_an", "2026-06", dt.datetime(2026, 8, 1), "Phiếu muộn")
        assert closure(con, "tan_an", "2026-06", dt.date(2026, 9, 1)) is None
    monkeypatch.setenv("DMST_AUTO_CLOSE_DAYS", "0")
    with connection(db) as con:
        assert closure(con, "tan_an", "2026-05", dt.date(2027, 1, 1)) is None


def _journal_of_five(db) -> list[int]:
    with writing(db) as con:
        for n in range(5):
            audit.record(
                con, dt.datetime(2026, 7, 1, 8, n), "lan", audit.LOGIN_OK, f"Đăng nhập {n}", address="10.0.0.9"
            )
        return [row[0] for row in con.execute("SELECT id FROM audit_log ORDER BY id").fetchall()]


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_log SET summary = 'Đăng nhập (sửa)' WHERE id = {third}",
        "UPDATE audit_log SET actor = 'admin' WHERE id = {third}",
        "DELETE FROM audit_log WHERE id = {third}",
        "INSERT INTO audit_log (id, at_time, actor, action, summary, row_hash) "
        "VALUES ({third} + 100, TIMESTAMP '2026-07-01 09:00', 'admin', 'login', 'Đăng nhập', 'giả')",
    ],
    ids=["summary", "actor", "delete", "insert"],
)
def test_a_journal_changed_outside_the_software_is_caught(db, backend, capsys, tamper):
    """DuckDB has no triggers, and PostgreSQL's append-only trigger can be switched off by the database's
    owner: the trail is chained, and the check names the first entry that breaks."""
    ids = _journal_of_five(db)
    assert main(["--db", str(db), "audit", "--verify"]) == 0
    assert "nguyên vẹn" in capsys.readouterr().out
    with writing(db) as con:
        if backend == "postgres":
            con.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
        con.execute(tamper.format(third=ids[2]))
    assert main(["--db", str(db), "audit", "--verify"]) == 1
    broken = ids[3] if tamper.startswith("DELETE") else ids[2] + (100 if tamper.startswith("INSERT") else 0)
    assert f"dòng số {broken}" in capsys.readouterr().err


def test_a_hash_made_with_older_parameters_is_made_again_at_the_next_sign_in(db, monkeypatch):
    """argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane); a hash of argon2-cffi's defaults
    (64 MiB, 3 passes, 4 lanes: five times the work of a check) is replaced after a right password."""
    from argon2 import PasswordHasher

    assert add(db, monkeypatch, "lan", "viewer") == 0
    with writing(db) as con:
        con.execute("UPDATE users SET password_hash = ? WHERE username = 'lan'", [PasswordHasher().hash(PASSWORD)])
    assert query(db, "SELECT password_hash FROM users")[0][0].startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert sign_in(db, "lan", PASSWORD, dt.datetime(2026, 7, 1, 8), "10.0.0.9").username == "lan"
    assert query(db, "SELECT password_hash FROM users")[0][0].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert sign_in(db, "lan", PASSWORD, dt.datetime(2026, 7, 1, 8), "10.0.0.9").username == "lan"
