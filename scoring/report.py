"""Everything the pages and the summary need for a locality and a month, computed once.

``locality_reports`` reads from the store only what the localities asked for need at that month
(values as of the month and their baselines, combined in SQL: ``store/sql/values_as_of.sql``;
their task updates; who sent which sheet for the month), then evaluates indicators, KPI points,
tasks and submission completeness with pure functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from plans import clock
from plans.collector import paused_gc
from plans.deadlines import DEFAULT_DUE_DAY
from plans.model import Catalog, Framework, Plan
from plans.periods import Period
from plans.reporting import expected_units
from scoring.attainment import INDICATOR_COLUMNS, ValueLookup, indicator_rows, value_lookup
from scoring.kpi import KpiScore, score
from scoring.submissions import SUBMISSION_COLUMNS, SubmissionRow, completeness_counts, completeness_rows, first_uploads
from scoring.tasks import STATUS_COLUMNS, TaskRow, TaskState, Update, rows_of, task_counts, task_history, task_states
from store import queries
from store.backend import Connection
from store.db import connection


@dataclass(frozen=True)
class LocalityReport:
    """A locality at a month. Row lists are kept as computed; the task rows and the DataFrames are built on first
    use."""

    locality_id: str
    name: str
    period: Period
    kpi: KpiScore
    task_counts: dict[str, int]
    submission_counts: dict[str, int]
    value_map: dict[str, float]
    indicator_rows: list[dict] = field(repr=False)
    task_states: list[TaskState] = field(repr=False)
    submission_rows: list[SubmissionRow] = field(repr=False)
    unit_names: dict[str, str] = field(repr=False)
    plan: Plan = field(repr=False, compare=False)

    @cached_property
    def task_rows(self) -> list[TaskRow]:
        """One row per task: its text from the plan (unpickled only now, see ``Plan.schedule``) with its state."""
        return rows_of(self.plan.tasks, self.task_states)

    @cached_property
    def values(self) -> pd.DataFrame:
        """measure, value as of the month."""
        return pd.DataFrame(list(self.value_map.items()), columns=["measure", "value"])

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """One row per plan indicator (see ``scoring.attainment.INDICATOR_COLUMNS``)."""
        return pd.DataFrame(self.indicator_rows, columns=INDICATOR_COLUMNS)

    @cached_property
    def tasks(self) -> pd.DataFrame:
        """One row per task (see ``scoring.tasks.STATUS_COLUMNS``)."""
        return pd.DataFrame(self.task_rows, columns=STATUS_COLUMNS)

    @cached_property
    def submissions(self) -> pd.DataFrame:
        """One row per expected unit: unit_code, unit_name, status, uploaded_at."""
        table = pd.DataFrame(self.submission_rows, columns=SUBMISSION_COLUMNS)
        table.insert(1, "unit_name", [self.unit_names.get(u, u) for u in table["unit_code"]])
        return table


def locality_reports(
    db: Path | str,
    catalog: Catalog,
    period: Period,
    locality_ids: list[str] | None = None,
    today: dt.date | None = None,
    due_day: int = DEFAULT_DUE_DAY,
) -> dict[str, LocalityReport]:
    """One report per locality (all localities of the catalog by default), read on a short-lived
    connection to ``db``, closed before the scoring (which needs no database: the file is free again
    for the other readers and the writers), and scored with the KPI framework of the period's year;
    ``today`` (default the office clock) decides what is overdue and whether a score is provisional;
    ``due_day`` is the last on-time day of the next month."""
    ids = locality_ids or list(catalog.plans)
    with paused_gc():  # many small acyclic rows: see plans.collector
        with connection(db) as con:
            read = _read(con, ids, period)
        return _reports(catalog, ids, period, read, today, due_day)


def read_reports(
    con: Connection, catalog: Catalog, period: Period, ids: list[str], today: dt.date
) -> dict[str, LocalityReport]:
    """One report per locality of ``ids``, read on an open connection (the one a report reads all
    its inputs on) and scored with the KPI framework of the period's year; ``today`` decides what is
    overdue and whether a score is provisional; sheets are due on the default day."""
    with paused_gc():
        return _reports(catalog, ids, period, _read(con, ids, period), today, DEFAULT_DUE_DAY)


@dataclass(frozen=True)
class _Read:
    """What the reports of some localities at a month need from the store."""

    lookup: ValueLookup
    values: dict[str, dict[str, float]]
    history: dict[str, list[Update]]
    uploads: dict[str, dict[str, pd.Timestamp]]


def _read(con: Connection, ids: list[str], period: Period) -> _Read:
    lookup = value_lookup(queries.values_as_of(con, ids, str(period)))
    values: dict[str, dict[str, float]] = {}
    for (lid, measure), value in lookup.as_of.items():
        values.setdefault(lid, {})[measure] = value
    history = task_history(queries.task_updates(con, ids, str(period)))
    uploads = first_uploads(queries.period_uploads(con, ids, str(period)), period)
    return _Read(lookup, values, history, uploads)


def _reports(
    catalog: Catalog, ids: list[str], period: Period, read: _Read, today: dt.date | None, due_day: int
) -> dict[str, LocalityReport]:
    today = today or clock.today()
    framework = catalog.framework_for(period.year)
    return {
        lid: _report(
            catalog,
            lid,
            period,
            framework,
            read.lookup,
            read.values.get(lid, {}),
            read.history,
            read.uploads.get(lid, {}),
            today,
            due_day,
        )
        for lid in ids
    }


def read_indicators(
    con: Connection,
    catalog: Catalog,
    period: Period,
    locality_ids: list[str] | None = None,
    measures: Sequence[str] | None = None,
) -> dict[str, list[dict]]:
    """Each locality's indicator rows at ``period`` (those of :func:`read_reports`, without tasks,
    KPI points or submissions), for the indicators on ``measures`` (default: every indicator): for a
    view of every locality's indicators, read in one query."""
    ids = locality_ids or list(catalog.plans)
    wanted = None if measures is None else set(measures)
    with paused_gc():
        lookup = value_lookup(queries.values_as_of(con, ids, str(period), measures))
        plans = [catalog.plan(lid) for lid in ids]
        return {
            plan.id: indicator_rows(
                [i for i in plan.indicators if wanted is None or i.measure in wanted],
                lookup,
                catalog.measures,
                period,
                plan.start_year,
            )
            for plan in plans
        }


def _report(
    catalog: Catalog,
    lid: str,
    period: Period,
    framework: Framework,
    lookup: ValueLookup,
    mine: dict[str, float],
    history: dict[str, list[Update]],
    uploads: dict[str, pd.Timestamp],
    today: dt.date,
    due_day: int,
) -> LocalityReport:
    """One locality's report from what was read for every locality."""
    plan = catalog.plan(lid)
    indicators = indicator_rows(plan.indicators, lookup, catalog.measures, period, plan.start_year)
    states = task_states(plan.schedule, history, period, today, plan.start_year)
    subs = completeness_rows(expected_units(catalog, lid, period), uploads, period, due_day)
    return LocalityReport(
        locality_id=lid,
        name=plan.name,
        period=period,
        kpi=score(framework, mine, period, today),
        task_counts=task_counts(t.status for t in states),
        submission_counts=completeness_counts(s.status for s in subs),
        value_map=mine,
        indicator_rows=indicators,
        task_states=states,
        submission_rows=subs,
        unit_names={u["code"]: u["name"] for u in plan.units},
        plan=plan,
    )
