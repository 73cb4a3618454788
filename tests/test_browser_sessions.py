"""Sign-in that lives in the browser (issue: a reload, a new tab or a shared link keeps you signed in),
the accounts page, and a mistyped address: Debian's chromium against the app as ``scripts/run.sh``
serves it (``serve.py``), a real sessions table on a real DuckDB file."""

from __future__ import annotations

import io
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from openpyxl import load_workbook
from page_fixtures import build_known_db, ensure_account
from test_browser import ROOT, SHOTS, served_app, settle, sign_in

from store.db import connection

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NEW_PASSWORD = "mật khẩu riêng của xã 2026"


@pytest.fixture()
def known(tmp_path, catalog):
    db = build_known_db(tmp_path / "dmst.duckdb", catalog)
    ensure_account("admin", path=db)
    ensure_account("viewer", "tan_an", path=db)
    return db


def heading(page, text: str, timeout: float = 60_000) -> None:
    page.get_by_role("heading", name=text).first.wait_for(timeout=timeout)


def session_cookie(context) -> dict:
    return next(c for c in context.cookies() if c["name"] == "dmst_phien")


def wait_for_cookie(context, page) -> dict:
    for _ in range(50):
        if any(c["name"] == "dmst_phien" for c in context.cookies()):
            return session_cookie(context)
        page.wait_for_timeout(200)
    raise AssertionError("the session cookie was not set")


def test_reload_second_tab_shared_link_restart_and_sign_out(browser, tmp_path, known):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    link = "/nhom-chi-tieu?dia_phuong=binh_giang&thang=2026-05&trinh_chieu=1&loai_nhom=chung&nhom=xhs"
    with served_app(tmp_path, DMST_DB=str(known), DMST_BACKUP_KEEP="0") as url:
        page.goto(url + link)  # a shared link opened while signed out
        heading(page, "Đăng nhập")
        assert page.get_by_text("Theo dõi Xã đổi mới sáng tạo").first.is_visible()
        sign_in(page)
        heading(page, "Nhóm chỉ tiêu")
        settle(page)
        assert "dia_phuong=binh_giang" in page.url and "thang=2026-05" in page.url and "nhom=xhs" in page.url
        assert page.get_by_text("(3/5)").first.is_visible()  # the slide of the link
        cookie = wait_for_cookie(context, page)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/" and not cookie["secure"]
        with connection(known) as con:
            stored = con.execute("SELECT token_hash, username, address FROM sessions").fetchall()
        assert [(row[1], row[2]) for row in stored] == [("admin-all", "127.0.0.1")]
        assert cookie["value"] not in str(stored) and len(stored[0][0]) == 64
        page.reload()  # F5 on the projector
        heading(page, "Nhóm chỉ tiêu")
        settle(page)
        assert page.get_by_text("(3/5)").first.is_visible()
        second = context.new_page()  # a second tab with the same link
        second.goto(url + link)
        heading(second, "Nhóm chỉ tiêu")
        assert not second.get_by_role("heading", name="Đăng nhập").count()
        second.close()
    with served_app(tmp_path, DMST_DB=str(known), DMST_BACKUP_KEEP="0") as url:  # the app restarted
        page.goto(url + link)
        heading(page, "Nhóm chỉ tiêu")
        page.screenshot(path=str(SHOTS / "session-after-restart.png"))
        page.goto(url + "/tong-quan?trinh_chieu=0")
        heading(page, "Tổng quan")
        settle(page)
        page.get_by_role("button", name="Đăng xuất").click()
        heading(page, "Đăng nhập")
        page.get_by_text("Đã đăng xuất.").first.wait_for(timeout=30_000)
        page.reload()
        heading(page, "Đăng nhập")
        with connection(known) as con:
            assert con.execute("SELECT end_reason FROM sessions ORDER BY created_at").fetchall() == [("dang_xuat",)]
    context.close()


def test_disabling_an_account_ends_its_open_session_and_its_downloads(browser, tmp_path, known):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    with served_app(tmp_path, DMST_DB=str(known), DMST_BACKUP_KEEP="0") as url:
        page.goto(url + "/bao-cao?dia_phuong=tan_an&thang=2026-06")
        sign_in(page, "viewer-tan_an")
        heading(page, "Báo cáo")
        settle(page)
        wait_for_cookie(context, page)
        with page.expect_download() as got:
            page.get_by_role("button", name="Tải mẫu mặc định (.docx)").click()
        assert got.value.path()
        done = subprocess.run(
            [sys.executable, "-m", "store", "--db", str(known), "users", "disable", "viewer-tan_an"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        with page.expect_download() as got:  # the button drawn before: its file is refused now
            page.get_by_role("button", name="Tải mẫu mặc định (.docx)").click()
        assert got.value.failure() is not None
        assert got.value.url.split("/")[-2] == "media"
        page.get_by_text("Cả thành phố (so sánh các địa phương)").first.click()  # the next rerun of the page
        heading(page, "Đăng nhập")
        page.get_by_text("tài khoản vừa được thay đổi").first.wait_for(timeout=30_000)
    context.close()


def test_an_admin_makes_office_accounts_and_one_signs_in_with_its_one_time_password(browser, tmp_path, known):
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    with served_app(tmp_path, DMST_DB=str(known), DMST_BACKUP_KEEP="0") as url:
        page.goto(url + "/tai-khoan")
        sign_in(page)
        heading(page, "Tài khoản")
        settle(page)
        chooser = page.locator('[data-testid="stMultiSelect"]', has_text="Các địa phương")
        for name in ("Xã Bình Giang", "Xã Kẻ Sặt", "Xã Nam Thanh Miện"):
            chooser.click()
            page.get_by_role("option", name=name, exact=True).click()
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Tạo các tài khoản").click()
        page.get_by_text("Đã tạo 3 tài khoản").first.wait_for(timeout=60_000)
        settle(page)
        page.screenshot(path=str(SHOTS / "accounts-batch.png"))
        with page.expect_download() as got:
            page.get_by_role("button", name="Tải danh sách (.xlsx)").click()
        sheet = load_workbook(io.BytesIO(open(got.value.path(), "rb").read())).active
        handed = {row[1]: row[2] for row in sheet.iter_rows(min_row=5, values_only=True)}
        assert set(handed) == {"binh_giang.vhxh", "ke_sat.vhxh", "nam_thanh_mien.vhxh"}
        assert all(len(password) == 14 for password in handed.values())
        page.get_by_role("button", name="Đăng xuất").click()
        heading(page, "Đăng nhập")
        sign_in_as = page.get_by_label("Tên đăng nhập")
        sign_in_as.fill("ke_sat.vhxh")
        page.get_by_label("Mật khẩu").fill(handed["ke_sat.vhxh"])
        page.get_by_role("button", name="Đăng nhập").click()
        heading(page, "Đặt mật khẩu mới")
        page.screenshot(path=str(SHOTS / "accounts-one-time-password.png"))
        page.get_by_label("Mật khẩu dùng một lần").fill(handed["ke_sat.vhxh"])
        page.get_by_label("Mật khẩu mới (ít nhất 10 ký tự)").fill(NEW_PASSWORD)
        page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Đặt mật khẩu mới").click()
        page.get_by_text("Đã đặt mật khẩu mới").first.wait_for(timeout=60_000)
        # still on the admin's address: an office may not manage accounts
        page.get_by_text("Trang “Tài khoản” chỉ dành cho tài khoản quản trị viên").first.wait_for(timeout=60_000)
        page.get_by_role("link", name="Mở trang Tổng quan").click()
        heading(page, "Tổng quan")
        settle(page)
        assert "dia_phuong=ke_sat" in page.url  # an account opens on its own locality
    with connection(known) as con:
        actions = con.execute(
            "SELECT actor, action FROM audit_log WHERE action IN ('user_added', 'password_changed') ORDER BY id"
        ).fetchall()
    assert actions[-4:] == [("admin-all", "user_added")] * 3 + [("ke_sat.vhxh", "password_changed")]
    context.close()


def test_a_viewer_cannot_open_the_accounts_page_and_a_mistyped_address_is_named(browser, tmp_path, known):
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    with served_app(tmp_path, DMST_DB=str(known), DMST_BACKUP_KEEP="0") as url:
        page.goto(url + "/tai-khoan")
        sign_in(page, "viewer-tan_an")
        page.get_by_text("Trang “Tài khoản” chỉ dành cho tài khoản quản trị viên").first.wait_for(timeout=60_000)
        assert not page.get_by_role("button", name="Tạo các tài khoản").count()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "/tong-quna?thang=2026-06", timeout=30)
        assert missing.value.code == 404
        page.goto(url + "/tong-quna")
        heading(page, "Không tìm thấy trang")
        page.get_by_role("link", name="Mở trang Tổng quan").click()
        heading(page, "Tổng quan")
