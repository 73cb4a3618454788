"""A database with known values for the page tests, filled through the real sheet and loader.

Tân An sends one sheet for the whole locality ("all") for May and June 2026; in June Hưng
Đạo's public-service centre (ttpvhcc) and culture-society office (vhxh) send their own sheets,
so its other units are missing. Every sheet is the real
template (:func:`loaders.template.build_workbook`) with cells filled in, taken in by
:func:`loaders.ingest.ingest_files` on the 3rd of the next month (on time). Pages are then
checked against what :func:`scoring.report.locality_reports` computes on the same file.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from loaders.ingest import ingest_files
from loaders.template import MeasureFill, SheetFill, TaskFill, build_workbook, workbook_bytes
from plans import clock
from plans.model import Catalog
from plans.periods import Period
from scoring.report import LocalityReport, locality_reports
from store import accounts
from store.db import Target, connection, db_path, prepare, writing
from ui.guard import GENERIC_MESSAGE

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PASSWORD = "mật khẩu kiểm thử 2026"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAY, JUNE = Period(2026, 5), Period(2026, 6)
HUNG_DAO_SENT = ("ttpvhcc", "vhxh")

# (locality, unit, month) → measure code → what the unit typed in "Kết quả".
VALUES: dict[tuple[str, str, Period], dict[str, object]] = {
    ("tan_an", "all", MAY): {
        "dvc_online_usage": 70,
        "tthc_records_digitised": 40,
        "staff_digital_trained": 60,
        "plan_issued": "Không",
        "propaganda_campaigns": 1,
        "public_wifi_coverage": 50,
        "serious_security_incidents": 0,
    },
    ("tan_an", "all", JUNE): {
        "dvc_online_usage": 85.5,
        "tthc_records_digitised": 42,
        "staff_digital_trained": 100,
        "plan_issued": "Có",
        "propaganda_campaigns": 2,
        "public_wifi_coverage": 45,
        "serious_security_incidents": 1,
        "satisfaction_rate": 96,
    },
    ("hung_dao", "ttpvhcc", JUNE): {"dvc_online_usage": 62, "tthc_records_digitised": 90, "satisfaction_rate": 90},
    ("hung_dao", "vhxh", JUNE): {"staff_digital_trained": 80, "plan_issued": "Có", "propaganda_campaigns": 4},
}
TASKS: dict[tuple[str, str, Period], dict[str, str]] = {
    ("tan_an", "all", JUNE): {"TA-III.1-GD1": "Đang thực hiện", "TA-VII.1-a": "Hoàn thành"}
}


def sheet(
    catalog: Catalog,
    locality: str,
    unit: str,
    period: Period,
    values: dict[str, object],
    tasks: dict[str, str] | None = None,
    sample: bool = False,
) -> bytes:
    """A filled monthly sheet, written by the real template."""
    fill = SheetFill(
        measures={code: MeasureFill(value) for code, value in values.items()},
        tasks={code: TaskFill(status) for code, status in (tasks or {}).items()},
    )
    return workbook_bytes(build_workbook(catalog, locality, unit, period, fill=fill, sample=sample))


def on_time(period: Period) -> dt.datetime:
    nxt = period.shift(1)
    return dt.datetime(nxt.year, nxt.month, 3, 9, 0)


def known_sheets(catalog: Catalog) -> list[tuple[str, bytes, dt.datetime]]:
    """Every known sheet as (file name, bytes, upload time)."""
    return [
        (
            f"{loc}_{unit}_{period}.xlsx",
            sheet(catalog, loc, unit, period, values, TASKS.get((loc, unit, period))),
            on_time(period),
        )
        for (loc, unit, period), values in VALUES.items()
    ]


def build_known_db(path: Target, catalog: Catalog) -> Target:
    """Prepare the store at ``path`` (a DuckDB file, a PostgreSQL address) and load the known sheets through
    the real loader."""
    prepare(path, catalog)
    results = ingest_files(path, known_sheets(catalog), catalog=catalog)
    assert all(r.accepted for r in results), [str(p) for r in results for p in r.problems]
    return path


def expected_reports(
    db: Target, catalog: Catalog, period: Period, ids: list[str] | None = None
) -> dict[str, LocalityReport]:
    """What the scoring computes on the same database (the numbers the pages must show)."""
    return locality_reports(db, catalog, period, ids, today=clock.today())


def ensure_account(role: str = "admin", scope: str | None = None, path: Target | None = None) -> str:
    """An account of ``role`` (limited to ``scope`` unless admin) in the test database; returns its name."""
    username = f"{role}-{'all' if role == 'admin' or scope is None else scope}"
    with connection(path or db_path()) as con:
        if accounts.get_user(con, username) is not None:
            return username
    with writing(path or db_path()) as con:
        accounts.add_user(con, username, PASSWORD, role, None if role == "admin" else scope, clock.now())
    return username


def log_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    """Fill the login form as a person would and press "Đăng nhập"."""
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return next(b for b in at.button if b.label == "Đăng nhập").click().run()


def open_page(
    page: str,
    locality: str = "tan_an",
    period: Period = JUNE,
    role: str = "admin",
    scope: str | None = None,
    **state: object,
) -> AppTest:
    """Open the app at a link to ``locality`` and ``period`` (its query parameters), sign in through the
    login form as an account of ``role`` (an office or viewer limited to ``scope``, by default
    ``locality``) with ``state`` set, then switch to ``page`` and run it."""
    username = ensure_account(role, scope or locality)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["dia_phuong"] = locality  # as a shared link would say
    at.query_params["thang"] = str(period)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"], "the login page comes first"
    log_in(at, username)
    assert at.session_state["account"].username == username, [e.value for e in at.error]
    return at.switch_page(page).run()


def assert_clean(at: AppTest) -> None:
    """No exception and no error message from the guard."""
    assert not at.exception, [e.value for e in at.exception]
    assert all(GENERIC_MESSAGE not in e.value for e in at.error), [e.value for e in at.error]


def metric(at: AppTest, label: str) -> str:
    """The value of the metric with this label."""
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}: {[m.label for m in at.metric]}"
    return found[0]


def page_text(at: AppTest) -> str:
    """Every markdown, caption, subheader, info, warning and success text of the page, joined."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "subheader", "title", "info", "warning", "success", "error")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def figures(at: AppTest) -> list[dict]:
    """Every plotly figure on the page, as plotly JSON (data, layout)."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def figure(at: AppTest, title_part: str) -> dict:
    """The figure whose title contains ``title_part`` (titles are wrapped with <br>)."""
    for fig in figures(at):
        if title_part in fig["layout"]["title"]["text"].replace("<br>", " "):
            return fig
    raise AssertionError(f"no chart titled {title_part!r}: {[f['layout']['title']['text'] for f in figures(at)]}")


def array(value: list | dict) -> list:
    """A trace array as a list (plotly writes numeric arrays as base64 ``{"dtype", "bdata"}``)."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    return list(value)


def figure_text(fig: dict) -> str:
    """All text a figure carries (titles, labels, bar texts, hover data) as one string."""
    return json.dumps(fig, ensure_ascii=False).replace("<br>", " ")


def edited_plans(target: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    """A copy of data/ in ``target`` with text replacements in some plan files
    (``{"tan_an.yaml": [(old, new), …]}``); point ``$DMST_DATA`` at it to run the app on it."""
    import shutil

    from plans.catalog import DATA_DIR

    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.duckdb*"))
    for name, replacements in edits.items():
        path = target / "plans" / name
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, (name, old)
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return target
