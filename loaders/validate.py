"""Check a filled monthly sheet against what its unit must report; collect every problem.

The sheet says who it is (its "Mã phiếu" code, the village for ``thon`` sheets, the sample
marker); :func:`plans.reporting.sheet_spec` says which measures and tasks it must carry.
Each row is read with the rules of :mod:`loaders.cell_values`. Nothing is written here: the
result is either a :class:`ParsedSheet` (no errors) or the list of problems (file, sheet, row,
column, Vietnamese message) in reading order, warnings included in both cases.

Hand edits that are tolerated: title rows, a second header row, extra columns, a second
"Minh chứng"/"Ghi chú" column (the first is read, with a warning), a word under the table
(a warning: the row is skipped). Refused: two "Chỉ tiêu" (or "Nhiệm vụ") sheets, a doubled
figure column, figures on a row without a known code, Tử số/Mẫu số on a count, yes/no or
reduction row.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from loaders.cell_values import (
    CellError,
    is_blank,
    parse_count,
    parse_date,
    parse_number,
    parse_percent,
    parse_status,
    parse_yes_no,
    percent_warning,
    shown,
)
from loaders.problems import ERROR, OTHER_LOCALITY, OTHER_MONTH, OTHER_UNIT, WARNING, Problem, by_place, column_letter
from loaders.sheet_layout import (
    COLUMN_LABELS,
    MEASURE_ALIASES,
    TASK_ALIASES,
    TEMPLATE_VERSION,
    TITLE_PREFIXES,
    parse_sheet_code,
    sheet_key,
)
from loaders.sheet_reader import (
    RawSheet,
    SheetLimitError,
    Table,
    WorkbookError,
    find_table,
    read_sheets,
    sheet_names,
    title_fields,
)
from loaders.xlsx_package import Package
from plans import clock
from plans.model import Catalog
from plans.periods import Period
from plans.reporting import PERCENT, YES_NO, MeasureLine, SheetSpec, SpecError, sheet_spec
from plans.vocabulary import TASK_DONE, TASK_NOT_STARTED

_MEASURE_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_TEXT_COLUMNS = frozenset({"evidence", "note"})
_KIND_OF_SHEET = {"measures": "chỉ tiêu", "tasks": "nhiệm vụ"}
_RATIO = ("numerator", "denominator")
_PERIOD_LABEL = re.compile(r"(\d{1,2})\s*/\s*(\d{4})")


@dataclass(frozen=True)
class Expected:
    """What the office chose on upload; ``None`` parts are not checked."""

    locality_id: str | None = None
    unit_code: str | None = None
    period: str | Period | None = None


@dataclass(frozen=True)
class SheetIdentity:
    """Who sent the sheet and for which month."""

    locality_id: str
    unit_code: str
    period: str
    village: str
    template_version: str
    is_sample: bool


@dataclass(frozen=True)
class ValueRow:
    """A reported measure value (percent 0–100, count, yes/no as 1/0, village share as 100/0)."""

    measure: str
    value: float
    numerator: float | None
    denominator: float | None
    evidence: str | None
    note: str | None
    sheet_row: int


@dataclass(frozen=True)
class TaskRow:
    """A reported task status."""

    task: str
    status: str
    percent: float | None
    completed_on: dt.date | None
    evidence: str | None
    sheet_row: int


@dataclass
class ParsedSheet:
    """A valid sheet: its identity, what it must carry, and what it reports."""

    identity: SheetIdentity
    spec: SheetSpec
    values: list[ValueRow] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)


class _Collector:
    """Collects the problems of one file."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[Problem] = []
        self.errors = 0

    def add(self, message: str, sheet: str | None = None, row: int | None = None, col: int | None = None,
            severity: str = ERROR, topic: str = "") -> None:
        letter = column_letter(col) if col is not None else None
        self.items.append(Problem(self.file, sheet, None if row is None else row + 1, letter, message, severity,
                                  topic))
        if severity == ERROR:
            self.errors += 1

    @property
    def has_errors(self) -> bool:
        return self.errors > 0


def _text(raw: object) -> str | None:
    if is_blank(raw):
        return None
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", shown(raw))


def _clean_village(raw: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(raw)).split()) if not is_blank(raw) else ""


class _Reader:
    """Reads one data sheet's rows, turning cell errors into problems at the right place."""

    def __init__(self, sheet: RawSheet, table: Table, out: _Collector):
        self.sheet, self.table, self.out = sheet, table, out

    def raw(self, row: int, name: str) -> object:
        col = self.table.columns.get(name)
        return None if col is None else self.sheet.value(row, col)

    def parse(self, row: int, name: str, parser: Callable[[object], float], suffix: str = "") -> float | None:
        """Parse one cell; ``None`` if blank or wrong (the problem is recorded)."""
        col = self.table.columns.get(name)
        if col is None:
            return None
        if (row, col) in self.sheet.uncached_formulas:
            self.out.add(f"Ô {column_letter(col)}{row + 1} ({COLUMN_LABELS[name]}) chứa công thức nhưng chưa có giá "
                         f"trị đã tính; hãy mở tệp bằng Excel để tính rồi lưu lại{suffix}", self.sheet.name, row, col)
            return None
        raw = self.sheet.value(row, col)
        if is_blank(raw):
            return None
        try:
            return parser(raw)
        except CellError as err:
            self.out.add(f"{COLUMN_LABELS[name]} {err}{suffix}", self.sheet.name, row, col)
            return None

    def percent(self, row: int, name: str, suffix: str) -> float | None:
        col = self.table.columns.get(name)
        formatted = col is not None and (row, col) in self.sheet.percent_cells
        value = self.parse(row, name, lambda raw: parse_percent(raw, formatted), suffix)
        if value is not None and not 0 <= value <= 100:
            hint = " (ô định dạng phần trăm: hãy ghi 85%, không ghi 85)" if formatted else ""
            self.out.add(f"{COLUMN_LABELS[name]} {shown(value)}% nằm ngoài khoảng 0–100%{hint}{suffix}",
                         self.sheet.name, row, col)
            return None
        warning = percent_warning(self.raw(row, name), formatted) if value is not None else None
        if warning:
            self.out.add(f"{COLUMN_LABELS[name]}: {warning}{suffix}", self.sheet.name, row, col, WARNING)
        return value

    def number(self, row: int, name: str, suffix: str) -> float | None:
        return self.parse(row, name, parse_count, suffix)


def _identity(sheets: dict[str, RawSheet], tables: dict[str, Table | None], catalog: Catalog,
              expected: Expected | None, today: dt.date, out: _Collector) -> tuple[SheetIdentity, SheetSpec] | None:
    codes, fields = [], {}
    for key, sheet in sheets.items():
        table = tables[key]
        found = title_fields(sheet, table.header_row if table else 15, TITLE_PREFIXES)
        fields[key] = found
        if "sheet_code" in found:
            value, row, col = found["sheet_code"]
            codes.append((parse_sheet_code(value), sheet.name, row, col, value))
    if not codes:
        first = next(iter(sheets.values()))
        out.add("Không tìm thấy dòng “Mã phiếu” ở đầu phiếu: hãy dùng mẫu phiếu do phần mềm tạo", first.name)
        return None
    parsed, sheet_name, row, col, raw = codes[0]
    if parsed is None:
        out.add(f"Mã phiếu '{shown(raw)}' không hợp lệ (đã bị sửa?): hãy dùng mẫu phiếu do phần mềm tạo",
                sheet_name, row, col)
        return None
    for other, other_sheet, orow, ocol, oraw in codes[1:]:
        if other != parsed:
            out.add(f"Mã phiếu '{shown(oraw)}' khác với mã phiếu '{shown(raw)}' ở trang '{sheet_name}': "
                    f"hai trang không cùng một phiếu", other_sheet, orow, ocol)
    locality_id, unit_code, period_text, version = parsed
    if version != TEMPLATE_VERSION:
        out.add(f"Phiếu theo mẫu phiên bản {version}, phần mềm chỉ nhận mẫu phiên bản {TEMPLATE_VERSION}: "
                f"hãy tải mẫu phiếu mới", sheet_name, row, col)
    try:
        period = Period.parse(period_text)
        spec = sheet_spec(catalog, locality_id, unit_code, period.year)
    except (SpecError, ValueError) as err:
        out.add(f"Mã phiếu '{shown(raw)}': {err}", sheet_name, row, col)
        return None
    where = (sheet_name, row, col)
    _check_period(spec, period, catalog, fields, sheets, today, out, where)
    if expected is not None:
        _check_expected(spec, period, catalog, expected, out, where)
    village = _village(sheets, fields, sheet_name, out) if spec.is_village else ""
    is_sample = any("sample" in found for found in fields.values())
    identity = SheetIdentity(locality_id, unit_code, str(period), village, version, is_sample)
    return identity, spec


def _village(sheets: dict[str, RawSheet], fields: dict, sheet_name: str, out: _Collector) -> str:
    """The village named in the title block (required on a village sheet)."""
    labels = [(sheets[key].name, found["village"]) for key, found in fields.items() if "village" in found]
    village = next((_clean_village(value) for _, (value, _, _) in labels if not is_blank(value)), "")
    if not village:
        sheet_at, (_, label_row, label_col) = labels[0] if labels else (sheet_name, (None, None, None))
        out.add("Phiếu của thôn phải ghi tên thôn / tổ dân phố ở dòng “Thôn / tổ dân phố”", sheet_at,
                label_row, None if label_col is None else label_col + 1)
    return village


def _check_period(spec: SheetSpec, period: Period, catalog: Catalog, fields: dict, sheets: dict[str, RawSheet],
                  today: dt.date, out: _Collector, where: tuple[str, int, int]) -> None:
    for key, found in fields.items():
        if "period" not in found:
            continue
        value, row, col = found["period"]
        match = _PERIOD_LABEL.search(str(value))
        if match and (int(match.group(2)), int(match.group(1))) != (period.year, period.month):
            out.add(f"Kỳ báo cáo ghi '{shown(value)}' nhưng mã phiếu là của {period.label}: phiếu của tháng khác "
                    f"bị sửa tiêu đề? Hãy tải mẫu phiếu đúng tháng", sheets[key].name, row, col)
    plan = catalog.plan(spec.locality_id)
    if period > Period.of(today):
        out.add(f"Kỳ báo cáo {period.label} chưa tới (hôm nay là {today:%d/%m/%Y})", *where)
    elif not plan.start_year <= period.year <= plan.end_year:
        out.add(f"Kỳ báo cáo {period.label} nằm ngoài thời gian của kế hoạch ({plan.start_year}–{plan.end_year})",
                *where)


def _check_expected(spec: SheetSpec, period: Period, catalog: Catalog, expected: Expected, out: _Collector,
                    where: tuple[str, int, int]) -> None:
    if expected.locality_id and expected.locality_id != spec.locality_id:
        wanted = catalog.plans[expected.locality_id].name if expected.locality_id in catalog.plans else \
            expected.locality_id
        out.add(f"Phiếu là của {spec.locality_name}, nhưng đang nạp cho {wanted}", *where, topic=OTHER_LOCALITY)
    if expected.unit_code and expected.unit_code != spec.unit_code:
        plan = catalog.plan(spec.locality_id)
        out.add(f"Phiếu là của đơn vị “{spec.unit_name}”, nhưng đang nạp cho đơn vị "
                f"“{plan.unit_name(expected.unit_code)}”", *where, topic=OTHER_UNIT)
    try:
        wanted_period = Period.parse(str(expected.period)) if expected.period else None
    except ValueError as err:
        out.add(f"Kỳ báo cáo đã chọn không hợp lệ: {err}", *where)
        return
    if wanted_period and wanted_period != period:
        out.add(f"Phiếu là của {period.label}, nhưng đang nạp cho {wanted_period.label}", *where, topic=OTHER_MONTH)


def _check_table(sheet: RawSheet, table: Table | None, required: tuple[str, ...], code_header: str,
                 out: _Collector) -> bool:
    """Report a missing header row or column, a doubled one; True when the table can be read.

    A doubled column that only carries text (Minh chứng, Ghi chú) is read from its first copy,
    with a warning; any other doubled column is an error (which copy holds the figures?).
    """
    if table is None:
        out.add(f"Không tìm thấy dòng tiêu đề có cột '{code_header}' trong trang", sheet.name)
        return False
    for name in required:
        if name not in table.columns:
            out.add(f"Thiếu cột '{COLUMN_LABELS[name]}' ở dòng tiêu đề", sheet.name, table.header_row)
    for name, cols in table.duplicated.items():
        letters = ", ".join(column_letter(c) for c in cols)
        where = f"Cột '{COLUMN_LABELS[name]}' xuất hiện {len(cols)} lần ở dòng tiêu đề (cột {letters})"
        if name in _TEXT_COLUMNS:
            out.add(f"{where}: chỉ đọc cột {column_letter(cols[0])}", sheet.name, table.header_row, cols[1], WARNING)
        else:
            out.add(f"{where}: hãy xóa hoặc đổi tên cột thừa", sheet.name, table.header_row, cols[1])
    return all(name in table.columns for name in required)


def _misplaced(reader: _Reader, row: int, line: MeasureLine, suffix: str, out: _Collector) -> None:
    """Report Tử số / Mẫu số written on a row that does not take them (count, yes/no, reduction)."""
    if line.takes_ratio:
        return
    if line.is_reduction:
        rule = ("Chỉ tiêu mức giảm chỉ ghi mức giảm (%) ở cột Kết quả, ví dụ 20 cho “giảm 20%”; "
                "không ghi Tử số, Mẫu số")
    else:
        kind = "Có/Không" if line.entry == YES_NO else "số lượng"
        rule = f"Chỉ tiêu {kind} chỉ ghi ở cột Kết quả"
    for name in _RATIO:
        col = reader.table.columns.get(name)
        if col is not None and not _row_is_blank(reader, row, (name,)):
            out.add(f"Ô {column_letter(col)}{row + 1} ({COLUMN_LABELS[name]}) có số liệu: {rule}{suffix}",
                    reader.sheet.name, row, col)


def _ratio(reader: _Reader, row: int, value: float | None, suffix: str,
           out: _Collector) -> tuple[float | None, float | None, float | None]:
    """(value, numerator, denominator) of a rate, checking Tử số/Mẫu số against each other and Kết quả."""
    name, cols = reader.sheet.name, reader.table.columns
    errors_before = out.errors
    numerator = reader.parse(row, "numerator", _non_negative, suffix)
    denominator = reader.parse(row, "denominator", _non_negative, suffix)
    if (numerator is None) != (denominator is None) and out.errors == errors_before:
        missing = "denominator" if denominator is None else "numerator"
        out.add(f"Thiếu {COLUMN_LABELS[missing]}: Tử số và Mẫu số phải ghi cùng nhau{suffix}", name, row,
                cols.get(missing))
    elif numerator is not None and denominator is not None:
        if denominator == 0:
            out.add(f"Mẫu số bằng 0{suffix}", name, row, cols["denominator"])
        elif numerator > denominator:
            out.add(f"Tử số {shown(numerator)} lớn hơn Mẫu số {shown(denominator)}{suffix}", name, row,
                    cols["numerator"])
        else:
            computed = round(numerator / denominator * 100, 6)
            if value is None:
                value = computed
            elif abs(value - computed) > 0.5:
                out.add(f"Kết quả {shown(value)}% không khớp Tử số/Mẫu số "
                        f"({shown(numerator)}/{shown(denominator)} = {computed:.1f}%){suffix}".replace(".", ","),
                        name, row, cols["value"])
    return value, numerator, denominator


def _measure_row(reader: _Reader, row: int, line: MeasureLine, out: _Collector) -> ValueRow | None:
    suffix = f" (chỉ tiêu {line.code})"
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
    return ValueRow(line.code, value, numerator, denominator, _text(reader.raw(row, "evidence")),
                    _text(reader.raw(row, "note")), row + 1)


def _non_negative(raw: object) -> float:
    value, _ = parse_number(raw)
    if value < 0:
        raise CellError(f"'{shown(raw)}' là số âm")
    return value


def _row_is_blank(reader: _Reader, row: int, names: tuple[str, ...]) -> bool:
    sheet = reader.sheet
    for name in names:
        col = reader.table.columns.get(name)
        if col is not None and ((row, col) in sheet.uncached_formulas or not is_blank(sheet.value(row, col))):
            return False
    return True


def _stray_row(reader: _Reader, row: int, raw_code: object, spec: SheetSpec, inputs: tuple[str, ...],
               out: _Collector) -> None:
    """A "Chỉ tiêu" row without a known code: an error when it carries figures, a warning when its
    code cell holds a single word (a signature, "Tong") and nothing else, silence otherwise."""
    sheet, table = reader.sheet, reader.table
    code = "" if is_blank(raw_code) else str(raw_code).strip().lower()
    col = table.columns["code"]
    if _row_is_blank(reader, row, inputs):
        if code and _MEASURE_CODE.match(code):
            out.add(f"Mã chỉ tiêu '{shown(raw_code)}' không có trong phiếu của {spec.unit_name}; dòng không có "
                    f"số liệu nên bị bỏ qua", sheet.name, row, col, WARNING)
        return
    if code:
        out.add(f"Mã chỉ tiêu '{shown(raw_code)}' không có trong phiếu của {spec.unit_name}", sheet.name, row, col)
    elif row == table.data_row:
        out.add(f"Dòng ngay dưới dòng tiêu đề (dòng {table.header_row + 1}) có chữ hoặc số ở cột Kết quả, Tử số "
                f"hay Mẫu số nhưng không có Mã chỉ tiêu: nếu đây là dòng tiêu đề thứ hai, hãy gộp tiêu đề vào "
                f"một dòng", sheet.name, row, col)
    else:
        out.add("Dòng có Kết quả nhưng không có Mã chỉ tiêu", sheet.name, row, col)


def _measures(sheet: RawSheet, table: Table | None, spec: SheetSpec, parsed: ParsedSheet, out: _Collector) -> None:
    if not _check_table(sheet, table, ("code", "value"), "Mã chỉ tiêu", out) or table is None:
        return
    reader = _Reader(sheet, table, out)
    lines = {line.code: line for line in spec.lines}
    seen: dict[str, int] = {}
    inputs = ("value", "numerator", "denominator")
    for row in range(table.data_row, len(sheet.rows)):
        raw_code = sheet.value(row, table.columns["code"])
        code = str(raw_code).strip().lower() if not is_blank(raw_code) else ""
        if code not in lines:
            _stray_row(reader, row, raw_code, spec, inputs, out)
            continue
        if code in seen:
            out.add(f"Mã chỉ tiêu '{code}' lặp lại (đã có ở dòng {seen[code] + 1})", sheet.name, row,
                    table.columns["code"])
            continue
        seen[code] = row
        if _row_is_blank(reader, row, inputs):
            parsed.blank.append(code)
            out.add(f"Chưa báo cáo “{lines[code].measure.name}” ({code}) tháng này (Kết quả để trống)",
                    sheet.name, row, table.columns["value"], WARNING)
            continue
        value = _measure_row(reader, row, lines[code], out)
        if value is not None:
            parsed.values.append(value)
    order = list(lines)
    for index, code in enumerate(order):
        if code not in seen:
            parsed.blank.append(code)
            _missing_row(sheet, table, lines, order, index, seen, out)


def _missing_row(sheet: RawSheet, table: Table, lines: dict, order: list[str], index: int, seen: dict[str, int],
                 out: _Collector) -> None:
    """Warn about a measure whose row was deleted: its name, and where the row belonged (between the
    nearest rows of the template the sheet still has, or right under the header); the warning
    points at the row it would go before."""
    code = order[index]
    before = next((c for c in reversed(order[:index]) if c in seen), None)
    after = next((c for c in order[index + 1:] if c in seen), None)
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
    out.add(f"Phiếu không có dòng của chỉ tiêu “{lines[code].measure.name}” (mã {code}): dòng này đã bị xóa, "
            f"lẽ ra nằm {place}. Coi như chưa báo cáo; muốn báo cáo, hãy chép lại dòng từ mẫu phiếu "
            f"hoặc tải mẫu phiếu mới", sheet.name, row, table.columns["code"], severity=WARNING)


def _tasks(sheet: RawSheet, table: Table | None, spec: SheetSpec, parsed: ParsedSheet, today: dt.date,
           out: _Collector) -> None:
    if not _check_table(sheet, table, ("code", "status"), "Mã nhiệm vụ", out) or table is None:
        return
    reader = _Reader(sheet, table, out)
    tasks = {t.code.casefold(): t for t in spec.tasks}
    seen: dict[str, int] = {}
    inputs = ("status", "percent", "completed")
    for row in range(table.data_row, len(sheet.rows)):
        raw_code = sheet.value(row, table.columns["code"])
        code = str(raw_code).strip().casefold() if not is_blank(raw_code) else ""
        if code not in tasks:
            if not _row_is_blank(reader, row, inputs):
                message = (f"Mã nhiệm vụ '{shown(raw_code)}' không có trong phiếu của {spec.unit_name}" if code
                           else "Dòng có Tình trạng nhưng không có Mã nhiệm vụ")
                out.add(message, sheet.name, row, table.columns["code"])
            continue
        task = tasks[code]
        if code in seen:
            out.add(f"Mã nhiệm vụ '{task.code}' lặp lại (đã có ở dòng {seen[code] + 1})", sheet.name, row,
                    table.columns["code"])
            continue
        seen[code] = row
        if _row_is_blank(reader, row, inputs):
            out.add(f"Chưa báo cáo nhiệm vụ '{task.code}' tháng này (Tình trạng để trống)", sheet.name, row,
                    table.columns["status"], WARNING)
            continue
        update = _task_row(reader, row, task.code, today, out)
        if update is not None:
            parsed.tasks.append(update)


def _task_row(reader: _Reader, row: int, code: str, today: dt.date, out: _Collector) -> TaskRow | None:
    suffix = f" (nhiệm vụ {code})"
    name, cols = reader.sheet.name, reader.table.columns
    errors_before = out.errors
    status = reader.parse(row, "status", parse_status, suffix)  # type: ignore[arg-type]
    percent = reader.percent(row, "percent", suffix)
    completed = reader.parse(row, "completed", parse_date, suffix)  # type: ignore[arg-type]
    if status is None and out.errors == errors_before:
        out.add(f"Thiếu Tình trạng: đã ghi tỷ lệ hoặc ngày hoàn thành nhưng chưa chọn tình trạng{suffix}", name, row,
                cols["status"])
    if status == TASK_DONE and percent is not None and percent < 100:
        out.add(f"Tình trạng “Hoàn thành” nhưng tỷ lệ hoàn thành là {shown(percent)}%{suffix}", name, row,
                cols.get("percent"))
    if status == TASK_NOT_STARTED and percent:
        out.add(f"Tình trạng “Chưa thực hiện” nhưng tỷ lệ hoàn thành là {shown(percent)}%{suffix}", name, row,
                cols.get("percent"))
    if isinstance(completed, dt.date) and completed > today:
        out.add(f"Ngày hoàn thành {completed:%d/%m/%Y} ở sau hôm nay{suffix}", name, row, cols.get("completed"))
    if completed is not None and status not in (None, TASK_DONE):
        out.add(f"Có Ngày hoàn thành nhưng tình trạng là “{status}”{suffix}", name, row, cols.get("completed"),
                WARNING)
    if out.errors > errors_before or status is None:
        return None
    if percent is None and status in (TASK_DONE, TASK_NOT_STARTED):
        percent = 100.0 if status == TASK_DONE else 0.0
    return TaskRow(code, status, percent, completed, _text(reader.raw(row, "evidence")), row + 1)


def _data_sheets(workbook_sheets: list[str], out: _Collector) -> dict[str, str] | None:
    """Sheet kind ("measures", "tasks") → its name; ``None`` (with the problem) when there is none, or two
    of a kind (a copy made by Excel's Move/Copy, placed first by default, would otherwise be read instead)."""
    found: dict[str, list[str]] = {}
    for name in workbook_sheets:
        key = sheet_key(name)
        if key:
            found.setdefault(key, []).append(name)
    if not found:
        out.add("Không có trang 'Chỉ tiêu' hay 'Nhiệm vụ': tệp không phải phiếu báo cáo tháng")
        return None
    for key, names in found.items():
        if len(names) > 1:
            listed = ", ".join(f"'{name}'" for name in names)
            out.add(f"Tệp có {len(names)} trang {_KIND_OF_SHEET[key]}: {listed}. Hãy xóa trang thừa rồi nạp lại.")
    return None if out.has_errors else {key: names[0] for key, names in found.items()}


def validate_package(file: str, package: Package, catalog: Catalog, expected: Expected | None = None,
                     today: dt.date | None = None) -> tuple[ParsedSheet | None, list[Problem]]:
    """Read and check a whole sheet; the parsed sheet is ``None`` when the sheet could not be
    identified (no valid sheet code); it is returned with the problems otherwise, and any error
    among them rejects it (the identity still tells the office whose sheet it was)."""
    today = today or clock.today()
    out = _Collector(file)
    workbook_sheets = sheet_names(package)
    names = _data_sheets(workbook_sheets, out)
    if names is None:
        return None, out.items
    try:
        raw = read_sheets(package, list(names.values()))
    except SheetLimitError as err:
        out.add(str(err), err.sheet)
        return None, out.items
    except WorkbookError as err:
        out.add(str(err))
        return None, out.items
    sheets = {key: raw[name] for key, name in names.items()}
    tables = {key: find_table(sheet, MEASURE_ALIASES if key == "measures" else TASK_ALIASES, "code")
              for key, sheet in sheets.items()}
    found = _identity(sheets, tables, catalog, expected, today, out)
    if found is None:
        return None, out.items
    identity, spec = found
    parsed = ParsedSheet(identity, spec)
    if "measures" in sheets:
        _measures(sheets["measures"], tables["measures"], spec, parsed, out)
    elif spec.lines:
        out.add("Thiếu trang 'Chỉ tiêu' của phiếu")
    if "tasks" in sheets:
        _tasks(sheets["tasks"], tables["tasks"], spec, parsed, today, out)
    elif spec.tasks:
        out.add("Thiếu trang 'Nhiệm vụ' của phiếu")
    return parsed, by_place(out.items, workbook_sheets)
