"""Build a report end to end: read the store once, score, say what the report says, write the
.docx (with the locality's own template when it has one) and the .xlsx."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from plans import clock
from plans.model import Catalog
from plans.periods import Period
from reports.blocks import Table
from reports.city import build_city_content
from reports.content import ReportContent, build_content
from reports.docx_writer import render_docx
from reports.kinds import KINDS, default_kind
from reports.template import default_template
from reports.xlsx_writer import render_xlsx
from scoring.report import Snapshot, locality_reports, read_snapshot
from store.db import connection
from store.report_templates import current_template

CITY = "all"


class ReportRequestError(ValueError):
    """The request names no known locality or kind (a Vietnamese message)."""


@dataclass(frozen=True)
class Inputs:
    """What a report reads from the store: the snapshot and the locality's template (None: default)."""

    snapshot: Snapshot
    template: bytes | None


@dataclass(frozen=True)
class BuiltReport:
    content: ReportContent
    docx: bytes
    xlsx: bytes


def read_inputs(db: Path | str, catalog: Catalog, locality: str) -> Inputs:
    """One short-lived connection: the snapshot and the current template of ``locality``."""
    with connection(db) as con:
        return Inputs(read_snapshot(con, catalog), current_template(con, locality))


def check_request(catalog: Catalog, locality: str, kind: str | None) -> None:
    """Raise ``ReportRequestError`` for an unknown locality or kind."""
    if locality != CITY and locality not in catalog.plans:
        raise ReportRequestError(f"không có địa phương {locality!r}; dùng một trong: {', '.join(catalog.plans)} "
                                 f"hoặc {CITY!r} (cả thành phố)")
    if kind is not None and kind not in KINDS:
        raise ReportRequestError(f"loại báo cáo {kind!r} không có; dùng một trong: {', '.join(KINDS)}")


def report_content(catalog: Catalog, snapshot: Snapshot, locality: str, period: Period, kind: str | None = None,
                   today: dt.date | None = None) -> ReportContent:
    """What the report of ``locality`` (or ``all``) at ``period`` says."""
    check_request(catalog, locality, kind)
    today = today or clock.today()
    kind = kind or default_kind(period)
    if locality == CITY:
        reports = locality_reports(snapshot, catalog, period, today=today)
        return build_city_content(catalog, snapshot, reports, kind, period, today)
    report = locality_reports(snapshot, catalog, period, [locality], today=today)[locality]
    return build_content(catalog, snapshot, report, kind, today)


def xlsx_tables(content: ReportContent) -> list[Table]:
    """The workbook's sheets: the appendices, the tables behind the charts, the sheets used."""
    return [a.table for a in content.appendices] + list(content.tables) + [content.source_sheets]


def write(content: ReportContent, template: bytes | None = None) -> BuiltReport:
    """Both files of a report."""
    return BuiltReport(content, render_docx(content, template or default_template()), render_xlsx(xlsx_tables(content)))


def build(db: Path | str, catalog: Catalog, locality: str, period: Period, kind: str | None = None,
          today: dt.date | None = None) -> BuiltReport:
    """Read, score and write the report of ``locality`` (or ``all``) at ``period``."""
    check_request(catalog, locality, kind)
    inputs = read_inputs(db, catalog, locality)
    return write(report_content(catalog, inputs.snapshot, locality, period, kind, today), inputs.template)
