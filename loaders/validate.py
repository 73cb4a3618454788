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

from loaders.check_identity import read_identity
from loaders.check_measures import read_measures
from loaders.check_tasks import read_tasks
from loaders.parsed_sheet import Expected, ParsedSheet
from loaders.problems import Problem, by_place
from loaders.row_reader import Collector
from loaders.sheet_layout import MEASURE_ALIASES, TASK_ALIASES, sheet_key
from loaders.sheet_reader import WorkbookError, read_sheets, sheet_names
from loaders.sheet_tables import find_table
from loaders.xlsx_package import Package
from loaders.xlsx_scan import SheetLimitError
from plans import clock
from plans.model import Catalog

_KIND_OF_SHEET = {"measures": "chỉ tiêu", "tasks": "nhiệm vụ"}


def _data_sheets(workbook_sheets: list[str], out: Collector) -> dict[str, str] | None:
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


def validate_package(
    file: str,
    package: Package,
    catalog: Catalog,
    expected: Expected | None = None,
    today: dt.date | None = None,
    keep_rejected: bool = False,
) -> tuple[ParsedSheet | None, list[Problem]]:
    """Read and check a whole sheet; the parsed sheet is ``None`` whenever there is an error — unless
    ``keep_rejected``: then it is returned whenever the sheet could be identified (its identity tells
    the office whose sheet was rejected), and the errors among the problems reject it."""
    today = today or clock.today()
    out = Collector(file)
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
    tables = {
        key: find_table(sheet, MEASURE_ALIASES if key == "measures" else TASK_ALIASES, "code")
        for key, sheet in sheets.items()
    }
    found = read_identity(sheets, tables, catalog, expected, today, out)
    if found is None:
        return None, out.items
    identity, spec = found
    parsed = ParsedSheet(identity, spec)
    if "measures" in sheets:
        read_measures(sheets["measures"], tables["measures"], spec, parsed, out)
    elif spec.lines:
        out.add("Thiếu trang 'Chỉ tiêu' của phiếu")
    if "tasks" in sheets:
        read_tasks(sheets["tasks"], tables["tasks"], spec, parsed, today, out)
    elif spec.tasks:
        out.add("Thiếu trang 'Nhiệm vụ' của phiếu")
    return (None if out.has_errors and not keep_rejected else parsed), by_place(out.items, workbook_sheets)
