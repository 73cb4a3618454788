"""The machine-readable summary printed by ``python -m scoring summary --json``."""
from __future__ import annotations

from typing import Any

from loaders.periods import Period
from scoring.report import LocalityReport


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else round(number, 4)


def report_dict(report: LocalityReport) -> dict[str, Any]:
    """One locality in the documented summary shape."""
    kpi = report.kpi
    return {
        "id": report.locality_id,
        "name": report.name,
        "kpi": {
            "framework": kpi.framework_id, "points": kpi.points, "rating": kpi.rating,
            "provisional": kpi.provisional,
            "groups": [{"code": g.code, "name": g.name, "points": g.points, "max_points": g.max_points}
                       for g in kpi.groups],
            "items": [{"code": i.code, "measure": i.measure, "value": _num(i.value), "points": i.points,
                       "max_points": i.max_points, "status": i.status} for i in kpi.items],
        },
        "indicators": [{
            "code": r["code"], "measure": r["measure"], "actual": _num(r["actual"]), "target": _num(r["target"]),
            "comparator": r["comparator"], "target_year": int(r["target_year"]),
            "attainment": _num(r["attainment"]), "status": r["status"],
        } for r in report.indicator_rows],
        "tasks": {k: report.task_counts[k] for k in ("total", "done", "overdue")},
        "submissions": dict(report.submission_counts),
    }


def summary_dict(reports: dict[str, LocalityReport], period: Period) -> dict[str, Any]:
    """``{"period", "localities": [...]}`` for every report."""
    return {"period": str(period), "localities": [report_dict(r) for r in reports.values()]}
