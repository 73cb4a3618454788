"""The app in a real browser: upload a filled sheet, see the new score on the overview, save a
screenshot of every page (test-output/screenshots/) for a person to look at, and download a report.

Runs Debian's chromium through Playwright against ``streamlit run app.py`` on a free loopback
port, on a copy of the known database (tests/page_fixtures.py).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from page_fixtures import JUNE, build_known_db, expected_reports, sheet

from plans.periods import Period
from plans.text import fmt_number, strip_accents

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "screenshots"
JULY = Period(2026, 7)
PAGES = (
    ("Tổng quan", "Tổng quan"), ("So sánh địa phương", "So sánh địa phương"),
    ("Tiến độ theo giai đoạn", "Tiến độ theo giai đoạn"), ("Nhóm chỉ tiêu", "Nhóm chỉ tiêu"),
    ("Nhiệm vụ", "Nhiệm vụ"), ("Nộp báo cáo tháng", "Nộp báo cáo tháng"),
    ("Danh mục chỉ tiêu", "Danh mục chỉ tiêu, nhiệm vụ và bộ chỉ số"),
)
IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
               && !document.querySelector('[data-stale="true"]')"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


@pytest.fixture()
def app_url(tmp_path: Path, catalog) -> Iterator[tuple[str, Path]]:
    """``streamlit run app.py`` on a free port and a known database; stopped by its own PID."""
    db = build_known_db(tmp_path / "dmst.duckdb", catalog)
    port = free_port()
    env = {**os.environ, "DMST_DB": str(db)}
    log = (tmp_path / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc)
        yield url, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture()
def browser_page():
    """A headless Chromium page (Debian's chromium; Playwright cannot download its own here)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            yield browser.new_page(viewport={"width": 1500, "height": 2400}, locale="vi-VN")
        finally:
            browser.close()


def settle(page, timeout: float = 30_000) -> None:
    """Wait until the script run is over and charts and tables have drawn."""
    page.wait_for_function(IDLE, timeout=timeout)
    page.wait_for_timeout(600)
    page.wait_for_function(IDLE, timeout=timeout)
    page.wait_for_timeout(1500)


def go_to(page, title: str, heading: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
    settle(page)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label``."""
    page.locator('[data-testid="stSelectbox"]', has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def test_upload_then_overview_shows_the_new_score_and_screenshots(app_url, browser_page, tmp_path, catalog):
    url, db = app_url
    page = browser_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(url)
    page.get_by_role("heading", name="Tổng quan").first.wait_for(timeout=60_000)
    settle(page)
    june = expected_reports(db, catalog, JUNE, ["tan_an"])["tan_an"].kpi.points
    page.get_by_text(fmt_number(june, 2), exact=True).first.wait_for()

    go_to(page, "Nộp báo cáo tháng", "Nộp báo cáo tháng")
    choose(page, "Tháng báo cáo", JULY.label)
    page.get_by_label("Người nạp").fill("Nguyễn Thị Lan")
    page.get_by_label("Người nạp").press("Enter")
    settle(page)
    filled = tmp_path / "tan_an_2026-07.xlsx"
    filled.write_bytes(sheet(catalog, "tan_an", "all", JULY, {
        "dvc_online_usage": 91, "plan_issued": "Có", "staff_digital_trained": 100, "propaganda_campaigns": 4,
        "mgmt_initiatives": 8, "staff_it_equipped": 100, "shared_database": "Có"}))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(filled))
    confirm = page.get_by_role("button", name="Xác nhận nạp 1 phiếu hợp lệ")
    confirm.wait_for(timeout=30_000)
    page.get_by_text("✔ Hợp lệ").first.wait_for(state="attached")
    settle(page)
    page.screenshot(path=str(SHOTS / "06a-nop-bao-cao-kiem-tra.png"))
    confirm.click()
    page.get_by_text("ĐÃ NHẬN tan_an_2026-07.xlsx").first.wait_for(timeout=30_000)
    settle(page)
    page.get_by_text("Lịch sử nộp phiếu").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "06b-nop-bao-cao-lich-su.png"))

    go_to(page, "Tổng quan", "Tổng quan")
    july = expected_reports(db, catalog, JULY, ["tan_an"])["tan_an"].kpi
    assert july.points != june
    page.get_by_text(fmt_number(july.points, 2), exact=True).first.wait_for(timeout=30_000)
    assert page.get_by_text(JULY.label).first.is_visible()

    for number, (title, heading) in enumerate(PAGES, start=1):
        go_to(page, title, heading)
        if title != "Danh mục chỉ tiêu":
            page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
            settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, title
        page.screenshot(path=str(SHOTS / f"{number:02d}-{'-'.join(strip_accents(title).split())}.png"))

    go_to(page, "Tổng quan", "Tổng quan")
    page.get_by_text("Chế độ trình chiếu").first.click()
    page.get_by_role("button", name="Tiếp theo ▶").wait_for(timeout=30_000)
    settle(page)
    assert not page.locator('section[data-testid="stSidebar"]').is_visible()
    page.screenshot(path=str(SHOTS / "08-trinh-chieu-tong-quan.png"))
    page.get_by_role("button", name="Tiếp theo ▶").click()
    settle(page)
    page.screenshot(path=str(SHOTS / "09-trinh-chieu-dia-phuong-tiep-theo.png"))



def test_report_page_downloads_the_docx_and_the_xlsx(app_url, browser_page, tmp_path):
    url, _ = app_url
    page = browser_page
    page.goto(url)
    page.get_by_role("heading", name="Tổng quan").first.wait_for(timeout=60_000)
    settle(page)
    go_to(page, "Báo cáo", "Báo cáo")
    page.get_by_text("Kết quả thực hiện Kế hoạch triển khai Đề án").first.wait_for(timeout=60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "10-bao-cao.png"))
    files = {}
    for label, suffix in (("Tải báo cáo (.docx)", ".docx"), ("Tải phụ lục (.xlsx)", ".xlsx")):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name=label).first.click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        assert target.suffix == suffix
        files[suffix] = target
    texts = [p.text for p in Document(files[".docx"]).paragraphs]
    assert "BÁO CÁO" in texts and any("6 tháng đầu năm 2026" in t for t in texts)
    assert load_workbook(files[".xlsx"]).sheetnames[0] == "Chỉ tiêu"
