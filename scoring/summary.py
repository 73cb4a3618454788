"""The machine-readable summary printed by ``python -m scoring summary --json``.

Shape (every number finite or null, never NaN)::

    {"period", "localities": [{"id", "name",
      "kpi": {"framework", "points", "rating", "provisional",
              "groups": [{"code", "points", "max_points"}],
              "items": [{"code", "value", "points", "max_points", "status"}]},
      "indicators": [{"code", "measure", "actual", "comparator", "target", "target_year", "attainment",
                      "status"}],
      "tasks": {"total", "done", "overdue"},
      "submissions": {"expected", "received", "on_time"}}]}

This is the issue's shape plus ``comparator`` on indicators (``>``, ``>=``, ``=``, ``<=``, ``<``):
without it "trên 80%" and "80%" would read the same. Item points are exact to 4 decimals;
group and total points are the rounded ones of the score. ``status`` is the Vietnamese label
("Đạt", "Chưa báo cáo"), as the CLI has always printed it; the codes stay inside the program.
"""

from __future__ import annotations

import math
from typing import Any

from plans.collector import paused_gc
from plans.periods import Period
from plans.vocabulary import label
from scoring.report import LocalityReport


def number_or_null(value: Any) -> float | None:
    """A finite number rounded to 4 decimals, or None (missing, NaN, not a number)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return round(number, 4) if math.isfinite(number) else None


def report_dict(report: LocalityReport) -> dict[str, Any]:
    """One locality in the documented summary shape."""
    kpi = report.kpi
    return {
        "id": report.locality_id,
        "name": report.name,
        "kpi": {
            "framework": kpi.framework_id,
            "points": kpi.points,
            "rating": kpi.rating,
            "provisional": kpi.provisional,
            "groups": [{"code": g.code, "points": g.points, "max_points": g.max_points} for g in kpi.groups],
            "items": [
                {
                    "code": i.code,
                    "value": number_or_null(i.value),
                    "points": number_or_null(i.points),
                    "max_points": i.max_points,
                    "status": label(i.status),
                }
                for i in kpi.items
            ],
        },
        "indicators": [
            {
                "code": r["code"],
                "measure": r["measure"],
                "actual": number_or_null(r["actual"]),
                "comparator": r["comparator"],
                "target": number_or_null(r["target"]),
                "target_year": int(r["target_year"]),
                "attainment": number_or_null(r["attainment"]),
                "status": label(r["status"]),
            }
            for r in report.indicator_rows
        ],
        "tasks": {k: report.task_counts[k] for k in ("total", "done", "overdue")},
        "submissions": {k: report.submission_counts[k] for k in ("expected", "received", "on_time")},
    }


def summary_dict(reports: dict[str, LocalityReport], period: Period) -> dict[str, Any]:
    """``{"period", "localities": [...]}`` for every report."""
    with paused_gc():
        return {"period": str(period), "localities": [report_dict(r) for r in reports.values()]}
