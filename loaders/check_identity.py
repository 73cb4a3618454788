"""The sheet's identity: its "Mã phiếu" code, month, village and sample marker, checked against
the plan and against what the office chose on upload."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from loaders.cell_values import is_blank, shown
from loaders.parsed_sheet import Expected, SheetIdentity
from loaders.problems import OTHER_LOCALITY, OTHER_MONTH, OTHER_UNIT
from loaders.row_reader import Collector
from loaders.sheet_layout import TEMPLATE_VERSION, TITLE_PREFIXES, parse_sheet_code
from loaders.sheet_reader import RawSheet
from loaders.sheet_tables import Table, title_fields
from plans.model import Catalog
from plans.periods import Period
from plans.reporting import SheetSpec, SpecError, sheet_spec

_PERIOD_LABEL = re.compile(r"(\d{1,2})\s*/\s*(\d{4})")


def read_identity(
    sheets: dict[str, RawSheet],
    tables: dict[str, Table | None],
    catalog: Catalog,
    expected: Expected | None,
    today: dt.date,
    out: Collector,
) -> tuple[SheetIdentity, SheetSpec] | None:
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
        out.add(
            f"Mã phiếu '{shown(raw)}' không hợp lệ (đã bị sửa?): hãy dùng mẫu phiếu do phần mềm tạo",
            sheet_name,
            row,
            col,
        )
        return None
    for other, other_sheet, orow, ocol, oraw in codes[1:]:
        if other != parsed:
            out.add(
                f"Mã phiếu '{shown(oraw)}' khác với mã phiếu '{shown(raw)}' ở trang '{sheet_name}': "
                f"hai trang không cùng một phiếu",
                other_sheet,
                orow,
                ocol,
            )
    locality_id, unit_code, period_text, version = parsed
    if version != TEMPLATE_VERSION:
        out.add(
            f"Phiếu theo mẫu phiên bản {version}, phần mềm chỉ nhận mẫu phiên bản {TEMPLATE_VERSION}: "
            f"hãy tải mẫu phiếu mới",
            sheet_name,
            row,
            col,
        )
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


def _village(sheets: dict[str, RawSheet], fields: dict, sheet_name: str, out: Collector) -> str:
    """The village named in the title block (required on a village sheet)."""
    labels = [(sheets[key].name, found["village"]) for key, found in fields.items() if "village" in found]
    village = next((_clean_village(value) for _, (value, _, _) in labels if not is_blank(value)), "")
    if not village:
        sheet_at, (_, label_row, label_col) = labels[0] if labels else (sheet_name, (None, None, None))
        out.add(
            "Phiếu của thôn phải ghi tên thôn / tổ dân phố ở dòng “Thôn / tổ dân phố”",
            sheet_at,
            label_row,
            None if label_col is None else label_col + 1,
        )
    return village


def _check_period(
    spec: SheetSpec,
    period: Period,
    catalog: Catalog,
    fields: dict,
    sheets: dict[str, RawSheet],
    today: dt.date,
    out: Collector,
    where: tuple[str, int, int],
) -> None:
    for key, found in fields.items():
        if "period" not in found:
            continue
        value, row, col = found["period"]
        match = _PERIOD_LABEL.search(str(value))
        if match and (int(match.group(2)), int(match.group(1))) != (period.year, period.month):
            out.add(
                f"Kỳ báo cáo ghi '{shown(value)}' nhưng mã phiếu là của {period.label}: phiếu của tháng khác "
                f"bị sửa tiêu đề? Hãy tải mẫu phiếu đúng tháng",
                sheets[key].name,
                row,
                col,
            )
    plan = catalog.plan(spec.locality_id)
    if period > Period.of(today):
        out.add(f"Kỳ báo cáo {period.label} chưa tới (hôm nay là {today:%d/%m/%Y})", *where)
    elif not plan.start_year <= period.year <= plan.end_year:
        out.add(
            f"Kỳ báo cáo {period.label} nằm ngoài thời gian của kế hoạch ({plan.start_year}–{plan.end_year})", *where
        )


def _check_expected(
    spec: SheetSpec, period: Period, catalog: Catalog, expected: Expected, out: Collector, where: tuple[str, int, int]
) -> None:
    if expected.locality_id and expected.locality_id != spec.locality_id:
        wanted = (
            catalog.plans[expected.locality_id].name if expected.locality_id in catalog.plans else expected.locality_id
        )
        out.add(f"Phiếu là của {spec.locality_name}, nhưng đang nạp cho {wanted}", *where, topic=OTHER_LOCALITY)
    if expected.unit_code and expected.unit_code != spec.unit_code:
        plan = catalog.plan(spec.locality_id)
        out.add(
            f"Phiếu là của đơn vị “{spec.unit_name}”, nhưng đang nạp cho đơn vị “{plan.unit_name(expected.unit_code)}”",
            *where,
            topic=OTHER_UNIT,
        )
    try:
        wanted_period = Period.parse(str(expected.period)) if expected.period else None
    except ValueError as err:
        out.add(f"Kỳ báo cáo đã chọn không hợp lệ: {err}", *where)
        return
    if wanted_period and wanted_period != period:
        out.add(f"Phiếu là của {period.label}, nhưng đang nạp cho {wanted_period.label}", *where, topic=OTHER_MONTH)


def _clean_village(raw: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(raw)).split()) if not is_blank(raw) else ""
