"""The draft of an imported plan as editable tables, and the tables back into a plan document.

The page "Thêm địa phương" shows three tables (indicators, tasks, units) with the source
sentence beside each row (and, for a target read from a table, the table's row; for a scan, the
OCR confidence, rows read poorly marked ⚠ to check first); what the office fixes or deletes there
is folded back into the draft by :func:`apply_edits` before it is checked and saved.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pandas as pd

from loaders.plan_import.ocr import to_check
from plans.localities import locality_id, official_unit
from plans.vocabulary import Comparator

CHECK = "Xem trước"
INDICATOR_COLUMNS = {
    "code": "Mã",
    "name": "Chỉ tiêu",
    "comparator": "So sánh",
    "target": "Mục tiêu",
    "target_year": "Năm",
    "every_year": "Hằng năm",
    "measure": "Đại lượng",
    "measure_confidence": "Độ tin cậy",
    "responsible_unit": "Đơn vị",
    "group": "Nhóm",
    "ocr_confidence": "Nhận dạng chữ",
    "table_row": "Dòng trong bảng",
    "source": "Nguồn (câu trong kế hoạch)",
}
READ_ONLY = ("measure_confidence", "ocr_confidence", "table_row", "source")
OPTIONAL = ("ocr_confidence", "table_row")  # shown only when the draft has them
TASK_COLUMNS = {
    "code": "Mã",
    "name": "Nhiệm vụ",
    "lead_units": "Chủ trì",
    "deadline_text": "Thời hạn",
    "output": "Sản phẩm",
    "source": "Nguồn (câu trong kế hoạch)",
}
UNIT_COLUMNS = {"code": "Mã", "name": "Đơn vị", "source": "Nguồn"}


def indicator_frame(doc: dict[str, Any]) -> pd.DataFrame:
    """The indicators as an editable table. For a scan, the OCR confidence and a first column that
    marks ⚠ the rows OCR read poorly; for targets from a table, the table's row; these columns
    only when some indicator has them."""
    items = doc["indicators"]
    ocr = any(item.get("ocr_confidence") is not None for item in items)
    shown = [
        (key, label)
        for key, label in INDICATOR_COLUMNS.items()
        if key not in OPTIONAL or any(item.get(key) is not None for item in items)
    ]
    rows = [
        {**({CHECK: "⚠" if to_check(item) else ""} if ocr else {}), **{label: item.get(key) for key, label in shown}}
        for item in items
    ]
    return pd.DataFrame(rows, columns=[*([CHECK] if ocr else []), *(label for _, label in shown)])


def task_frame(doc: dict[str, Any]) -> pd.DataFrame:
    rows = [
        {label: ", ".join(item[key]) if key == "lead_units" else item.get(key) for key, label in TASK_COLUMNS.items()}
        for item in doc["tasks"]
    ]
    return pd.DataFrame(rows, columns=list(TASK_COLUMNS.values()))


def unit_frame(doc: dict[str, Any]) -> pd.DataFrame:
    rows = [{label: item.get(key) for key, label in UNIT_COLUMNS.items()} for item in doc["units"]]
    return pd.DataFrame(rows, columns=list(UNIT_COLUMNS.values()))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def apply_edits(
    doc: dict[str, Any], indicators: pd.DataFrame, tasks: pd.DataFrame, units: pd.DataFrame
) -> dict[str, Any]:
    """The draft with the edited tables: rows kept in their order, deleted rows gone, new rows added
    (a row is matched to its draft item by its code)."""
    out = copy.deepcopy(doc)
    by_code = {item["code"]: item for item in doc["indicators"]}
    new_indicators = []
    for row in indicators.to_dict("records"):
        if _blank(row["Mã"]) or _blank(row["Chỉ tiêu"]):
            continue
        item = dict(by_code.get(row["Mã"], {"text": row["Chỉ tiêu"], "note": None, "source": "Thêm khi rà soát"}))
        for key, label in INDICATOR_COLUMNS.items():
            if key in READ_ONLY:
                continue
            item[key] = row[label]
        item["target"] = _number(item["target"])
        item["target_year"] = int(item["target_year"])
        item["every_year"] = bool(item["every_year"])
        item["group"] = str(item["group"])
        new_indicators.append(item)
    out["indicators"] = new_indicators
    task_by_code = {item["code"]: item for item in doc["tasks"]}
    new_tasks = []
    for row in tasks.to_dict("records"):
        if _blank(row["Mã"]) or _blank(row["Nhiệm vụ"]):
            continue
        item = dict(
            task_by_code.get(
                row["Mã"], {"section": "", "coordinating_units": [], "note": None, "source": "Thêm khi rà soát"}
            )
        )
        item.update(
            code=row["Mã"],
            name=row["Nhiệm vụ"],
            deadline_text=row["Thời hạn"] or "Thường xuyên",
            output=None if _blank(row["Sản phẩm"]) else row["Sản phẩm"],
            lead_units=[code.strip() for code in str(row["Chủ trì"] or "").split(",") if code.strip()],
        )
        new_tasks.append(item)
    out["tasks"] = new_tasks
    unit_by_code = {item["code"]: item for item in doc["units"]}
    out["units"] = [
        {**unit_by_code.get(row["Mã"], {"source": "Thêm khi rà soát"}), "code": row["Mã"], "name": row["Đơn vị"]}
        for row in units.to_dict("records")
        if not _blank(row["Mã"]) and not _blank(row["Đơn vị"])
    ]
    used_groups = {item["group"] for item in out["indicators"]}
    known = {g["code"] for g in out["groups"]}
    out["groups"] = [g for g in out["groups"] if g["code"] in used_groups] + [
        {"code": code, "name": code, "source": "Thêm khi rà soát"} for code in sorted(used_groups - known)
    ]
    return out


def set_locality(doc: dict[str, Any], ward_code: int) -> dict[str, Any]:
    """The draft for another official unit (the office corrected the locality)."""
    unit = official_unit(ward_code)
    out = copy.deepcopy(doc)
    out["ward_code"] = unit.code
    out["id"] = locality_id(unit)
    out["aliases"] = sorted({*out.get("aliases", []), unit.bare_name, f"{unit.kind} {unit.bare_name}"})
    return out


def measure_options(dictionary: list[str], doc: dict[str, Any]) -> list[str]:
    """Codes the measure column may take: the dictionary, then the importer's proposals."""
    proposed = [m["code"] for m in doc.get("proposed_measures") or []]
    return [*dictionary, *[code for code in proposed if code not in dictionary]]


COMPARATOR_OPTIONS = [c.value for c in Comparator]
