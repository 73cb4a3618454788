"""The plans as open data: one JSON object describing every locality, measure and framework."""

from __future__ import annotations

from typing import Any

from plans.model import Catalog


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def catalog_dict(catalog: Catalog) -> dict[str, Any]:
    """The catalog in the documented export shape (see README, "Xuất danh mục")."""
    localities = []
    for plan in catalog.plans.values():
        localities.append(
            {
                "id": plan.id,
                "ward_code": plan.ward_code,
                "name": plan.name,
                "kind": plan.kind,
                "aliases": list(plan.aliases),
                "plan": {
                    k: plan.meta.get(k)
                    for k in ("number", "date_text", "signer", "signer_title", "title", "start_year", "end_year")
                },
                "phases": [
                    {"name": p["name"], "start_year": p["start_year"], "end_year": p["end_year"]} for p in plan.phases
                ],
                "report_deadlines": [
                    {"name": d["name"], "day": d["day"], "month": d["month"]} for d in plan.report_deadlines
                ],
                "reviews": [{"name": r["name"], "year": r["year"]} for r in plan.reviews],
                "groups": [{"code": str(g["code"]), "name": g["name"]} for g in plan.groups],
                "units": [{"code": u["code"], "name": u["name"]} for u in plan.units],
                "indicators": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "group": i.group,
                        "measure": i.measure,
                        "unit": catalog.measures[i.measure].unit,
                        "comparator": i.comparator,
                        "target": _number(i.target),
                        "target_year": i.target_year,
                        "every_year": i.every_year,
                        "responsible_unit": i.responsible_unit,
                        "source": i.source,
                    }
                    for i in plan.indicators
                ],
                "tasks": [
                    {
                        "code": t.code,
                        "name": t.name,
                        "lead_unit": t.lead_units[0] if t.lead_units else None,
                        "lead_units": list(t.lead_units),
                        "coordinating_units": list(t.coordinating_units),
                        "output": t.output,
                        "deadline": t.deadline.isoformat() if t.deadline else None,
                        "deadline_text": t.deadline_text,
                        "recurrence": t.recurrence,
                        "source": t.source,
                    }
                    for t in plan.tasks
                ],
            }
        )
    return {
        "localities": localities,
        "measures": [
            {
                "code": m.code,
                "name": m.name,
                "unit": m.unit,
                "kind": m.kind,
                "accumulation": m.accumulation,
                "combine": m.combine,
                "common_group": m.common_group,
                "direction": m.direction,
            }
            for m in catalog.measures.values()
        ],
        "common_groups": [dict(g) for g in catalog.common_groups],
        "frameworks": [
            {
                "id": fw.id,
                "name": fw.name,
                "groups": [
                    {"code": g["code"], "name": g["name"], "max_points": _number(g["max_points"])} for g in fw.groups
                ],
                "items": [
                    {
                        "code": it.code,
                        "name": it.name,
                        "group": it.group,
                        "measure": it.measure,
                        "comparator": it.comparator,
                        "threshold": _number(it.threshold),
                        "max_points": _number(it.max_points),
                        "rule": it.rule,
                        "method": it.method,
                        "source": it.source,
                    }
                    for it in fw.items
                ],
                "ratings": [{"name": r["name"], "min_points": _number(r["min_points"])} for r in fw.ratings],
            }
            for fw in catalog.frameworks.values()
        ],
    }
