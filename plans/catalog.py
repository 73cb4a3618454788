"""The plans as data: read ``data/*.yaml`` into typed records and check them.

Every number comes from the YAML files (each with its ``source``); this module only
reads, types and validates them. Problems are collected, not raised one by one.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from plans import settings
from plans.collector import paused_gc
from plans.deadlines import DeadlineError, parse_deadline
from plans.localities import official_unit
from plans.model import Catalog, Framework, FrameworkItem, Indicator, Measure, Plan, PlanTasks, ReportSigner, Task
from plans.periods import Period
from plans.vocabulary import Accumulation, Combine, Comparator, KpiRule, MeasureUnit

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_ENV = "DMST_DATA"
DEFAULT_RULE = KpiRule.PROPORTIONAL
ITEM_FIELDS = ("code", "group", "name", "method", "measure", "comparator", "threshold", "max_points", "source")
FRAMEWORK_FIELDS = ("id", "name", "valid_from", "valid_to", "source", "groups", "items", "ratings")
STEP_FIELDS = ("min_ratio", "share")


class CatalogError(ValueError):
    """The plan files are inconsistent; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]):
        super().__init__("Dữ liệu kế hoạch có lỗi:\n- " + "\n- ".join(problems))
        self.problems = problems


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> dict[str, Any]:
    """A data file, parsed by libyaml's safe loader when PyYAML has it (about 20× faster: the city's
    114 plan files load in a fraction of a second instead of five)."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)


def _shared(node: Any, seen: dict[str, str]) -> Any:
    """``node`` (parsed YAML) with equal strings made one object: the parser gives each occurrence
    its own, while a plan repeats many (a section's title on each of its tasks, unit codes, "Thường
    xuyên"). Shared, they are kept, pickled and loaded once: at 3,300 plans the cached catalog is
    a fifth smaller and loads a quarter faster."""
    if isinstance(node, str):
        return seen.setdefault(node, node)
    if isinstance(node, list):
        return [_shared(item, seen) for item in node]
    if isinstance(node, dict):
        return {_shared(key, seen): _shared(value, seen) for key, value in node.items()}
    return node


def _one_of(
    problems: list[str],
    where: str,
    what: str,
    value: object,
    allowed: Collection[object],
    verdict: str = "không hợp lệ",
) -> None:
    """Record ``<where>: <what> 'value' không hợp lệ`` when ``value`` is not one of ``allowed``."""
    if value not in allowed:
        problems.append(f"{where}: {what} {value!r} {verdict}")


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
        _one_of(problems, where, "đơn vị", m.unit, tuple(MeasureUnit))
        _one_of(problems, where, "cách cộng dồn", m.accumulation, tuple(Accumulation))
        _one_of(problems, where, "cách gộp", m.combine, tuple(Combine))
        _one_of(problems, where, "nhóm chung", m.common_group, groups, "không có")
        out[m.code] = m
    return out


def _plan(path: Path, measures: dict[str, Measure], problems: list[str]) -> Plan:
    doc = _shared(_read_yaml(path), {})
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
            locality_id=pid,
            code=raw["code"],
            name=raw["name"],
            text=raw["text"],
            group=str(raw["group"]),
            measure=raw["measure"],
            comparator=raw["comparator"],
            target=float(raw["target"]),
            target_year=int(raw["target_year"]),
            every_year=bool(raw.get("every_year", False)),
            responsible_unit=raw["responsible_unit"],
            source=raw["source"],
            note=raw.get("note"),
        )
        at = f"{where}/{ind.code}"
        if ind.measure not in measures:
            problems.append(f"{at}: đại lượng {ind.measure!r} không có trong measures.yaml")
        if ind.comparator not in tuple(Comparator):
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
        tasks.append(
            Task(
                locality_id=pid,
                code=raw["code"],
                name=raw["name"],
                section=raw.get("section") or "",
                lead_units=leads,
                coordinating_units=tuple(raw.get("coordinating_units") or ()),
                output=raw.get("output"),
                deadline_text=raw["deadline_text"],
                deadline=deadline.date,
                recurrence=deadline.recurrence,
                note=raw.get("note"),
                source=raw["source"],
            )
        )
    for unit in doc["units"]:
        if not isinstance(unit.get("contact", ""), str):
            problems.append(f"{where}/units/{unit['code']}: contact phải là một dòng chữ (người, số điện thoại, email)")
    reporting_start = _reporting_start(doc, where, problems)
    recipients, signer = _report_recipients(doc, where, problems), _report_signer(doc, where, problems)
    codes = [i.code for i in indicators] + [t.code for t in tasks]
    for dup in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"{where}: mã {dup!r} bị trùng")
    return Plan(
        id=pid,
        ward_code=int(doc["ward_code"]),
        name=name,
        kind=kind,
        aliases=tuple(doc.get("aliases") or ()),
        meta=dict(doc["plan"]),
        phases=tuple(doc["phases"]),
        report_deadlines=tuple(doc.get("report_deadlines") or ()),
        reviews=tuple(doc.get("reviews") or ()),
        groups=tuple({**g, "code": str(g["code"])} for g in doc["groups"]),
        units=tuple(doc["units"]),
        indicators=tuple(indicators),
        tasks=PlanTasks(tasks),
        qualitative=tuple(doc.get("qualitative") or ()),
        reporting_start=reporting_start,
        report_recipients=recipients,
        report_signer=signer,
    )


def _reporting_start(doc: dict[str, Any], where: str, problems: list[str]) -> str | None:
    """The optional ``reporting_start: YYYY-MM``: the locality's first reporting month, within the plan."""
    raw = doc.get("reporting_start")
    if raw is None:
        return None
    try:
        month = Period.parse(str(raw))
    except ValueError:
        problems.append(f"{where}: reporting_start {raw!r} không hợp lệ (cần dạng YYYY-MM, ví dụ 2026-11)")
        return None
    first, last = int(doc["plan"]["start_year"]), int(doc["plan"]["end_year"])
    if not first <= month.year <= last:
        problems.append(f"{where}: reporting_start {month.label} nằm ngoài thời gian của kế hoạch ({first}–{last})")
        return None
    return str(month)


def _report_recipients(doc: dict[str, Any], where: str, problems: list[str]) -> tuple[str, ...]:
    """The optional ``report_recipients``: the "Nơi nhận" of the plan's reports, the recipient first,
    each once (compared without case and extra spaces)."""
    raw = doc.get("report_recipients")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw or not all(isinstance(r, str) and r.strip() for r in raw):
        problems.append(
            f"{where}: report_recipients phải là danh sách tên nơi nhận (mỗi dòng một nơi, nơi nhận báo cáo đứng đầu)"
        )
        return ()
    seen: set[str] = set()
    for name in raw:
        key = " ".join(name.split()).casefold()
        if key in seen:
            problems.append(f"{where}: report_recipients ghi trùng {name!r}")
        seen.add(key)
    return tuple(" ".join(r.split()) for r in raw)


def _report_signer(doc: dict[str, Any], where: str, problems: list[str]) -> ReportSigner | None:
    """The optional ``report_signer: {title: "KT. Chủ tịch - Phó Chủ tịch", name: "…"}``."""
    raw = doc.get("report_signer")
    if raw is None:
        return None
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("title"), str)
        or not raw["title"].strip()
        or not isinstance(raw.get("name", ""), str)
    ):
        problems.append(
            f"{where}: report_signer phải có dạng {{title: 'KT. Chủ tịch - Phó Chủ tịch', "
            "name: 'Họ và tên'} (title là thẩm quyền và chức danh người ký)"
        )
        return None
    return ReportSigner(" ".join(raw["title"].split()), " ".join(str(raw.get("name") or "").split()))


def _number(value: object) -> float | None:
    """``value`` as a float, or None when it is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _steps(raw: object, at: str, problems: list[str]) -> tuple[dict[str, float], ...]:
    """The ``steps`` of an item as {min_ratio, share} floats; each faulty entry is a problem."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append(f"{at}: 'steps' phải là danh sách bậc {{min_ratio, share}}")
        return ()
    steps = []
    for n, step in enumerate(raw, start=1):
        where = f"{at}: bậc thứ {n} của 'steps'"
        if not isinstance(step, dict):
            problems.append(f"{where} phải có dạng {{min_ratio: …, share: …}}")
            continue
        missing = [key for key in STEP_FIELDS if key not in step]
        unknown = sorted(set(step) - set(STEP_FIELDS))
        if missing:
            problems.append(f"{where}: thiếu {', '.join(missing)}")
            continue
        if unknown:
            problems.append(f"{where}: trường lạ {', '.join(unknown)}")
            continue
        min_ratio, share = _number(step["min_ratio"]), _number(step["share"])
        if min_ratio is None or min_ratio < 0:
            problems.append(f"{where}: min_ratio {step['min_ratio']!r} phải là số ≥ 0")
        elif share is None or not 0 <= share <= 1:
            problems.append(f"{where}: share {step['share']!r} phải là số từ 0 đến 1")
        else:
            steps.append({"min_ratio": min_ratio, "share": share})
    return tuple(steps)


def _framework_item(
    raw: dict[str, Any], where: str, groups: set[str], measures: dict[str, Measure], problems: list[str]
) -> FrameworkItem | None:
    """One item of a framework file, checked; None when a required field is missing."""
    at = f"{where}/{raw.get('code', '?')}"
    missing = [key for key in ITEM_FIELDS if key not in raw]
    if missing:
        problems.append(f"{at}: thiếu trường {', '.join(missing)}")
        return None
    threshold, max_points = _number(raw["threshold"]), _number(raw["max_points"])
    if threshold is None or max_points is None:
        problems.append(f"{at}: threshold và max_points phải là số")
        return None
    item = FrameworkItem(
        code=str(raw["code"]),
        group=str(raw["group"]),
        name=raw["name"],
        method=raw["method"],
        measure=raw["measure"],
        comparator=raw["comparator"],
        threshold=threshold,
        max_points=max_points,
        rule=raw.get("rule", DEFAULT_RULE),
        steps=_steps(raw.get("steps"), at, problems),
        source=raw["source"],
    )
    if item.measure not in measures:
        problems.append(f"{at}: đại lượng {item.measure!r} không có trong measures.yaml")
    _one_of(problems, at, "phép so sánh", item.comparator, tuple(Comparator))
    _one_of(problems, at, "quy tắc chấm", item.rule, tuple(KpiRule))
    if item.rule == KpiRule.STEPS and not raw.get("steps"):
        problems.append(f"{at}: quy tắc 'steps' cần danh sách bậc")
    if item.rule != KpiRule.STEPS and raw.get("steps"):
        problems.append(f"{at}: có 'steps' nhưng quy tắc chấm là {item.rule!r}")
    _one_of(problems, at, "nhóm", item.group, groups, "không có")
    return item


def _framework(path: Path, measures: dict[str, Measure], problems: list[str]) -> Framework | None:
    """One framework file, checked; None when a required top-level field is missing."""
    doc = _read_yaml(path)
    where = f"frameworks/{path.name}"
    missing = [key for key in FRAMEWORK_FIELDS if key not in doc]
    if missing:
        problems.append(f"{where}: thiếu trường {', '.join(missing)}")
        return None
    groups = {str(g["code"]) for g in doc["groups"]}
    items = [item for raw in doc["items"] if (item := _framework_item(raw, where, groups, measures, problems))]
    if int(doc["valid_from"]) > int(doc["valid_to"]):
        problems.append(f"{where}: valid_from {doc['valid_from']} sau valid_to {doc['valid_to']}")
    return Framework(
        id=doc["id"],
        name=doc["name"],
        locality_id=doc.get("locality"),
        valid_from=int(doc["valid_from"]),
        valid_to=int(doc["valid_to"]),
        source=doc["source"],
        groups=tuple({**g, "code": str(g["code"])} for g in doc["groups"]),
        items=tuple(items),
        ratings=tuple(sorted(doc["ratings"], key=lambda r: -r["min_points"])),
    )


def _frameworks(data_dir: Path, measures: dict[str, Measure], problems: list[str]) -> dict[str, Framework]:
    """Every framework file: ids unique, at least one, no two with the same years of validity."""
    frameworks: dict[str, Framework] = {}
    years: dict[tuple[int, int], str] = {}
    for path in sorted((data_dir / "frameworks").glob("*.yaml")):
        fw = _framework(path, measures, problems)
        if fw is None:
            continue
        where = f"frameworks/{path.name}"
        if fw.id in frameworks:
            problems.append(f"{where}: mã bộ chỉ số {fw.id!r} bị trùng")
        span = (fw.valid_from, fw.valid_to)
        if span in years:
            problems.append(f"{where}: cùng thời gian áp dụng {span[0]}–{span[1]} với bộ chỉ số {years[span]!r}")
        years.setdefault(span, fw.id)
        frameworks[fw.id] = fw
    if not frameworks:
        problems.append("frameworks/: không có bộ chỉ số KPI nào")
    return frameworks


def data_dir() -> Path:
    """The data directory in use: ``$DMST_DATA`` when set (tests, the benchmark), else ``data/``."""
    return Path(settings.text(DATA_ENV)) if settings.is_set(DATA_ENV) else DATA_DIR


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The YAML files that make up the catalog, in a stable order."""
    return [
        data_dir / "measures.yaml",
        *sorted((data_dir / "frameworks").glob("*.yaml")),
        *sorted((data_dir / "plans").glob("*.yaml")),
    ]


def fingerprint(data_dir: Path = DATA_DIR) -> str:
    """SHA-256 over every catalog file: changes exactly when a plan file changes."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stamp(data_dir: Path = DATA_DIR) -> str:
    """A digest of the name, size and modification time of every catalog file: changes when a plan
    file is added, removed or rewritten, without reading the files (3,300 stats take 0.05 s; hashing
    their 124 MB, as :func:`fingerprint` does, 0.2 s)."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        info = path.stat()
        digest.update(f"{path.name}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    return digest.hexdigest()


def cache_file(data_dir: Path, key: str) -> Path:
    """Where the parsed catalog of these plan files is kept: ``<data dir>/.cache/`` (so each data
    directory in use, ``data/`` or ``$DMST_DATA``, has its own), named by the files' :func:`stamp`
    and by the source of the ``plans`` package that parses and types them (a change there
    invalidates it)."""
    code = hashlib.sha256(sys.version.encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        code.update(source.read_bytes())
    return data_dir / ".cache" / f"catalog-{key[:24]}-{code.hexdigest()[:12]}.pickle"


def load_catalog(folder: Path | None = None) -> Catalog:
    """The checked catalog of the plan files (of ``folder``; by default ``$DMST_DATA`` or ``data/``,
    as :func:`data_dir`); raise ``CatalogError`` listing all problems.

    Parsing thousands of plan files takes a while, so a valid catalog is kept as a compiled cache
    file (:func:`cache_file`) and read from it while no file was added, removed or rewritten (its
    name, size and modification time: a file edited into the same size within the same nanosecond
    would go unseen); a cache that cannot be read or written (read-only folder, damaged file) is
    ignored. The catalog carries the fingerprint of the files' contents, computed when they are parsed.
    """
    folder = folder or data_dir()
    cached = cache_file(folder, stamp(folder))
    try:
        return _unpickle(cached.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    catalog = _parse_catalog(folder, fingerprint(folder))
    try:
        cached.parent.mkdir(exist_ok=True)
        for stale in cached.parent.glob("catalog-*.pickle"):
            stale.unlink()
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(cached)
    except OSError:
        pass
    return catalog


def _unpickle(blob: bytes) -> Catalog:
    """The cached catalog, unpickled with the cyclic garbage collector paused (``plans.collector``:
    half the load time at 3,300 plans). The loaded objects are then moved out of the collector's
    sight (``gc.freeze``) so that later collections do not walk them again either: they hold no
    reference cycles and are still freed when the catalog is dropped.

    ``freeze`` takes every tracked object, not only the catalog, and a frozen object is never
    collected: whatever was alive at the previous load and has since become cyclic garbage (a
    cleared page cache, a finished session; through them a former catalog) would be pinned for
    good. So each load first gives the frozen objects back (``gc.unfreeze``) and collects, which
    frees that garbage before freezing again: reloading the plans leaked about 400 MB a time at
    3,300 plans, and the pages benchmark, which reloads them for each page, grew to 2.3 GB.
    Everything is given back at exit, so that extension modules see their objects released."""
    gc.unfreeze()
    gc.collect()
    with paused_gc():
        catalog = pickle.loads(blob)
        gc.freeze()
    atexit.unregister(gc.unfreeze)
    atexit.register(gc.unfreeze)
    return catalog


def _parse_catalog(data_dir: Path, digest: str) -> Catalog:
    problems: list[str] = []
    doc = _read_yaml(data_dir / "measures.yaml")
    measures = _measures(doc, problems)
    frameworks = _frameworks(data_dir, measures, problems)
    plans: dict[str, Plan] = {}
    for path in sorted((data_dir / "plans").glob("*.yaml")):
        plan = _plan(path, measures, problems)
        if plan.id in plans:
            problems.append(f"plans/{path.name}: mã địa phương {plan.id!r} bị trùng")
        plans[plan.id] = plan
    plans = dict(sorted(plans.items(), key=lambda kv: (kv[1].meta.get("seed") or "~", kv[0])))
    if problems:
        raise CatalogError(problems)
    return Catalog(
        measures=measures,
        common_groups=tuple(doc["common_groups"]),
        plans=plans,
        frameworks=frameworks,
        fingerprint=digest,
    )
