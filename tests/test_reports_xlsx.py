"""The .xlsx appendix (openpyxl): numbers as numbers equal to ``python -m scoring summary``,
number formats, frozen headers, one sheet per table, native charts; and the CLI's exit codes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from page_fixtures import JUNE, sheet

from loaders.ingest import ingest_files
from plans.model import Catalog
from plans.vocabulary import label
from reports.__main__ import main
from reports.build import build

pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def workbook(known_store: Path, catalog: Catalog) -> bytes:
    return build(known_store, catalog, "hung_dao", JUNE).xlsx


def rows(sheet) -> list[dict]:
    header = [c.value for c in sheet[2]]
    return [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=3)]


def test_sheets_frozen_headers_and_native_charts(workbook):
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    assert book.sheetnames == ["Chỉ tiêu", "Nhiệm vụ", "KPI", "Nộp phiếu", "Nhóm KPI", "Trạng thái", "Phiếu đã dùng"]
    assert all(book[name].freeze_panes == "A3" for name in book.sheetnames)
    charts = [n for n in zipfile.ZipFile(io.BytesIO(workbook)).namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3  # submissions, KPI groups, statuses
    assert (
        book["KPI"]["A1"].value
        == "Biểu mẫu số 03. Điểm đánh giá theo Bộ chỉ số đánh giá “Phường Hưng Đạo đổi mới sáng tạo”"
    )
    assert {r["Địa phương"] for r in rows(book["Phiếu đã dùng"])} == {"Phường Hưng Đạo"}  # a name, not an id
    assert not any(cell.value and "DỮ LIỆU MẪU" in str(cell.value) for cell in book["Chỉ tiêu"][1])


def test_sample_data_is_marked_on_every_sheet(db, catalog):
    data = sheet(catalog, "hung_dao", "all", JUNE, {"dvc_online_usage": 70}, sample=True)
    assert all(r.accepted for r in ingest_files(db, [("mau.xlsx", data)], catalog=catalog))
    book = openpyxl.load_workbook(io.BytesIO(build(db, catalog, "hung_dao", JUNE).xlsx))
    for name in book.sheetnames:  # was: no mark on the data sheets
        assert any(cell.value and "DỮ LIỆU MẪU" in str(cell.value) for cell in book[name][1]), name


def test_indicator_numbers_equal_the_summary(workbook, known_summary):
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Chỉ tiêu"]
    found = {r["Mã"]: r for r in rows(sheet) if r["Mã"]}  # group rows (I, II…) have no code
    expected = known_summary["hung_dao"]["indicators"]
    assert set(found) == {i["code"] for i in expected}
    for indicator in expected:
        row = found[indicator["code"]]
        assert row["Kết quả"] == (pytest.approx(indicator["actual"]) if indicator["actual"] is not None else None)
        assert row["Mục tiêu (số)"] == pytest.approx(indicator["target"])
        assert row["Năm"] == indicator["target_year"]
        assert row["Trạng thái"] == label(indicator["status"])
        if indicator["attainment"] is not None:
            assert row["Mức đạt"] == pytest.approx(indicator["attainment"], abs=1e-4)
    # Hưng Đạo's ttpvhcc sent 62% online-service use for June: a number, shown as a percent
    header = [c.value for c in sheet[2]]
    online = next(c for c in sheet["B"] if c.row > 2 and found.get(c.value, {}).get("Kết quả") == 62)
    cell = sheet.cell(online.row, header.index("Kết quả") + 1)
    assert isinstance(cell.value, (int, float)) and cell.number_format == '0.0"%"'
    assert sheet.cell(online.row, header.index("Mức đạt") + 1).number_format == "0.0%"


def test_kpi_points_equal_the_summary(workbook, known_summary):
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["KPI"]
    found = {r["Mã"]: r for r in rows(sheet)}
    kpi = known_summary["hung_dao"]["kpi"]
    for item in kpi["items"]:
        assert found[item["code"]]["Điểm"] == pytest.approx(item["points"], abs=1e-4)
        assert found[item["code"]]["Tối đa"] == item["max_points"]
    for group in kpi["groups"]:
        assert found[f"Nhóm {group['code']}"]["Điểm"] == pytest.approx(group["points"])
    total = next(r for r in rows(sheet) if r["Chỉ số"] == "TỔNG CỘNG")
    assert total["Điểm"] == pytest.approx(kpi["points"]) and total["Tối đa"] == 100


def test_city_report_ranks_the_summary_totals(known_store, catalog, known_summary, tmp_path):
    out, xlsx = tmp_path / "tp.docx", tmp_path / "tp.xlsx"
    assert (
        main(
            [
                "build",
                "--locality",
                "all",
                "--period",
                "2026-06",
                "--out",
                str(out),
                "--xlsx",
                str(xlsx),
                "--db",
                str(known_store),
            ]
        )
        == 0
    )
    ranking = rows(openpyxl.load_workbook(xlsx)["Xếp hạng KPI"])
    expected = sorted(known_summary.values(), key=lambda loc: (-loc["kpi"]["points"], loc["name"]))
    assert [r["Địa phương"] for r in ranking] == [loc["name"] for loc in expected]
    assert [r["Điểm KPI"] for r in ranking] == pytest.approx([loc["kpi"]["points"] for loc in expected])
    assert [r["Hạng"] for r in ranking] == [1, 2, 3, 4, 5]
    rates = {r["Địa phương"]: r for r in rows(openpyxl.load_workbook(xlsx)["Nộp phiếu"])}
    for loc in known_summary.values():  # a 6-month report: January–June; the known sheets are May and June
        assert rates[loc["name"]]["Phải nộp"] == 6 * loc["submissions"]["expected"]
    assert rates["Phường Hưng Đạo"]["Đã nhận"] == known_summary["hung_dao"]["submissions"]["received"]


@pytest.mark.parametrize(
    "argv, code",
    [
        (["--locality", "khong_co", "--period", "2026-06"], 1),
        (["--locality", "tan_an", "--period", "2026-13"], 2),
        (["--locality", "tan_an", "--period", "2026-06", "--kind", "quy"], 2),
    ],
)
def test_cli_exit_codes(known_store, tmp_path, argv, code):
    try:
        result = main(["build", *argv, "--out", str(tmp_path / "x.docx"), "--db", str(known_store)])
    except SystemExit as stop:
        result = stop.code
    assert result == code
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.duckdb_only  # another program holding the file (PostgreSQL readers wait for nobody)
def test_cli_reports_a_locked_database(db, held, tmp_path, capsys):
    assert (
        main(
            ["build", "--locality", "tan_an", "--period", "2026-06", "--out", str(tmp_path / "x.docx"), "--db", str(db)]
        )
        == 3
    )
    assert f"PID {held}" in capsys.readouterr().err
