"""Who sees and does what (README "Tài khoản và quyền"): no session → only the login page; each role
sees exactly its pages and localities; logout, idle timeout, disabled accounts; the Nhật ký page."""

from __future__ import annotations

import pytest
from page_fixtures import APP, JUNE, PASSWORD, XLSX_MIME, assert_clean, ensure_account, log_in, metric, open_page, sheet
from streamlit.testing.v1 import AppTest

from plans import clock
from store.account_admin import set_disabled
from store.db import connection, writing
from ui.navigation import PAGES

pytestmark = pytest.mark.both_backends

UPLOAD, JOURNAL, OVERVIEW, COMPARE = "views/upload.py", "views/journal.py", "views/overview.py", "views/compare.py"
REPORTS = "views/reports.py"


def nav_titles(at: AppTest) -> list[str]:
    """The pages the sidebar navigation offers."""
    return [p.page_name for p in at.get("sidebar_nav")] if at.get("sidebar_nav") else []


def locality_options(at: AppTest) -> list[str]:
    """The locality picker's choices, as names."""
    return list(at.selectbox(key="pick_locality").options)


def file_table(at: AppTest):
    """The upload page's table of checked files (one row per file)."""
    return next(t.value for t in [*at.dataframe, *at.table] if "Kết quả" in t.value.columns)


def names(catalog, *ids: str) -> list[str]:
    return [catalog.plan(i).name for i in ids]


def refused(at: AppTest, page: str) -> bool:
    """The page is not in the menu, and opened by its address it says whose page it is and runs nothing."""
    title = next(spec.title for spec in PAGES if spec.script == page)
    at.switch_page(page).run()
    hidden = title not in nav_titles(at)
    said = any(f"Trang “{title}” chỉ dành cho tài khoản" in e.value for e in at.error)
    return hidden and said and not at.get("file_uploader") and not at.dataframe


def test_without_a_session_only_the_login_page_shows(known_db):
    ensure_account("admin")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.title[0].value == "Đăng nhập"
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]
    assert [b.label for b in at.button] == ["Đăng nhập"]
    assert not at.get("plotly_chart") and not at.dataframe and not at.get("file_uploader")
    at.switch_page(UPLOAD).run()  # an address of the app: the login form, not the page
    assert at.title[0].value == "Đăng nhập" and not at.get("file_uploader")


def test_a_wrong_password_is_refused_and_logged(known_db):
    ensure_account("admin")
    at = AppTest.from_file(APP, default_timeout=60).run()
    log_in(at, "admin-all", "sai mật khẩu")
    assert [e.value for e in at.error] == ["Sai tên đăng nhập hoặc mật khẩu."]
    assert "account" not in at.session_state
    with connection(known_db) as con:
        assert con.execute("SELECT actor, action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone() == (
            "admin-all",
            "login_failed",
        )


def test_admin_sees_every_page_and_locality(known_db, catalog):
    at = open_page(OVERVIEW)
    assert_clean(at)
    assert locality_options(at) == names(catalog, *catalog.plans)
    at.switch_page(JOURNAL).run()
    assert_clean(at)
    journal = at.dataframe[0].value
    assert "Đăng nhập" not in set(journal["Việc"])  # sign-ins are shown when asked for
    at.multiselect(key="journal_actions").select("login").run()
    journal = at.dataframe[0].value
    assert list(journal["Việc"])[:1] == ["Đăng nhập"] and "admin-all" in set(journal["Người thực hiện"])
    at.switch_page(UPLOAD).run()
    assert at.get("file_uploader")


def test_a_scoped_viewer_reads_every_locality_its_own_first_and_changes_nothing(known_db, catalog):
    at = open_page(OVERVIEW, role="viewer", scope="hung_dao")
    assert_clean(at)
    assert locality_options(at) == names(catalog, "hung_dao", "tan_an", "binh_giang", "ke_sat", "nam_thanh_mien")
    assert at.session_state["locality_id"] == "tan_an"  # the link asked for Tân An: readable by every account
    assert refused(at, UPLOAD) and refused(at, JOURNAL)
    at.switch_page(COMPARE).run()
    assert_clean(at)
    assert len(at.multiselect[0].options) == len(catalog.plans)


def test_report_templates_are_changed_by_the_office_of_the_locality_or_an_admin(known_db):
    viewer = open_page(REPORTS, role="viewer", scope="tan_an")
    assert_clean(viewer)
    assert not viewer.get("file_uploader") and all(b.key != "template_reset" for b in viewer.button)
    office = open_page(REPORTS, role="office", scope="tan_an")
    assert office.file_uploader(key="template_upload")
    office.radio(key="report_scope").set_value("Cả thành phố (so sánh các địa phương)").run()
    assert not office.get("file_uploader")
    assert refused(office, "views/add_locality.py") and refused(office, "views/accounts.py")


def test_an_account_opens_on_its_own_locality_and_reads_another(known_db, catalog):
    viewer = ensure_account("viewer", "ke_sat")
    at = AppTest.from_file(APP, default_timeout=60).run()
    log_in(at, viewer)
    assert_clean(at)
    assert at.session_state["locality_id"] == "ke_sat"
    at.session_state["locality_id"] = "hung_dao"
    at.run()
    assert_clean(at)
    assert at.session_state["locality_id"] == "hung_dao"
    assert metric(at, "Điểm KPI /100")


def test_an_office_uploads_only_for_its_locality_and_cannot_load_sample_data(known_db, catalog):
    at = open_page(UPLOAD, locality="hung_dao", role="office")
    assert_clean(at)
    assert locality_options(at)[0] == catalog.plan("hung_dao").name and len(locality_options(at)) == 5
    assert all(b.key != "load_sample" for b in at.button)
    at.checkbox(key="upload_only_here").uncheck().run()
    other = sheet(catalog, "tan_an", "all", JUNE, {"dvc_online_usage": 99})
    at.file_uploader(key="upload_files_0").set_value([("tan_an.xlsx", other, XLSX_MIME)]).run()
    files = file_table(at).iloc[0]
    assert files["Kết quả"] == "✖ Bị từ chối"
    assert all(b.key != "upload_confirm" for b in at.button)
    problems = next(t.value for t in [*at.dataframe, *at.table] if "Mức" in t.value.columns)
    assert "Tài khoản office-hung_dao chỉ được nạp phiếu cho Phường Hưng Đạo; phiếu này là của Xã Tân An." in set(
        problems["Nội dung"]
    )
    (advice,) = [w.value for w in at.warning if w.value.startswith(r"**tan\_an\.xlsx**")]
    assert "gửi tệp cho Phòng Văn hóa - Xã hội của Xã Tân An hoặc quản trị viên" in advice
    assert "sửa" not in advice
    # with "only this locality" ticked, the advice is the same: never to choose a locality it cannot load for
    at.checkbox(key="upload_only_here").check().run()
    (advice,) = [w.value for w in at.warning if w.value.startswith(r"**tan\_an\.xlsx**")]
    assert "gửi tệp cho Phòng Văn hóa - Xã hội của Xã Tân An" in advice and "ở ô “Địa phương”" not in advice
    shown = " ".join([w.value for w in at.warning] + list(problems["Nội dung"]))
    assert "tan_an" not in shown.replace("tan_an.xlsx", "") and " hung_dao" not in shown  # names, not codes


def test_an_office_closes_its_month_and_then_uploads_are_refused(known_db, catalog):
    at = open_page(JOURNAL, locality="hung_dao", role="office")
    assert_clean(at)
    at.button(key="close_month").click().run()  # asks first: an office cannot open the month again
    assert_clean(at)
    (question,) = [w.value for w in at.warning if w.value.startswith("Khóa Tháng 06/2026 của Phường Hưng Đạo?")]
    assert "Chỉ quản trị viên mở lại được" in question
    at.button(key="close_cancel").click().run()
    assert any(b.key == "close_month" for b in at.button) and not any("đã được" in w.value for w in at.warning)
    at.button(key="close_month").click().run()
    at.button(key="close_confirm").click().run()
    assert_clean(at)
    assert any("Tháng 06/2026 của Phường Hưng Đạo đã được office-hung_dao khóa lúc" in w.value for w in at.warning)
    assert all(b.key != "reopen_month" for b in at.button)
    at.switch_page(UPLOAD).run()
    # the lock and who can open it again are said before any file is chosen
    assert any(
        "Phường Hưng Đạo đã được office-hung_dao khóa" in w.value and "Chỉ quản trị viên" in w.value for w in at.warning
    )
    sent = sheet(catalog, "hung_dao", "vhxh", JUNE, {"staff_digital_trained": 90})
    at.file_uploader(key="upload_files_0").set_value([("hd.xlsx", sent, XLSX_MIME)]).run()
    assert file_table(at).iloc[0]["Kết quả"] == "✖ Bị từ chối"
    (advice,) = [w.value for w in at.warning if w.value.startswith(r"**hd\.xlsx**")]
    assert "không có lỗi trong phiếu" in advice and "chỉ quản trị viên mở lại được" in advice
    assert "sửa" not in advice and "lỗi trong tệp" not in advice
    at.switch_page(JOURNAL).run()
    journal = at.dataframe[0].value
    assert set(journal["Địa phương"]) <= {"Phường Hưng Đạo", "—"}
    assert "Khóa tháng" in set(journal["Việc"])
    (refused,) = journal[journal["Việc"] == "Phiếu bị từ chối"]["Nội dung"]  # one row, however often the page ran
    assert refused.startswith("Từ chối tệp hd.xlsx: 1 lỗi — Tháng 06/2026 của Phường Hưng Đạo đã được")


def test_an_admin_reopens_a_month_with_a_reason(known_db):
    office = open_page(JOURNAL, locality="hung_dao", role="office")
    office.button(key="close_month").click().run()
    office.button(key="close_confirm").click().run()
    at = open_page(JOURNAL, locality="hung_dao")
    at.text_input(key="reopen_reason").input("Bổ sung phiếu muộn").run()
    at.button(key="reopen_month").click().run()
    assert_clean(at)
    assert any(b.key == "close_month" for b in at.button)
    assert "Mở lại Tháng 06/2026: Bổ sung phiếu muộn" in set(at.dataframe[0].value["Nội dung"])


def test_logout_idle_timeout_and_a_disabled_account(known_db):
    at = open_page(OVERVIEW)
    at.sidebar.button(key="logout").click().run()
    assert at.title[0].value == "Đăng nhập" and any("Đã đăng xuất" in i.value for i in at.info)
    at.run()  # a rerun of the sign-in page (the page's width is measured) keeps the reason
    assert any("Đã đăng xuất" in i.value for i in at.info)
    log_in(at, "admin-all", PASSWORD)
    assert not any("Đã đăng xuất" in i.value for i in at.info)
    with writing(known_db) as con:  # the session was last used 31 minutes ago (DMST_IDLE_MINUTES is 30)
        con.execute("UPDATE sessions SET last_seen = last_seen - INTERVAL '31 minutes' WHERE ended_at IS NULL")
    at.run()
    assert at.title[0].value == "Đăng nhập" and any("hết hạn vì lâu không dùng" in i.value for i in at.info)
    log_in(at, "admin-all", PASSWORD)
    assert at.title[0].value == "Tổng quan"
    with writing(known_db) as con:
        set_disabled(con, "admin-all", True, clock.now())
    at.run()
    assert at.title[0].value == "Đăng nhập" and any("tài khoản vừa được thay đổi" in i.value for i in at.info)
