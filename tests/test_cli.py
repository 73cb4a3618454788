"""``python -m loaders``: one line per file, each problem on its own line, exit status 0 / 1 / 2 / 3."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from page_fixtures import ensure_account
from sheet_factory import MEASURES, TASKS, filled, header_columns, query

from loaders import __main__ as cli
from loaders.__main__ import main
from plans.reporting import sheet_spec
from store import turns as turns_module
from store.db import StoreLockedError

pytestmark = pytest.mark.both_backends


def test_template(catalog, tmp_path, capsys):
    out = tmp_path / "tan_an_all.xlsx"
    assert main(["template", "--locality", "tan_an", "--unit", "all", "--period", "2026-07", "--out", str(out)]) == 0
    spec = sheet_spec(catalog, "tan_an", "all", 2026)
    assert capsys.readouterr().out == (
        f"Đã tạo {out}: Xã Tân An – Tất cả các đơn vị (phiếu chung của địa phương) – Tháng 07/2026: "
        f"{len(spec.lines)} chỉ tiêu, {len(spec.tasks)} nhiệm vụ\n"
    )
    book = load_workbook(out)
    assert book.sheetnames == [MEASURES, TASKS, "Hướng dẫn"]
    ws = book[MEASURES]
    assert (ws["B6"].value, ws["C6"].value) == ("Mã phiếu (không sửa):", "tan_an/all/2026-07/v1")
    header, cols = header_columns(ws)
    assert header == 9 and list(cols)[:7] == [
        "STT",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Chỉ tiêu kế hoạch",
        "Cách ghi",
        "Kết quả",
    ]
    codes = [ws.cell(row=r, column=cols["Mã chỉ tiêu"]).value for r in range(header + 1, ws.max_row + 1)]
    assert [c for c in codes if c] == [line.code for line in spec.lines]


def test_template_into_a_missing_folder(tmp_path, capsys):
    out = tmp_path / "phieu" / "thang7" / "kt.xlsx"
    assert main(["template", "--locality", "tan_an", "--unit", "kt", "--period", "2026-07", "--out", str(out)]) == 0
    assert load_workbook(out)[TASKS]["C6"].value == "tan_an/kt/2026-07/v1"


def test_template_onto_a_folder_is_a_vietnamese_error(tmp_path, capsys):
    assert (
        main(["template", "--locality", "tan_an", "--unit", "kt", "--period", "2026-07", "--out", str(tmp_path)]) == 1
    )
    assert capsys.readouterr().err == f"Lỗi: không ghi được {tmp_path} (đây là thư mục, không phải tệp)\n"


def test_template_unknown_unit_lists_the_codes(tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    code = main(["template", "--locality", "ke_sat", "--unit", "zz", "--period", "2026-07", "--out", str(out)])
    assert code == 1 and not out.exists()
    assert capsys.readouterr().err == (
        "Lỗi: Xã Kẻ Sặt không có đơn vị mã 'zz' trong kế hoạch (các mã đơn vị: vhxh, ttdvsnc, kt, ttpvhcc, "
        "cac_don_vi, thon, doan_tn, hoặc all cho cả địa phương)\n"
    )


def test_template_unknown_locality_lists_the_codes(tmp_path, capsys):
    assert (
        main(
            [
                "template",
                "--locality",
                "tan_son",
                "--unit",
                "vhxh",
                "--period",
                "2026-07",
                "--out",
                str(tmp_path / "x.xlsx"),
            ]
        )
        == 1
    )
    assert capsys.readouterr().err == (
        "Lỗi: không có địa phương mã 'tan_son' (các mã: tan_an, hung_dao, binh_giang, ke_sat, nam_thanh_mien)\n"
    )


def test_template_bad_period(tmp_path):
    with pytest.raises(SystemExit):
        main(["template", "--locality", "tan_an", "--unit", "vp", "--period", "2026/07", "--out", str(tmp_path / "x")])


def test_ingest_all_accepted(db, catalog, tmp_path, capsys):
    path = tmp_path / "ca.xlsx"
    path.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    office = ensure_account("office", "tan_an", path=db)
    assert main(["ingest", "--db", str(db), "--user", office, str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(
        "ĐÃ NHẬN ca.xlsx: Xã Tân An – Công an xã – Tháng 03/2026 – 1 chỉ tiêu có số liệu"
    )
    assert "Tổng: 1/1 tệp được nhận." in out
    assert query(db, "SELECT uploaded_by FROM submissions") == [("office-tan_an",)]


def test_ingest_writes_only_as_an_account_with_the_right(db, catalog, tmp_path, capsys):
    """``--user`` is an account of the software: a name typed at random, a disabled account or an office
    of another locality writes nothing; without ``--user`` only a dry run is allowed (exit 2)."""
    path = tmp_path / "ca.xlsx"
    path.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    other = ensure_account("office", "hung_dao", path=db)
    assert main(["ingest", "--db", str(db), str(path)]) == 2
    assert "nạp phiếu cần --user" in capsys.readouterr().err
    assert main(["ingest", "--db", str(db), "--user", "Anh Minh", str(path)]) == 1
    assert "Không có tài khoản đang dùng tên 'Anh Minh'" in capsys.readouterr().err
    assert main(["ingest", "--db", str(db), "--user", other, str(path)]) == 1
    assert "chỉ được nạp phiếu cho Phường Hưng Đạo; phiếu này là của Xã Tân An" in capsys.readouterr().out
    assert query(db, "SELECT count(*) FROM submissions") == [(0,)]


def test_ingest_rejects_and_lists_each_problem(db, catalog, tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    bad.write_bytes(
        filled(catalog, "tan_an", "vhxh", "2026-03", {"household_broadband": "mười", "citizen_training_sessions": -1})
    )
    missing = tmp_path / "missing.xlsx"
    admin = ensure_account(path=db)
    assert main(["ingest", "--db", str(db), "--user", admin, str(good), str(bad), str(missing), str(tmp_path)]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[:2] == [
        f"TỪ CHỐI {missing}: không đọc được tệp (không có tệp này)",
        f"TỪ CHỐI {tmp_path}: không đọc được tệp (đây là thư mục, không phải tệp)",
    ]
    assert any(line.startswith("TỪ CHỐI bad.xlsx: 2 lỗi") for line in lines)
    assert sum(line.startswith("  Lỗi (trang 'Chỉ tiêu', dòng ") for line in lines) == 2
    assert "No such file" not in out and "directory" not in out
    assert lines[-1] == "Tổng: 1/4 tệp được nhận."
    assert query(db, "SELECT unit_code FROM submissions") == [("ca",)]


def test_ingest_checks_what_the_office_chose(db, catalog, tmp_path, capsys):
    path = tmp_path / "ca.xlsx"
    path.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    assert (
        main(
            [
                "ingest",
                "--db",
                str(db),
                "--user",
                ensure_account(path=db),
                "--locality",
                "tan_an",
                "--period",
                "2026-04",
                str(path),
            ]
        )
        == 1
    )
    assert "nhưng đang nạp cho Tháng 04/2026" in capsys.readouterr().out


def test_ingest_dry_run_writes_nothing(db, catalog, tmp_path, capsys):
    path = tmp_path / "ca.xlsx"
    path.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    assert main(["ingest", "--db", str(db), "--dry-run", str(path)]) == 0
    assert capsys.readouterr().out.startswith("HỢP LỆ ca.xlsx")
    assert query(db, "SELECT count(*) FROM submissions") == [(0,)]


def test_locked_while_writing_exits_3(db, catalog, tmp_path, capsys, monkeypatch):
    def locked(*args, **kwargs):
        raise StoreLockedError("Cơ sở dữ liệu đang bị một chương trình khác giữ")

    monkeypatch.setattr(turns_module, "writing", locked)
    path = tmp_path / "ca.xlsx"
    path.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    assert main(["ingest", "--db", str(db), "--user", ensure_account(path=db), str(path)]) == cli.EXIT_LOCKED == 3
    assert "  Lỗi: Cơ sở dữ liệu đang bị một chương trình khác giữ" in capsys.readouterr().out.splitlines()


def _locked_message(db, pid: int) -> re.Pattern:
    """The lock message, naming the holder as DuckDB does (the Python executable's real name)."""
    return re.compile(
        re.escape(f"Cơ sở dữ liệu {db} đang bị một chương trình khác giữ (")
        + r"python[\d.]*"
        + re.escape(
            f", PID {pid}). Nếu đó là công cụ bên ngoài (DuckDB CLI, DBeaver…), hãy đóng kết "
            f"nối của công cụ đó tới tệp này; nếu đó là một lần nạp khác đang chạy, hãy đợi lần "
            f"nạp đó xong rồi làm lại."
        )
    )


@pytest.mark.duckdb_only  # another process holds the file
def test_a_real_lock_exits_3_naming_the_holder(db, held, catalog, tmp_path, capsys):
    path = tmp_path / "ca.xlsx"
    path.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    assert main(["ingest", "--db", str(db), "--user", "admin-all", str(path)]) == 3
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "TỪ CHỐI ca.xlsx: 1 lỗi, không ghi gì vào cơ sở dữ liệu"
    assert _locked_message(db, held).fullmatch(lines[1].removeprefix("  Lỗi: "))
    assert lines[-1] == "Tổng: 0/1 tệp được nhận."


@pytest.mark.duckdb_only  # another process holds the file
def test_a_dry_run_on_a_locked_database_still_checks_every_file(db, held, catalog, tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(filled(catalog, "tan_an", "ca", "2026-03", {"fraud_awareness_sessions": 2}))
    bad.write_bytes(filled(catalog, "tan_an", "vhxh", "2026-03", {"household_broadband": "mười"}))
    assert main(["ingest", "--db", str(db), "--dry-run", str(bad), str(good)]) == 3
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "TỪ CHỐI bad.xlsx: 1 lỗi, không ghi gì vào cơ sở dữ liệu"
    assert lines[1].startswith("  Lỗi (trang 'Chỉ tiêu', dòng ") and lines[1].endswith(
        "Kết quả 'mười' không phải là số (chỉ tiêu “Tỷ lệ hộ gia đình có kết nối Internet băng rộng tốc độ cao”)"
    )
    good_line = next(i for i, line in enumerate(lines) if "good.xlsx" in line)
    assert lines[good_line] == (
        "HỢP LỆ good.xlsx: Xã Tân An – Công an xã – Tháng 03/2026 – 1 chỉ tiêu có số liệu, "
        "1 để trống, 0 nhiệm vụ; chưa so được với phiếu đang dùng (cơ sở dữ liệu đang bị khóa)"
    )
    assert any(
        _locked_message(db, held).fullmatch(line.removeprefix("  Cảnh báo: Chưa so được với phiếu đang dùng: "))
        for line in lines[good_line + 1 :]
    )
    assert lines[-1] == "Tổng: 1/2 tệp được nhận."


@pytest.mark.duckdb_only  # another process holds the file
def test_a_dry_run_of_bad_files_needs_no_database(db, held, catalog, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(filled(catalog, "tan_an", "vhxh", "2026-03", {"household_broadband": "mười"}))
    assert main(["ingest", "--db", str(db), "--dry-run", str(bad)]) == 1
    assert "bị một chương trình khác giữ" not in capsys.readouterr().out


@pytest.mark.duckdb_only  # another process holds the file
def test_demo_on_a_locked_database_exits_3(db, held, capsys):
    assert main(["demo", "--db", str(db), "--from", "2026-01", "--to", "2026-01"]) == 3
    assert _locked_message(db, held).fullmatch(capsys.readouterr().err.removeprefix("Lỗi: ").rstrip("\n"))


def test_demo_once(db, capsys):
    assert main(["demo", "--db", str(db), "--from", "2026-01", "--to", "2026-01"]) == 0
    assert "Dữ liệu mẫu: đã nạp" in capsys.readouterr().out
    assert main(["demo", "--db", str(db), "--from", "2026-01", "--to", "2026-01"]) == 1
    assert "đã có phiếu báo cáo" in capsys.readouterr().err
