"""The combined monthly values of each locality, kept beside the uploads (table ``measure_months``),
with its values and task lines as of its latest month (``latest_values``, ``latest_tasks``).

The value rules (``sql/value_rules.sql``) combine every reporter's rows into one value per
locality, measure and month; doing that for every locality on every question is what made the
national scale slow. So every writer recomputes the months of the localities it wrote for, in its
own transaction (:func:`refresh`), and "as of a month" becomes a small aggregate over this table
(``sql/values_as_of.sql``). A locality whose newest submission is newer than its computed months
(rows written by other means, a store made before the table) is *stale*: the queries combine its
values on the fly with the same macro (:func:`split_fresh`), and the next writer or
``store.db.prepare`` refreshes it, so an answer never depends on the table being current.

Most questions are about the latest month: for a locality with nothing after the month asked,
its task lines as of that month are those computed for its latest month (``through``) when it was
written, and so are its values when ``through`` is of the same year; so the city's summary reads
3,300 localities' answers instead of aggregating their histories (:func:`split`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from store.sql import text

REFRESH_CHUNK = 200   # localities per statement when many are refreshed at once (start-up, a migrated store)


def refresh(con: duckdb.DuckDBPyConnection, locality_ids: Sequence[str]) -> None:
    """Recompute every month of these localities from their current submissions (inside the
    caller's transaction: the writer that just changed them)."""
    ids = sorted(set(locality_ids))
    if not ids:
        return
    con.execute("DELETE FROM measure_months WHERE locality_id IN (SELECT unnest($ids))", {"ids": ids})
    con.execute("INSERT INTO measure_months SELECT locality_id, measure, period, year, accumulation, value "
                "FROM monthly_values($ids, '9999-12')", {"ids": ids})
    con.execute("DELETE FROM measure_month_versions WHERE locality_id IN (SELECT unnest($ids))", {"ids": ids})
    con.execute("INSERT INTO measure_month_versions SELECT locality_id, max(id), max(period) FILTER (WHERE is_current) "
                "FROM submissions WHERE locality_id IN (SELECT unnest($ids)) GROUP BY locality_id", {"ids": ids})
    for table in ("latest_values", "latest_tasks"):
        con.execute(f"DELETE FROM {table} WHERE locality_id IN (SELECT unnest($ids))", {"ids": ids})
    con.execute(f"INSERT INTO latest_tasks {text('task_updates')}", {"ids": ids, "latest": [], "upto": "9999-12"})
    throughs: dict[str, list[str]] = {}
    for lid, through in con.execute("SELECT locality_id, through FROM measure_month_versions "
                                    "WHERE locality_id IN (SELECT unnest($ids)) AND through IS NOT NULL",
                                    {"ids": ids}).fetchall():
        throughs.setdefault(through, []).append(lid)
    for through, group in throughs.items():
        con.execute(f"INSERT INTO latest_values {text('values_as_of')}",
                    {"latest": [], "fresh": group, "stale": [], "period": through, "measures": None})


def _versions(con: duckdb.DuckDBPyConnection, locality_ids: Sequence[str] | None
              ) -> list[tuple[str, bool, str | None]]:
    """(locality, are its computed months current?, its latest month when they were computed) for
    every locality with submissions (of the list, or all when None)."""
    where = "" if locality_ids is None else "WHERE locality_id IN (SELECT unnest($ids))"
    return con.execute(
        f"SELECT s.locality_id, m.version IS NOT DISTINCT FROM s.version, m.through FROM "
        f"(SELECT locality_id, max(id) AS version FROM submissions {where} GROUP BY locality_id) s "
        "LEFT JOIN measure_month_versions m USING (locality_id) ORDER BY s.locality_id",
        {} if locality_ids is None else {"ids": list(locality_ids)}).fetchall()


def stale(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Localities with submissions whose computed months are missing or older than their newest one."""
    return [lid for lid, fresh, _ in _versions(con, None) if not fresh]


def refresh_stale(con: duckdb.DuckDBPyConnection) -> int:
    """Bring every stale locality up to date, ``REFRESH_CHUNK`` at a time, each chunk in its own
    transaction (the caller holds the writer's turn); returns how many were refreshed."""
    ids = stale(con)
    for start in range(0, len(ids), REFRESH_CHUNK):
        con.execute("BEGIN TRANSACTION")
        try:
            refresh(con, ids[start:start + REFRESH_CHUNK])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return len(ids)


@dataclass(frozen=True)
class Split:
    """The localities asked for with submissions, by how a question about month ``period`` is answered."""

    values_latest: list[str]   # values kept as of their latest month (fresh, nothing later, same year)
    fresh: list[str]           # the other fresh ones: aggregated from their kept months
    stale: list[str]           # combined from their values
    tasks_latest: list[str]    # task lines kept as of their latest month (fresh, nothing later)
    tasks_read: list[str]      # the others: chosen from every line


def split(con: duckdb.DuckDBPyConnection, locality_ids: Sequence[str], period: str) -> Split:
    """How the localities' values and tasks as of ``period`` ('YYYY-MM') are read."""
    rows = _versions(con, locality_ids)
    done = [(lid, through) for lid, fresh, through in rows if fresh and through is not None and through <= period]
    values_latest = [lid for lid, through in done if through[:4] == period[:4]]
    kept = set(values_latest)
    tasks_latest = [lid for lid, _ in done]
    quick = set(tasks_latest)
    return Split(values_latest=values_latest, fresh=[lid for lid, fresh, _ in rows if fresh and lid not in kept],
                 stale=[lid for lid, fresh, _ in rows if not fresh], tasks_latest=tasks_latest,
                 tasks_read=[lid for lid, *_ in rows if lid not in quick])


def split_fresh(con: duckdb.DuckDBPyConnection, locality_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """(localities whose computed months are current, localities with submissions that are stale);
    localities without any submission are in neither."""
    rows = _versions(con, locality_ids)
    return [lid for lid, fresh, _ in rows if fresh], [lid for lid, fresh, _ in rows if not fresh]
