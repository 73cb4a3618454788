"""Build a report end to end: check that the month can be reported on, read from the store what its
localities need (one short-lived connection; a one-locality report reads only that locality),
score, say what the report says, write the .docx (with the locality's own template when it has
one) and the .xlsx."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from plans import clock
from plans.model import Catalog
from plans.periods import Period
from plans.reporting import report_month_problem
from reports.blocks import Table
from reports.body import Notes
from reports.city import build_city_content, city_coverage
from reports.content import ReportContent, build_content
from reports.docx_writer import render_docx
from reports.kinds import KINDS, coverage, default_kind
from reports.template import default_template
from reports.template_check import usable
from reports.xlsx_writer import render_xlsx
from scoring.report import LocalityReport, read_reports
from store import queries
from store.backend import Connection
from store.db import connection
from store.report_templates import current_template

CITY = "all"


class ReportRequestError(ValueError):
    """The request names no known locality or kind, or a month no report can be made for (a
    Vietnamese message)."""


@dataclass(frozen=True)
class Inputs:
    """What a report reads from the store, for its localities only (one, or every one for the city):
    their scored reports at the month; a locality's values as of each month (``as_of``) and in the
    months it reported (``monthly``), from a year before its report's months (empty for the city);
    ``log``: a locality's submission log up to the month, or for the city every locality's uploads
    in the months the report covers; ``sheets``: for the city, each locality's current sheets counted
    per month (empty for a locality, whose log lists them); ``evidence``: what a locality's units
    reported for the tasks they finished; the locality's template (None: the default one)."""

    reports: dict[str, LocalityReport]
    as_of: pd.DataFrame
    monthly: pd.DataFrame
    log: pd.DataFrame
    sheets: pd.DataFrame
    evidence: list[tuple[str, str, str | None]]
    template: bytes | None


@dataclass(frozen=True)
class BuiltReport:
    content: ReportContent
    docx: bytes
    xlsx: bytes


def read_inputs(
    con: Connection,
    catalog: Catalog,
    locality: str,
    period: Period,
    today: dt.date | None = None,
    reports: dict[str, LocalityReport] | None = None,
    kind: str | None = None,
) -> Inputs:
    """Read what the report of ``locality`` (or ``all``) of ``kind`` (default: the month's, as
    :func:`reports.kinds.default_kind`) at ``period`` needs; ``reports``: the localities' scored
    reports when already at hand (the app's cache), else scored here."""
    ids = list(catalog.plans) if locality == CITY else [locality]
    reports = reports if reports is not None else read_reports(con, catalog, period, ids, today=today or clock.today())
    template = current_template(con, locality)
    none = pd.DataFrame(columns=["locality_id", "measure", "period", "value"])
    if locality == CITY:
        first = city_coverage(catalog, kind or default_kind(period), period).first
        return Inputs(
            reports,
            none,
            none,
            queries.uploads_in(con, ids, str(first), str(period)),
            queries.sheet_counts(con, ids, str(period)),
            [],
            template,
        )
    plan = catalog.plan(locality)
    since = min(
        Period(plan.start_year, 1),
        coverage(kind or default_kind(period), period, plan.start_year, plan.end_year).first.shift(-12),
    )
    return Inputs(
        reports,
        queries.value_series(con, ids, str(since), str(period)),
        queries.monthly_values(con, ids, str(period)),
        queries.submissions_up_to(con, ids, str(period)),
        pd.DataFrame(),
        queries.task_evidence(con, ids, str(period)),
        template,
    )


def month_problem(catalog: Catalog, locality: str, period: Period, today: dt.date) -> str | None:
    """Why no report of ``locality`` (or ``all``) can be made for ``period`` on ``today`` (None: it can):
    ``plans.reporting.report_month_problem``."""
    plans = list(catalog.plans.values()) if locality == CITY else [catalog.plan(locality)]
    whose = "các địa phương" if locality == CITY else plans[0].name
    return report_month_problem(plans, period, today, whose)


def check_request(catalog: Catalog, locality: str, kind: str | None, period: Period, today: dt.date) -> None:
    """Raise ``ReportRequestError`` for an unknown locality or kind, or a month that cannot be reported on."""
    if locality != CITY and locality not in catalog.plans:
        raise ReportRequestError(
            f"không có địa phương {locality!r}; dùng một trong: {', '.join(catalog.plans)} hoặc {CITY!r} (cả thành phố)"
        )
    if kind is not None and kind not in KINDS:
        raise ReportRequestError(f"loại báo cáo {kind!r} không có; dùng một trong: {', '.join(KINDS)}")
    problem = month_problem(catalog, locality, period, today)
    if problem:
        raise ReportRequestError(problem)


def report_content(
    catalog: Catalog,
    inputs: Inputs,
    locality: str,
    period: Period,
    kind: str | None = None,
    today: dt.date | None = None,
    notes: Notes = Notes(),
) -> ReportContent:
    """What the report of ``locality`` (or ``all``) at ``period`` says, made on ``today`` (default:
    the office clock), with the office's own text (``notes``)."""
    today = today or clock.today()
    check_request(catalog, locality, kind, period, today)
    kind = kind or default_kind(period)
    if locality == CITY:
        content = build_city_content(catalog, inputs.log, inputs.sheets, inputs.reports, kind, period, today)
    else:
        content = build_content(
            catalog, inputs.reports[locality], inputs.as_of, inputs.monthly, inputs.log, inputs.evidence, kind, today
        )
    return content.with_notes(notes)


def xlsx_tables(content: ReportContent) -> list[Table]:
    """The workbook's sheets: the appendices' tables, the other tables, the sheets used."""
    return [t for a in content.appendices for t in a.tables] + list(content.tables) + [content.sheets]


def write(content: ReportContent, template: bytes | None = None) -> BuiltReport:
    """Both files of a report; an office's ``template`` is checked again first (``TemplateProblem`` when it
    may not be used: one stored before the checks it now fails is never rendered)."""
    docx = render_docx(content, usable(template) if template else default_template())
    return BuiltReport(content, docx, render_xlsx(xlsx_tables(content), content.sample))


def build(
    db: Path | str,
    catalog: Catalog,
    locality: str,
    period: Period,
    kind: str | None = None,
    today: dt.date | None = None,
) -> BuiltReport:
    """Read, score and write the report of ``locality`` (or ``all``) at ``period``, made on ``today``."""
    today = today or clock.today()
    check_request(catalog, locality, kind, period, today)
    with connection(db) as con:
        inputs = read_inputs(con, catalog, locality, period, today, kind=kind)
    return write(report_content(catalog, inputs, locality, period, kind, today), inputs.template)
