"""The "Chỉ tiêu" sheet: one row per measure of the unit, each value read by its entry kind
(percent with optional Tử số/Mẫu số, count, Có/Không), stray and doubled rows reported."""

from __future__ import annotations

import re

from loaders.cell_values import CellError, parse_number, parse_yes_no, shown
from loaders.parsed_sheet import ParsedSheet
from loaders.problems import WARNING, column_letter
from loaders.row_reader import Collector, RowReader, cell_text, check_table, code_key, coded_rows, row_is_blank
from loaders.sheet_layout import COLUMN_LABELS
from loaders.sheet_reader import RawSheet
from loaders.sheet_tables import Table
from plans.reporting import PERCENT, YES_NO, MeasureLine, SheetSpec
from store.uploads import ReportedValue

_MEASURE_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_RATIO = ("numerator", "denominator")


def _misplaced(reader: RowReader, row: int, line: MeasureLine, suffix: str, out: Collector) -> None:
    """Report Tử số / Mẫu số written on a row that does not take them (count, yes/no, reduction)."""
    if line.takes_ratio:
        return
    if line.is_reduction:
        rule = "Chỉ tiêu mức giảm chỉ ghi mức giảm (%) ở cột Kết quả, ví dụ 20 cho “giảm 20%”; không ghi Tử số, Mẫu số"
    else:
        kind = "Có/Không" if line.entry == YES_NO else "số lượng"
        rule = f"Chỉ tiêu {kind} chỉ ghi ở cột Kết quả"
    for name in _RATIO:
        col = reader.table.columns.get(name)
        if col is not None and not row_is_blank(reader, row, (name,)):
            out.add(
                f"Ô {column_letter(col)}{row + 1} ({COLUMN_LABELS[name]}) có số liệu: {rule}{suffix}",
                reader.sheet.name,
                row,
                col,
            )


def _ratio(
    reader: RowReader, row: int, value: float | None, suffix: str, out: Collector
) -> tuple[float | None, float | None, float | None]:
    """(value, numerator, denominator) of a rate, checking Tử số/Mẫu số against each other and Kết quả."""
    name, cols = reader.sheet.name, reader.table.columns
    errors_before = out.errors
    numerator = reader.parse(row, "numerator", _non_negative, suffix)
    denominator = reader.parse(row, "denominator", _non_negative, suffix)
    if (numerator is None) != (denominator is None) and out.errors == errors_before:
        missing = "denominator" if denominator is None else "numerator"
        out.add(
            f"Thiếu {COLUMN_LABELS[missing]}: Tử số và Mẫu số phải ghi cùng nhau{suffix}", name, row, cols.get(missing)
        )
    elif numerator is not None and denominator is not None:
        if denominator == 0:
            out.add(f"Mẫu số bằng 0{suffix}", name, row, cols["denominator"])
        elif numerator > denominator:
            out.add(
                f"Tử số {shown(numerator)} lớn hơn Mẫu số {shown(denominator)}{suffix}", name, row, cols["numerator"]
            )
        else:
            computed = round(numerator / denominator * 100, 6)
            if value is None:
                value = computed
            elif abs(value - computed) > 0.5:
                out.add(
                    f"Kết quả {shown(value)}% không khớp Tử số/Mẫu số "
                    f"({shown(numerator)}/{shown(denominator)} = {computed:.1f}%){suffix}".replace(".", ","),
                    name,
                    row,
                    cols["value"],
                )
    return value, numerator, denominator


def _measure_row(reader: RowReader, row: int, line: MeasureLine, out: Collector) -> ReportedValue | None:
    suffix = f" (chỉ tiêu “{line.measure.name}”)"
    errors_before = out.errors
    numerator = denominator = None
    _misplaced(reader, row, line, suffix, out)
    if line.entry == PERCENT:
        value = reader.percent(row, "value", suffix)
        if line.takes_ratio:
            value, numerator, denominator = _ratio(reader, row, value, suffix, out)
    elif line.entry == YES_NO:
        value = reader.parse(row, "value", parse_yes_no, suffix)
        if value is not None and line.stores_share_of_yes:
            value *= 100
    else:
        value = reader.number(row, "value", suffix)
    if out.errors > errors_before or value is None:
        return None
    return ReportedValue(
        line.code,
        value,
        numerator,
        denominator,
        cell_text(reader.raw(row, "evidence")),
        cell_text(reader.raw(row, "note")),
        row + 1,
    )


def _non_negative(raw: object) -> float:
    value, _ = parse_number(raw)
    if value < 0:
        raise CellError(f"'{shown(raw)}' là số âm")
    return value


def _stray_row(
    reader: RowReader, row: int, raw_code: object, code: str, spec: SheetSpec, inputs: tuple[str, ...], out: Collector
) -> None:
    """A "Chỉ tiêu" row without a known code: an error when it carries figures, a warning when its
    code cell holds a single word (a signature, "Tong") and nothing else, silence otherwise."""
    sheet, table = reader.sheet, reader.table
    col = table.columns["code"]
    if row_is_blank(reader, row, inputs):
        if code and _MEASURE_CODE.match(code):
            out.add(
                f"Mã chỉ tiêu '{shown(raw_code)}' không có trong phiếu của {spec.unit_name}; dòng không có "
                f"số liệu nên bị bỏ qua",
                sheet.name,
                row,
                col,
                WARNING,
            )
        return
    if code:
        out.add(f"Mã chỉ tiêu '{shown(raw_code)}' không có trong phiếu của {spec.unit_name}", sheet.name, row, col)
    elif row == table.data_row:
        out.add(
            f"Dòng ngay dưới dòng tiêu đề (dòng {table.header_row + 1}) có chữ hoặc số ở cột Kết quả, Tử số "
            f"hay Mẫu số nhưng không có Mã chỉ tiêu: nếu đây là dòng tiêu đề thứ hai, hãy gộp tiêu đề vào "
            f"một dòng",
            sheet.name,
            row,
            col,
        )
    else:
        out.add("Dòng có Kết quả nhưng không có Mã chỉ tiêu", sheet.name, row, col)


def read_measures(sheet: RawSheet, table: Table | None, spec: SheetSpec, parsed: ParsedSheet, out: Collector) -> None:
    if not check_table(sheet, table, ("code", "value"), "Mã chỉ tiêu", out) or table is None:
        return
    reader = RowReader(sheet, table, out)
    lines = {code_key(line.code): line for line in spec.lines}
    seen: dict[str, int] = {}
    inputs = ("value", "numerator", "denominator")

    def stray(row: int, raw_code: object, code: str) -> None:
        _stray_row(reader, row, raw_code, code, spec, inputs, out)

    for row, code in coded_rows(reader, {k: line.code for k, line in lines.items()}, "Mã chỉ tiêu", seen, stray):
        if row_is_blank(reader, row, inputs):
            parsed.blank.append(code)
            out.add(
                f"Chưa báo cáo “{lines[code].measure.name}” tháng này (Kết quả để trống)",
                sheet.name,
                row,
                table.columns["value"],
                WARNING,
            )
            continue
        value = _measure_row(reader, row, lines[code], out)
        if value is not None:
            parsed.values.append(value)
    order = list(lines)
    for index, code in enumerate(order):
        if code not in seen:
            parsed.blank.append(code)
            _missing_row(sheet, table, lines, order, index, seen, out)


def _missing_row(
    sheet: RawSheet,
    table: Table,
    lines: dict[str, MeasureLine],
    order: list[str],
    index: int,
    seen: dict[str, int],
    out: Collector,
) -> None:
    """Warn about a measure whose row was deleted: its name, and where the row belonged (between the
    nearest rows of the template the sheet still has, or right under the header); the warning
    points at the row it would go before."""
    code = order[index]
    before = next((c for c in reversed(order[:index]) if c in seen), None)
    after = next((c for c in order[index + 1 :] if c in seen), None)
    above = None if before is None else f"dòng {seen[before] + 1} (“{lines[before].measure.name}”)"
    below = None if after is None else f"dòng {seen[after] + 1} (“{lines[after].measure.name}”)"
    if above and below:
        place, row = f"giữa {above} và {below}", seen[after]
    elif above:
        place, row = f"sau {above}", seen[before] + 1
    elif below:
        place, row = f"trước {below}", seen[after]
    else:
        place, row = f"ngay dưới dòng tiêu đề (dòng {table.header_row + 1})", table.data_row
    out.add(
        f"Phiếu không có dòng của chỉ tiêu “{lines[code].measure.name}” (mã {code}): dòng này đã bị xóa, "
        f"lẽ ra nằm {place}. Coi như chưa báo cáo; muốn báo cáo, hãy chép lại dòng từ mẫu phiếu "
        f"hoặc tải mẫu phiếu mới",
        sheet.name,
        row,
        table.columns["code"],
        severity=WARNING,
    )
