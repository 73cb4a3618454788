"""The app in a real browser, signed in through the login form at every address: upload a filled sheet, see the new
score on the overview; open every page at its own address with a link's choice; no English word a user can see; labels
that do not collide; presentation mode at 1920 px, a phone at 390 px and an A4 print; download a report.
Screenshots (and the printed PDF with one PNG per page) go to test-output/ for a person to look at.

Runs Debian's chromium through Playwright against ``python serve.py`` (as scripts/run.sh) on a free
loopback port, on a copy of the known database (tests/page_fixtures.py). A browser signs in once: the
session's cookie keeps it signed in on every later address.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from page_fixtures import JUNE, PASSWORD, build_known_db, ensure_account, expected_reports, sheet

from plans.periods import Period
from plans.text import fmt_number

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"
SHOTS = OUTPUT / "screenshots"
JULY = Period(2026, 7)
PAGES = (
    ("tong-quan", "Tổng quan"),
    ("so-sanh", "So sánh địa phương"),
    ("giai-doan", "Tiến độ theo giai đoạn"),
    ("nhom-chi-tieu", "Nhóm chỉ tiêu"),
    ("nhiem-vu", "Nhiệm vụ"),
    ("bao-cao", "Báo cáo"),
    ("nop-bao-cao", "Nộp báo cáo tháng"),
    ("danh-muc", "Danh mục chỉ tiêu, nhiệm vụ và bộ chỉ số"),
    ("nhat-ky", "Nhật ký"),
    ("them-dia-phuong", "Thêm địa phương"),
    ("tai-khoan", "Tài khoản"),
)
"""Every page's address and the heading it shows, in the menu's order (``ui.navigation.PAGES``)."""
ADDRESSES = tuple(page for page in PAGES if page[0] not in ("nhat-ky", "tai-khoan"))
"""The pages walked by address here (Nhật ký and Tài khoản: test_browser_fit, test_browser_sessions)."""
# English a user could meet in Streamlit's or plotly's own texts (whole words, any case)
ENGLISH = (
    "upload",
    "download",
    "search",
    "choose",
    "browse",
    "drag and drop",
    "per file",
    "limit",
    "zoom",
    "pan",
    "autoscale",
    "reset",
    "fullscreen",
    "page not found",
    "skip to",
    "show/hide",
    "clear",
    "select",
    "remove",
    "files",
    "help",
    "close",
    "copy",
    "copied",
    "no results",
    "options",
    "deploy",
    "settings",
    "rerun",
    "print",
    "running",
    "stop",
    "plot",
    "snapshot",
    "double-click",
    "produced with",
)
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    // (a screen reader's live announcement, such as the month picker's "12 options available", is not shown)
    if (!el || !node.textContent.trim() || el.closest('[data-testid="stIconMaterial"], style, script, [aria-live]'))
      continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    out.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[title], [data-title], [placeholder]')) {
    if (!el.checkVisibility() && !el.closest('.modebar')) continue;
    for (const name of ['title', 'data-title', 'placeholder'])
      if (el.getAttribute(name)) out.push(el.getAttribute(name));
  }
  for (const el of document.querySelectorAll('*')) {
    const after = getComputedStyle(el, '::after').content;
    if (after && after.startsWith('"')) out.push(after);
  }
  return out;
}"""
# rectangles of the elements matching ``inner`` inside the plotly chart whose title contains ``title`` (with its
# count of lines, width and whether it is turned)
RECTS = """([title, inner]) => {
  const chart = [...document.querySelectorAll('.js-plotly-plot')].find(
      c => (c.querySelector('.gtitle')?.textContent || '').includes(title));
  if (!chart) return null;
  return [...chart.querySelectorAll(inner)].map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent, lines: e.querySelectorAll('tspan.line').length || 1, l: r.left, r: r.right,
            t: r.top, b: r.bottom, w: r.width, turned: (e.getAttribute('transform') || '').includes('rotate')};
  });
}"""
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


@contextmanager
def served_app(folder: Path, **env: str) -> Iterator[str]:
    """``python serve.py`` (``streamlit run app.py``, as scripts/run.sh starts it) on a free port with
    ``env`` added (``DMST_DB``…), its log in ``folder``; yields the URL, then stops it by its own PID."""
    port = free_port()
    log = (folder / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "serve.py"),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture()
def app_url(tmp_path: Path, catalog) -> Iterator[tuple[str, Path]]:
    """The app on a known database, an admin account in it."""
    db = build_known_db(tmp_path / "dmst.duckdb", catalog)
    ensure_account("admin", path=db)
    with served_app(tmp_path, DMST_DB=str(db)) as url:
        yield url, db


def settle(page, timeout: float = 30_000) -> None:
    """Wait until the script run is over and charts and tables have drawn."""
    page.wait_for_function(IDLE, timeout=timeout)
    page.wait_for_timeout(600)
    page.wait_for_function(IDLE, timeout=timeout)
    page.wait_for_timeout(1500)


def sign_in(page, username: str = "admin-all") -> None:
    """Fill the login form as a person would (a new browser session always starts there)."""
    page.get_by_role("heading", name="Đăng nhập").first.wait_for(timeout=60_000)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def open_at(page, address: str, heading: str, username: str = "admin-all") -> None:
    """Load an address (as a shared link or F5 would), sign in when the browser has no session yet
    (its cookie keeps the first one), and wait for the page to draw."""
    page.goto(address)
    target, form = page.get_by_role("heading", name=heading), page.get_by_role("heading", name="Đăng nhập")
    target.or_(form).first.wait_for(timeout=60_000)
    if form.count():
        sign_in(page, username)
    target.first.wait_for(timeout=60_000)
    settle(page)


def go_to(page, title: str, heading: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
    settle(page)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label``."""
    page.locator('[data-testid="stSelectbox"]', has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def english_words(page) -> list[str]:
    """Every English word of :data:`ENGLISH` in what the page shows (text, tooltips, placeholders,
    CSS-drawn labels), with the text it was found in."""
    found = []
    for text in page.evaluate(VISIBLE_TEXT):
        for word in ENGLISH:
            if re.search(rf"(?<![\w/]){re.escape(word)}(?![\w/])", text, flags=re.IGNORECASE):
                found.append(f"{word!r} in {text[:80]!r}")
    return found


def assert_apart(rects: list[dict], axis: str = "x") -> None:
    """No two of the rectangles overlap (1 px of tolerance)."""
    assert rects, "no labels found"
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            apart = a["r"] <= b["l"] + 1 or b["r"] <= a["l"] + 1 or a["b"] <= b["t"] + 1 or b["b"] <= a["t"] + 1
            assert apart, (a, b)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def tan_an_july(folder: Path, catalog, values: dict) -> Path:
    """Tân An's whole-locality sheet of July 2026 with ``values``, saved as the office would upload it."""
    path = folder / "tan_an_2026-07.xlsx"
    path.write_bytes(sheet(catalog, "tan_an", "all", JULY, values))
    return path


def test_upload_then_overview_shows_the_new_score_and_screenshots(app_url, browser_page, tmp_path, catalog):
    url, db = app_url
    page = browser_page
    open_at(page, f"{url}/?thang={JUNE}", "Tổng quan")
    assert re.search(r"/tong-quan\?.*thang=2026-06", page.url) and "dia_phuong=tan_an" in page.url, page.url
    june = expected_reports(db, catalog, JUNE, ["tan_an"])["tan_an"].kpi.points
    page.get_by_text(fmt_number(june, 2), exact=True).first.wait_for()

    go_to(page, "Nộp báo cáo tháng", "Nộp báo cáo tháng")
    choose(page, "Tháng báo cáo", JULY.label)
    assert "thang=2026-07" in page.url
    page.keyboard.press("Tab")  # leave the month picker (its "12 options available" hint goes with it)
    settle(page)
    filled = tan_an_july(
        tmp_path,
        catalog,
        {
            "dvc_online_usage": 91,
            "plan_issued": "Có",
            "staff_digital_trained": 100,
            "propaganda_campaigns": 4,
            "mgmt_initiatives": 8,
            "staff_it_equipped": 100,
            "shared_database": "Có",
        },
    )
    wrong = tmp_path / "phieu.csv"
    wrong.write_text("Mã chỉ tiêu;Kết quả\ndvc_online_usage;80\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(filled), str(wrong)])
    confirm = page.get_by_role("button", name="Xác nhận nạp 1 phiếu hợp lệ")
    confirm.wait_for(timeout=30_000)
    page.get_by_text("✔ Hợp lệ").first.wait_for(state="attached")
    page.get_by_text("không phải bảng tính Excel .xlsx").first.wait_for(state="attached")
    settle(page)
    assert english_words(page) == []
    shot(page, "06a-nop-bao-cao-kiem-tra.png")
    confirm.click()
    page.get_by_text("ĐÃ NHẬN tan_an_2026-07.xlsx").first.wait_for(timeout=30_000)
    page.get_by_text("Kết quả lần nạp vừa rồi").first.wait_for()
    settle(page)
    assert page.get_by_text("phieu.csv").count() >= 1  # the rejected file stays in the outcome
    assert "thang=2026-07" in page.url
    page.get_by_text("Lịch sử nộp phiếu").first.scroll_into_view_if_needed()
    shot(page, "06b-nop-bao-cao-lich-su.png")

    go_to(page, "Tổng quan", "Tổng quan")
    july = expected_reports(db, catalog, JULY, ["tan_an"])["tan_an"].kpi
    assert july.points != june
    page.get_by_text(fmt_number(july.points, 2), exact=True).first.wait_for(timeout=30_000)
    assert page.get_by_text(JULY.label).first.is_visible()


def test_every_page_at_its_own_address_in_vietnamese_without_collisions(app_url, browser_page):
    url, _ = app_url
    page = browser_page
    for number, (path, heading) in enumerate(ADDRESSES, start=1):
        open_at(page, f"{url}/{path}?dia_phuong=hung_dao&thang=2026-06", heading)
        assert page.locator('[data-testid="stException"]').count() == 0, path
        body = page.evaluate("() => document.body.innerText")
        assert "Page not found" not in body and "Không tìm thấy" not in body, path
        assert f"/{path}?" in page.url and "dia_phuong=hung_dao" in page.url and "thang=2026-06" in page.url, page.url
        if path != "them-dia-phuong":
            picker = page.locator('[data-testid="stSelectbox"]', has_text="Địa phương").first
            assert picker.locator("input").input_value() == "Phường Hưng Đạo"
        if path not in ("danh-muc", "bao-cao", "them-dia-phuong"):
            page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
            settle(page)
        assert english_words(page) == [], path
        shot(page, f"1440-{number:02d}-{path}.png")
        if path == "nop-bao-cao":
            months = page.evaluate(RECTS, ["Phiếu báo cáo theo đơn vị và tháng", ".xaxislayer-above .xtick text"])
            assert len(months) == 6
            assert_apart(months)
        if path == "nhom-chi-tieu":
            places = page.evaluate(RECTS, ["Trạng thái theo địa phương", ".xaxislayer-above .xtick text"])
            assert {"Phường Hưng Đạo", "Xã Bình Giang"} <= {
                p["text"].replace(" ", "") and p["text"] for p in places
            } or len(places) == 5
            assert_apart(places)
        if path == "giai-doan":
            today = [r for r in page.evaluate(RECTS, ["Các giai đoạn và mốc", ".annotation"]) if "Hôm nay" in r["text"]]
            bars = page.evaluate(RECTS, ["Các giai đoạn và mốc", ".barlayer .point path"])
            assert today and bars
            assert_apart(today + bars)
            ticks = page.evaluate(RECTS, ["Kết quả hằng tháng và lộ trình", ".xtick text, .ytick text"])
            zero = [t for t in ticks if t["text"] == "0%"]
            first_month = [t for t in ticks if t["text"] == "01/2026"]
            assert zero and first_month
            for a in zero:
                for b in first_month:
                    assert_apart([a, b])
            titles = page.evaluate(RECTS, ["Kết quả hằng tháng và lộ trình", ".annotation"])
            months = [t for t in ticks if re.fullmatch(r"\d\d/\d{4}", t["text"])]
            for title in titles:
                for month in months:
                    assert_apart([title, month])


def test_the_file_check_table_shows_every_column_and_whole_messages(app_url, browser_page, tmp_path, catalog):
    url, _ = app_url
    page = browser_page
    open_at(page, f"{url}/nop-bao-cao?dia_phuong=tan_an&thang=2026-07", "Nộp báo cáo tháng")
    bad = tmp_path / "thang_6.xlsx"
    bad.write_bytes(sheet(catalog, "tan_an", "all", JUNE, {"dvc_online_usage": "nhiều lắm"}))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(bad))
    page.get_by_text("Các lỗi và cảnh báo").first.wait_for(timeout=30_000)
    settle(page)
    # the file table shows every column within the page: nothing to scroll to
    files = page.locator('[data-testid="stTable"]', has_text="Cảnh báo").first
    box = files.bounding_box()
    assert box["x"] + box["width"] <= 1440
    assert page.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1", files.element_handle())
    for column in ("Lỗi", "Cảnh báo", "Thay đổi"):
        assert files.locator("th", has_text=column).first.is_visible()
    assert files.get_by_text("✖ Bị từ chối").is_visible()
    # every problem message is in a wrapping table cell, whole and visible
    cell = page.locator('[data-testid="stTable"] td', has_text="nhưng đang nạp cho Tháng 07/2026").first
    assert cell.is_visible()
    assert page.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1", cell.element_handle())
    shot(page, "06c-nop-bao-cao-loi.png")


def test_presentation_mode_on_a_projector(app_url, browser):
    url, _ = app_url
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    open_at(page, f"{url}/tong-quan?thang={JUNE}&trinh_chieu=1", "Tổng quan")
    page.get_by_role("button", name="Tiếp theo ▶").wait_for(timeout=30_000)
    assert not page.locator('section[data-testid="stSidebar"]').is_visible()
    shot(page, "1920-trinh-chieu-01-tong-quan.png")
    page.locator('[data-testid="stButtonGroup"] button', has_text="Chỉ tiêu").first.click()
    settle(page)
    page.locator('[data-testid="stTable"] td').first.wait_for(timeout=30_000)
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=\"stTable\"] td')).fontSize)"
    )
    assert size >= 20, size
    colour = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=\"stTable\"] td')).color")
    assert colour == "rgb(17, 17, 17)"
    page.locator('[data-testid="stTable"]').first.scroll_into_view_if_needed()
    shot(page, "1920-trinh-chieu-02-chi-tieu.png")
    page.get_by_role("button", name="Tiếp theo ▶").click()
    settle(page)
    assert "dia_phuong=hung_dao" in page.url and "trinh_chieu=1" in page.url
    shot(page, "1920-trinh-chieu-03-dia-phuong-tiep-theo.png")
    open_at(page, f"{url}/nhom-chi-tieu?thang={JUNE}&trinh_chieu=1", "Nhóm chỉ tiêu")
    shot(page, "1920-trinh-chieu-04-nhom-chi-tieu.png")
    page.reload()  # F5 on the projector: still signed in (the session's cookie), same view
    page.get_by_role("heading", name="Nhóm chỉ tiêu").first.wait_for(timeout=60_000)
    settle(page)
    assert not page.get_by_role("heading", name="Đăng nhập").count()
    assert not page.locator('section[data-testid="stSidebar"]').is_visible()  # F5 keeps the meeting view


def test_on_a_phone(app_url, browser):
    url, _ = app_url
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True, has_touch=True)
    open_at(page, f"{url}/tong-quan?thang={JUNE}", "Tổng quan")
    assert not page.locator('section[data-testid="stSidebar"]').is_visible()
    for label in ("Địa phương", "Tháng báo cáo"):
        picker = page.locator('[data-testid="stSelectbox"]', has_text=label).first
        box = picker.bounding_box()
        assert picker.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390, label
    shot(page, "390-01-tong-quan.png")
    choose(page, "Địa phương", "Phường Hưng Đạo")
    assert "dia_phuong=hung_dao" in page.url
    open_at(page, f"{url}/nop-bao-cao?dia_phuong=hung_dao&thang={JUNE}", "Nộp báo cáo tháng")
    chart = page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    settle(page)
    cells = page.evaluate(RECTS, ["Phiếu báo cáo theo đơn vị", ".xaxislayer-above .xtick text"])
    # the months that fit 364 px, the last ones, each label across and whole ("05/" over "2026")
    assert 3 <= len(cells) < 6 and all(c["r"] - c["l"] < 60 and c["r"] <= 390 for c in cells)
    assert page.get_by_text(f"hiện {len(cells)} tháng gần nhất").first.is_visible()
    assert_apart(cells)
    assert page.evaluate(
        "() => [...document.querySelectorAll('.modebar-container')].every(m => getComputedStyle(m).display === 'none')"
    )
    shot(page, "390-02-nop-bao-cao.png")


def test_print_to_pdf(app_url, browser):
    url, _ = app_url
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    open_at(page, f"{url}/tong-quan?thang={JUNE}", "Tổng quan")
    page.locator(".js-plotly-plot").nth(2).wait_for(timeout=30_000)  # the three charts have drawn
    page.locator('[data-testid="stTable"] td').first.wait_for(timeout=30_000)
    settle(page)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pdf = OUTPUT / "in-tong-quan.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)  # as the browser prints it
    assert pdf.read_bytes().startswith(b"%PDF")
    page.emulate_media(media="print")
    assert not page.locator('section[data-testid="stSidebar"]').is_visible()
    widest = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('.js-plotly-plot .main-svg')]"
        ".map(s => s.getBoundingClientRect().right))"
    )
    assert widest <= 1440
    if shutil.which("pdftoppm"):
        for old in SHOTS.glob("in-tong-quan-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SHOTS / "in-tong-quan")], check=True)
        assert list(SHOTS.glob("in-tong-quan-*.png"))


def test_report_page_downloads_the_docx_and_the_xlsx(app_url, browser_page, tmp_path):
    url, _ = app_url
    page = browser_page
    open_at(page, f"{url}/?thang={JUNE}", "Tổng quan")
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
