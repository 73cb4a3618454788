"""Read queries over the store, returned as DataFrames (SQL lives here, not in pages or scoring).

The value rules (README "Cách chấm điểm") are SQL in ``store/sql/<dialect>/``: ``value_rules.sql``
(DuckDB macros, PostgreSQL functions, created with the schema), ``values_as_of.sql`` and
``value_series.sql``, over each locality's combined monthly values (``store.measure_months``: kept by
the writers, combined on the fly for a locality whose kept months are stale). Every query takes the
localities asked for and returns only theirs.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from store import measure_months
from store.backend import Connection, dialect
from store.sql import text


def _split(con: Connection, locality_ids: Sequence[str]) -> dict[str, list[str]]:
    """The parameters $fresh and $stale of the value queries (``store.measure_months.split_fresh``)."""
    fresh, stale = measure_months.split_fresh(con, locality_ids)
    return {"fresh": fresh, "stale": stale}


def values_as_of(
    con: Connection, locality_ids: Sequence[str], period: str, measures: Sequence[str] | None = None
) -> pd.DataFrame:
    """Each locality's value of each measure (of ``measures``; default every one) as of ``period``
    and its first reports (ever and this year): columns locality_id, measure, value, last_period,
    first_period, first_value, year_first_period, year_first_value (see ``sql/values_as_of.sql``)."""
    split = measure_months.split(con, locality_ids, period)
    return con.execute(
        text("values_as_of", dialect(con)),
        {
            "latest": split.values_latest,
            "fresh": split.fresh,
            "stale": split.stale,
            "period": period,
            "measures": None if measures is None else list(measures),
        },
    ).df()


def value_series(con: Connection, locality_ids: Sequence[str], start: str, end: str) -> pd.DataFrame:
    """The value as of each month from ``start`` to ``end``: locality_id, measure, period, value."""
    return con.execute(
        text("value_series", dialect(con)), {**_split(con, locality_ids), "start": start, "end": end}
    ).df()


def monthly_values(con: Connection, locality_ids: Sequence[str], upto: str) -> pd.DataFrame:
    """Each locality's combined value of each measure in every month up to ``upto`` in which it was
    reported (the macro ``monthly_values`` of ``sql/value_rules.sql``): locality_id, measure, period, value."""
    return con.execute(
        "SELECT locality_id, measure, period, value FROM known_months($fresh::text[], $stale::text[], $upto) "
        "ORDER BY locality_id, measure, period",
        {**_split(con, locality_ids), "upto": upto},
    ).df()


def task_updates(
    con: Connection, locality_ids: Sequence[str], upto: str
) -> list[tuple[str, str, str | None, float | None]]:
    """The task status lines of the given localities' current submissions that decide each task's
    status at ``upto`` (``scoring.tasks``): each task's latest line up to then (see
    ``sql/task_updates.sql`` for why that one is enough), oldest first, as (task code, month,
    status, percent): plain rows, for there is one per task of every locality asked for."""
    split = measure_months.split(con, locality_ids, upto)
    return con.execute(
        f"SELECT task_code, period, status, percent FROM ({text('task_updates', dialect(con))}) t "
        "ORDER BY period, uploaded_at, submission_id",
        {"ids": split.tasks_read, "latest": split.tasks_latest, "upto": upto},
    ).fetchall()


def task_evidence(con: Connection, locality_ids: Sequence[str], upto: str) -> list[tuple[str, str, str | None]]:
    """Each task reported done ("Hoàn thành") in the given localities' current sheets up to ``upto``:
    (task code, the first month it was reported done, the latest evidence written for it then or
    later — a document's number and date, an event — or None). What a report cites for work done."""
    return con.execute(
        "SELECT task_code, min(period), "
        "(array_agg(trim(evidence) ORDER BY period DESC, submission_id DESC) FILTER (WHERE trim(evidence) <> ''))[1] "
        "FROM current_task_updates "
        "WHERE status = 'done' AND period <= $upto AND locality_id IN (SELECT unnest($ids::text[])) "
        "GROUP BY task_code ORDER BY task_code",
        {"ids": list(locality_ids), "upto": upto},
    ).fetchall()


def uploads_in(con: Connection, locality_ids: Sequence[str], first: str, last: str) -> pd.DataFrame:
    """Every submission (current or replaced) of the given localities for the months ``first`` to
    ``last``: locality_id, unit_code, period, uploaded_at (what submission completeness needs)."""
    return con.execute(
        "SELECT locality_id, unit_code, period, uploaded_at FROM submissions WHERE period BETWEEN $first AND $last "
        "AND locality_id IN (SELECT unnest($ids::text[])) ORDER BY period, locality_id, uploaded_at",
        {"ids": list(locality_ids), "first": first, "last": last},
    ).df()


def period_uploads(con: Connection, locality_ids: Sequence[str], period: str) -> pd.DataFrame:
    """:func:`uploads_in` for one month."""
    return uploads_in(con, locality_ids, period, period)


def sheet_counts(con: Connection, locality_ids: Sequence[str], upto: str) -> pd.DataFrame:
    """Per month up to ``upto`` and locality: its current sheets (``sheets``), the latest upload
    among them (``last_uploaded_at``) and whether any is sample data (``is_sample``); the list of
    sources of a report over many localities, counted in the store rather than read sheet by sheet."""
    return con.execute(
        "SELECT period, locality_id, count(*) AS sheets, max(uploaded_at) AS last_uploaded_at, "
        "bool_or(is_sample) AS is_sample FROM submissions WHERE is_current AND period <= $upto "
        "AND locality_id IN (SELECT unnest($ids::text[])) GROUP BY period, locality_id ORDER BY period, locality_id",
        {"ids": list(locality_ids), "upto": upto},
    ).df()


_LOG_COLUMNS = (
    "id, locality_id, unit_code, village, period, file_name, file_sha256, uploaded_by, uploaded_at, "
    "replaces, is_current, is_sample, n_values, n_blank, n_tasks"
)


def submissions_up_to(con: Connection, locality_ids: Sequence[str], upto: str) -> pd.DataFrame:
    """The submissions (current and replaced) of the given localities for months up to ``upto``,
    with the columns of :func:`submission_log`, oldest month first."""
    return con.execute(
        f"SELECT {_LOG_COLUMNS} FROM submissions WHERE period <= $upto "
        "AND locality_id IN (SELECT unnest($ids::text[])) ORDER BY period, locality_id, uploaded_at, id",
        {"ids": list(locality_ids), "upto": upto},
    ).df()


def submission_log(con: Connection, locality_id: str) -> pd.DataFrame:
    """A locality's submissions, current and replaced, newest first."""
    return con.execute(
        f"SELECT {_LOG_COLUMNS} FROM submissions WHERE locality_id = ? ORDER BY uploaded_at DESC, id DESC",
        [locality_id],
    ).df()


def store_state(con: Connection) -> pd.DataFrame:
    """One row per locality with submissions: version (its newest submission id: changes exactly
    when the locality gets an upload; each removal of sample data, which deletes sheets, moves every
    version on by 2⁴⁰), first and latest month with a current submission, whether any current
    submission is sample data and the first month of one (``sample_from``)."""
    return con.execute(
        "SELECT locality_id, "
        "max(id) + (SELECT count(*) FROM audit_log WHERE action = 'sample_removed') * 1099511627776 AS version, "
        "min(period) FILTER (WHERE is_current) AS first_period, "
        "max(period) FILTER (WHERE is_current) AS latest_period, coalesce(bool_or(is_sample AND is_current), false) "
        "AS sample, min(period) FILTER (WHERE is_sample AND is_current) AS sample_from "
        "FROM submissions GROUP BY locality_id ORDER BY locality_id"
    ).df()
