"""Build a report end to end: read from the store what its localities need (one short-lived
connection; a one-locality report reads only that locality), score, say what the report says,
write the .docx (with the locality's own template when it has one) and the .xlsx."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from plans import clock
from plans.model import Catalog
from plans.periods import Period
from reports.blocks import Table
from reports.city import build_city_content, city_coverage
from reports.content import ReportContent, build_content
from reports.docx_writer import render_docx
from reports.kinds import KINDS, default_kind
from reports.template import default_template
from reports.template_check import usable
from reports.xlsx_writer import render_xlsx
from scoring.report import LocalityReport, read_reports
from store import queries
from store.db import connection
from store.report_templates import current_template

CITY = "all"


class ReportRequestError(ValueError):
    """The request names no known locality or kind (a Vietnamese message)."""


@dataclass(frozen=True)
class Inputs:
    """What a report reads from the store, for its localities only (one, or every one for the city):
    their scored reports at the month; their combined monthly values (a locality's report fits its
    pace on them; empty for the city); ``log``: a locality's submission log up to the month, or for
    the city every locality's uploads in the months the report covers; ``sheets``: for the city,
    each locality's current sheets counted per month (empty for a locality, whose log lists them);
    the locality's template (None: the default one)."""

    reports: dict[str, LocalityReport]
    monthly: pd.DataFrame
    log: pd.DataFrame
    sheets: pd.DataFrame
    template: bytes | None


@dataclass(frozen=True)
class BuiltReport:
    content: ReportContent
    docx: bytes
    xlsx: bytes


def read_inputs(con: duckdb.DuckDBPyConnection, catalog: Catalog, locality: str, period: Period,
                today: dt.date | None = None, reports: dict[str, LocalityReport] | None = None,
                kind: str | None = None) -> Inputs:
    """Read what the report of ``locality`` (or ``all``) of ``kind`` (default: the month's, as
    :func:`reports.kinds.default_kind`) at ``period`` needs; ``reports``: the localities' scored
    reports when already at hand (the app's cache), else scored here."""
    ids = list(catalog.plans) if locality == CITY else [locality]
    reports = reports if reports is not None else read_reports(con, catalog, period, ids, today=today or clock.today())
    template = current_template(con, locality)
    if locality == CITY:
        first = city_coverage(catalog, kind or default_kind(period), period).first
        return Inputs(reports, pd.DataFrame(columns=["locality_id", "measure", "period", "value"]),
                      queries.uploads_in(con, ids, str(first), str(period)),
                      queries.sheet_counts(con, ids, str(period)), template)
    return Inputs(reports, queries.monthly_values(con, ids, str(period)), queries.submissions_up_to(con, ids, str(period)),
                  pd.DataFrame(), template)


def check_request(catalog: Catalog, locality: str, kind: str | None) -> None:
    """Raise ``ReportRequestError`` for an unknown locality or kind."""
    if locality != CITY and locality not in catalog.plans:
        raise ReportRequestError(f"không có địa phương {locality!r}; dùng một trong: {', '.join(catalog.plans)} "
                                 f"hoặc {CITY!r} (cả thành phố)")
    if kind is not None and kind not in KINDS:
        raise ReportRequestError(f"loại báo cáo {kind!r} không có; dùng một trong: {', '.join(KINDS)}")


def report_content(catalog: Catalog, inputs: Inputs, locality: str, period: Period, kind: str | None = None,
                   today: dt.date | None = None) -> ReportContent:
    """What the report of ``locality`` (or ``all``) at ``period`` says."""
    check_request(catalog, locality, kind)
    today = today or clock.today()
    kind = kind or default_kind(period)
    if locality == CITY:
        return build_city_content(catalog, inputs.log, inputs.sheets, inputs.reports, kind, period, today)
    return build_content(catalog, inputs.reports[locality], inputs.monthly, inputs.log, kind, today)


def xlsx_tables(content: ReportContent) -> list[Table]:
    """The workbook's sheets: the appendices, the tables behind the charts, the sheets used."""
    return [a.table for a in content.appendices] + list(content.tables) + [content.source_sheets]


def write(content: ReportContent, template: bytes | None = None) -> BuiltReport:
    """Both files of a report; an office's ``template`` is checked again first (``TemplateProblem`` when it
    may not be used: one stored before the checks it now fails is never rendered)."""
    docx = render_docx(content, usable(template) if template else default_template())
    return BuiltReport(content, docx, render_xlsx(xlsx_tables(content)))


def build(db: Path | str, catalog: Catalog, locality: str, period: Period, kind: str | None = None,
          today: dt.date | None = None) -> BuiltReport:
    """Read, score and write the report of ``locality`` (or ``all``) at ``period``."""
    check_request(catalog, locality, kind)
    today = today or clock.today()
    with connection(db) as con:
        inputs = read_inputs(con, catalog, locality, period, today, kind=kind)
    return write(report_content(catalog, inputs, locality, period, kind, today), inputs.template)
