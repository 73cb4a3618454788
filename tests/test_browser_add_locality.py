"""In a real browser: upload a plan on "Thêm địa phương", fix one row of the draft, save, see the new
locality on the overview and download its first monthly template. The app runs on a temporary
copy of data/ ($DMST_DATA) and a fresh database, so the repo's data/ is never written."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import yaml
from page_fixtures import ensure_account
from test_browser import choose, go_to, open_at, served_app, settle

from plans.catalog import DATA_DIR, load_catalog
from store.db import prepare

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PLAN = Path(__file__).parent / "assets" / "ke_hoach_thien_huong.txt"


@pytest.fixture()
def app_on_copy(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", "plan_documents"))
    db = prepare(tmp_path / "dmst.duckdb", load_catalog(data))
    ensure_account("admin", path=db)
    with served_app(tmp_path, DMST_DB=str(db), DMST_DATA=str(data)) as url:
        yield url, data


def test_add_a_locality_from_its_plan(app_on_copy, browser_page):
    url, data = app_on_copy
    page = browser_page
    open_at(page, url, "Tổng quan")
    go_to(page, "Thêm địa phương", "Thêm địa phương")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(PLAN))
    page.get_by_role("heading", name="Chỉ tiêu").first.wait_for(timeout=30_000)
    settle(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    # the grid is a canvas: select the first row's "Mã" cell (right of the row-selection column), move
    # to "Mục tiêu" (the fourth column) with the arrow keys, open its editor, write 88 over 85
    page.mouse.click(box["x"] + 80, box["y"] + 35 + 17)
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator("input.gdg-input").first
    editor.wait_for(timeout=10_000)
    assert editor.input_value() == "85"
    editor.fill("88")
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_role("button", name="Lưu kế hoạch").click()
    page.get_by_text("Đã lưu kế hoạch của Thiên Hương").first.wait_for(timeout=30_000)
    saved = yaml.safe_load((data / "plans" / "thien_huong.yaml").read_text(encoding="utf-8"))
    assert saved["indicators"][0]["target"] == 88
    assert (data / "plan_documents" / "thien_huong.txt").exists()

    go_to(page, "Tổng quan", "Tổng quan")
    choose(page, "Địa phương", "Phường Thiên Hương")
    assert page.locator('[data-testid="stException"]').count() == 0
    go_to(page, "Nộp báo cáo tháng", "Nộp báo cáo tháng")
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Tải phiếu").first.click()
    content = Path(download.value.path()).read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(content))
    text = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "Thiên Hương" in text
