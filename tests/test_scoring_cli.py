"""``python -m scoring summary``: the documented JSON shape, hand-computed values, ``--due-day``.

The database is filled through the real loader: Nam Thanh Miện sends one sheet for the whole
locality (unit ``all``) for July 2026 — the real template filled with openpyxl — on 08/08/2026,
three days after the default due day (the 5th). No other locality sends anything.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sheet_factory import filled

from loaders.ingest import ingest_files
from plans import vocabulary as vocab
from plans.model import Catalog
from plans.vocabulary import label
from scoring.__main__ import main
from store.db import Target

ROOT = Path(__file__).resolve().parent.parent
PERIOD = "2026-07"
VALUES = {
    "plan_issued": "Có",  # 1.1 Có/không, 3 points → 3
    "staff_digital_trained": 80,  # 1.2 100%: 4 × 80/100 = 3.2
    "propaganda_campaigns": 2,  # 1.3 ≥ 4 a year: 3 × 2/4 = 1.5
    "initiatives_applied": 6,  # 4.6 ≥ 8 a year: 5 × 6/8 = 3.75
    "dvc_online_usage": 63,  # 5.1 ≥ 70%: 5 × 63/70 = 4.5
}
TASKS = {
    "NTM-2026-Q2-01": {"Tình trạng": label(vocab.TASK_DONE)},
    "NTM-2026-Q2-02": {"Tình trạng": label(vocab.TASK_IN_PROGRESS)},
}

SHAPE = {
    "locality": {"id", "name", "kpi", "indicators", "tasks", "submissions"},
    "kpi": {"framework", "points", "rating", "provisional", "groups", "items"},
    "group": {"code", "points", "max_points"},
    "item": {"code", "value", "points", "max_points", "status"},
    "indicator": {"code", "measure", "actual", "comparator", "target", "target_year", "attainment", "status"},
    "tasks": {"total", "done", "overdue"},
    "submissions": {"expected", "received", "on_time"},
}

pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def summary_db(backend: str, make_store: Callable[[str, str], Target], catalog: Catalog) -> Target:
    db = make_store(backend, "summary")
    sheet = filled(catalog, "nam_thanh_mien", "all", PERIOD, VALUES, tasks=TASKS)
    results = ingest_files(
        db, [("ntm_all_2026-07.xlsx", sheet, dt.datetime(2026, 8, 8, 9, 0))], catalog=catalog, today=dt.date(2026, 8, 8)
    )
    assert all(r.accepted for r in results), [str(p) for r in results for p in r.problems]
    return db


def _no_nan(constant: str) -> float:
    raise AssertionError(f"{constant} is not valid JSON")


def run_summary(db: Target, *extra: str) -> dict:
    """The summary as another process prints it, parsed strictly (NaN/Infinity rejected)."""
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "summary", "--db", str(db), "--period", PERIOD, "--json", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout, parse_constant=_no_nan)


@pytest.fixture(scope="module")
def summary(summary_db: Target) -> dict:
    return run_summary(summary_db)


def test_summary_shape_is_the_documented_one(summary: dict, catalog: Catalog) -> None:
    assert set(summary) == {"period", "localities"} and summary["period"] == PERIOD
    assert [loc["id"] for loc in summary["localities"]] == list(catalog.plans)
    for loc in summary["localities"]:
        assert set(loc) == SHAPE["locality"]
        assert set(loc["kpi"]) == SHAPE["kpi"]
        assert all(set(g) == SHAPE["group"] for g in loc["kpi"]["groups"])
        assert all(set(i) == SHAPE["item"] for i in loc["kpi"]["items"])
        assert all(set(i) == SHAPE["indicator"] for i in loc["indicators"])
        assert set(loc["tasks"]) == SHAPE["tasks"] and set(loc["submissions"]) == SHAPE["submissions"]
        assert len(loc["kpi"]["groups"]) == 5 and len(loc["kpi"]["items"]) == 23


def by_id(summary: dict, locality_id: str) -> dict:
    return next(loc for loc in summary["localities"] if loc["id"] == locality_id)


def test_summary_kpi_of_nam_thanh_mien(summary: dict) -> None:
    kpi = by_id(summary, "nam_thanh_mien")["kpi"]
    # group 1 = 3 + 3.2 + 1.5 = 7.7; group 4 = 3.75 (4.6); group 5 = 4.5 (5.1); total 15.95
    assert (kpi["framework"], kpi["points"], kpi["rating"], kpi["provisional"]) == (
        "ntm_kpi_2026",
        15.95,
        "Chưa đạt",
        True,
    )
    assert [(g["code"], g["points"], g["max_points"]) for g in kpi["groups"]] == [
        ("1", 7.7, 15.0),
        ("2", 0.0, 20.0),
        ("3", 0.0, 20.0),
        ("4", 3.75, 30.0),
        ("5", 4.5, 15.0),
    ]
    items = {i["code"]: i for i in kpi["items"]}
    assert items["5.1"] == {"code": "5.1", "value": 63.0, "points": 4.5, "max_points": 5.0, "status": "Chưa đạt"}
    assert items["1.1"] == {"code": "1.1", "value": 1.0, "points": 3.0, "max_points": 3.0, "status": "Đạt"}
    assert items["1.4"] == {"code": "1.4", "value": None, "points": 0.0, "max_points": 5.0, "status": "Chưa báo cáo"}


def test_summary_indicators_tasks_and_submissions(summary: dict) -> None:
    ntm = by_id(summary, "nam_thanh_mien")
    indicators = {i["code"]: i for i in ntm["indicators"]}
    # "trên 70%" by 2030, first report 63 this month: nothing expected yet; 63 ÷ 70 = 0.9
    assert indicators["NTM-5-02"] == {
        "code": "NTM-5-02",
        "measure": "dvc_online_usage",
        "actual": 63.0,
        "comparator": ">",
        "target": 70.0,
        "target_year": 2030,
        "attainment": 0.9,
        "status": "Đúng tiến độ",
    }
    # ≥ 8 initiatives every year: from 0 in 12/2025, expected 8 × 7/12 = 4.67 in July; R = 6 ÷ 4.67 = 1.29
    assert indicators["NTM-4-05"] == {
        "code": "NTM-4-05",
        "measure": "initiatives_applied",
        "actual": 6.0,
        "comparator": ">=",
        "target": 8.0,
        "target_year": 2026,
        "attainment": 0.75,
        "status": "Đúng tiến độ",
    }
    # 88 tasks; the 8 of Quý II/2026 were due 30/06/2026: one done, the other 7 overdue in July
    assert ntm["tasks"] == {"total": 88, "done": 1, "overdue": 7}
    # the "all" sheet counts for the 7 expected units; sent on the 8th, after the 5th
    assert ntm["submissions"] == {"expected": 7, "received": 7, "on_time": 0}


def test_summary_not_reported_is_null_not_nan(summary: dict) -> None:
    tan_an = by_id(summary, "tan_an")
    assert (tan_an["kpi"]["points"], tan_an["kpi"]["rating"]) == (0.0, "Chưa đạt")
    assert tan_an["indicators"] and all(
        (i["actual"], i["attainment"], i["status"]) == (None, None, "Chưa báo cáo") for i in tan_an["indicators"]
    )
    assert tan_an["submissions"] == {"expected": 12, "received": 0, "on_time": 0}


@pytest.mark.parametrize(
    "extra, on_time",
    [
        ([], 0),  # default: by the 5th of August; sent on the 8th
        (["--due-day", "7"], 0),
        (["--due-day", "8"], 7),  # the due day itself is on time
        (["--due-day", "10"], 7),
    ],
)
def test_due_day_option(summary_db: Target, capsys: pytest.CaptureFixture[str], extra, on_time) -> None:
    assert main(["summary", "--db", str(summary_db), "--period", PERIOD, *extra]) == 0
    ntm = by_id(json.loads(capsys.readouterr().out), "nam_thanh_mien")
    assert ntm["submissions"] == {"expected": 7, "received": 7, "on_time": on_time}


def test_due_day_from_the_command_line_process(summary_db: Target) -> None:
    assert by_id(run_summary(summary_db, "--due-day", "10"), "nam_thanh_mien")["submissions"]["on_time"] == 7


@pytest.mark.parametrize("value", ["0", "32", "năm"])
def test_bad_due_day_is_refused(summary_db: Target, capsys: pytest.CaptureFixture[str], value) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["summary", "--db", str(summary_db), "--period", PERIOD, "--due-day", value])
    assert exit_.value.code == 2
    assert "ngày hạn nộp phải là số từ 1 đến 31" in capsys.readouterr().err


@pytest.mark.duckdb_only
def test_summary_on_a_locked_database_exits_3(db, held, capsys) -> None:
    assert main(["summary", "--db", str(db), "--period", PERIOD]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"Lỗi: Cơ sở dữ liệu {db} đang bị một chương trình khác giữ") and f"PID {held}" in err


def test_summary_with_an_invalid_period_is_a_wrong_command_line(summary_db, capsys) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["summary", "--db", str(summary_db), "--period", "2026-13"])
    assert usage.value.code == 2
    assert capsys.readouterr().err.endswith("error: argument --period: tháng không hợp lệ: 13\n")
