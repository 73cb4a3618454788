"""Accounts and rights, closing a month, the audit trail: through ``python -m store``, the loader and the
store API, on real DuckDB files."""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from page_fixtures import sheet
from sheet_factory import query

from loaders.__main__ import main as loaders_main
from loaders.ingest import ingest_file
from plans.periods import Period
from store import accounts, audit
from store.__main__ import main
from store.accounts import Account, LoginError, authenticate, wait_after
from store.closing import PeriodClosedError, closure, require_open
from store.db import connection, writing

JUNE = Period(2026, 6)
PASSWORD = "mật-khẩu-đủ-dài"


def add(db, monkeypatch, username: str, role: str, locality: str = "all", password: str = PASSWORD) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["--db", str(db), "users", "add", "--username", username, "--role", role, "--locality", locality,
                 "--password-stdin"])


def june_sheet(catalog, locality: str = "tan_an", unit: str = "all", value: float = 70) -> bytes:
    return sheet(catalog, locality, unit, JUNE, {"dvc_online_usage": value})


def test_users_cli_hashes_with_argon2id_and_never_prints_the_password(db, monkeypatch, capsys):
    assert add(db, monkeypatch, "lan", "office", "tan_an") == 0
    assert add(db, monkeypatch, "ha", "viewer") == 0
    assert capsys.readouterr().out == ("Đã tạo tài khoản lan (office, địa phương: tan_an).\n"
                                       "Đã tạo tài khoản ha (viewer, địa phương: tất cả).\n")
    stored = query(db, "SELECT username, password_hash FROM users ORDER BY username")
    assert [u for u, _ in stored] == ["ha", "lan"]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for _, h in stored)
    assert main(["--db", str(db), "users", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"username": "ha", "role": "viewer", "locality_id": None, "disabled": False},
        {"username": "lan", "role": "office", "locality_id": "tan_an", "disabled": False}]
    assert main(["--db", str(db), "audit", "--json"]) == 0
    assert PASSWORD not in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["x", "office", "all"], "Tài khoản office phải gắn với một địa phương"),
    (["x", "viewer", "ha_noi"], "Không có địa phương mã 'ha_noi'"),
    (["x", "admin", "tan_an"], "Tài khoản admin dùng cho mọi địa phương"),
])
def test_users_cli_refuses_a_bad_account(db, monkeypatch, capsys, args, message):
    assert add(db, monkeypatch, *args) == 1
    assert message in capsys.readouterr().err


def test_short_password_duplicate_name_disable_and_passwd(db, monkeypatch, capsys):
    assert add(db, monkeypatch, "lan", "viewer", password="ngắn") == 1
    assert "ít nhất 8 ký tự" in capsys.readouterr().err
    assert add(db, monkeypatch, "lan", "viewer") == 0
    assert add(db, monkeypatch, "lan", "viewer") == 1
    assert "Đã có tài khoản lan" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("mật khẩu mới 2026\n"))
    assert main(["--db", str(db), "users", "passwd", "lan", "--password-stdin"]) == 0
    now = dt.datetime(2026, 7, 1, 8)
    with writing(db) as con:
        with pytest.raises(LoginError):
            authenticate(con, "lan", PASSWORD, now)
        assert authenticate(con, "lan", "mật khẩu mới 2026", now) == Account("lan", "viewer", None)
    assert main(["--db", str(db), "users", "disable", "lan"]) == 0
    with writing(db) as con, pytest.raises(LoginError, match="đã bị khóa"):
        authenticate(con, "lan", "mật khẩu mới 2026", now)


def test_after_five_failures_the_wait_grows(db, monkeypatch):
    assert [wait_after(n) for n in (0, 4, 5, 6, 7, 20)] == [0, 0, 30, 60, 120, 3600]
    assert add(db, monkeypatch, "lan", "viewer") == 0
    start = dt.datetime(2026, 7, 1, 8)
    with writing(db) as con:
        for attempt in range(5):
            with pytest.raises(LoginError, match="Sai tên đăng nhập hoặc mật khẩu") as err:
                authenticate(con, "lan", "sai", start + dt.timedelta(seconds=attempt), "10.0.0.9")
            assert err.value.wait == 0
        with pytest.raises(LoginError, match="Hãy đợi 27 giây") as err:
            authenticate(con, "lan", PASSWORD, start + dt.timedelta(seconds=7), "10.0.0.9")
        assert authenticate(con, "lan", PASSWORD, start + dt.timedelta(seconds=35)).username == "lan"
        rows = audit.entries(con)
    assert [e.action for e in rows[:3]] == ["login", "login_failed", "login_failed"]
    assert sum(e.action == "login_failed" for e in rows) == 6 and rows[1].address == "10.0.0.9"


def test_an_unknown_name_is_refused_and_counted_like_a_known_one(db):
    with writing(db) as con:
        with pytest.raises(LoginError, match="Sai tên đăng nhập hoặc mật khẩu"):
            authenticate(con, "không-có", "x" * 10, dt.datetime(2026, 7, 1))
        assert con.execute("SELECT failures FROM login_failures WHERE username = 'không-có'").fetchone() == (1,)


def test_rights_are_enforced_by_the_loader_and_the_store(db, catalog):
    office, viewer, admin = (Account("lan", "office", "tan_an"), Account("ha", "viewer", "tan_an"),
                             Account("city", "admin", None))
    other = ingest_file(db, "hd.xlsx", june_sheet(catalog, "hung_dao", "vhxh"), user=office, catalog=catalog)
    assert not other.accepted
    assert "Tài khoản lan chỉ được nạp phiếu cho địa phương tan_an, không phải hung_dao." in other.errors[0].message
    looked = ingest_file(db, "ta.xlsx", june_sheet(catalog), user=viewer, catalog=catalog)
    assert "Tài khoản ha chỉ được xem, không được nạp phiếu." in looked.errors[0].message
    checked = ingest_file(db, "ta.xlsx", june_sheet(catalog), user=viewer, catalog=catalog, dry_run=True)
    assert not checked.accepted
    assert query(db, "SELECT count(*) FROM submissions") == [(0,)]
    assert ingest_file(db, "ta.xlsx", june_sheet(catalog), user=office, catalog=catalog).accepted
    assert ingest_file(db, "hd.xlsx", june_sheet(catalog, "hung_dao", "vhxh"), user=admin, catalog=catalog).accepted
    assert query(db, "SELECT uploaded_by FROM submissions ORDER BY id") == [("lan",), ("city",)]
    rejected = query(db, "SELECT actor, locality_id, summary FROM audit_log WHERE action = 'rejected' ORDER BY id")
    assert rejected == [("lan", "hung_dao", "Từ chối tệp hd.xlsx: 1 lỗi"),
                        ("ha", "tan_an", "Từ chối tệp ta.xlsx: 1 lỗi")]


def test_a_replacement_is_logged_with_before_and_after(db, catalog):
    office = Account("lan", "office", "tan_an")
    assert ingest_file(db, "a.xlsx", june_sheet(catalog, value=70), user=office, catalog=catalog).accepted
    assert ingest_file(db, "b.xlsx", june_sheet(catalog, value=85.5), user=office, catalog=catalog).accepted
    with connection(db) as con:
        latest, first = audit.entries(con, "tan_an")[:2]
    assert (first.action, latest.action) == ("submitted", "replaced")
    assert latest.summary == "Phiếu số 2 thay phiếu số 1: all, Tháng 06/2026" and latest.actor == "lan"
    assert {"kind": "chỉ tiêu", "code": "dvc_online_usage", "before": 70.0, "after": 85.5} in latest.detail["changes"]


def test_closing_a_month_refuses_uploads_naming_who_and_when(db, catalog, monkeypatch, tmp_path, capsys):
    assert add(db, monkeypatch, "lan", "office", "tan_an") == 0
    assert add(db, monkeypatch, "hd", "office", "hung_dao") == 0
    assert main(["--db", str(db), "lock", "--locality", "tan_an", "--period", "2026-06", "--user", "hd"]) == 1
    assert "Tài khoản hd chỉ được khóa tháng cho địa phương hung_dao, không phải tan_an." in capsys.readouterr().err
    assert main(["--db", str(db), "lock", "--locality", "tan_an", "--period", "2026-06", "--user", "lan"]) == 0
    capsys.readouterr()
    path = tmp_path / "ta.xlsx"
    path.write_bytes(june_sheet(catalog))
    assert loaders_main(["ingest", "--db", str(db), "--user", "Lan", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Tháng 06/2026 của tan_an đã được lan khóa lúc " in out and "không nhận thêm phiếu" in out
    assert query(db, "SELECT count(*) FROM submissions") == [(0,)]
    assert main(["--db", str(db), "unlock", "--locality", "tan_an", "--period", "2026-06", "--user", "lan",
                 "--reason", "sửa"]) == 1
    assert "Chỉ quản trị viên mới được mở lại" in capsys.readouterr().err
    assert add(db, monkeypatch, "city", "admin") == 0
    with pytest.raises(SystemExit) as usage:
        main(["--db", str(db), "unlock", "--locality", "tan_an", "--period", "2026-06", "--user", "city"])
    assert usage.value.code == 2
    assert main(["--db", str(db), "unlock", "--locality", "tan_an", "--period", "2026-06", "--user", "city",
                 "--reason", "Bổ sung phiếu của thôn"]) == 0
    assert loaders_main(["ingest", "--db", str(db), "--user", "Lan", str(path)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "audit", "--locality", "tan_an"]) == 0
    lines = capsys.readouterr().out.splitlines()
    actions = [line.split("\t")[3].split(" [")[0] for line in lines]
    assert actions[:3] == ["Nộp phiếu", "Mở lại tháng", "Phiếu bị từ chối"]
    assert "Mở lại Tháng 06/2026: Bổ sung phiếu của thôn" in lines[1]


def test_months_close_by_themselves_after_the_configured_days(db, monkeypatch):
    monkeypatch.setenv("DMST_AUTO_CLOSE_DAYS", "10")
    with connection(db) as con:
        assert closure(con, "tan_an", "2026-06", dt.date(2026, 7, 15)) is None          # deadline 05/07 + 10 days
        closed = closure(con, "tan_an", "2026-06", dt.date(2026, 7, 16))
        assert closed is not None and closed.automatic
        with pytest.raises(PeriodClosedError, match="Tháng 06/2026 của tan_an đã tự động khóa ngày 15/07/2026"):
            require_open(con, "tan_an", "2026-06", dt.date(2026, 7, 16))
    with writing(db) as con:
        from store.closing import reopen_month
        reopen_month(con, Account("city", "admin"), "tan_an", "2026-06", dt.datetime(2026, 8, 1), "Phiếu muộn")
        assert closure(con, "tan_an", "2026-06", dt.date(2026, 9, 1)) is None
    monkeypatch.setenv("DMST_AUTO_CLOSE_DAYS", "0")
    with connection(db) as con:
        assert closure(con, "tan_an", "2026-05", dt.date(2027, 1, 1)) is None


def test_the_audit_trail_has_no_way_to_change_a_line():
    source = (accounts.__file__, audit.__file__)
    for path in source:
        text = open(path, encoding="utf-8").read()
        assert "UPDATE audit_log" not in text and "DELETE FROM audit_log" not in text
