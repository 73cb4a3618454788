"""Two app processes on one PostgreSQL store behind nginx (``scripts/serve_cluster.sh 2``), in Debian's
chromium: a sign-in made through one process is valid on the other, a sheet uploaded on one is seen
on the other at its next run, and each browser stays with its process (sticky sessions). The
script refuses a DuckDB store."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from page_fixtures import JUNE, build_known_db, ensure_account, expected_reports
from test_browser import JULY, ROOT, free_port, open_at, settle, tan_an_july

from plans.text import fmt_number

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.postgres]


@contextmanager
def cluster(db: str, folder) -> Iterator[str]:
    """``scripts/serve_cluster.sh 2`` on free ports (its output in ``folder``); yields nginx's address
    once both app processes answer, then stops the script (and with it every process it started)."""
    port, base = free_port(), free_port()
    env = {**os.environ, "DMST_DB": db, "DMST_PORT": str(port), "DMST_APP_PORT": str(base), "DMST_BACKUP_KEEP": "0"}
    log = (folder / "cluster.log").open("w")
    proc = subprocess.Popen(
        ["bash", "scripts/serve_cluster.sh", "2"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 120
        # nginx first: it answers 502 while the apps start, and must not set them aside for that
        while any(not answers(f"http://127.0.0.1:{p}/_stcore/health") for p in (port, base, base + 1)):
            assert proc.poll() is None and time.monotonic() < deadline, (folder / "cluster.log").read_text()
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        log.close()
    assert not answers(f"http://127.0.0.1:{base}/_stcore/health")  # the app processes went with the script


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def app_of(context, url: str) -> str:
    """The app process nginx sends this browser to (nginx's ``X-Dmst-App``)."""
    return context.request.get(f"{url}/_stcore/health", timeout=60_000).headers["x-dmst-app"]


def test_sign_in_on_one_process_upload_on_it_and_see_the_sheet_on_the_other(browser, tmp_path, make_store, catalog):
    db = make_store("postgres", "cluster")
    build_known_db(db, catalog)
    ensure_account("admin", path=db)
    june = expected_reports(db, catalog, JUNE, ["tan_an"])["tan_an"].kpi.points
    first = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    with cluster(db, tmp_path) as url:
        page = first.new_page()
        open_at(page, f"{url}/tong-quan?dia_phuong=tan_an&thang={JUNE}", "Tổng quan")  # signs in
        page.get_by_text(fmt_number(june, 2), exact=True).first.wait_for(timeout=60_000)
        own = app_of(first, url)
        assert {app_of(first, url) for _ in range(5)} == {own}  # sticky: always the same process
        session = next(c for c in first.cookies() if c["name"] == "dmst_phien")

        second = None
        for _ in range(40):  # another browser that nginx places on the other process
            candidate = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
            if app_of(candidate, url) != own:
                second = candidate
                break
            candidate.close()
        assert second is not None
        other = app_of(second, url)
        second.add_cookies([session])  # the sign-in made through the first process
        before = expected_reports(db, catalog, JULY, ["tan_an"])["tan_an"].kpi.points  # July: June's values go on
        seen = second.new_page()
        seen.goto(f"{url}/tong-quan?dia_phuong=tan_an&thang={JULY}")
        seen.get_by_role("heading", name="Tổng quan").first.wait_for(timeout=60_000)
        assert not seen.get_by_role("heading", name="Đăng nhập").count()
        settle(seen)
        # the other process has it cached
        seen.get_by_text(fmt_number(before, 2), exact=True).first.wait_for(timeout=60_000)

        open_at(page, f"{url}/nop-bao-cao?dia_phuong=tan_an&thang={JULY}", "Nộp báo cáo tháng")
        filled = tan_an_july(
            tmp_path,
            catalog,
            {"dvc_online_usage": 91, "plan_issued": "Có", "staff_digital_trained": 100, "propaganda_campaigns": 4},
        )
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(filled))
        confirm = page.get_by_role("button", name="Xác nhận nạp 1 phiếu hợp lệ")
        confirm.wait_for(timeout=60_000)
        confirm.click()
        page.get_by_text("ĐÃ NHẬN tan_an_2026-07.xlsx").first.wait_for(timeout=60_000)
        assert app_of(first, url) == own

        july = expected_reports(db, catalog, JULY, ["tan_an"])["tan_an"].kpi.points
        assert july != before
        seen.reload()  # the other process's next run of the same page
        seen.get_by_role("heading", name="Tổng quan").first.wait_for(timeout=60_000)
        seen.get_by_text(fmt_number(july, 2), exact=True).first.wait_for(timeout=60_000)
        assert app_of(second, url) == other != own
        second.close()
    first.close()


def test_the_cluster_script_refuses_a_duckdb_store_and_a_bad_count(tmp_path):
    env = {**os.environ, "DMST_DB": str(tmp_path / "dmst.duckdb")}
    duck = subprocess.run(
        ["bash", "scripts/serve_cluster.sh", "2"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert duck.returncode == 2 and "DMST_DB=postgresql://" in duck.stderr
    bad = subprocess.run(
        ["bash", "scripts/serve_cluster.sh", "hai"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2 and "Cách dùng" in bad.stderr
    assert not (tmp_path / "dmst.duckdb").exists()
