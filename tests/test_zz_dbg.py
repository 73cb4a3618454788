import time
from test_browser import app_url, browser, browser_page, open_at, go_to, choose, settle, JULY, JUNE, SHOTS, sign_in  # noqa
def test_dbg(app_url, browser_page, tmp_path, catalog):  # noqa
    url, db = app_url
    page = browser_page
    t0 = time.time()
    page.on("request", lambda r: print("REQ", round(time.time()-t0, 2), r.method, r.url[:90]) if ("phien" in r.url or "blob" in r.url) else None)
    open_at(page, f"{url}/?thang={JUNE}", "Tổng quan")
    print("C1", round(time.time()-t0, 2), [c["name"] for c in page.context.cookies()])
