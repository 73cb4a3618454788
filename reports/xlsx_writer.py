"""The report's appendix workbook: one sheet per table, values as numbers with Excel number
formats (Excel shows them with the computer's separators: 85,5% and 1.234 on a Vietnamese
Windows), frozen title and header rows, group and total rows in bold, native Excel charts the
office can edit, and "DỮ LIỆU MẪU" in red in every sheet's title when the figures are sample data.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import xlsxwriter

from reports.blocks import BOLD, DATE, INT, MAX_POINTS, NUMBER, POINTS, RATIO, TEXT, VALUE, YEAR, Table
from reports.docx_format import SAMPLE_TEXT

HEADER_ROW = 1
NUMBER_FORMATS = {
    INT: "#,##0",
    YEAR: "0",
    NUMBER: "#,##0.0",
    POINTS: "#,##0.00",
    MAX_POINTS: "General",
    RATIO: "0.0%",
    DATE: "dd/mm/yyyy hh:mm",
}
VALUE_FORMATS = {"%": '0.0"%"', "count": "#,##0", "yes/no": '"Có";"Có";"Không"'}
CHART_COLOURS = ("#0072B2", "#E0E0E0", "#D55E00", "#009E73")


def _value(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


class _Formats:
    """Cell formats of one workbook, created once each."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self.cache: dict[str, object] = {}
        self.title = book.add_format({"bold": True, "font_size": 13, "font_name": "Times New Roman"})
        self.sample = book.add_format(
            {"bold": True, "font_size": 13, "font_name": "Times New Roman", "font_color": "#C00000"}
        )
        self.header = book.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "border": 1,
                "bg_color": "#F2F2F2",
                "font_name": "Times New Roman",
            }
        )

    def get(self, num_format: str | None, bold: bool = False):
        key = f"{num_format or 'text'}{'/b' if bold else ''}"
        if key not in self.cache:
            spec = {"border": 1, "valign": "top", "font_name": "Times New Roman", "bold": bold}
            spec.update({"num_format": num_format} if num_format else {"text_wrap": True})
            self.cache[key] = self.book.add_format(spec)
        return self.cache[key]


def _width(column) -> float:
    if column.kind == TEXT:
        return 40 if column.width >= 4 else 18
    return 14


def write_table(book: xlsxwriter.Workbook, formats: _Formats, table: Table, sample: bool = False) -> None:
    """One sheet: title (row 1; "DỮ LIỆU MẪU" beside it for sample data), header (row 2), one row
    per table row; frozen below the header."""
    sheet = book.add_worksheet(table.sheet[:31])
    sheet.write(0, 0, table.title, formats.title)
    if sample:
        sheet.write(0, max(1, len(table.columns) - 1), f"{SAMPLE_TEXT}, không phải số liệu thật", formats.sample)
    for c, column in enumerate(table.columns):
        sheet.write(HEADER_ROW, c, column.header, formats.header)
        sheet.set_column(c, c, _width(column))
    for r, row in enumerate(table.rows, start=HEADER_ROW + 1):
        bold = bool(row.get(BOLD))
        for c, column in enumerate(table.columns):
            value = _value(row.get(column.key))
            if column.kind == TEXT:
                sheet.write_string(r, c, "" if value is None else str(value), formats.get(None, bold))
            elif value is None:
                sheet.write_blank(r, c, None, formats.get(None, bold))
            elif column.kind == DATE:
                moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
                sheet.write_datetime(r, c, moment, formats.get(NUMBER_FORMATS[DATE], bold))
            else:
                fmt = (
                    VALUE_FORMATS.get(row.get("unit"), "#,##0.0")
                    if column.kind == VALUE
                    else NUMBER_FORMATS[column.kind]
                )
                sheet.write_number(r, c, float(value), formats.get(fmt, bold))
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    if table.note:
        sheet.write(HEADER_ROW + len(table.rows) + 2, 0, table.note)
    if table.chart is not None and table.rows:
        _chart(book, sheet, table)


def _chart(book: xlsxwriter.Workbook, sheet, table: Table) -> None:
    spec = table.chart
    keys = [c.key for c in table.columns]
    first, last = HEADER_ROW + 1, HEADER_ROW + len(table.rows)
    chart = book.add_chart({"type": spec.kind})
    category = keys.index(spec.category)
    for n, key in enumerate(spec.values):
        col = keys.index(key)
        chart.add_series(
            {
                "name": [sheet.name, HEADER_ROW, col],
                "categories": [sheet.name, first, category, last, category],
                "values": [sheet.name, first, col, last, col],
                "fill": {"color": CHART_COLOURS[n % len(CHART_COLOURS)]},
                "data_labels": {"value": len(table.rows) <= 30},
            }
        )
    chart.set_title({"name": spec.title})
    chart.set_legend({"position": "bottom"})
    tall = 0.3 * len(table.rows) if spec.kind == "bar" else 0
    chart.set_size({"width": 760, "height": int(max(320, tall * 60))})
    if spec.kind == "bar":
        chart.set_y_axis({"reverse": True})
    sheet.insert_chart(HEADER_ROW, len(table.columns) + 1, chart)


def render_xlsx(tables: list[Table], sample: bool = False) -> bytes:
    """The workbook with one sheet per table, in order (``sample``: the figures are sample data)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = _Formats(book)
    for table in tables:
        write_table(book, formats, table, sample)
    book.close()
    return buffer.getvalue()
