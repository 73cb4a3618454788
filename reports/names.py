"""Names a report prints, from one place: the locality's official name (the national registry's,
with its type), the plan's title and number as the report cites them, and the KPI framework's title
for the locality it is applied to."""

from __future__ import annotations

import re

from plans.model import Catalog, Framework, Plan


def place_name(plan: Plan) -> str:
    """``Xã Tân An`` → ``Tân An``."""
    first, _, rest = plan.name.partition(" ")
    return rest if first.lower() == plan.kind and rest else plan.name


def official_text(plan: Plan, text: str) -> str:
    """``text`` (a title copied from the plan) with every other spelling of the locality's name
    (its ``aliases``: "Kè Sắt", "Kẽ Sắt") replaced by the official one ("Kẻ Sặt")."""
    official = place_name(plan)
    bare = {a.split(" ", 1)[1] if a.split(" ", 1)[0].lower() == plan.kind else a for a in plan.aliases}
    for alias in sorted(bare - {official}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(alias)}(?!\w)", official, text)
    return text


def plan_title(plan: Plan) -> str:
    """The plan's title with the locality's official name ("Kế hoạch triển khai … xã Kẻ Sặt …")."""
    return official_text(plan, str(plan.meta.get("title") or "Kế hoạch"))


def plan_subject(plan: Plan) -> str:
    """What the plan is about: its title without the leading "Kế hoạch " ("triển khai Đề án …")."""
    title = plan_title(plan)
    return title[len("Kế hoạch ") :] if title.startswith("Kế hoạch ") else title


def plan_reference(plan: Plan) -> str:
    """``Kế hoạch số 178/KH-UBND ngày 12/6/2026`` as the body cites it (a blank number stays open:
    ``Kế hoạch số …/KH-UBND tháng 5/2026``)."""
    meta = plan.meta
    number = str(meta.get("number") or "/KH-UBND")
    number = f"…{number}" if number.startswith("/") else number
    year, month, day = meta.get("year"), meta.get("month"), meta.get("day")
    if day and month:
        when = f"ngày {int(day):02d}/{int(month)}/{year}"
    elif month:
        when = f"tháng {int(month)}/{year}"
    else:
        when = f"năm {year}"
    return f"Kế hoạch số {number} {when}"


def framework_title(framework: Framework, catalog: Catalog, plan: Plan | None) -> str:
    """The KPI framework's name for the locality it is applied to: the framework of Nam Thanh Miện's
    plan, applied to Tân An, reads "Bộ chỉ số đánh giá “Xã Tân An đổi mới sáng tạo”"; for the whole
    city, "… “Xã, phường đổi mới sáng tạo”" (no other locality's name either way)."""
    origin = catalog.plans.get(framework.locality_id or "")
    if origin is None:
        return framework.name
    own = plan.name if plan is not None else "Xã, phường"
    return framework.name.replace(origin.name, own).replace(" (KPIs)", "")
