"""Phones, projectors and the clerk's words, in a real browser (issue 23): every page at 390 px (a
phone), 1440 px (a desk) and 1920 px (a projector, presentation mode) with no chart wider than its
column and no page that scrolls sideways; charts laid out for the width (names above the bars on a
phone, small charts stacked, heat-map names written across); upload advice that follows the reason;
the lock shown before any file is chosen and asked for before it is set; every task state counted;
the comparison's link and colours; the journal's addresses, filters and refused uploads; sample data
that can be removed. Screenshots go to test-output/screenshots/ for a person to look at.

Debian's chromium through Playwright against ``serve.py`` on a copy of the known database
(tests/page_fixtures.py), signed in once per browser context (the session cookie keeps it).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from page_fixtures import JUNE, build_known_db, ensure_account, sheet
from test_browser import PAGES, RECTS, SHOTS, served_app, settle, sign_in

from loaders.demo import run_demo
from plans.periods import Period

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = {  # name: (viewport, what the browser says of itself, address suffix)
    "390": ({"width": 390, "height": 844}, {"is_mobile": True, "has_touch": True}, ""),
    "1440": ({"width": 1440, "height": 1000}, {}, ""),
    "1920": ({"width": 1920, "height": 1080}, {}, "&trinh_chieu=1"),
}
# Every chart and the column it stands in, and whether the page (or a chart's box) scrolls sideways
FIT = """() => {
  const root = document.documentElement;
  const charts = [...document.querySelectorAll('.js-plotly-plot')].map(chart => {
    const column = chart.closest('[data-testid="stVerticalBlock"]').getBoundingClientRect();
    const box = chart.getBoundingClientRect();
    const frame = chart.closest('.stElementContainer');
    return {title: (chart.querySelector('.gtitle') || {}).textContent || '', left: box.left, right: box.right,
            column_left: column.left, column_right: column.right,
            scrolls: frame ? frame.scrollWidth > frame.clientWidth + 1 : false};
  });
  return {page_scrolls: root.scrollWidth > root.clientWidth + 1, width: root.clientWidth, charts};
}"""
VISIBLE_TEXT = "() => document.querySelector('[data-testid=\"stMain\"]').innerText"


@pytest.fixture()
def known(tmp_path: Path, catalog) -> Path:
    db = build_known_db(tmp_path / "dmst.duckdb", catalog)
    ensure_account("admin", path=db)
    ensure_account("office", "hung_dao", path=db)
    return db


def screen(browser, name: str):
    """A browser tab of the given screen (its own context: its own sign-in)."""
    viewport, device, _ = SCREENS[name]
    return browser.new_context(viewport=viewport, locale="vi-VN", **device).new_page()


def visit(page, url: str, heading: str, username: str = "admin-all") -> None:
    """Open an address, signing in when the page asks, and wait for the page and its charts to draw."""
    page.goto(url)
    page.locator(f'h1:has-text("{heading}"), h2:has-text("{heading}"), h1:has-text("Đăng nhập")').first.wait_for(
        timeout=60_000
    )
    if page.get_by_role("heading", name="Đăng nhập").count():
        sign_in(page, username)
        page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
    settle(page)
    page.wait_for_timeout(1500)  # the measured width arrives and the charts are laid out again
    settle(page)


def shot(page, name: str) -> None:
    """The whole page (Streamlit scrolls inside its own box: the viewport is made as tall as the page)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    tall = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(tall + 40, 9000))})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / name))
    page.set_viewport_size(size)


def assert_fits(page, where: str) -> None:
    found = page.evaluate(FIT)
    assert not found["page_scrolls"], f"{where}: the page scrolls sideways"
    for chart in found["charts"]:
        assert chart["left"] >= chart["column_left"] - 1 and chart["right"] <= chart["column_right"] + 1, (
            f"{where}: {chart['title'][:50]!r} is wider than its column {chart}"
        )
        assert not chart["scrolls"], f"{where}: {chart['title'][:50]!r} scrolls sideways"


@pytest.mark.parametrize("name", list(SCREENS))
def test_every_page_fits_a_phone_a_desk_and_a_projector(known, browser, tmp_path, name):
    page = screen(browser, name)
    with served_app(tmp_path, DMST_DB=str(known), DMST_BACKUP_KEEP="0") as url:
        for number, (path, heading) in enumerate(PAGES, start=1):
            visit(page, f"{url}/{path}?dia_phuong=tan_an&thang={JUNE}{SCREENS[name][2]}", heading)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            assert_fits(page, f"{name} px, /{path}")
            text = page.evaluate(VISIBLE_TEXT)
            assert "di chuột" not in text, path  # nothing that only a mouse can read
            if path == "nhiem-vu":  # every task state, adding up to the total
                assert "Chưa thực hiện" in text and "Quá hạn" in text
            shot(page, f"fit-{name}-{number:02d}-{path}.png")


def test_on_a_phone_every_chart_shows_its_bars_and_names(known, browser, tmp_path):
    page = screen(browser, "390")
    with served_app(tmp_path, DMST_DB=str(known), DMST_BACKUP_KEEP="0") as url:
        visit(page, f"{url}/nhom-chi-tieu?dia_phuong=tan_an&thang={JUNE}", "Nhóm chỉ tiêu")
        bars = page.evaluate(RECTS, ["Mức đạt các chỉ tiêu nhóm", ".barlayer .point path"])
        names = page.evaluate(RECTS, ["Mức đạt các chỉ tiêu nhóm", ".annotation-text"])
        assert bars and all(bar["r"] <= 390 for bar in bars) and max(bar["w"] for bar in bars) > 100
        assert len([n for n in names if n["text"].startswith("TA-")]) == len(bars)  # each bar named above it
        # the grid of localities does not fit 364 px: its cells are a list, every text written out
        assert page.evaluate(RECTS, ["Trạng thái theo địa phương", ".xtick text"]) is None
        assert page.get_by_text(re.compile(r"^Phường Hưng Đạo: ")).count() >= 1
        shot(page, "390-nhom-chi-tieu-o-dien-thoai.png")
        visit(page, f"{url}/nhiem-vu?dia_phuong=tan_an&thang={JUNE}", "Nhiệm vụ")
        page.get_by_text("Hiện cả nhiệm vụ thường xuyên").click()
        settle(page)
        tasks = page.evaluate(RECTS, ["Nhiệm vụ theo quý", ".barlayer .point path"])
        assert tasks and all(0 <= bar["l"] and bar["r"] <= 390 and bar["w"] > 4 for bar in tasks)
        visit(page, f"{url}/giai-doan?dia_phuong=tan_an&thang={JUNE}", "Tiến độ theo giai đoạn")
        lefts = page.evaluate("""() => { const chart = [...document.querySelectorAll('.js-plotly-plot')].find(
            c => c.querySelector('.gtitle').textContent.startsWith('Kết quả hằng tháng'));
            const layout = chart._fullLayout;
            return Object.keys(layout).filter(k => /^xaxis\\d*$/.test(k)).map(k => Math.round(layout[k]._offset)); }""")
        assert len(lefts) > 1 and len(set(lefts)) == 1, lefts  # the small charts stand one under another
        titles = page.evaluate(RECTS, ["Kết quả hằng tháng và lộ trình", ".annotation-text"])
        assert all("…" not in t["text"] for t in titles) and all(t["r"] <= 390 for t in titles)
        shot(page, "390-giai-doan-o-dien-thoai.png")


def test_a_projector_writes_the_grid_names_across(known, browser, tmp_path):
    page = screen(browser, "1920")
    with served_app(tmp_path, DMST_DB=str(known), DMST_BACKUP_KEEP="0") as url:
        visit(page, f"{url}/nhom-chi-tieu?dia_phuong=tan_an&thang={JUNE}&trinh_chieu=1", "Nhóm chỉ tiêu")
        places = page.evaluate(RECTS, ["Trạng thái theo địa phương", ".xtick text"])
        assert places and not any(p["turned"] for p in places)
        assert all(
            p["lines"] < len(name.split()) or len(name.split()) <= 2
            for p, name in zip(
                places, ["Xã Tân An", "Phường Hưng Đạo", "Xã Bình Giang", "Xã Kẻ Sặt", "Xã Nam Thanh Miện"]
            )
        )
        cells = page.evaluate(RECTS, ["Trạng thái theo địa phương", ".heatmaplayer text, .textpoint text"])
        assert any("mục tiêu" in c["text"] for c in cells or [])  # the value and target in the cell


def test_upload_advice_the_lock_and_the_files_chosen(known, browser, tmp_path, catalog):
    page = screen(browser, "390")
    files = []
    for index, unit in enumerate(("ttpvhcc", "vhxh", "ttpvhcc", "vhxh", "ttpvhcc", "vhxh")):
        path = tmp_path / f"phieu_bao_cao_thang_hung_dao_{unit}_2026-0{5 + index % 2}_lan_{index}.xlsx"
        path.write_bytes(sheet(catalog, "hung_dao", unit, Period(2026, 5 + index % 2), {}))
        files.append(str(path))
    other = tmp_path / "phieu_tan_an.xlsx"
    other.write_bytes(sheet(catalog, "tan_an", "all", JUNE, {"dvc_online_usage": 99}))
    with served_app(tmp_path, DMST_DB=str(known), DMST_BACKUP_KEEP="0") as url:
        visit(page, f"{url}/nhat-ky?dia_phuong=hung_dao&thang={JUNE}", "Nhật ký", "office-hung_dao")
        page.get_by_role("button", name="Khóa tháng này…").click()
        page.get_by_text("Chỉ quản trị viên mở lại được").first.wait_for(timeout=30_000)  # asked, not done
        assert not page.get_by_text("đã được office-hung_dao khóa").count()
        page.get_by_role("button", name=f"Khóa {JUNE.label}").click()
        page.get_by_text("đã được office-hung_dao khóa").first.wait_for(timeout=30_000)
        settle(page)
        visit(page, f"{url}/nop-bao-cao?dia_phuong=hung_dao&thang={JUNE}", "Nộp báo cáo tháng")
        # before any file is chosen: the month is locked, and who can open it again
        page.get_by_text("đã được office-hung_dao khóa").first.wait_for(timeout=30_000)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([*files, str(other)])
        page.get_by_text("Kết quả kiểm tra").first.wait_for(timeout=60_000)
        settle(page)
        shown = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stFileChipName"]')].map(e => {
            const r = e.getBoundingClientRect(); return [getComputedStyle(e, '::after').content, r.right]; })""")
        names = [Path(f).name for f in [*files, str(other)]]
        assert sorted(text.strip('"') for text, _ in shown) == sorted(names)  # whole names, not "phieu_…"
        assert all(right <= 390 for _, right in shown)
        advice = page.evaluate(VISIBLE_TEXT)
        assert (
            "phieu_tan_an.xlsx không có lỗi trong phiếu: tài khoản office-hung_dao không nạp được phiếu của "
            "Xã Tân An" in advice
        )
        assert "ở ô “Địa phương”" not in advice and "tan_an," not in advice and "không phải" not in advice
        assert "chỉ quản trị viên mở lại được" in advice
        assert_fits(page, "390 px, the file check")
        # the file check and the problems are lists on a phone: no table to scroll sideways
        assert page.evaluate("""() => [...document.querySelectorAll('[data-testid="stTable"]')]
             .every(t => t.scrollWidth <= t.clientWidth + 1)""")
        assert page.get_by_text("Kết quả: ✖ Bị từ chối").count() == 7
        shot(page, "390-nop-bao-cao-kiem-tra.png")
    page.set_viewport_size({"width": 1920, "height": 1080})


def test_the_comparison_includes_its_linked_locality_in_one_colour_everywhere(known, browser, tmp_path):
    page = screen(browser, "1440")
    with served_app(tmp_path, DMST_DB=str(known), DMST_BACKUP_KEEP="0") as url:
        visit(page, f"{url}/so-sanh?dia_phuong=binh_giang&thang={JUNE}", "So sánh địa phương")
        chips = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMultiSelect"] [data-tag]')]
             .map(t => t.getAttribute('aria-label'))""")
        assert chips == ["Xã Tân An", "Phường Hưng Đạo", "Xã Bình Giang", "Xã Kẻ Sặt", "Xã Nam Thanh Miện"]
        traces = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(chart => ({
            title: chart.layout.title.text, data: chart.data.map(t => ({name: t.name, type: t.type, y: t.y,
            colour: t.marker && t.marker.color}))}))""")
        ranking = next(c for c in traces if c["title"].startswith("Xếp hạng"))["data"][0]
        by_rank = dict(zip(ranking["y"], ranking["colour"]))
        groups = {
            t["name"]: t["colour"]
            for t in next(c for c in traces if c["title"].startswith("Điểm theo nhóm"))["data"]
            if t["type"] == "bar"
        }
        for name in ("Xã Tân An", "Phường Hưng Đạo"):  # the two that reported: one colour on both charts
            assert by_rank[name] == groups[name]
        assert len(set(groups.values())) == len(groups) == 2  # the three that sent nothing are named, not drawn
        shot(page, "1440-so-sanh-mau.png")


def test_the_journal_names_addresses_filters_and_refused_uploads(known, browser, tmp_path):
    page = screen(browser, "1440")
    bad = tmp_path / "hong.csv"
    bad.write_text("không phải phiếu", encoding="utf-8")
    with served_app(tmp_path, DMST_DB=str(known), DMST_BACKUP_KEEP="0") as url:
        visit(page, f"{url}/nop-bao-cao?dia_phuong=tan_an&thang={JUNE}", "Nộp báo cáo tháng")
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(bad))
        page.get_by_text("Kết quả kiểm tra").first.wait_for(timeout=60_000)
        settle(page)
        visit(page, f"{url}/nhat-ky?dia_phuong=tan_an&thang={JUNE}", "Nhật ký")
        for label in ("Việc", "Tài khoản", "Địa phương", "Từ ngày – đến ngày"):
            assert page.get_by_text(label, exact=True).first.is_visible(), label
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for()
        rows = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
             .map(e => e.innerText).join('\\n')""")
        assert "Phiếu bị từ chối" in rows or page.get_by_text("Phiếu bị từ chối").count()
        page.locator('[data-testid="stMultiSelect"]', has_text="Việc").first.locator("input").click()
        page.get_by_role("option", name="Đăng nhập", exact=True).click()
        page.keyboard.press("Escape")
        settle(page)
        csv = page.evaluate("""() => document.querySelector('[data-testid="stDataFrame"]').innerText""")
        shot(page, "1440-nhat-ky-loc.png")
        assert "127.0.0.1" in csv or page.get_by_text("127.0.0.1").count(), csv[:300]


def test_sample_data_is_removed_and_its_notice_goes(tmp_path, prepared_store, catalog, browser):
    db = tmp_path / "dmst.duckdb"
    shutil.copyfile(prepared_store, db)
    run_demo(db, catalog, Period(2026, 5), JUNE)
    ensure_account("admin", path=db)
    page = screen(browser, "390")
    with served_app(tmp_path, DMST_DB=str(db), DMST_BACKUP_KEEP="0") as url:
        visit(page, f"{url}/tong-quan?dia_phuong=tan_an&thang={JUNE}", "Tổng quan")
        assert page.get_by_text("Đang xem DỮ LIỆU MẪU").first.is_visible()
        visit(page, f"{url}/tong-quan?dia_phuong=tan_an&thang=2026-04", "Tổng quan")
        assert not page.get_by_text("Đang xem DỮ LIỆU MẪU").count()  # April: no sample sheet counts
        visit(page, f"{url}/nop-bao-cao?dia_phuong=tan_an&thang={JUNE}", "Nộp báo cáo tháng")
        page.get_by_text("Dữ liệu mẫu", exact=True).first.click()
        page.get_by_role("button", name="Xóa dữ liệu mẫu…").click()
        settle(page)
        page.get_by_role("button", name="Xóa dữ liệu mẫu", exact=True).click()
        page.get_by_text(re.compile(r"Đã xóa \d+ phiếu mẫu của 5 địa phương")).first.wait_for(timeout=60_000)
        settle(page)
        assert not page.get_by_text("Đang xem DỮ LIỆU MẪU").count()
        shot(page, "390-nop-bao-cao-da-xoa-du-lieu-mau.png")
