"""Everything the pages and the summary need for a locality and a month, computed once.

``load_snapshot`` reads the store once (current values combined over units, task updates,
the submission log); ``locality_reports`` then evaluates indicators, KPI points, tasks and
submission completeness for every locality at a month, with pure functions.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from loaders.catalog import Catalog, Plan
from loaders.periods import Period
from scoring.attainment import evaluate_indicators
from scoring.kpi import KpiScore, score
from scoring.submissions import DEFAULT_DUE_DAY, completeness, completeness_counts
from scoring.tasks import task_counts, task_statuses
from scoring.values import combine_reporters, values_as_of
from store import queries
from store.db import connection


@dataclass(frozen=True)
class Snapshot:
    """What the store holds, read once: monthly locality values, task updates, submissions."""

    monthly: pd.DataFrame
    task_updates: pd.DataFrame
    submissions: pd.DataFrame

    @property
    def latest_period(self) -> Period | None:
        """The most recent month with any current submission."""
        periods = self.submissions.loc[self.submissions["is_current"], "period"]
        return Period.parse(periods.max()) if len(periods) else None


@dataclass(frozen=True)
class LocalityReport:
    locality_id: str
    name: str
    period: Period
    values: pd.DataFrame
    indicators: pd.DataFrame
    kpi: KpiScore
    tasks: pd.DataFrame
    task_counts: dict[str, int]
    submissions: pd.DataFrame
    submission_counts: dict[str, int]


def read_snapshot(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> Snapshot:
    """Read the store once and combine values over reporting units."""
    monthly = combine_reporters(queries.current_values(con), catalog.measures)
    return Snapshot(monthly, queries.current_task_updates(con), queries.submission_log(con))


def load_snapshot(db: Path | str, catalog: Catalog) -> Snapshot:
    """``read_snapshot`` on a short-lived connection to ``db``."""
    with connection(db) as con:
        return read_snapshot(con, catalog)


def expected_units(plan: Plan) -> list[str]:
    """Units expected to send a monthly sheet: every unit of the plan that is responsible for
    an indicator or leads a task (the generic "all units" entry excluded)."""
    busy = {i.responsible_unit for i in plan.indicators} | {u for t in plan.tasks for u in t.lead_units}
    return [u["code"] for u in plan.units if u["code"] in busy and u["code"] != "cac_don_vi"]


def locality_reports(snapshot: Snapshot, catalog: Catalog, period: Period,
                     locality_ids: list[str] | None = None, today: dt.date | None = None,
                     due_day: int = DEFAULT_DUE_DAY) -> dict[str, LocalityReport]:
    """One report per locality (all localities of the catalog by default)."""
    ids = locality_ids or list(catalog.plans)
    as_of = values_as_of(snapshot.monthly, catalog.measures, period)
    framework = catalog.framework
    reports = {}
    for lid in ids:
        plan = catalog.plan(lid)
        mine = as_of[as_of["locality_id"] == lid]
        values = dict(zip(mine["measure"], mine["value"]))
        monthly = snapshot.monthly[snapshot.monthly["locality_id"] == lid]
        indicators = evaluate_indicators(plan.indicators, monthly, catalog.measures, period)
        tasks = task_statuses(plan.tasks, snapshot.task_updates[snapshot.task_updates["locality_id"] == lid],
                              period, today)
        subs = completeness(expected_units(plan), snapshot.submissions, lid, period, due_day)
        subs.insert(1, "unit_name", [plan.unit_name(u) for u in subs["unit_code"]])
        reports[lid] = LocalityReport(
            locality_id=lid, name=plan.name, period=period, values=mine.reset_index(drop=True),
            indicators=indicators, kpi=score(framework, values, period), tasks=tasks,
            task_counts=task_counts(tasks), submissions=subs, submission_counts=completeness_counts(subs),
        )
    return reports
