"""Ingest: every bad input is refused with a located Vietnamese message and writes nothing; good
sheets round-trip into DuckDB, with history on re-upload, duplicates recognised and dry runs."""
from __future__ import annotations

import datetime as dt
import hashlib
import io

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from loaders import ingest as ingest_module
from loaders.ingest import ingest_file, ingest_files
from loaders.sheet_spec import sheet_spec
from loaders.template import build_workbook, template_bytes, workbook_bytes
from sheet_factory import (  # noqa: F401 (db, prepared_store: fixtures)
    MEASURES, TASKS, db, edit, filled, header_columns, prepared_store, query, row_of, table_counts,
)
from store import uploads
from store.db import StoreLockedError, connection
from store.uploads import has_sample_data, stored_file

PERIOD = "2026-03"


def where(catalog, sheet: str, code: str, header: str, locality="tan_an", unit="vhxh") -> tuple[int, str]:
    """(row, column letter) of a cell of the template."""
    ws = load_workbook(io.BytesIO(template_bytes(catalog, locality, unit, PERIOD)))[sheet]
    _, cols = header_columns(ws)
    cell = ws.cell(row=row_of(ws, code), column=cols[header])
    return cell.row, cell.column_letter


def code_cell(catalog, sheet: str = MEASURES) -> tuple[int, str]:
    """Where the template writes its "Mã phiếu"."""
    ws = load_workbook(io.BytesIO(template_bytes(catalog, "tan_an", "vhxh", PERIOD)))[sheet]
    for row in ws.iter_rows(max_row=8):
        for cell in row:
            if cell.value == "tan_an/vhxh/2026-03/v1":
                return cell.row, cell.column_letter
    raise AssertionError("no sheet code")


def rejected(db, catalog, data: bytes, message: str, sheet: str | None, row: int | None, column: str | None,
             **kwargs) -> None:
    """The file is refused with ``message`` at (sheet, row, column), and nothing was written."""
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog, **kwargs)
    assert not result.accepted
    found = [p for p in result.errors if message in p.message]
    assert found, [str(p) for p in result.errors]
    problem = found[0]
    assert (problem.file, problem.sheet, problem.row, problem.column) == ("phieu.xlsx", sheet, row, column)
    text = str(problem)
    assert text.startswith("Lỗi") and message in text
    if sheet:
        assert f"trang '{sheet}'" in text
    if row:
        assert f"dòng {row}" in text
    if column:
        assert f"cột {column}" in text
    assert result.summary().startswith("TỪ CHỐI phieu.xlsx")
    assert table_counts(db)["submissions"] == 0
    assert table_counts(db)["upload_files"] == 0


# ---------- bad inputs: one test each ----------

def test_text_where_a_number_is_needed(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, {"household_broadband": "mười"})
    rejected(db, catalog, data, "Kết quả 'mười' không phải là số",
             MEASURES, *where(catalog, MEASURES, "household_broadband", "Kết quả"))


def test_percent_above_100(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, {"household_broadband": "120%"})
    rejected(db, catalog, data, "Kết quả 120% nằm ngoài khoảng 0–100%",
             MEASURES, *where(catalog, MEASURES, "household_broadband", "Kết quả"))


def test_percent_below_0(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, {"household_broadband": -5})
    rejected(db, catalog, data, "Kết quả -5% nằm ngoài khoảng 0–100%",
             MEASURES, *where(catalog, MEASURES, "household_broadband", "Kết quả"))


def test_negative_count(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, {"citizen_training_sessions": -2})
    rejected(db, catalog, data, "Kết quả '-2' là số âm; số lượng không được âm",
             MEASURES, *where(catalog, MEASURES, "citizen_training_sessions", "Kết quả"))


def test_fractional_count(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, {"citizen_training_sessions": "2,5"})
    rejected(db, catalog, data, "không phải số nguyên",
             MEASURES, *where(catalog, MEASURES, "citizen_training_sessions", "Kết quả"))


def test_yes_no_garbage(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, {"plan_issued": "sắp có"})
    rejected(db, catalog, data, "Kết quả 'sắp có' không phải Có/Không",
             MEASURES, *where(catalog, MEASURES, "plan_issued", "Kết quả"))


def test_unknown_measure_code(db, catalog):
    def add_row(book):
        ws = book[MEASURES]
        _, cols = header_columns(ws)
        ws.cell(row=ws.max_row + 1, column=cols["Mã chỉ tiêu"], value="so_cho_ngoi")
        ws.cell(row=ws.max_row, column=cols["Kết quả"], value=5)
    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD), add_row)
    ws = load_workbook(io.BytesIO(data))[MEASURES]
    rejected(db, catalog, data, "Mã chỉ tiêu 'so_cho_ngoi' không có trong phiếu của Phòng Văn hóa - Xã hội xã",
             MEASURES, ws.max_row, "B")


def test_measure_of_another_unit(db, catalog):
    def add_row(book):
        ws = book[MEASURES]
        ws.cell(row=ws.max_row + 1, column=2, value="dvc_online_usage")
        ws.cell(row=ws.max_row, column=7, value=70)
    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD), add_row)
    rejected(db, catalog, data, "Mã chỉ tiêu 'dvc_online_usage' không có trong phiếu",
             MEASURES, load_workbook(io.BytesIO(data))[MEASURES].max_row, "B")


def test_duplicated_measure_code(db, catalog):
    row, _ = where(catalog, MEASURES, "household_broadband", "Mã chỉ tiêu")
    data = edit(filled(catalog, "tan_an", "vhxh", PERIOD, {"public_wifi_coverage": 80}),
                lambda book: book[MEASURES].cell(row=row, column=2, value="public_wifi_coverage"))
    first, _ = where(catalog, MEASURES, "public_wifi_coverage", "Mã chỉ tiêu")
    rejected(db, catalog, data, f"Mã chỉ tiêu 'public_wifi_coverage' lặp lại (đã có ở dòng {first})",
             MEASURES, row, "B")


def test_duplicated_task_code(db, catalog):
    row, _ = where(catalog, TASKS, "TA-VII.2-b", "Mã nhiệm vụ")
    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD),
                lambda book: book[TASKS].cell(row=row, column=2, value="TA-VII.2-a"))
    rejected(db, catalog, data, "Mã nhiệm vụ 'TA-VII.2-a' lặp lại", TASKS, row, "B")


def test_formula_without_cached_value(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, {"household_broadband": "=40+45"})
    row, column = where(catalog, MEASURES, "household_broadband", "Kết quả")
    rejected(db, catalog, data, f"Ô {column}{row} (Kết quả) chứa công thức nhưng chưa có giá trị đã tính",
             MEASURES, row, column)


def test_numerator_without_denominator(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, extra={("core_members_trained", "Tử số"): 45})
    rejected(db, catalog, data, "Thiếu Mẫu số: Tử số và Mẫu số phải ghi cùng nhau",
             MEASURES, *where(catalog, MEASURES, "core_members_trained", "Mẫu số"))


def test_numerator_above_denominator(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD,
                  extra={("core_members_trained", "Tử số"): 60, ("core_members_trained", "Mẫu số"): 50})
    rejected(db, catalog, data, "Tử số 60 lớn hơn Mẫu số 50",
             MEASURES, *where(catalog, MEASURES, "core_members_trained", "Tử số"))


def test_result_contradicts_numerator_and_denominator(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, {"core_members_trained": 70},
                  extra={("core_members_trained", "Tử số"): 45, ("core_members_trained", "Mẫu số"): 50})
    rejected(db, catalog, data, "Kết quả 70% không khớp Tử số/Mẫu số (45/50 = 90,0%)",
             MEASURES, *where(catalog, MEASURES, "core_members_trained", "Kết quả"))


def test_task_progress_without_status(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, tasks={"TA-VII.2-a": {"Tỷ lệ hoàn thành (%)": 50}})
    rejected(db, catalog, data, "Thiếu Tình trạng", TASKS, *where(catalog, TASKS, "TA-VII.2-a", "Tình trạng"))


def test_unknown_task_status(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, tasks={"TA-VII.2-a": {"Tình trạng": "sắp xong"}})
    rejected(db, catalog, data, "Tình trạng 'sắp xong' không hợp lệ",
             TASKS, *where(catalog, TASKS, "TA-VII.2-a", "Tình trạng"))


def test_done_task_below_100_percent(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD,
                  tasks={"TA-VII.2-a": {"Tình trạng": "Hoàn thành", "Tỷ lệ hoàn thành (%)": 60}})
    rejected(db, catalog, data, "Tình trạng “Hoàn thành” nhưng tỷ lệ hoàn thành là 60%",
             TASKS, *where(catalog, TASKS, "TA-VII.2-a", "Tỷ lệ hoàn thành (%)"))


def test_impossible_date(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD,
                  tasks={"TA-VII.2-a": {"Tình trạng": "Hoàn thành", "Ngày hoàn thành": "31/02/2026"}})
    rejected(db, catalog, data, "Ngày hoàn thành '31/02/2026' không phải ngày có thật",
             TASKS, *where(catalog, TASKS, "TA-VII.2-a", "Ngày hoàn thành"))


def test_completion_date_in_the_future(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD,
                  tasks={"TA-VII.2-a": {"Tình trạng": "Hoàn thành", "Ngày hoàn thành": "05/04/2026"}})
    rejected(db, catalog, data, "Ngày hoàn thành 05/04/2026 ở sau hôm nay",
             TASKS, *where(catalog, TASKS, "TA-VII.2-a", "Ngày hoàn thành"), today=dt.date(2026, 3, 31))


def test_sheet_for_another_locality(db, catalog):
    data = template_bytes(catalog, "tan_an", "vhxh", PERIOD)
    rejected(db, catalog, data, "Phiếu là của Xã Tân An, nhưng đang nạp cho Phường Hưng Đạo",
             MEASURES, *code_cell(catalog), expected=("hung_dao", None, PERIOD))


def test_sheet_for_another_period(db, catalog):
    data = template_bytes(catalog, "tan_an", "vhxh", PERIOD)
    rejected(db, catalog, data, "Phiếu là của Tháng 03/2026, nhưng đang nạp cho Tháng 04/2026",
             MEASURES, *code_cell(catalog), expected=("tan_an", "vhxh", "2026-04"))


def test_sheet_for_another_unit(db, catalog):
    data = template_bytes(catalog, "tan_an", "vhxh", PERIOD)
    rejected(db, catalog, data, "Phiếu là của đơn vị “Phòng Văn hóa - Xã hội xã”, nhưng đang nạp cho đơn vị "
             "“Công an xã”", MEASURES, *code_cell(catalog), expected=("tan_an", "ca", PERIOD))


def test_period_not_yet_come(db, catalog):
    data = template_bytes(catalog, "tan_an", "vhxh", PERIOD)
    rejected(db, catalog, data, "Kỳ báo cáo Tháng 03/2026 chưa tới", MEASURES, *code_cell(catalog),
             today=dt.date(2026, 2, 20))


def test_period_outside_the_plan(db, catalog):
    data = template_bytes(catalog, "binh_giang", "vhxh", "2027-01")
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog, today=dt.date(2027, 3, 1))
    assert not result.accepted
    assert "nằm ngoài thời gian của kế hoạch (2026–2026)" in result.errors[0].message
    assert table_counts(db)["submissions"] == 0


def test_tampered_sheet_code(db, catalog):
    row, column = code_cell(catalog)
    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD),
                lambda book: book[MEASURES].__setitem__(f"{column}{row}", "tan_an/vhxh/2026-3"))
    rejected(db, catalog, data, "Mã phiếu 'tan_an/vhxh/2026-3' không hợp lệ", MEASURES, row, column)


def test_period_label_edited_but_not_the_code(db, catalog):
    row, column = code_cell(catalog)
    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD),
                lambda book: book[MEASURES].__setitem__(f"{column}{row - 1}", "Tháng 04/2026"))
    rejected(db, catalog, data, "Kỳ báo cáo ghi 'Tháng 04/2026' nhưng mã phiếu là của Tháng 03/2026",
             MEASURES, row - 1, column)


def test_old_template_version(db, catalog):
    row, column = code_cell(catalog)

    def version_2(book):
        for name in (MEASURES, TASKS):
            book[name][f"{column}{row}"] = "tan_an/vhxh/2026-03/v2"
    rejected(db, catalog, edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD), version_2),
             "Phiếu theo mẫu phiên bản 2", MEASURES, row, column)


def test_village_sheet_without_village(db, catalog):
    data = filled(catalog, "nam_thanh_mien", "thon", PERIOD, {"village_innovation_team_share": "Có"})
    rejected(db, catalog, data, "Phiếu của thôn phải ghi tên thôn / tổ dân phố", MEASURES, 5, "C")


def test_missing_result_column(db, catalog):
    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD),
                lambda book: book[MEASURES].__setitem__("G9", "Ý kiến"))
    rejected(db, catalog, data, "Thiếu cột 'Kết quả' ở dòng tiêu đề", MEASURES, 9, None)


def test_workbook_that_is_not_a_monthly_sheet(db, catalog):
    book = Workbook()
    book.active.title = "Sheet1"
    book.active["A1"] = "Danh sách cán bộ"
    out = io.BytesIO()
    book.save(out)
    rejected(db, catalog, out.getvalue(), "tệp không phải phiếu báo cáo tháng", None, None, None)


def test_every_problem_of_a_file_is_reported(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD,
                  {"household_broadband": "mười", "citizen_training_sessions": -1, "plan_issued": "?"},
                  tasks={"TA-VII.2-a": {"Tình trạng": "xong"}})
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert len(result.errors) == 4
    assert {p.sheet for p in result.errors} == {MEASURES, TASKS}
    assert table_counts(db)["submissions"] == 0


# ---------- accepted sheets ----------

def test_round_trip_values_read_back_equal_what_was_filled(db, catalog):
    spec = sheet_spec(catalog, "tan_an", "vhxh")
    typed, expected = {}, {}
    for i, line in enumerate(spec.lines):
        if line.entry == "percent":
            typed[line.code], expected[line.code] = f"{50 + i},5", 50.5 + i
        elif line.entry == "count":
            typed[line.code], expected[line.code] = i, float(i)
        else:
            typed[line.code], expected[line.code] = ("Có", 1.0) if i % 2 else ("Không", 0.0)
    tasks = {t.code: {"Tình trạng": "Đang thực hiện", "Tỷ lệ hoàn thành (%)": 10 * (i % 10),
                      "Minh chứng": f"Văn bản số {i}"} for i, t in enumerate(spec.tasks)}
    data = filled(catalog, "tan_an", "vhxh", PERIOD, typed, tasks,
                  extra={("public_wifi_coverage", "Minh chứng"): "Biên bản kiểm tra",
                         ("public_wifi_coverage", "Ghi chú"): "3/4 điểm"})
    result = ingest_file(db, "tan_an_vhxh.xlsx", data, user="Chị Lan", catalog=catalog)
    assert result.accepted and not result.warnings, [str(p) for p in result.problems]
    assert result.summary().startswith("ĐÃ NHẬN tan_an_vhxh.xlsx: Xã Tân An – Phòng Văn hóa - Xã hội xã – Tháng 03/2026")
    stored = dict(query(db, "SELECT measure, value FROM current_values WHERE locality_id = 'tan_an'"))
    assert stored == pytest.approx(expected)
    assert query(db, "SELECT evidence, note FROM submission_values WHERE measure = 'public_wifi_coverage'") == \
        [("Biên bản kiểm tra", "3/4 điểm")]
    task_rows = {code: (status, percent, evidence) for code, status, percent, evidence in query(
        db, "SELECT task_code, status, percent, evidence FROM current_task_updates")}
    assert task_rows == {t.code: ("Đang thực hiện", 10.0 * (i % 10), f"Văn bản số {i}")
                         for i, t in enumerate(spec.tasks)}
    assert query(db, "SELECT unit_code, village, period, uploaded_by, is_current, is_sample, template_version, "
                     "n_values, n_blank, n_tasks FROM submissions") == \
        [("vhxh", "", PERIOD, "Chị Lan", True, False, "1", len(spec.lines), 0, len(spec.tasks))]


def test_blank_is_not_reported_and_distinct_from_zero(db, catalog):
    data = filled(catalog, "tan_an", "vhxh", PERIOD, {"citizen_training_sessions": 0, "household_broadband": 0})
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert result.accepted
    row, column = where(catalog, MEASURES, "public_wifi_coverage", "Kết quả")
    warning = next(p for p in result.warnings if "public_wifi_coverage" in p.message)
    assert (warning.severity, warning.sheet, warning.row, warning.column) == ("warning", MEASURES, row, column)
    assert "Chưa báo cáo chỉ tiêu 'public_wifi_coverage' tháng này" in warning.message
    assert dict(query(db, "SELECT measure, value FROM current_values")) == \
        {"citizen_training_sessions": 0, "household_broadband": 0}
    assert result.n_values == 2 and result.n_blank == len(sheet_spec(catalog, "tan_an", "vhxh").lines) - 2


def test_original_file_is_stored_with_its_hash(db, catalog):
    data = filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 1})
    result = ingest_file(db, "ca.xlsx", data, catalog=catalog)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    with connection(db) as con:
        assert stored_file(con, result.sha256) == data
    assert query(db, "SELECT file_name, size_bytes FROM upload_files") == [("ca.xlsx", len(data))]


def test_reupload_replaces_current_and_keeps_history(db, catalog):
    first = filled(catalog, "tan_an", "vhxh", PERIOD, {"public_wifi_coverage": 60, "citizen_training_sessions": 1},
                   tasks={"TA-VII.2-a": {"Tình trạng": "Đang thực hiện", "Tỷ lệ hoàn thành (%)": 40}})
    second = filled(catalog, "tan_an", "vhxh", PERIOD, {"public_wifi_coverage": 75, "household_broadband": 50,
                                                        "citizen_training_sessions": 1},
                    tasks={"TA-VII.2-a": {"Tình trạng": "Hoàn thành"}})
    one = ingest_file(db, "v1.xlsx", first, catalog=catalog)
    two = ingest_file(db, "v2.xlsx", second, catalog=catalog)
    assert two.accepted and two.replaced_id == one.submission_id
    assert "thay phiếu số" in two.summary()
    assert query(db, "SELECT id, is_current, replaces FROM submissions ORDER BY id") == \
        [(one.submission_id, False, None), (two.submission_id, True, one.submission_id)]
    assert dict(query(db, "SELECT measure, value FROM current_values")) == \
        {"public_wifi_coverage": 75, "household_broadband": 50, "citizen_training_sessions": 1}
    assert dict(query(db, "SELECT measure, value FROM submission_values WHERE submission_id = ?",
                      [one.submission_id])) == {"public_wifi_coverage": 60, "citizen_training_sessions": 1}
    changes = {c.code: (c.old_text, c.new_text) for c in two.changes}
    assert changes == {"public_wifi_coverage": ("60%", "75%"), "household_broadband": ("(trống)", "50%"),
                       "TA-VII.2-a": ("Đang thực hiện (40%)", "Hoàn thành (100%)")}


def test_dry_run_shows_changes_and_writes_nothing(db, catalog):
    ingest_file(db, "v1.xlsx", filled(catalog, "tan_an", "kt", PERIOD, {"sme_digital_share": 30}), catalog=catalog)
    before = table_counts(db)
    preview = ingest_file(db, "v2.xlsx", filled(catalog, "tan_an", "kt", PERIOD, {"sme_digital_share": 35}),
                          catalog=catalog, dry_run=True)
    assert preview.accepted and preview.dry_run and preview.submission_id is None
    assert [(c.code, c.old, c.new) for c in preview.changes] == [("sme_digital_share", 30, 35)]
    assert preview.summary().startswith("HỢP LỆ v2.xlsx")
    assert table_counts(db) == before


def test_same_bytes_twice_are_not_duplicated(db, catalog):
    data = filled(catalog, "tan_an", "kt", PERIOD, {"sme_digital_share": 30})
    first = ingest_file(db, "a.xlsx", data, catalog=catalog)
    again = ingest_file(db, "a (1).xlsx", data, catalog=catalog)
    assert again.accepted and again.duplicate and again.submission_id == first.submission_id
    assert again.summary().startswith("ĐÃ CÓ a (1).xlsx")
    assert table_counts(db)["submissions"] == 1 and table_counts(db)["upload_files"] == 1


def test_going_back_to_an_earlier_file_keeps_one_copy_of_its_bytes(db, catalog):
    a = filled(catalog, "tan_an", "kt", PERIOD, {"sme_digital_share": 30})
    b = filled(catalog, "tan_an", "kt", PERIOD, {"sme_digital_share": 40})
    ids = [r.submission_id for r in ingest_files(db, [("a", a), ("b", b), ("a", a)], catalog=catalog)]
    assert len(set(ids)) == 3
    assert table_counts(db)["upload_files"] == 2
    assert dict(query(db, "SELECT measure, value FROM current_values")) == {"sme_digital_share": 30}


def test_villages_are_separate_submissions_stored_as_100_or_0(db, catalog):
    results = ingest_files(db, [
        ("dong.xlsx", filled(catalog, "nam_thanh_mien", "thon", PERIOD, {"village_innovation_team_share": "Có"},
                             village="Thôn Đông")),
        ("tay.xlsx", filled(catalog, "nam_thanh_mien", "thon", PERIOD, {"village_innovation_team_share": "Không"},
                            village="Thôn Tây")),
        ("tay2.xlsx", filled(catalog, "nam_thanh_mien", "thon", PERIOD, {"village_innovation_team_share": "x"},
                             village="thôn  tây")),
    ], catalog=catalog)
    assert all(r.accepted for r in results)
    assert results[2].replaced_id == results[1].submission_id
    assert sorted(query(db, "SELECT village, value FROM current_values")) == [("Thôn Tây", 100), ("Thôn Đông", 100)]


def test_whole_locality_sheet(db, catalog):
    data = filled(catalog, "ke_sat", "all", PERIOD, {"dvc_online_usage": 55, "innovation_models": 1})
    result = ingest_file(db, "ks.xlsx", data, catalog=catalog, expected=("ke_sat", "all", PERIOD))
    assert result.accepted
    assert query(db, "SELECT DISTINCT unit_code FROM current_values") == [("all",)]


def test_sample_marker_sets_is_sample(db, catalog):
    data = workbook_bytes(build_workbook(catalog, "tan_an", "ca", PERIOD, sample=True))
    result = ingest_file(db, "mau.xlsx", data, catalog=catalog)
    assert result.accepted and result.identity.is_sample
    with connection(db) as con:
        assert has_sample_data(con)


def test_no_sample_data_by_default(db, catalog):
    ingest_file(db, "ca.xlsx", filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 1}),
                catalog=catalog)
    with connection(db) as con:
        assert not has_sample_data(con)


def test_failure_while_writing_rolls_back(db, catalog, monkeypatch):
    real = uploads._insert_many

    def fail_on_tasks(con, table, rows):
        if table == "task_updates":
            raise duckdb.ConstraintException("simulated")
        real(con, table, rows)
    monkeypatch.setattr(uploads, "_insert_many", fail_on_tasks)
    data = filled(catalog, "tan_an", "vhxh", PERIOD, {"public_wifi_coverage": 60},
                  tasks={"TA-VII.2-a": {"Tình trạng": "Hoàn thành"}})
    result = ingest_file(db, "phieu.xlsx", data, catalog=catalog)
    assert not result.accepted and "Lỗi khi ghi vào cơ sở dữ liệu, không ghi gì" in result.errors[0].message
    assert table_counts(db) == {"submissions": 0, "submission_values": 0, "task_updates": 0, "upload_files": 0}


def test_locked_store_is_a_result_not_an_exception(db, catalog, monkeypatch):
    def locked(path):
        raise StoreLockedError("Cơ sở dữ liệu đang được một tiến trình khác mở")
    monkeypatch.setattr(ingest_module, "connection", locked)
    data = filled(catalog, "tan_an", "ca", PERIOD, {"fraud_awareness_sessions": 1})
    results = ingest_files(db, [("a.xlsx", data), ("b.xlsx", data)], catalog=catalog)
    assert [r.store_locked for r in results] == [True, True]
    assert "đang được một tiến trình khác mở" in results[0].errors[0].message


def test_missing_header_row(db, catalog):
    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD),
                lambda book: book[MEASURES].__setitem__("B9", "Mã số"))
    rejected(db, catalog, data, "Không tìm thấy dòng tiêu đề có cột 'Mã chỉ tiêu' trong trang", MEASURES, None, None)


def test_missing_measure_sheet(db, catalog):
    data = edit(template_bytes(catalog, "tan_an", "vhxh", PERIOD), lambda book: book.remove(book[MEASURES]))
    rejected(db, catalog, data, "Thiếu trang 'Chỉ tiêu' của phiếu", None, None, None)


def test_invalid_choice_on_upload_is_a_problem_not_an_exception(db, catalog):
    data = template_bytes(catalog, "tan_an", "vhxh", PERIOD)
    rejected(db, catalog, data, "Kỳ báo cáo đã chọn không hợp lệ", MEASURES, *code_cell(catalog),
             expected=("tan_an", "vhxh", "2026/13"))
