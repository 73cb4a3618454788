"""Upload results as display tables: one row per file, every problem located, re-upload changes."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from loaders.ingest import IngestResult
from loaders.periods import Period

ACCEPTED = "✔ Hợp lệ"
STORED = "✔ Đã nạp"
DUPLICATE = "○ Đã có (không nạp lại)"
REJECTED = "✖ Bị từ chối"


def verdict(result: IngestResult) -> str:
    """How one file fared, with a symbol."""
    if not result.accepted:
        return REJECTED
    if result.duplicate:
        return DUPLICATE
    return ACCEPTED if result.dry_run else STORED


def file_table(results: Sequence[IngestResult]) -> pd.DataFrame:
    """One row per file: verdict, locality, unit, month, counts, errors, warnings, changes."""
    rows = []
    for r in results:
        ident = r.identity
        rows.append({
            "Tệp": r.file_name,
            "Kết quả": verdict(r),
            "Địa phương": r.locality_name or "—",
            "Đơn vị": (r.unit_name + (f" – {ident.village}" if ident and ident.village else "")) or "—",
            "Tháng": Period.parse(ident.period).label if ident else "—",
            "Số chỉ tiêu có số liệu": r.n_values,
            "Để trống": r.n_blank,
            "Nhiệm vụ": r.n_tasks,
            "Lỗi": len(r.errors),
            "Cảnh báo": len(r.warnings),
            "Thay đổi so với phiếu đang dùng": len(r.changes) if r.changes else ("phiếu mới" if r.accepted and not r.duplicate else "—"),
        })
    return pd.DataFrame(rows)


def problem_table(results: Sequence[IngestResult]) -> pd.DataFrame:
    """Every problem of every file: file, sheet, row, column, severity, message."""
    return pd.DataFrame([{
        "Tệp": p.file,
        "Trang": p.sheet or "—",
        "Dòng": str(p.row) if p.row is not None else "—",
        "Cột": p.column or "—",
        "Mức": "✖ Lỗi" if p.is_error else "◆ Cảnh báo",
        "Nội dung": p.message,
    } for r in results for p in r.problems], columns=["Tệp", "Trang", "Dòng", "Cột", "Mức", "Nội dung"])


def change_table(result: IngestResult) -> pd.DataFrame:
    """What a re-upload changes against the values in use: item, current value, new value."""
    return pd.DataFrame([{
        "Loại": c.kind,
        "Mã": c.code,
        "Nội dung": c.name,
        "Đang dùng": c.old_text,
        "Phiếu mới": c.new_text,
    } for c in result.changes], columns=["Loại", "Mã", "Nội dung", "Đang dùng", "Phiếu mới"])
