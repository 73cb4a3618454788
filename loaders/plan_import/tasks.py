"""Tasks: who leads, who helps, what comes out and by when — from prose and from task tables.

- Under "Tổ chức thực hiện", every bullet or lettered item under a unit's heading ("1. Văn phòng
  HĐND và UBND xã") is a task of that unit; an item opening with a unit ("Đoàn Thanh niên: …",
  "1. Các phòng, ban, đơn vị căn cứ …") is that unit's. Without a written deadline it is
  "Thường xuyên" (standing work).
- In a review/report section, a clause that organises a review ("Tổ chức sơ kết (giai đoạn
  2026-2028)", "Tổng kết … vào năm 2030") is a task of the plan's focal unit, due that year.
- In a table with columns for the lead unit ("Đơn vị chủ trì") and time, each row is a task:
  a roman-numbered row names the group, a row starting in lower case continues the one above,
  a "- …" row without lead or time shares those of the row above, "Quý II" takes the year of
  the heading ("1. Năm 2026 (…)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.plan_import.units import split_units

DATED = re.compile(r"(?:tháng\s*\d{1,2}\s*/\s*\d{4}|quý\s*(?:I{1,3}|IV)\s*/\s*\d{4})", re.IGNORECASE)
RECURRING = re.compile(r"(?:(?:hằng|hàng)\s+(?:năm|tháng)|thường xuyên)", re.IGNORECASE)
_YEAR = re.compile(r"\b(20\d\d)\b")
_QUARTER = re.compile(r"^quý\s*(I{1,3}|IV)$", re.IGNORECASE)
REVIEW_OPENING = re.compile(r"^(?:tổ chức\s+)?(?:sơ kết|tổng kết|tự đánh giá|đánh giá)", re.IGNORECASE)
_STANDING = "Thường xuyên"


@dataclass
class TaskDraft:
    """A task as found; ``lead``/``coordinating`` are unit names as written."""

    name: str
    section: str
    lead: list[str]
    coordinating: list[str] = field(default_factory=list)
    output: str | None = None
    deadline_text: str = _STANDING
    source: str = ""
    note: str | None = None
    key: str = ""


def deadline_in(text: str, recurring: bool = True) -> str | None:
    """A deadline written in a sentence: "Quý II/2026", "Tháng 6/2026", "năm 2028", "Hằng năm".

    In a unit's list of duties "hằng năm" usually qualifies the work ("kế hoạch công tác hằng
    năm"), not its deadline: ``recurring=False`` reads only dated deadlines there.
    """
    for pattern in (DATED, RECURRING) if recurring else (DATED,):
        if m := pattern.search(text):
            found = m.group(0)
            return found[:1].upper() + found[1:]
    years = [int(y) for y in _YEAR.findall(text)]
    if years:
        return f"Năm {max(years)}"
    return None


def table_deadline(cell: str, year: int | None) -> str | None:
    """A deadline cell; a bare quarter ("Quý II") takes the table's year."""
    text = " ".join(cell.split())
    if not text:
        return None
    if (m := _QUARTER.match(text)) and year:
        return f"Quý {m.group(1).upper()}/{year}"
    return text


def coordinating_in(text: str) -> list[str]:
    """Units named after "phối hợp với" in a sentence ("… và Tổ công nghệ số cộng đồng")."""
    m = re.search(
        r"phối hợp với\s+(.+?)(?:\s+(?:trong|để|tổ chức|triển khai|tuyên truyền|vận hành)\b|[,;.]|$)",
        text,
        re.IGNORECASE,
    )
    if not m:
        return []
    names = [n.strip() for n in re.split(r"\s+và\s+", m.group(1)) if n.strip()]
    return [n for n in names if not re.match(r"^(?:các|những)\s+(?:bộ phận|cơ quan|đơn vị|phòng)", n, re.I)]


def _column(header: tuple[str, ...], *words: str) -> int | None:
    folded = [h.lower() for h in header]
    for word in words:
        for i, cell in enumerate(folded):
            if word in cell:
                return i
    return None


def is_task_table(header: tuple[str, ...]) -> bool:
    return _column(header, "chủ trì") is not None


def table_tasks(rows: tuple[tuple[str, ...], ...], year: int | None, section: str) -> tuple[list[TaskDraft], list[str]]:
    """Tasks of one task table and the rows it could not place."""
    header = rows[0]
    col_stt = _column(header, "stt", "tt")
    col_name = _column(header, "tên nhiệm vụ", "nội dung", "nhiệm vụ")
    col_lead = _column(header, "chủ trì")
    col_coord = _column(header, "phối hợp")
    col_out = _column(header, "sản phẩm")
    col_time = _column(header, "thời gian", "thời hạn", "tiến độ", "hoàn thành")
    tasks: list[TaskDraft] = []
    unplaced: list[str] = []
    group = section
    group_key = ""
    previous: TaskDraft | None = None
    last_number = ""

    def cell(row: tuple[str, ...], col: int | None) -> str:
        return row[col].strip() if col is not None and col < len(row) else ""

    for row in rows[1:]:
        stt, name = cell(row, col_stt), cell(row, col_name)
        lead, coord, out, time = cell(row, col_lead), cell(row, col_coord), cell(row, col_out), cell(row, col_time)
        if not name:
            continue
        if re.fullmatch(r"[IVX]+\.?", stt) and not (lead or time):
            group = f"{stt.rstrip('.')}. {name}"
            group_key = stt.rstrip(".")
            previous = None
            continue
        if not (lead or time):
            if previous and (name[:1].islower() or (stt and not last_number)):
                previous.name = f"{previous.name} {name}"
                last_number = last_number or stt
                continue
            if name.endswith(":"):
                unplaced.append(f"{section}: dòng “{name}” là tiêu đề nhỏ trong bảng, không lập nhiệm vụ")
                continue
            if previous is None:
                unplaced.append(f"{section}: dòng “{name[:80]}” không có đơn vị chủ trì, thời hạn")
                continue
            lead, coord, out = "; ".join(previous.lead), "; ".join(previous.coordinating), out or None
        if not time and previous is not None:
            time = previous.deadline_text
        task = TaskDraft(
            name=re.sub(r"^[-–]\s*", "", name),
            section=group,
            lead=split_units(lead),
            coordinating=split_units(coord) if coord else [],
            output=out or None,
            deadline_text=table_deadline(time, year) or _STANDING,
            key=group_key,
        )
        tasks.append(task)
        previous, last_number = task, stt
    return tasks, unplaced
