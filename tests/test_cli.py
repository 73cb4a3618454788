"""``python -m loaders``: one line per file, each problem on its own line, exit status 0 / 1 / 2."""
from __future__ import annotations

import pytest

from loaders import __main__ as cli
from loaders import ingest as ingest_module
from loaders.__main__ import main
from sheet_factory import db, filled, prepared_store, query  # noqa: F401 (db, prepared_store: fixtures)
from store.db import StoreLockedError


def test_template(tmp_path, capsys):
    out = tmp_path / "tan_an_all.xlsx"
    assert main(["template", "--locality", "tan_an", "--unit", "all", "--period", "2026-07", "--out", str(out)]) == 0
    assert out.exists()
    assert "Đã tạo" in capsys.readouterr().out


def test_template_unknown_unit(tmp_path, capsys):
    code = main(["template", "--locality", "ke_sat", "--unit", "vp", "--period", "2026-07",
                 "--out", str(tmp_path / "x.xlsx")])
    assert code == 1
    assert "không có đơn vị mã 'vp'" in capsys.readouterr().err


def test_template_bad_period(tmp_path):
    with pytest.raises(SystemExit):
        main(["template", "--locality", "tan_an", "--unit", "vp", "--period", "2026/07", "--out", str(tmp_path / "x")])


def test_ingest_all_accepted(db, catalog, tmp_path, capsys):
    path = tmp_path / "ca.xlsx"
    path.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    assert main(["ingest", "--db", str(db), "--user", "Anh Minh", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("ĐÃ NHẬN ca.xlsx: Xã Tân An – Công an xã – Tháng 03/2026 – 1 chỉ tiêu có số liệu")
    assert "Tổng: 1/1 tệp được nhận." in out
    assert query(db, "SELECT uploaded_by FROM submissions") == [("Anh Minh",)]


def test_ingest_rejects_and_lists_each_problem(db, catalog, tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    bad.write_bytes(filled(catalog, "tan_an", "vhxh", "2026-03", {"household_broadband": "mười",
                                                                  "citizen_training_sessions": -1}))
    missing = tmp_path / "missing.xlsx"
    assert main(["ingest", "--db", str(db), str(good), str(bad), str(missing)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("TỪ CHỐI bad.xlsx: 2 lỗi") for line in lines)
    assert any(line.startswith("TỪ CHỐI ") and "missing.xlsx" in line for line in lines)
    assert sum(line.startswith("  Lỗi (trang 'Chỉ tiêu', dòng ") for line in lines) == 2
    assert query(db, "SELECT unit_code FROM submissions") == [("ca",)]


def test_ingest_checks_what_the_office_chose(db, catalog, tmp_path, capsys):
    path = tmp_path / "ca.xlsx"
    path.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    assert main(["ingest", "--db", str(db), "--locality", "tan_an", "--period", "2026-04", str(path)]) == 1
    assert "nhưng đang nạp cho Tháng 04/2026" in capsys.readouterr().out


def test_ingest_dry_run_writes_nothing(db, catalog, tmp_path, capsys):
    path = tmp_path / "ca.xlsx"
    path.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    assert main(["ingest", "--db", str(db), "--dry-run", str(path)]) == 0
    assert capsys.readouterr().out.startswith("HỢP LỆ ca.xlsx")
    assert query(db, "SELECT count(*) FROM submissions") == [(0,)]


def test_locked_database_exits_2(db, catalog, tmp_path, capsys, monkeypatch):
    def locked(*args, **kwargs):
        raise StoreLockedError("Cơ sở dữ liệu đang được một tiến trình khác mở")
    monkeypatch.setattr(cli, "prepare", locked)
    path = tmp_path / "ca.xlsx"
    path.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    assert main(["ingest", "--db", str(db), str(path)]) == 2
    assert "đang được một tiến trình khác mở" in capsys.readouterr().err


def test_locked_while_writing_exits_2(db, catalog, tmp_path, capsys, monkeypatch):
    def locked(*args, **kwargs):
        raise StoreLockedError("Cơ sở dữ liệu đang được một tiến trình khác mở")
    monkeypatch.setattr(ingest_module, "connection", locked)
    path = tmp_path / "ca.xlsx"
    path.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    assert main(["ingest", "--db", str(db), str(path)]) == 2
    assert "đang được một tiến trình khác mở" in capsys.readouterr().out


def test_demo_once(db, capsys):
    assert main(["demo", "--db", str(db), "--from", "2026-01", "--to", "2026-01"]) == 0
    assert "Dữ liệu mẫu: đã nạp" in capsys.readouterr().out
    assert main(["demo", "--db", str(db), "--from", "2026-01", "--to", "2026-01"]) == 1
    assert "đã có phiếu báo cáo" in capsys.readouterr().err
