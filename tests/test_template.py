"""The monthly sheet as written: title block, columns, one row per measure and task, drop-downs, protection."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sheet_factory import MEASURES, TASKS, header_columns, row_of

from loaders.ingest import check_file
from loaders.template import template_bytes, write_template
from plans.reporting import sheet_spec
from plans.vocabulary import ALL_UNITS


@pytest.fixture(scope="module")
def tan_an_vhxh(catalog):
    return load_workbook(io.BytesIO(template_bytes(catalog, "tan_an", "vhxh", "2026-03")))


def _texts(ws, rows: int = 8) -> list[str]:
    return [str(c.value) for row in ws.iter_rows(min_row=1, max_row=rows) for c in row if c.value is not None]


def test_three_sheets_in_order(tan_an_vhxh):
    assert tan_an_vhxh.sheetnames == ["Chỉ tiêu", "Nhiệm vụ", "Hướng dẫn"]


def test_title_block_says_who_and_when(tan_an_vhxh):
    for name in (MEASURES, TASKS):
        texts = _texts(tan_an_vhxh[name])
        assert "Xã Tân An" in texts and "Phòng Văn hóa - Xã hội xã" in texts and "Tháng 03/2026" in texts
        assert "tan_an/vhxh/2026-03/v1" in texts
        assert any("THÁNG 03/2026" in t for t in texts)


def test_measure_headers(tan_an_vhxh):
    _, cols = header_columns(tan_an_vhxh[MEASURES])
    assert {
        "Mã chỉ tiêu",
        "Kết quả",
        "Minh chứng",
        "Ghi chú",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Chỉ tiêu kế hoạch",
        "Cách ghi",
        "Tử số",
        "Mẫu số",
    } <= set(cols)


def test_task_headers(tan_an_vhxh):
    _, cols = header_columns(tan_an_vhxh[TASKS])
    assert {"Mã nhiệm vụ", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Minh chứng"} <= set(cols)


def test_one_row_per_measure_with_its_target(catalog, tan_an_vhxh):
    ws = tan_an_vhxh[MEASURES]
    header, cols = header_columns(ws)
    codes = [ws.cell(row=r, column=cols["Mã chỉ tiêu"]).value for r in range(header + 1, ws.max_row + 1)]
    assert [c for c in codes if c] == [line.code for line in sheet_spec(catalog, "tan_an", "vhxh", 2026).lines]
    row = row_of(ws, "public_wifi_coverage")
    assert ws.cell(row=row, column=cols["Chỉ tiêu kế hoạch"]).value == "≥ 100% (năm 2027)"
    assert ws.cell(row=row, column=cols["Cách ghi"]).value.startswith("giá trị hiện tại (%)")
    flow = row_of(ws, "citizen_training_sessions")
    assert ws.cell(row=flow, column=cols["Cách ghi"]).value.startswith("số trong tháng")
    assert ws.cell(row=flow, column=cols["Chỉ tiêu kế hoạch"]).value == "≥ 1 (mỗi năm)"
    kpi = row_of(ws, "mgmt_initiatives")
    assert ws.cell(row=kpi, column=cols["Chỉ tiêu kế hoạch"]).value == "KPI 1.4: ≥ 8 sáng kiến/năm"


def test_one_row_per_task_it_leads(catalog, tan_an_vhxh):
    ws = tan_an_vhxh[TASKS]
    header, cols = header_columns(ws)
    codes = [ws.cell(row=r, column=cols["Mã nhiệm vụ"]).value for r in range(header + 1, ws.max_row + 1)]
    assert [c for c in codes if c] == [t.code for t in sheet_spec(catalog, "tan_an", "vhxh", 2026).tasks]


def _validation_for(ws, coordinate):
    return [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]


def test_status_has_a_drop_down(tan_an_vhxh):
    ws = tan_an_vhxh[TASKS]
    _, cols = header_columns(ws)
    cell = ws.cell(row=row_of(ws, "TA-VII.2-a"), column=cols["Tình trạng"]).coordinate
    (validation,) = _validation_for(ws, cell)
    assert validation.type == "list"
    assert validation.formula1 == '"Chưa thực hiện,Đang thực hiện,Hoàn thành"'


def test_yes_no_values_have_a_drop_down(tan_an_vhxh):
    ws = tan_an_vhxh[MEASURES]
    _, cols = header_columns(ws)
    yes_no = ws.cell(row=row_of(ws, "plan_issued"), column=cols["Kết quả"]).coordinate
    assert _validation_for(ws, yes_no)[0].formula1 == '"Có,Không"'
    rate = ws.cell(row=row_of(ws, "public_wifi_coverage"), column=cols["Kết quả"]).coordinate
    assert not _validation_for(ws, rate)


def test_code_name_and_target_are_protected(tan_an_vhxh):
    ws = tan_an_vhxh[MEASURES]
    _, cols = header_columns(ws)
    row = row_of(ws, "public_wifi_coverage")
    assert ws.protection.sheet
    for header in ("Mã chỉ tiêu", "Tên chỉ tiêu", "Chỉ tiêu kế hoạch"):
        assert ws.cell(row=row, column=cols[header]).protection.locked
    for header in ("Kết quả", "Tử số", "Mẫu số", "Minh chứng", "Ghi chú"):
        assert not ws.cell(row=row, column=cols[header]).protection.locked
    assert tan_an_vhxh[TASKS].protection.sheet


def test_guide_explains_rules(tan_an_vhxh):
    text = " ".join(_texts(tan_an_vhxh["Hướng dẫn"], rows=40))
    for phrase in (
        "chưa báo cáo",
        "0,855",
        "85,5%",
        "Tử số",
        "Tổng Tử số ÷ Tổng Mẫu số",
        "phần trăm số thôn",
        "dd/mm/yyyy",
        "Có/Không",
    ):
        assert phrase in text
    assert (
        "Số 0 hoặc 1 không có phần thập phân được hiểu là 0% hoặc 1% (ghi 1 sẽ có cảnh báo): tỷ lệ đầy đủ ghi "
        "100 hoặc 100%"
    ) in text
    assert "ghi chính mức giảm theo phần trăm, ví dụ 20 cho “giảm 20%”" in text
    assert "tệp có hai trang “Chỉ tiêu” (hoặc hai trang “Nhiệm vụ”) bị từ chối" in text


def test_workbook_structure_is_locked_but_input_cells_are_not(catalog, tan_an_vhxh):
    assert tan_an_vhxh.security.lockStructure
    ws = tan_an_vhxh[MEASURES]
    _, cols = header_columns(ws)
    assert not ws.cell(row=row_of(ws, "household_broadband"), column=cols["Kết quả"]).protection.locked
    result, parsed = check_file("phieu.xlsx", template_bytes(catalog, "tan_an", "vhxh", "2026-03"), catalog)
    assert parsed is not None, [str(p) for p in result.errors]


def test_a_reduction_offers_only_the_result(catalog):
    ws = load_workbook(io.BytesIO(template_bytes(catalog, "tan_an", "ttpvhcc", "2026-03")))[MEASURES]
    _, cols = header_columns(ws)
    row = row_of(ws, "tthc_time_reduction")
    assert (
        ws.cell(row=row, column=cols["Cách ghi"]).value
        == "mức giảm so với quy định (%), ví dụ 20 cho “giảm 20%”; không ghi Tử số, Mẫu số"
    )
    assert not ws.cell(row=row, column=cols["Kết quả"]).protection.locked
    for header in ("Tử số", "Mẫu số"):
        assert ws.cell(row=row, column=cols[header]).protection.locked
        assert ws.cell(row=row, column=cols[header]).style == "dm_off"
    rate = row_of(ws, "dvc_online_usage")
    assert not ws.cell(row=rate, column=cols["Tử số"]).protection.locked


def test_whole_locality_sheet_carries_everything(catalog):
    book = load_workbook(io.BytesIO(template_bytes(catalog, "binh_giang", ALL_UNITS, "2026-05")))
    spec = sheet_spec(catalog, "binh_giang", ALL_UNITS, 2026)
    ws = book[MEASURES]
    header, cols = header_columns(ws)
    codes = {ws.cell(row=r, column=cols["Mã chỉ tiêu"]).value for r in range(header + 1, ws.max_row + 1)} - {None}
    assert codes == {line.code for line in spec.lines}
    assert "binh_giang/all/2026-05/v1" in _texts(ws)
    tasks = book[TASKS]
    header, cols = header_columns(tasks)
    assert sum(
        1 for r in range(header + 1, tasks.max_row + 1) if tasks.cell(row=r, column=cols["Mã nhiệm vụ"]).value
    ) == len(catalog.plan("binh_giang").tasks)


def test_village_sheet_names_the_village(catalog):
    book = load_workbook(io.BytesIO(template_bytes(catalog, "nam_thanh_mien", "thon", "2026-04", "Thôn Lý Đông")))
    texts = _texts(book[MEASURES])
    assert "Thôn / tổ dân phố:" in texts and "Thôn Lý Đông" in texts
    assert "Thôn / tổ dân phố:" not in _texts(
        load_workbook(io.BytesIO(template_bytes(catalog, "nam_thanh_mien", "vhxh", "2026-04")))[MEASURES]
    )


def test_empty_template_reads_back_as_nothing_reported(catalog):
    result, parsed = check_file("mau.xlsx", template_bytes(catalog, "hung_dao", "kt", "2026-02"), catalog)
    assert parsed is not None and not result.errors
    assert parsed.values == [] and parsed.tasks == []
    assert len(parsed.blank) == len(parsed.spec.lines)


def test_write_template_file_creates_its_folder(catalog, tmp_path):
    out = write_template(catalog, "ke_sat", "vhxh", "2026-06", tmp_path / "thang6" / "ke_sat" / "phieu.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["Chỉ tiêu", "Nhiệm vụ", "Hướng dẫn"]
    assert "ke_sat/vhxh/2026-06/v1" in _texts(book[MEASURES])
