"""Upload results as display tables: one row per file, every problem located, re-upload changes,
and the history of a locality's submissions."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd

from loaders.ingest import IngestResult
from loaders.problems import CLOSED_MONTH, NO_RIGHT, OTHER_LOCALITY, OTHER_MONTH
from plans.model import Plan
from plans.periods import Period
from plans.reporting import ALL_UNITS_NAME
from plans.text import fmt_datetime
from plans.vocabulary import ALL_UNITS
from store.accounts import Account
from ui.render import plain

ACCEPTED = "✔ Hợp lệ"
STORED = "✔ Đã nạp"
DUPLICATE = "○ Đã có (không nạp lại)"
REJECTED = "✖ Bị từ chối"
SET_ASIDE = "○ Không nạp (đã chọn tệp khác)"


def verdict(result: IngestResult) -> str:
    """How one file fared, with a symbol."""
    if not result.accepted:
        return REJECTED
    if result.duplicate:
        return DUPLICATE
    return ACCEPTED if result.dry_run else STORED


def file_table(results: Sequence[IngestResult]) -> pd.DataFrame:
    """One row per file: verdict, locality, unit, month, counts, errors, warnings, changes.
    A rejected file still shows whose sheet it is when its title block could be read."""
    rows = []
    for r in results:
        ident = r.identity
        rows.append(
            {
                "Tệp": r.file_name,
                "Kết quả": verdict(r),
                "Địa phương": r.locality_name or "—",
                "Đơn vị": (r.unit_name + (f" – {ident.village}" if ident and ident.village else "")) or "—",
                "Tháng": Period.parse(ident.period).label if ident else "—",
                "Có số liệu": r.n_values,
                "Để trống": r.n_blank,
                "Nhiệm vụ": r.n_tasks,
                "Lỗi": len(r.errors),
                "Cảnh báo": len(r.warnings),
                "Thay đổi": len(r.changes) if r.changes else ("phiếu mới" if r.accepted and not r.duplicate else "—"),
            }
        )
    return pd.DataFrame(rows)


def _reason(result: IngestResult) -> str:
    if not result.accepted:
        return "; ".join(p.message for p in result.errors[:3]) + (" …" if len(result.errors) > 3 else "")
    return result.summary()


def outcome_table(
    checked: Sequence[IngestResult], stored: Sequence[IngestResult], set_aside: Collection[str]
) -> pd.DataFrame:
    """Every file of a confirmed batch, in the order chosen: stored, already loaded, rejected (with
    the reason) or set aside (another file of the same unit and month was chosen)."""
    written = {r.file_name: r for r in stored}
    rows = []
    for r in checked:
        final = written.get(r.file_name, r)
        ident = final.identity
        rows.append(
            {
                "Tệp": r.file_name,
                "Kết quả": SET_ASIDE if r.file_name in set_aside else verdict(final),
                "Đơn vị": (final.unit_name + (f" – {ident.village}" if ident and ident.village else "")) or "—",
                "Tháng": Period.parse(ident.period).label if ident else "—",
                "Lý do": "đã chọn nạp tệp khác cho cùng đơn vị, cùng tháng"
                if r.file_name in set_aside
                else _reason(final),
            }
        )
    return pd.DataFrame(rows, columns=["Tệp", "Kết quả", "Đơn vị", "Tháng", "Lý do"])


def same_sheet_groups(results: Sequence[IngestResult]) -> dict[str, list[str]]:
    """Valid, different files for the same locality, unit (village) and month in one batch:
    "Đơn vị – Tháng" → file names. Only one of each group can be the sheet in use."""
    groups: dict[tuple, list[IngestResult]] = {}
    for r in results:
        if r.accepted and not r.duplicate and r.identity:
            ident = r.identity
            groups.setdefault((ident.locality_id, ident.unit_code, ident.village.casefold(), ident.period), []).append(
                r
            )
    out = {}
    for items in groups.values():
        if len({r.sha256 for r in items}) > 1:
            first = items[0]
            village = f" – {first.identity.village}" if first.identity.village else ""
            label = f"{first.locality_name} – {first.unit_name}{village} – {Period.parse(first.identity.period).label}"
            out[label] = list(dict.fromkeys(r.file_name for r in items))
    return out


def _steps(result: IngestResult, locality_name: str, month_label: str, account: Account) -> list[str]:
    """The fixes of one refused file, each following its reason."""
    topics = {p.topic for p in result.errors}
    ident = result.identity
    steps = []
    if NO_RIGHT in topics or (OTHER_LOCALITY in topics and ident and not account.can_write(ident.locality_id)):
        steps.append(
            f"tài khoản {account.username} không nạp được phiếu của {result.locality_name}: gửi tệp cho "
            f"Phòng Văn hóa - Xã hội của {result.locality_name} hoặc quản trị viên để nạp"
        )
    elif OTHER_LOCALITY in topics:
        steps.append(
            f"chọn “{result.locality_name}” ở ô “Địa phương”, hoặc bỏ chọn ô “Chỉ nhận phiếu của "
            f"{locality_name}”, rồi chọn lại tệp"
        )
    if OTHER_MONTH in topics and ident:
        steps.append(
            f"bỏ chọn ô “Chỉ nhận phiếu {month_label}” để nạp phiếu {Period.parse(ident.period).label}, "
            f"hoặc đổi “Tháng báo cáo”, rồi chọn lại tệp"
        )
    if CLOSED_MONTH in topics and ident:
        month = f"{Period.parse(ident.period).label} của {result.locality_name}"
        steps.append(
            f"mở lại {month} ở trang Nhật ký (ghi lý do) rồi chọn lại tệp"
            if account.is_admin
            else f"{month} đã khóa: chỉ quản trị viên mở lại được, hãy đề nghị quản trị viên mở lại rồi chọn lại tệp"
        )
    in_file = sum(1 for p in result.errors if not p.topic)
    if in_file:
        steps.append(f"sửa {in_file} lỗi trong tệp (bảng “Các lỗi và cảnh báo”: trang, dòng, cột) rồi chọn lại tệp")
    return steps


def advice(results: Sequence[IngestResult], locality_name: str, month_label: str, account: Account) -> list[str]:
    """What to do about each refused file, following the reason: a choice on the page (another
    locality or month: change the choice, nothing in the file is wrong), the account's right (who
    can load it), a closed month (who can open it again), or errors in the file's cells (fix them).
    Markdown, with the file's name escaped."""
    out = []
    for r in results:
        if r.accepted:
            continue
        clean = all(p.topic for p in r.errors)
        lead = f"**{plain(r.file_name)}**" + (" không có lỗi trong phiếu" if clean else "")
        out.append(f"{lead}: " + "; ".join(_steps(r, locality_name, month_label, account)) + ".")
    return out


def problem_table(results: Sequence[IngestResult]) -> pd.DataFrame:
    """Every problem of every file: file, sheet, row, column, severity, message; the errors of all
    files first (they decide what is rejected), then the warnings."""
    found = [p for r in results for p in r.problems]
    return pd.DataFrame(
        [
            {
                "Tệp": p.file,
                "Trang": p.sheet or "—",
                "Dòng": str(p.row) if p.row is not None else "—",
                "Cột": p.column or "—",
                "Mức": "✖ Lỗi" if p.is_error else "◆ Cảnh báo",
                "Nội dung": p.message,
            }
            for p in sorted(found, key=lambda p: not p.is_error)
        ],
        columns=["Tệp", "Trang", "Dòng", "Cột", "Mức", "Nội dung"],
    )


def change_table(result: IngestResult) -> pd.DataFrame:
    """What a re-upload changes against the values in use: item, current value, new value."""
    return pd.DataFrame(
        [
            {"Loại": c.kind, "Mã": c.code, "Nội dung": c.name, "Đang dùng": c.old_text, "Phiếu mới": c.new_text}
            for c in result.changes
        ],
        columns=["Loại", "Mã", "Nội dung", "Đang dùng", "Phiếu mới"],
    )


HISTORY_COLUMNS = [
    "Phiếu số",
    "Tháng",
    "Đơn vị",
    "Tệp",
    "Người nạp",
    "Thời điểm nạp",
    "Tình trạng",
    "Chỉ tiêu có số liệu",
    "Nhiệm vụ",
]


def history_table(submissions: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Every submission of a locality, newest first: who sent which file when, and whether it is
    the one in use or was replaced (by which later submission)."""
    mine = submissions[submissions["locality_id"] == plan.id]
    replaced_by = {int(old): int(new) for new, old in zip(mine["id"], mine["replaces"]) if pd.notna(old)}

    def unit(code: str, village: str) -> str:
        name = ALL_UNITS_NAME if code == ALL_UNITS else plan.unit_name(code)
        return f"{name} – {village}" if village else name

    def state(row) -> str:
        if row.is_current:
            return "Đang dùng" + (" (dữ liệu mẫu)" if row.is_sample else "")
        newer = replaced_by.get(int(row.id))
        return f"Đã thay bằng phiếu số {newer}" if newer else "Đã thay"

    return pd.DataFrame(
        [
            {
                "Phiếu số": int(row.id),
                "Tháng": Period.parse(row.period).label,
                "Đơn vị": unit(row.unit_code, row.village),
                "Tệp": row.file_name,
                "Người nạp": row.uploaded_by if isinstance(row.uploaded_by, str) and row.uploaded_by else "—",
                "Thời điểm nạp": fmt_datetime(row.uploaded_at),
                "Tình trạng": state(row),
                "Chỉ tiêu có số liệu": int(row.n_values),
                "Nhiệm vụ": int(row.n_tasks),
            }
            for row in mine.itertuples(index=False)
        ],
        columns=HISTORY_COLUMNS,
    )


def original_files(submissions: pd.DataFrame, plan: Plan) -> dict[int, tuple[str, str]]:
    """Submission number → (file name, SHA-256 of the stored original), newest first."""
    mine = submissions[submissions["locality_id"] == plan.id]
    return {int(i): (name, sha) for i, name, sha in zip(mine["id"], mine["file_name"], mine["file_sha256"])}
