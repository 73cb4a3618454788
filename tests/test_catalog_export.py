"""``python -m scoring catalog --json``: the documented open-data shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _export() -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "scoring", "catalog", "--json"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_catalog_json_shape_and_values() -> None:
    doc = _export()
    assert {"localities", "measures", "frameworks"} <= set(doc)
    ids = [loc["id"] for loc in doc["localities"]]
    assert ids == ["tan_an", "hung_dao", "binh_giang", "ke_sat", "nam_thanh_mien"]
    tan_an = doc["localities"][0]
    assert {"id", "name", "kind", "phases", "report_deadlines", "units", "indicators", "tasks"} <= set(tan_an)
    assert tan_an["name"] == "Xã Tân An" and tan_an["kind"] == "xã"
    assert tan_an["report_deadlines"] == [
        {"name": "Báo cáo định kỳ 6 tháng", "day": 15, "month": 6},
        {"name": "Báo cáo năm", "day": 15, "month": 12},
    ]
    wifi = next(i for i in tan_an["indicators"] if i["code"] == "TA-d-04")
    assert (wifi["unit"], wifi["comparator"], wifi["target"], wifi["target_year"]) == ("%", ">=", 100, 2027)
    for loc in doc["localities"]:
        for ind in loc["indicators"]:
            assert {
                "code",
                "name",
                "group",
                "measure",
                "unit",
                "comparator",
                "target",
                "target_year",
                "responsible_unit",
                "source",
            } <= set(ind)
            assert ind["unit"] in ("%", "count", "yes/no")
            assert isinstance(ind["target"], (int, float))
        for task in loc["tasks"]:
            assert {
                "code",
                "name",
                "lead_unit",
                "coordinating_units",
                "output",
                "deadline",
                "recurrence",
                "source",
            } <= set(task)
            assert (task["deadline"] is None) != (task["recurrence"] is None)
    zalo = next(i for i in doc["localities"][3]["indicators"] if i["code"] == "KS-2.2-02")
    assert (zalo["unit"], zalo["target"]) == ("yes/no", 1)
    fw = doc["frameworks"][0]
    assert sum(i["max_points"] for i in fw["items"]) == 100
    assert fw["ratings"][0] == {"name": "Xuất sắc", "min_points": 90}
    assert {m["code"] for m in doc["measures"]} >= {"dvc_online_usage", "tthc_time_reduction"}
