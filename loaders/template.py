"""Write the monthly progress sheet a unit fills (openpyxl): "Chỉ tiêu", "Nhiệm vụ", "Hướng dẫn".

Each data sheet starts with a title block (locality, unit, village for ``thon`` sheets, month
and the sheet code ``locality/unit/YYYY-MM/v<version>`` that identifies the sheet to the
loader), then one table. Code, name, unit, target and task columns are locked (sheet
protection without password: against slips, not against intent); input cells are
unlocked and tinted, with drop-downs for Có/Không and task status. The workbook structure
is locked too (no password), so a sheet is not added, copied or renamed by accident: the
loader refuses a file with two "Chỉ tiêu" sheets. Tử số/Mẫu số are offered only for rates,
not for counts, yes/no or reductions. The same writer fills values in when given a
:class:`SheetFill` (sample data and tests go through the real sheet).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from loaders.sheet_layout import (
    GUIDE_SHEET,
    MEASURE_COLUMNS,
    MEASURE_SHEET,
    SAMPLE_LABEL,
    TASK_COLUMNS,
    TASK_SHEET,
    TITLE_LABELS,
    sheet_code,
)
from plans.model import Catalog
from plans.periods import Period
from plans.reporting import COUNT, PERCENT, YES_NO, MeasureLine, SheetSpec, sheet_spec
from plans.text import fmt_target
from plans.vocabulary import TASK_SHEET_LABELS, Accumulation, label

HEADER_ROW = 9
_FONT = "Times New Roman"
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")
_INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_GROUP_FILL = PatternFill("solid", fgColor="EDEDED")
_OFF_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_MEASURE_WIDTHS = (5, 24, 52, 10, 22, 22, 12, 10, 10, 26, 20)
_TASK_WIDTHS = (5, 16, 60, 22, 22, 16, 18, 12, 14, 30)
_UNIT_LABEL = {PERCENT: "%", COUNT: "Số lượng", YES_NO: "Có/Không"}


@dataclass(frozen=True)
class MeasureFill:
    """What a unit writes on one "Chỉ tiêu" row (any cell content, as typed)."""

    value: object = None
    numerator: object = None
    denominator: object = None
    evidence: object = None
    note: object = None


@dataclass(frozen=True)
class TaskFill:
    """What a unit writes on one "Nhiệm vụ" row; a status code is written as its label."""

    status: object = None
    percent: object = None
    completed: object = None
    evidence: object = None


@dataclass(frozen=True)
class SheetFill:
    """Values to write into a sheet, by measure code and task code."""

    measures: Mapping[str, MeasureFill] = field(default_factory=dict)
    tasks: Mapping[str, TaskFill] = field(default_factory=dict)


def target_text(line: MeasureLine) -> str:
    """The plan targets (and KPI rule) of a measure, as printed beside it."""
    parts = []
    for ind in line.indicators:
        when = "mỗi năm" if ind.every_year else f"năm {ind.target_year}"
        parts.append(f"{fmt_target(ind.comparator, ind.target, line.measure.unit, 2)} ({when})")
    parts.extend(f"KPI {item.code}: {item.method}" for item in line.framework_items)
    return "\n".join(dict.fromkeys(parts))


def how_to_write(line: MeasureLine) -> str:
    """How the value is written, by entry kind and accumulation."""
    if line.stores_share_of_yes:
        return "Có / Không (tình trạng ở thôn)"
    if line.entry == YES_NO:
        return "Có / Không (tình trạng hiện tại)"
    if line.is_reduction:
        return "mức giảm so với quy định (%), ví dụ 20 cho “giảm 20%”; không ghi Tử số, Mẫu số"
    if line.entry == PERCENT:
        return "giá trị hiện tại (%), ví dụ 85 hoặc 85,5; có thể ghi Tử số, Mẫu số"
    if line.measure.accumulation == Accumulation.SUM_YEAR:
        return "số trong tháng (phát sinh trong tháng)"
    return "tổng số hiện có (lũy kế)"


def _named_styles() -> tuple[NamedStyle, ...]:
    """Cell styles of the sheet; assigning a named style is much faster than setting each part."""

    def style(name: str, fill: PatternFill | None = None, bold: bool = False, locked: bool = True) -> NamedStyle:
        named = NamedStyle(
            name=name,
            font=Font(name=_FONT, size=11, bold=bold),
            border=_BOX,
            alignment=_WRAP,
            protection=Protection(locked=locked),
        )
        if fill is not None:
            named.fill = fill
        return named

    return (
        style("dm_cell"),
        style("dm_header", _HEADER_FILL, bold=True),
        style("dm_group", _GROUP_FILL, bold=True),
        style("dm_input", _INPUT_FILL, locked=False),
        style("dm_off", _OFF_FILL),
    )


def _style_row(ws: Worksheet, row: int, ncols: int, style: str = "dm_cell") -> None:
    for col in range(1, ncols + 1):
        ws.cell(row=row, column=col).style = style


def _unlock(ws: Worksheet, row: int, col: int) -> None:
    ws.cell(row=row, column=col).style = "dm_input"


def _title_block(
    ws: Worksheet, spec: SheetSpec, period: Period, village: str, sample: bool, ncols: int, heading: str
) -> None:
    last = get_column_letter(ncols)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = f"{heading} – {period.label.upper()}"
    ws["A1"].font = Font(name=_FONT, size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = f"Theo dõi thực hiện Kế hoạch xây dựng “Xã đổi mới sáng tạo” – {spec.locality_name}"
    ws["A2"].font = Font(name=_FONT, size=12, italic=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    values = {
        "locality": spec.locality_name,
        "unit": spec.unit_name,
        "village": village,
        "period": period.label,
        "sheet_code": sheet_code(spec.locality_id, spec.unit_code, str(period)),
    }
    row = 3
    for key, title in TITLE_LABELS:
        if key == "village" and not spec.is_village:
            continue
        ws.cell(row=row, column=2, value=title).font = Font(name=_FONT, size=12, bold=True)
        cell = ws.cell(row=row, column=3, value=values[key] or None)
        cell.font = Font(name=_FONT, size=12)
        if key == "village":
            _unlock(ws, row, 3)
            cell.comment = Comment("Ghi tên thôn / tổ dân phố gửi phiếu này", "Phần mềm")
        row += 1
    if sample:
        ws.cell(row=row, column=2, value=SAMPLE_LABEL).font = Font(name=_FONT, size=12, bold=True, color="C00000")
        ws.cell(row=row, column=3, value="Phiếu do phần mềm tạo để minh họa, không phải số liệu thật").font = Font(
            name=_FONT, size=12, color="C00000"
        )


def _header(ws: Worksheet, columns: tuple[tuple[str, str], ...], widths: tuple[int, ...]) -> None:
    for col, (_, title) in enumerate(columns, start=1):
        ws.cell(row=HEADER_ROW, column=col, value=title)
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    _style_row(ws, HEADER_ROW, len(columns), "dm_header")
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _validation(ws: Worksheet, error: str, **rule: str) -> DataValidation:
    """A rule for cells of ``ws`` (the caller adds the cells): blank is allowed, anything else the
    rule refuses is refused with ``error``."""
    found = DataValidation(
        allow_blank=True, showErrorMessage=True, errorTitle="Giá trị không hợp lệ", error=error, **rule
    )
    ws.add_data_validation(found)
    return found


def _group_row(ws: Worksheet, row: int, cols: dict[str, int], numeral: str, title: str) -> None:
    """A heading row of a sheet: the group's Roman numeral and its title."""
    ws.cell(row=row, column=cols["stt"], value=numeral)
    ws.cell(row=row, column=cols["name"], value=title)
    _style_row(ws, row, len(cols), "dm_group")


def _item_row(ws: Worksheet, row: int, cols: dict[str, int], content: dict[str, object], inputs: Iterable[str]) -> None:
    """A row of a sheet: ``content`` by column, the ``inputs`` columns left open for the unit to fill."""
    for name, col in cols.items():
        ws.cell(row=row, column=col, value=content[name])
    _style_row(ws, row, len(cols))
    for name in inputs:
        _unlock(ws, row, cols[name])


def _measure_sheet(ws: Worksheet, spec: SheetSpec, catalog: Catalog, fill: SheetFill) -> None:
    cols = {name: i for i, (name, _) in enumerate(MEASURE_COLUMNS, start=1)}
    _header(ws, MEASURE_COLUMNS, _MEASURE_WIDTHS)
    yes_no = _validation(ws, "Chọn Có hoặc Không", type="list", formula1='"Có,Không"')
    groups = {g["code"]: g["name"] for g in catalog.common_groups}
    row, number, group = HEADER_ROW + 1, 0, None
    for line in spec.lines:
        if line.measure.common_group != group:
            group = line.measure.common_group
            _group_row(ws, row, cols, _ROMAN[list(groups).index(group)], groups[group])
            row += 1
        number += 1
        given = fill.measures.get(line.code, MeasureFill())
        content = {
            "stt": number,
            "code": line.code,
            "name": line.measure.name,
            "unit": _UNIT_LABEL[line.entry],
            "target": target_text(line) or None,
            "how": how_to_write(line),
            "value": given.value,
            "numerator": given.numerator,
            "denominator": given.denominator,
            "evidence": given.evidence,
            "note": given.note,
        }
        inputs = ["value", "evidence", "note"] + (["numerator", "denominator"] if line.takes_ratio else [])
        _item_row(ws, row, cols, content, inputs)
        if not line.takes_ratio:
            ws.cell(row=row, column=cols["numerator"]).style = "dm_off"
            ws.cell(row=row, column=cols["denominator"]).style = "dm_off"
        if line.entry == YES_NO:
            yes_no.add(ws.cell(row=row, column=cols["value"]))
        row += 1
    if not spec.lines:
        ws.cell(row=row, column=cols["name"], value="Đơn vị không có chỉ tiêu phải báo cáo trong phiếu này.")
    _protect(ws)


def _task_sheet(ws: Worksheet, spec: SheetSpec, catalog: Catalog, fill: SheetFill) -> None:
    cols = {name: i for i, (name, _) in enumerate(TASK_COLUMNS, start=1)}
    _header(ws, TASK_COLUMNS, _TASK_WIDTHS)
    status = _validation(
        ws, "Chọn một tình trạng trong danh sách", type="list", formula1='"' + ",".join(TASK_SHEET_LABELS) + '"'
    )
    percent = _validation(
        ws, "Tỷ lệ hoàn thành là số từ 0 đến 100", type="decimal", operator="between", formula1="0", formula2="100"
    )
    plan = catalog.plan(spec.locality_id)
    row, number, section, group_no = HEADER_ROW + 1, 0, None, 0
    for task in spec.tasks:
        if task.section != section:
            section = task.section
            _group_row(ws, row, cols, _ROMAN[group_no % len(_ROMAN)], section or "Nhiệm vụ khác")
            group_no += 1
            row += 1
        number += 1
        given = fill.tasks.get(task.code, TaskFill())
        content = {
            "stt": number,
            "code": task.code,
            "name": task.name,
            "lead": ", ".join(plan.unit_name(u) for u in task.lead_units),
            "output": task.output,
            "deadline": task.deadline_text,
            "status": label(given.status) if isinstance(given.status, str) else given.status,
            "percent": given.percent,
            "completed": given.completed,
            "evidence": given.evidence,
        }
        _item_row(ws, row, cols, content, ("status", "percent", "completed", "evidence"))
        status.add(ws.cell(row=row, column=cols["status"]))
        percent.add(ws.cell(row=row, column=cols["percent"]))
        row += 1
    if not spec.tasks:
        ws.cell(row=row, column=cols["name"], value="Đơn vị không chủ trì nhiệm vụ nào trong kế hoạch.")
    _protect(ws)


GUIDE = (
    ("Cách điền phiếu", True),
    (
        "1. Chỉ ghi vào các ô tô màu vàng nhạt. Không sửa mã, tên, chỉ tiêu kế hoạch và dòng “Mã phiếu”: "
        "phần mềm dựa vào đó để nhận phiếu.",
        False,
    ),
    (
        "2. Trang “Chỉ tiêu”: ghi Kết quả của tháng theo cột “Cách ghi”. Ô để trống nghĩa là “chưa báo cáo "
        "tháng này” (khác với số 0). Ghi số 0 khi kết quả thực sự bằng 0.",
        False,
    ),
    (
        "3. Tỷ lệ (%): ghi 85 hoặc 85,5 hoặc 85%. Số nhỏ hơn hoặc bằng 1 có phần thập phân (0,855) được hiểu là "
        "85,5%. Số 0 hoặc 1 không có phần thập phân được hiểu là 0% hoặc 1% (ghi 1 sẽ có cảnh báo): tỷ lệ đầy đủ "
        "ghi 100 hoặc 100%. Ô định dạng phần trăm được đọc đúng như Excel hiển thị.",
        False,
    ),
    (
        "4. Nếu có số liệu gốc của một tỷ lệ, ghi thêm Tử số (số đạt) và Mẫu số (tổng số), ví dụ 45 trên 50 cán "
        "bộ; có Tử số, Mẫu số thì có thể bỏ trống Kết quả, phần mềm tự tính. Chỉ tiêu số lượng, Có/Không và mức "
        "giảm chỉ ghi ở cột Kết quả.",
        False,
    ),
    (
        "5. Mức giảm (ví dụ rút ngắn thời gian giải quyết thủ tục): ghi chính mức giảm theo phần trăm, ví dụ 20 "
        "cho “giảm 20%”; không ghi số ngày vào Tử số, Mẫu số.",
        False,
    ),
    (
        "6. Số lượng: ghi số nguyên không âm; có thể dùng dấu chấm ngăn cách hàng nghìn (1.234). Số thập phân "
        "dùng dấu phẩy (85,5).",
        False,
    ),
    ("7. Có/Không: chọn trong danh sách (cũng nhận x, ✓, 1, 0).", False),
    (
        "8. Trang “Nhiệm vụ”: chọn Tình trạng (Chưa thực hiện / Đang thực hiện / Hoàn thành), ghi Tỷ lệ hoàn "
        "thành (0–100), Ngày hoàn thành dạng dd/mm/yyyy và Minh chứng (số, ngày văn bản, đường dẫn).",
        False,
    ),
    ("9. Ô có công thức phải được tính trước khi gửi (mở và lưu lại bằng Excel).", False),
    (
        "10. Không thêm, chép hay đổi tên trang: tệp có hai trang “Chỉ tiêu” (hoặc hai trang “Nhiệm vụ”) bị "
        "từ chối. Chữ ký, ghi chú dưới bảng không ảnh hưởng.",
        False,
    ),
    ("Cách phần mềm tổng hợp khi nhiều đơn vị (hoặc nhiều thôn) cùng báo cáo một chỉ tiêu", True),
    ("• Số lượng: cộng số của các đơn vị.", False),
    (
        "• Tỷ lệ (%): Tổng Tử số ÷ Tổng Mẫu số × 100 khi mọi đơn vị đều ghi Tử số và Mẫu số; nếu không, lấy "
        "trung bình các tỷ lệ.",
        False,
    ),
    ("• Có/Không: “Có” nếu ít nhất một đơn vị báo “Có”.", False),
    (
        "• Tỷ lệ thôn (ví dụ thôn có Tổ đổi mới sáng tạo hoạt động hiệu quả): mỗi thôn báo Có/Không; tỷ lệ của "
        "xã là phần trăm số thôn báo “Có”.",
        False,
    ),
    (
        "• Chỉ tiêu cộng dồn theo năm (“số trong tháng”) được cộng từ tháng 1 đến kỳ báo cáo; tỷ lệ và số lũy kế "
        "lấy kỳ báo cáo gần nhất.",
        False,
    ),
    ("Gửi phiếu", True),
    (
        "Lưu tệp dạng .xlsx (không dùng .xls, .csv hay tệp có macro) và gửi Phòng Văn hóa - Xã hội. Gửi lại phiếu "
        "của cùng tháng sẽ thay số liệu cũ; phiếu cũ vẫn được lưu làm lịch sử.",
        False,
    ),
)


def _guide_sheet(ws: Worksheet, spec: SheetSpec, period: Period) -> None:
    ws.column_dimensions["A"].width = 120
    ws["A1"] = f"HƯỚNG DẪN ĐIỀN PHIẾU – {spec.unit_name} – {period.label}"
    ws["A1"].font = Font(name=_FONT, size=14, bold=True)
    for row, (text, bold) in enumerate(GUIDE, start=3):
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(name=_FONT, size=12, bold=bold)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(wb: Workbook) -> None:
    """Text that a spreadsheet could take for a formula (a village name such as ``=HYPERLINK(…)``)
    is stored as a quoted text cell: Excel and LibreOffice show it as written and never run it."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def build_workbook(
    catalog: Catalog,
    locality_id: str,
    unit_code: str,
    period: Period | str,
    village: str = "",
    fill: SheetFill | None = None,
    sample: bool = False,
) -> Workbook:
    """The sheet of one unit (``all`` for the whole locality) for one month, optionally filled."""
    period = Period.parse(period) if isinstance(period, str) else period
    spec = sheet_spec(catalog, locality_id, unit_code, period.year)
    fill = fill or SheetFill()
    wb = Workbook()
    for style in _named_styles():
        wb.add_named_style(style)
    measures = wb.active
    measures.title = MEASURE_SHEET
    _title_block(measures, spec, period, village, sample, len(MEASURE_COLUMNS), "PHIẾU BÁO CÁO CHỈ TIÊU")
    _measure_sheet(measures, spec, catalog, fill)
    tasks = wb.create_sheet(TASK_SHEET)
    _title_block(tasks, spec, period, village, sample, len(TASK_COLUMNS), "PHIẾU BÁO CÁO NHIỆM VỤ")
    _task_sheet(tasks, spec, catalog, fill)
    _guide_sheet(wb.create_sheet(GUIDE_SHEET), spec, period)
    _neutralise(wb)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = "Theo dõi Xã đổi mới sáng tạo"
    wb.properties.title = f"Phiếu báo cáo {period.label} – {spec.unit_name} – {spec.locality_name}"
    return wb


def workbook_bytes(workbook: Workbook) -> bytes:
    """Serialise a workbook to .xlsx bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_bytes(
    catalog: Catalog, locality_id: str, unit_code: str, period: Period | str, village: str = ""
) -> bytes:
    """The empty sheet as .xlsx bytes (for the upload page's download button)."""
    return workbook_bytes(build_workbook(catalog, locality_id, unit_code, period, village))


def write_template(
    catalog: Catalog, locality_id: str, unit_code: str, period: Period | str, out: Path, village: str = ""
) -> Path:
    """Write the empty sheet to ``out`` (creating its folder) and return the path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(template_bytes(catalog, locality_id, unit_code, period, village))
    return out
