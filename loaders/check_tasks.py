"""The "Nhiệm vụ" sheet: one row per task the unit leads, with status, percent and completion date."""

from __future__ import annotations

import datetime as dt

from loaders.cell_values import parse_date, parse_status, shown
from loaders.parsed_sheet import ParsedSheet, TaskRow
from loaders.problems import WARNING
from loaders.row_reader import Collector, RowReader, cell_text, check_table, code_key, coded_rows, row_is_blank
from loaders.sheet_reader import RawSheet
from loaders.sheet_tables import Table
from plans.reporting import SheetSpec
from plans.vocabulary import TASK_DONE, TASK_NOT_STARTED, label


def read_tasks(
    sheet: RawSheet, table: Table | None, spec: SheetSpec, parsed: ParsedSheet, today: dt.date, out: Collector
) -> None:
    if not check_table(sheet, table, ("code", "status"), "Mã nhiệm vụ", out) or table is None:
        return
    reader = RowReader(sheet, table, out)
    tasks = {code_key(t.code): t for t in spec.tasks}
    inputs = ("status", "percent", "completed")

    def stray(row: int, raw_code: object, code: str) -> None:
        if not row_is_blank(reader, row, inputs):
            message = (
                f"Mã nhiệm vụ '{shown(raw_code)}' không có trong phiếu của {spec.unit_name}"
                if code
                else "Dòng có Tình trạng nhưng không có Mã nhiệm vụ"
            )
            out.add(message, sheet.name, row, table.columns["code"])

    for row, code in coded_rows(reader, {k: t.code for k, t in tasks.items()}, "Mã nhiệm vụ", {}, stray):
        task = tasks[code]
        if row_is_blank(reader, row, inputs):
            out.add(
                f"Chưa báo cáo nhiệm vụ '{task.code}' tháng này (Tình trạng để trống)",
                sheet.name,
                row,
                table.columns["status"],
                WARNING,
            )
            continue
        update = _task_row(reader, row, task.code, today, out)
        if update is not None:
            parsed.tasks.append(update)


def _task_row(reader: RowReader, row: int, code: str, today: dt.date, out: Collector) -> TaskRow | None:
    suffix = f" (nhiệm vụ {code})"
    name, cols = reader.sheet.name, reader.table.columns
    errors_before = out.errors
    status = reader.parse(row, "status", parse_status, suffix)
    percent = reader.percent(row, "percent", suffix)
    completed = reader.parse(row, "completed", parse_date, suffix)
    if status is None and out.errors == errors_before:
        out.add(
            f"Thiếu Tình trạng: đã ghi tỷ lệ hoặc ngày hoàn thành nhưng chưa chọn tình trạng{suffix}",
            name,
            row,
            cols["status"],
        )
    if status == TASK_DONE and percent is not None and percent < 100:
        out.add(
            f"Tình trạng “Hoàn thành” nhưng tỷ lệ hoàn thành là {shown(percent)}%{suffix}",
            name,
            row,
            cols.get("percent"),
        )
    if status == TASK_NOT_STARTED and percent:
        out.add(
            f"Tình trạng “Chưa thực hiện” nhưng tỷ lệ hoàn thành là {shown(percent)}%{suffix}",
            name,
            row,
            cols.get("percent"),
        )
    if isinstance(completed, dt.date) and completed > today:
        out.add(f"Ngày hoàn thành {completed:%d/%m/%Y} ở sau hôm nay{suffix}", name, row, cols.get("completed"))
    if completed is not None and status not in (None, TASK_DONE):
        out.add(
            f"Có Ngày hoàn thành nhưng tình trạng là “{label(status)}”{suffix}",
            name,
            row,
            cols.get("completed"),
            WARNING,
        )
    if out.errors > errors_before or status is None:
        return None
    if percent is None and status in (TASK_DONE, TASK_NOT_STARTED):
        percent = 100.0 if status == TASK_DONE else 0.0
    return TaskRow(code, status, percent, completed, cell_text(reader.raw(row, "evidence")), row + 1)
