"""The plans as data: read ``data/*.yaml`` into typed records and check them.

Every number comes from the YAML files (each with its ``source``); this module only
reads, types and validates them. Problems are collected, not raised one by one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from loaders.deadlines import DeadlineError, parse_deadline
from loaders.localities import official_unit

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
COMPARATORS = (">", ">=", "=", "<=", "<")
UNITS = ("%", "count", "yes/no")
ACCUMULATIONS = ("latest", "latest_year", "sum_year")
COMBINES = ("sum", "ratio", "any", "share_yes")
RULES = ("proportional", "yes_no", "all_or_nothing", "steps")


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    unit: str
    kind: str
    accumulation: str
    combine: str
    common_group: str
    default_unit: str
    direction: str = "higher"


@dataclass(frozen=True)
class Indicator:
    locality_id: str
    code: str
    name: str
    text: str
    group: str
    measure: str
    comparator: str
    target: float
    target_year: int
    every_year: bool
    responsible_unit: str
    source: str
    note: str | None


@dataclass(frozen=True)
class Task:
    locality_id: str
    code: str
    name: str
    section: str
    lead_units: tuple[str, ...]
    coordinating_units: tuple[str, ...]
    output: str | None
    deadline_text: str
    deadline: dt.date | None
    recurrence: str | None
    note: str | None
    source: str


@dataclass(frozen=True)
class Plan:
    id: str
    ward_code: int
    name: str
    kind: str
    aliases: tuple[str, ...]
    meta: dict[str, Any]
    phases: tuple[dict[str, Any], ...]
    report_deadlines: tuple[dict[str, Any], ...]
    reviews: tuple[dict[str, Any], ...]
    groups: tuple[dict[str, Any], ...]
    units: tuple[dict[str, Any], ...]
    indicators: tuple[Indicator, ...]
    tasks: tuple[Task, ...]
    qualitative: tuple[dict[str, Any], ...]

    def unit_name(self, code: str) -> str:
        """Name of one of the plan's units (the code itself if unknown)."""
        return next((u["name"] for u in self.units if u["code"] == code), code)


@dataclass(frozen=True)
class FrameworkItem:
    code: str
    group: str
    name: str
    method: str
    measure: str
    comparator: str
    threshold: float
    max_points: float
    rule: str
    steps: tuple[dict[str, float], ...]
    source: str


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    locality_id: str | None
    valid_from: int
    valid_to: int
    source: str
    groups: tuple[dict[str, Any], ...]
    items: tuple[FrameworkItem, ...]
    ratings: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Catalog:
    measures: dict[str, Measure]
    common_groups: tuple[dict[str, str], ...]
    plans: dict[str, Plan]
    frameworks: dict[str, Framework]
    fingerprint: str = field(default="")

    def plan(self, locality_id: str) -> Plan:
        return self.plans[locality_id]

    @property
    def framework(self) -> Framework:
        """The framework applied to every locality (the first one declared)."""
        return next(iter(self.frameworks.values()))


class CatalogError(ValueError):
    """The plan files are inconsistent; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]):
        super().__init__("Dữ liệu kế hoạch có lỗi:\n- " + "\n- ".join(problems))
        self.problems = problems


def _read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _measures(doc: dict[str, Any], problems: list[str]) -> dict[str, Measure]:
    groups = {g["code"] for g in doc["common_groups"]}
    out: dict[str, Measure] = {}
    for raw in doc["measures"]:
        m = Measure(**raw)
        where = f"measures.yaml/{m.code}"
        if m.code in out:
            problems.append(f"{where}: mã trùng")
        if not m.code.isascii() or not m.code.replace("_", "").isalnum():
            problems.append(f"{where}: mã phải là chữ ASCII")
        if m.unit not in UNITS:
            problems.append(f"{where}: đơn vị {m.unit!r} không hợp lệ")
        if m.accumulation not in ACCUMULATIONS:
            problems.append(f"{where}: cách cộng dồn {m.accumulation!r} không hợp lệ")
        if m.combine not in COMBINES:
            problems.append(f"{where}: cách gộp {m.combine!r} không hợp lệ")
        if m.common_group not in groups:
            problems.append(f"{where}: nhóm chung {m.common_group!r} không có")
        out[m.code] = m
    return out


def _plan(path: Path, measures: dict[str, Measure], problems: list[str]) -> Plan:
    doc = _read_yaml(path)
    pid = doc["id"]
    where = f"plans/{path.name}"
    try:
        official = official_unit(int(doc["ward_code"]))
        name, kind = official.name, official.kind
    except KeyError as err:
        problems.append(f"{where}: {err}")
        name, kind = pid, "xã"
    unit_codes = {u["code"] for u in doc["units"]}
    group_codes = {str(g["code"]) for g in doc["groups"]}
    indicators = []
    for raw in doc.get("indicators") or []:
        ind = Indicator(
            locality_id=pid, code=raw["code"], name=raw["name"], text=raw["text"],
            group=str(raw["group"]), measure=raw["measure"], comparator=raw["comparator"],
            target=float(raw["target"]), target_year=int(raw["target_year"]),
            every_year=bool(raw.get("every_year", False)),
            responsible_unit=raw["responsible_unit"], source=raw["source"], note=raw.get("note"),
        )
        at = f"{where}/{ind.code}"
        if ind.measure not in measures:
            problems.append(f"{at}: đại lượng {ind.measure!r} không có trong measures.yaml")
        if ind.comparator not in COMPARATORS:
            problems.append(f"{at}: phép so sánh {ind.comparator!r} không hợp lệ")
        if ind.group not in group_codes:
            problems.append(f"{at}: nhóm {ind.group!r} không có trong groups")
        if ind.responsible_unit not in unit_codes:
            problems.append(f"{at}: đơn vị {ind.responsible_unit!r} không có trong units")
        indicators.append(ind)
    tasks = []
    for raw in doc.get("tasks") or []:
        at = f"{where}/{raw['code']}"
        try:
            deadline = parse_deadline(raw["deadline_text"])
        except DeadlineError as err:
            problems.append(f"{at}: {err}")
            continue
        leads = tuple(raw["lead_units"])
        for lead in leads:
            if lead not in unit_codes:
                problems.append(f"{at}: đơn vị chủ trì {lead!r} không có trong units")
        tasks.append(Task(
            locality_id=pid, code=raw["code"], name=raw["name"], section=raw.get("section") or "",
            lead_units=leads, coordinating_units=tuple(raw.get("coordinating_units") or ()),
            output=raw.get("output"), deadline_text=raw["deadline_text"], deadline=deadline.date,
            recurrence=deadline.recurrence, note=raw.get("note"), source=raw["source"],
        ))
    codes = [i.code for i in indicators] + [t.code for t in tasks]
    for dup in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"{where}: mã {dup!r} bị trùng")
    return Plan(
        id=pid, ward_code=int(doc["ward_code"]), name=name, kind=kind,
        aliases=tuple(doc.get("aliases") or ()), meta=dict(doc["plan"]),
        phases=tuple(doc["phases"]), report_deadlines=tuple(doc.get("report_deadlines") or ()),
        reviews=tuple(doc.get("reviews") or ()), groups=tuple(doc["groups"]),
        units=tuple(doc["units"]), indicators=tuple(indicators), tasks=tuple(tasks),
        qualitative=tuple(doc.get("qualitative") or ()),
    )


def _framework(path: Path, measures: dict[str, Measure], problems: list[str]) -> Framework:
    doc = _read_yaml(path)
    where = f"frameworks/{path.name}"
    groups = {str(g["code"]) for g in doc["groups"]}
    items = []
    for raw in doc["items"]:
        item = FrameworkItem(
            code=str(raw["code"]), group=str(raw["group"]), name=raw["name"], method=raw["method"],
            measure=raw["measure"], comparator=raw["comparator"], threshold=float(raw["threshold"]),
            max_points=float(raw["max_points"]), rule=raw["rule"],
            steps=tuple(raw.get("steps") or ()), source=raw["source"],
        )
        at = f"{where}/{item.code}"
        if item.measure not in measures:
            problems.append(f"{at}: đại lượng {item.measure!r} không có trong measures.yaml")
        if item.rule not in RULES:
            problems.append(f"{at}: quy tắc chấm {item.rule!r} không hợp lệ")
        if item.rule == "steps" and not item.steps:
            problems.append(f"{at}: quy tắc 'steps' cần danh sách bậc")
        if item.group not in groups:
            problems.append(f"{at}: nhóm {item.group!r} không có")
        items.append(item)
    return Framework(
        id=doc["id"], name=doc["name"], locality_id=doc.get("locality"),
        valid_from=int(doc["valid_from"]), valid_to=int(doc["valid_to"]), source=doc["source"],
        groups=tuple({**g, "code": str(g["code"])} for g in doc["groups"]), items=tuple(items),
        ratings=tuple(sorted(doc["ratings"], key=lambda r: -r["min_points"])),
    )


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The YAML files that make up the catalog, in a stable order."""
    return [data_dir / "measures.yaml", *sorted((data_dir / "frameworks").glob("*.yaml")),
            *sorted((data_dir / "plans").glob("*.yaml"))]


def fingerprint(data_dir: Path = DATA_DIR) -> str:
    """SHA-256 over every catalog file: changes exactly when a plan file changes."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_catalog(data_dir: Path = DATA_DIR) -> Catalog:
    """Read and check every plan file; raise ``CatalogError`` listing all problems."""
    problems: list[str] = []
    doc = _read_yaml(data_dir / "measures.yaml")
    measures = _measures(doc, problems)
    frameworks = {}
    for path in sorted((data_dir / "frameworks").glob("*.yaml")):
        fw = _framework(path, measures, problems)
        frameworks[fw.id] = fw
    plans: dict[str, Plan] = {}
    for path in sorted((data_dir / "plans").glob("*.yaml")):
        plan = _plan(path, measures, problems)
        if plan.id in plans:
            problems.append(f"plans/{path.name}: mã địa phương {plan.id!r} bị trùng")
        plans[plan.id] = plan
    plans = dict(sorted(plans.items(), key=lambda kv: (kv[1].meta.get("seed") or "~", kv[0])))
    if problems:
        raise CatalogError(problems)
    return Catalog(measures=measures, common_groups=tuple(doc["common_groups"]), plans=plans,
                   frameworks=frameworks, fingerprint=fingerprint(data_dir))
