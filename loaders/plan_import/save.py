"""Check a reviewed draft exactly as the catalog loader would, then write it into the data directory.

The draft is written into a temporary copy of the data directory first and loaded with
:func:`plans.catalog.load_catalog`; only when that succeeds are ``plans/<id>.yaml``, the
measures it adds to ``measures.yaml`` and the uploaded document (``plan_documents/<id>.<ext>``)
written into the real directory.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from plans.catalog import CatalogError, load_catalog

HELPER_KEYS = ("measure_confidence", "ocr_confidence", "table_row")
PLAN_KEYS = (
    "id",
    "ward_code",
    "aliases",
    "plan",
    "phases",
    "report_deadlines",
    "reviews",
    "groups",
    "units",
    "indicators",
    "tasks",
    "qualitative",
)
MEASURE_KEYS = ("code", "name", "unit", "kind", "accumulation", "combine", "common_group", "default_unit")


def plan_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The draft without the importer's helper fields, in the key order of data/plans/*.yaml."""
    out = {key: doc[key] for key in PLAN_KEYS if key in doc}
    out["indicators"] = [
        {k: v for k, v in item.items() if k not in HELPER_KEYS} for item in doc.get("indicators") or []
    ]
    return out


def _new_measures(doc: dict[str, Any], measures_file: Path) -> list[dict]:
    """Proposed measures still used by an indicator and not yet in the dictionary."""
    known = {m["code"] for m in yaml.safe_load(measures_file.read_text(encoding="utf-8"))["measures"]}
    used = {item["measure"] for item in doc.get("indicators") or []}
    return [
        {k: m[k] for k in MEASURE_KEYS}
        for m in doc.get("proposed_measures") or []
        if m["code"] in used and m["code"] not in known
    ]


def _measure_lines(measures: list[dict]) -> str:
    lines = [
        f"  - {yaml.safe_dump(m, allow_unicode=True, default_flow_style=True, width=10_000).strip()}" for m in measures
    ]
    return "".join(f"{line}\n" for line in lines)


def _basic_problems(doc: dict[str, Any], data_dir: Path, overwrite: bool) -> list[str]:
    problems = []
    pid = str(doc.get("id") or "")
    if not re.fullmatch(r"[a-z0-9_]+", pid):
        problems.append(f"mã địa phương {pid!r} phải là chữ thường không dấu, số và dấu gạch dưới")
    if not isinstance(doc.get("ward_code"), int):
        problems.append("chưa chọn địa phương trong danh sách chính thức (mã đơn vị hành chính trống)")
    if pid and (data_dir / "plans" / f"{pid}.yaml").exists() and not overwrite:
        problems.append(f"đã có kế hoạch của địa phương mã {pid!r} (plans/{pid}.yaml); chọn ghi đè nếu muốn sửa")
    if not doc.get("units"):
        problems.append("kế hoạch chưa có đơn vị nào")
    return problems


def check_draft(doc: dict[str, Any], data_dir: Path, overwrite: bool = False) -> list[str]:
    """Every problem the catalog loader would raise with this draft in place (Vietnamese); [] if none."""
    problems = _basic_problems(doc, data_dir, overwrite)
    if problems:
        return problems
    with tempfile.TemporaryDirectory(prefix="dmst-plan-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns("*.duckdb*", "plan_documents", ".cache"))
        _write(doc, copy)
        try:
            load_catalog(copy)
        except CatalogError as err:
            return err.problems
        except (KeyError, TypeError, ValueError) as err:
            return [f"tệp kế hoạch thiếu hoặc sai trường: {err}"]
    return []


def _write(doc: dict[str, Any], data_dir: Path) -> Path:
    measures_file = data_dir / "measures.yaml"
    added = _new_measures(doc, measures_file)
    if added:
        text = measures_file.read_text(encoding="utf-8")
        measures_file.write_text(
            text.rstrip("\n")
            + "\n  # --- Thêm khi nhập kế hoạch (rà soát nhóm chung, đơn vị) ---\n"
            + _measure_lines(added),
            encoding="utf-8",
        )
    target = data_dir / "plans" / f"{doc['id']}.yaml"
    whose = ", ".join(doc.get("aliases") or [doc["id"]])
    header = f"# Kế hoạch của {whose}: nhập từ {doc['plan'].get('seed', '')} và rà soát.\n"
    target.write_text(
        header + yaml.safe_dump(plan_document(doc), allow_unicode=True, sort_keys=False, width=120), encoding="utf-8"
    )
    return target


def save_draft(
    doc: dict[str, Any], data_dir: Path, document: bytes | None = None, document_name: str = "", overwrite: bool = False
) -> list[str]:
    """Check, then write the plan (and keep the uploaded document); the problems found, [] when saved."""
    problems = check_draft(doc, data_dir, overwrite)
    if problems:
        return problems
    _write(doc, data_dir)
    if document:
        folder = data_dir / "plan_documents"
        folder.mkdir(exist_ok=True)
        (folder / f"{doc['id']}{Path(document_name).suffix.lower()}").write_bytes(document)
    return []
