"""The monthly sheet's layout, shared by the template writer and the reader.

Headers are written exactly as below; the reader accepts the folded forms listed in
``*_ALIASES`` (no diacritics, any case, punctuation ignored, a trailing month such as
"tháng 10/2026" dropped) wherever the header row is.
"""

from __future__ import annotations

import re

from plans.text import fold

TEMPLATE_VERSION = "1"
MEASURE_SHEET = "Chỉ tiêu"
TASK_SHEET = "Nhiệm vụ"
GUIDE_SHEET = "Hướng dẫn"

# Columns of "Chỉ tiêu": (field, header). Inputs: value, numerator, denominator, evidence, note.
MEASURE_COLUMNS = (
    ("stt", "STT"),
    ("code", "Mã chỉ tiêu"),
    ("name", "Tên chỉ tiêu"),
    ("unit", "Đơn vị tính"),
    ("target", "Chỉ tiêu kế hoạch"),
    ("how", "Cách ghi"),
    ("value", "Kết quả"),
    ("numerator", "Tử số"),
    ("denominator", "Mẫu số"),
    ("evidence", "Minh chứng"),
    ("note", "Ghi chú"),
)
TASK_COLUMNS = (
    ("stt", "STT"),
    ("code", "Mã nhiệm vụ"),
    ("name", "Nội dung nhiệm vụ"),
    ("lead", "Đơn vị chủ trì"),
    ("output", "Sản phẩm đầu ra"),
    ("deadline", "Thời hạn"),
    ("status", "Tình trạng"),
    ("percent", "Tỷ lệ hoàn thành (%)"),
    ("completed", "Ngày hoàn thành"),
    ("evidence", "Minh chứng"),
)

MEASURE_ALIASES = {
    "code": frozenset({"ma chi tieu", "ma so chi tieu", "ma chi so", "ma dai luong"}),
    "value": frozenset(
        {"ket qua", "ket qua thuc hien", "ket qua thang", "gia tri", "so lieu", "so lieu thuc hien", "thuc hien"}
    ),
    "numerator": frozenset({"tu so"}),
    "denominator": frozenset({"mau so"}),
    "evidence": frozenset({"minh chung", "tai lieu minh chung"}),
    "note": frozenset({"ghi chu"}),
}
TASK_ALIASES = {
    "code": frozenset({"ma nhiem vu", "ma so nhiem vu"}),
    "status": frozenset({"tinh trang", "trang thai", "tinh trang thuc hien"}),
    "percent": frozenset({"ty le hoan thanh", "ti le hoan thanh", "hoan thanh", "tien do"}),
    "completed": frozenset({"ngay hoan thanh"}),
    "evidence": frozenset({"minh chung", "tai lieu minh chung"}),
}
COLUMN_LABELS = {
    "code": "Mã",
    "value": "Kết quả",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "evidence": "Minh chứng",
    "note": "Ghi chú",
    "status": "Tình trạng",
    "percent": "Tỷ lệ hoàn thành (%)",
    "completed": "Ngày hoàn thành",
}

# Title block: label written in the sheet → key; the reader matches folded prefixes.
TITLE_LABELS = (
    ("locality", "Địa phương:"),
    ("unit", "Đơn vị báo cáo:"),
    ("village", "Thôn / tổ dân phố:"),
    ("period", "Kỳ báo cáo:"),
    ("sheet_code", "Mã phiếu (không sửa):"),
)
SAMPLE_LABEL = "DỮ LIỆU MẪU"
TITLE_PREFIXES = {fold(label): key for key, label in TITLE_LABELS} | {fold(SAMPLE_LABEL): "sample"}

_SHEET_CODE = re.compile(r"^\s*([a-z0-9_]+)/([a-z0-9_]+)/(\d{4}-\d{2})/v(\w+)\s*$")


def sheet_code(locality_id: str, unit_code: str, period: str) -> str:
    """The code a sheet carries to identify itself: ``tan_an/vhxh/2026-03/v1``."""
    return f"{locality_id}/{unit_code}/{period}/v{TEMPLATE_VERSION}"


def parse_sheet_code(text: object) -> tuple[str, str, str, str] | None:
    """``(locality_id, unit_code, period, version)`` or ``None`` when not a sheet code."""
    match = _SHEET_CODE.match(str(text)) if text is not None else None
    return (match[1], match[2], match[3], match[4]) if match else None


def sheet_key(name: str) -> str | None:
    """Which of the two data sheets a sheet name is (tolerant), or ``None``."""
    folded = fold(name)
    for key, title in (("measures", MEASURE_SHEET), ("tasks", TASK_SHEET)):
        if folded.startswith(fold(title)):
            return key
    return None
