"""Nộp báo cáo tháng: download, check before writing, every problem located, re-upload diff, confirm,
completeness grid, sample data."""

from __future__ import annotations

import pytest
from page_fixtures import JUNE, VALUES, assert_clean, expected_reports, figure, metric, open_page, sheet

from loaders.demo import run_demo
from plans import clock
from plans import vocabulary as s
from plans.palette import status_label
from plans.periods import Period
from plans.reporting import ALL_UNITS_NAME
from plans.text import fmt_number
from ui import data
from ui import upload_tables as ut
from ui.controls import default_period

pytestmark = pytest.mark.both_backends

KPI = "Điểm KPI /100"
PAGE = "views/upload.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JULY = Period(2026, 7)


def uploader(at):
    return at.file_uploader(key=f"upload_files_{at.session_state['upload_round']}")


def table_with(at, column: str):
    """The first table on the page (interactive or static) that has ``column``."""
    return next(t.value for t in [*at.dataframe, *at.table] if column in t.value.columns)


def test_download_offers_the_sheet_of_the_chosen_unit_and_month(known_db):
    at = open_page(PAGE)
    assert_clean(at)
    at.selectbox(key="template_unit").set_value("kt").run()
    assert at.download_button(key="template_download").label == f"Tải phiếu {JUNE.label} (.xlsx)"
    at.selectbox(key="template_unit").set_value("thon").run()
    assert at.text_input(key="template_village")


def test_a_filled_sheet_is_checked_then_written_and_shows_at_once(known_db, catalog):
    at = open_page(PAGE, period=JULY)
    july = sheet(
        catalog, "tan_an", "all", JULY, {"dvc_online_usage": 91, "plan_issued": "Có", "staff_digital_trained": 100}
    )
    uploader(at).set_value([("tan_an_07.xlsx", july, XLSX)]).run()
    assert_clean(at)
    checked = table_with(at, "Cảnh báo").iloc[0]
    assert (checked["Kết quả"], checked["Tháng"]) == ("✔ Hợp lệ", JULY.label)
    assert (
        expected_reports(known_db, catalog, JULY, ["tan_an"])["tan_an"].kpi.points
        == expected_reports(known_db, catalog, JUNE, ["tan_an"])["tan_an"].kpi.points
    )
    at.button(key="upload_confirm").click().run()
    assert_clean(at)
    assert any("ĐÃ NHẬN tan\\_an\\_07\\.xlsx" in m.value for m in at.success)  # file names shown as plain text
    assert at.session_state["period"] == str(JULY)
    at.switch_page("views/overview.py").run()
    assert_clean(at)
    expected = expected_reports(known_db, catalog, JULY, ["tan_an"])["tan_an"]
    assert metric(at, KPI) == fmt_number(expected.kpi.points, 2)


def test_every_problem_is_listed_with_its_place(known_db, catalog):
    at = open_page(PAGE, period=JULY)
    bad = sheet(catalog, "tan_an", "all", JULY, {"dvc_online_usage": "nhiều lắm"})
    other = sheet(catalog, "hung_dao", "all", JULY, {"dvc_online_usage": 50})
    uploader(at).set_value(
        [("sai.xlsx", bad, XLSX), ("khac_xa.xlsx", other, XLSX), ("rong.xlsx", b"not a workbook", XLSX)]
    ).run()
    assert_clean(at)
    files = table_with(at, "Cảnh báo").set_index("Tệp")
    assert set(files["Kết quả"]) == {"✖ Bị từ chối"}
    problems = table_with(at, "Mức")
    assert set(problems["Tệp"]) == {"sai.xlsx", "khac_xa.xlsx", "rong.xlsx"}
    located = problems[problems["Tệp"] == "sai.xlsx"].iloc[0]
    assert located["Trang"] == "Chỉ tiêu" and located["Dòng"] != "—" and located["Cột"] != "—"
    assert all(b.key != "upload_confirm" for b in at.button)
    assert any("Không có phiếu nào để nạp" in e.value for e in at.error)
    # the sheet of another locality says whose it is, and the advice is to change the choice, not the sheet
    other_row = files.loc["khac_xa.xlsx"]
    assert (other_row["Địa phương"], other_row["Đơn vị"], other_row["Tháng"]) == (
        "Phường Hưng Đạo",
        ALL_UNITS_NAME,
        JULY.label,
    )
    advice = [w.value for w in at.warning]
    assert any(
        a.startswith(r"**khac\_xa\.xlsx** không có lỗi trong phiếu")
        and "chọn “Phường Hưng Đạo” ở ô “Địa phương”" in a
        and "sửa" not in a
        for a in advice
    ), advice  # (a file's name is markdown-escaped)
    assert any(a.startswith(r"**sai\.xlsx**: sửa 1 lỗi trong tệp") for a in advice)
    assert any(a.startswith(r"**rong\.xlsx**: sửa 1 lỗi trong tệp") for a in advice)
    assert list(problems["Mức"]) == sorted(problems["Mức"], key=lambda m: m != "✖ Lỗi")  # errors of every file first


def test_a_re_upload_shows_what_changes_before_confirming(known_db, catalog):
    at = open_page(PAGE)
    values = {**VALUES[("tan_an", "all", JUNE)], "dvc_online_usage": 90}  # the known June sheet, one figure changed
    uploader(at).set_value([("tan_an_06_sua.xlsx", sheet(catalog, "tan_an", "all", JUNE, values), XLSX)]).run()
    assert_clean(at)
    changes = table_with(at, "Đang dùng").set_index("Mã")
    assert (changes.at["dvc_online_usage", "Đang dùng"], changes.at["dvc_online_usage", "Phiếu mới"]) == (
        "85,5%",
        "90%",
    )
    assert "tthc_records_digitised" not in changes.index
    at.button(key="upload_confirm").click().run()
    assert_clean(at)
    after = expected_reports(known_db, catalog, JUNE, ["tan_an"])["tan_an"]
    assert after.value_map["dvc_online_usage"] == 90


def test_completeness_grid_of_units_and_months(known_db, catalog):
    at = open_page(PAGE, locality="hung_dao")
    assert_clean(at)
    grid = figure(at, "Phiếu báo cáo theo đơn vị và tháng — Phường Hưng Đạo")
    heat = grid["data"][0]
    plan = catalog.plan("hung_dao")
    row = [y.replace("<br>", " ") for y in heat["y"]].index(plan.unit_name("ttpvhcc"))
    assert heat["text"][row][-1] == "✔" and heat["text"][row][-2] == "✖"
    assert {t["name"] for t in grid["data"][1:]} == {status_label(x) for x in s.SUBMISSION_STATUSES}


def test_sample_sheets_raise_the_sample_banner(known_db, catalog):
    at = open_page(PAGE, locality="ke_sat")
    assert not any("DỮ LIỆU MẪU" in w.value for w in at.warning)
    sample = sheet(catalog, "ke_sat", "all", JUNE, {}, sample=True)
    uploader(at).set_value([("mau.xlsx", sample, XLSX)]).run()
    at.button(key="upload_confirm").click().run()
    assert_clean(at)
    assert any("DỮ LIỆU MẪU" in w.value for w in at.warning)


def test_fresh_install_can_load_sample_data(empty_db, catalog, monkeypatch: pytest.MonkeyPatch):
    one_month = Period(2026, 1)
    monkeypatch.setattr(data, "run_demo", lambda db, cat, **kw: run_demo(db, cat, one_month, one_month, **kw))
    at = open_page(PAGE)
    assert_clean(at)
    assert any("Chưa có số liệu nào" in i.value for i in at.info)
    at.button(key="load_sample").click().run()
    assert_clean(at)
    assert any("phiếu mẫu" in m.value for m in at.success)
    assert any("DỮ LIỆU MẪU" in w.value for w in at.warning)
    # the month shown is the newest one due or with data (the sample month, if it is the newer)
    assert at.session_state["period"] == str(default_period(one_month, clock.today()))


def test_a_sheet_of_another_month_is_refused_unless_the_office_allows_it(known_db, catalog):
    at = open_page(PAGE)
    july = sheet(catalog, "tan_an", "all", JULY, {"dvc_online_usage": 91})
    uploader(at).set_value([("thang7.xlsx", july, XLSX)]).run()
    assert_clean(at)
    assert table_with(at, "Cảnh báo").iloc[0]["Kết quả"] == "✖ Bị từ chối"
    problems = table_with(at, "Mức")
    assert f"Phiếu là của {JULY.label}, nhưng đang nạp cho {JUNE.label}" in set(problems["Nội dung"])
    rejected = table_with(at, "Cảnh báo").iloc[0]
    assert (rejected["Đơn vị"], rejected["Tháng"]) == (ALL_UNITS_NAME, JULY.label)
    (advice,) = [w.value for w in at.warning if r"thang7\.xlsx" in w.value]
    assert f"bỏ chọn ô “Chỉ nhận phiếu {JUNE.label}” để nạp phiếu {JULY.label}" in advice
    assert "lỗi trong tệp" not in advice
    at.checkbox(key="upload_only_month").uncheck().run()
    assert table_with(at, "Cảnh báo").iloc[0]["Kết quả"] == "✔ Hợp lệ"


def test_history_keeps_every_upload_with_who_sent_it_and_the_original_file(known_db, catalog):
    at = open_page(PAGE, locality="ke_sat")
    first = sheet(catalog, "ke_sat", "all", JUNE, {"dvc_full_online_share": 60})
    second = sheet(catalog, "ke_sat", "all", JUNE, {"dvc_full_online_share": 75})
    uploader(at).set_value([("ks_06.xlsx", first, XLSX)]).run()
    at.button(key="upload_confirm").click().run()
    uploader(at).set_value([("ks_06_sua.xlsx", second, XLSX)]).run()
    at.button(key="upload_confirm").click().run()
    assert_clean(at)
    history = table_with(at, "Người nạp")
    newest, older = history.iloc[0], history.iloc[1]
    assert (newest["Tệp"], newest["Người nạp"], newest["Tình trạng"]) == ("ks_06_sua.xlsx", "admin-all", "Đang dùng")
    assert (older["Tệp"], older["Tình trạng"]) == ("ks_06.xlsx", f"Đã thay bằng phiếu số {newest['Phiếu số']}")
    originals = ut.original_files(data.submission_log("ke_sat"), catalog.plan("ke_sat"))
    account = at.session_state["account"]
    assert data.original_file(originals[int(older["Phiếu số"])][1], "ke_sat", account) == first
    # A file's hash asked for under another locality (one the account may read) gives nothing.
    assert data.original_file(originals[int(older["Phiếu số"])][1], "tan_an", account) == b""


def test_one_outcome_table_per_batch_lists_every_file_until_the_next_batch(known_db, catalog):
    at = open_page(PAGE, period=JULY)
    good = sheet(catalog, "tan_an", "all", JULY, {"dvc_online_usage": 91})
    bad = sheet(catalog, "tan_an", "all", JULY, {"dvc_online_usage": "nhiều lắm"})
    uploader(at).set_value([("tot.xlsx", good, XLSX), ("sai.xlsx", bad, XLSX)]).run()
    at.button(key="upload_confirm").click().run()
    assert_clean(at)
    outcome = table_with(at, "Lý do").set_index("Tệp")
    assert list(outcome.index) == ["tot.xlsx", "sai.xlsx"]
    assert outcome.at["tot.xlsx", "Kết quả"] == "✔ Đã nạp" and outcome.at["sai.xlsx", "Kết quả"] == "✖ Bị từ chối"
    assert "nhiều lắm" in outcome.at["sai.xlsx", "Lý do"] and outcome.at["sai.xlsx", "Tháng"] == JULY.label
    at.switch_page("views/overview.py").run()
    at.switch_page(PAGE).run()
    assert list(table_with(at, "Lý do")["Tệp"]) == ["tot.xlsx", "sai.xlsx"]  # kept until the next batch
    uploader(at).set_value([("tot.xlsx", good, XLSX)]).run()
    assert all("Lý do" not in t.value.columns for t in [*at.dataframe, *at.table])
    assert any("các tệp này đã được nạp trước đây" in i.value for i in at.info)


def test_two_files_for_the_same_sheet_in_one_batch_must_be_chosen_between(known_db, catalog):
    at = open_page(PAGE, period=JULY)
    first = sheet(catalog, "tan_an", "all", JULY, {"dvc_online_usage": 70})
    second = sheet(catalog, "tan_an", "all", JULY, {"dvc_online_usage": 91})
    uploader(at).set_value([("ban_dau.xlsx", first, XLSX), ("ban_sua.xlsx", second, XLSX)]).run()
    assert_clean(at)
    assert any(
        "2 tệp khác nhau cho cùng một phiếu" in w.value and "ban_dau.xlsx, ban_sua.xlsx" in w.value for w in at.warning
    )
    assert at.button(key="upload_confirm").disabled
    at.radio(key="upload_keep_0").set_value("ban_dau.xlsx").run()
    confirm = at.button(key="upload_confirm")
    assert not confirm.disabled and confirm.label == "Xác nhận nạp 1 phiếu hợp lệ"
    confirm.click().run()
    assert_clean(at)
    assert expected_reports(known_db, catalog, JULY, ["tan_an"])["tan_an"].value_map["dvc_online_usage"] == 70
    outcome = table_with(at, "Lý do").set_index("Tệp")
    assert outcome.at["ban_sua.xlsx", "Kết quả"] == "○ Không nạp (đã chọn tệp khác)"


def test_a_backlog_upload_keeps_the_chosen_month_and_records_the_signed_in_account(known_db, catalog):
    at = open_page(PAGE, period=JULY)
    at.checkbox(key="upload_only_month").uncheck().run()
    backlog = [
        (f"tan_an_{p}.xlsx", sheet(catalog, "tan_an", "all", p, {"dvc_online_usage": 80 + p.month}), XLSX)
        for p in (Period(2026, 8), Period(2026, 9), Period(2026, 10))
    ]
    uploader(at).set_value(backlog).run()
    at.button(key="upload_confirm").click().run()
    assert_clean(at)
    assert set(table_with(at, "Lý do")["Kết quả"]) == {"✔ Đã nạp"}
    assert at.session_state["period"] == str(JULY)
    assert set(table_with(at, "Người nạp").head(3)["Người nạp"]) == {"admin-all"}


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("phieu.csv", "Mã chỉ tiêu;Kết quả\ndvc_online_usage;80\n".encode(), "tệp văn bản (ví dụ CSV)"),
        ("phieu.pdf", b"%PDF-1.4 ...", "tài liệu PDF"),
    ],
)
def test_any_file_type_is_accepted_by_the_picker_and_rejected_in_vietnamese(known_db, name, content, message):
    at = open_page(PAGE)
    assert at.file_uploader(key="upload_files_0").proto.type == []
    uploader(at).set_value([(name, content, "application/octet-stream")]).run()
    assert_clean(at)
    assert table_with(at, "Cảnh báo").iloc[0]["Kết quả"] == "✖ Bị từ chối"
    assert any(message in m for m in table_with(at, "Mức")["Nội dung"])
