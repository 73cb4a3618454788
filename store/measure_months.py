"""The combined monthly values of each locality, kept beside the uploads (table ``measure_months``),
with its values and task lines as of its latest month (``latest_values``, ``latest_tasks``).

The value rules (``sql/value_rules.sql``) combine every reporter's rows into one value per
locality, measure and month; doing that for every locality on every question is what made the
national scale slow. So every write transaction recomputes, once for all its sheets and in
set-based statements, the months of the localities it wrote for from the earliest month it wrote
(:func:`refresh_written`), and "as of a month" becomes a small aggregate over this table
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
_LATEST_FIRST = "ORDER BY period DESC, uploaded_at DESC, submission_id DESC"   # task_updates.sql's order, reversed


def refresh(con: duckdb.DuckDBPyConnection, locality_ids: Sequence[str]) -> None:
    """Recompute every month of these localities from their current submissions (inside the
    caller's transaction)."""
    ids = sorted(set(locality_ids))
    if not ids:
        return
    con.execute("DELETE FROM measure_months WHERE locality_id IN (SELECT unnest($ids))", {"ids": ids})
    con.execute("INSERT INTO measure_months SELECT locality_id, measure, period, year, accumulation, value "
                "FROM monthly_values($ids, '9999-12')", {"ids": ids})
    con.execute("DELETE FROM measure_month_versions WHERE locality_id IN (SELECT unnest($ids))", {"ids": ids})
    con.execute("INSERT INTO measure_month_versions SELECT locality_id, max(id), max(period) FILTER (WHERE is_current) "
                "FROM submissions WHERE locality_id IN (SELECT unnest($ids)) GROUP BY locality_id", {"ids": ids})
    con.execute("DELETE FROM latest_tasks WHERE locality_id IN (SELECT unnest($ids))", {"ids": ids})
    con.execute(f"INSERT INTO latest_tasks {text('task_updates')}", {"ids": ids, "latest": [], "upto": "9999-12"})
    _keep_latest_values(con, ids)


def _keep_latest_values(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    """``latest_values`` of these localities, from their kept months as of their latest month (one
    statement per latest month: a city-month has one)."""
    con.execute("DELETE FROM latest_values WHERE locality_id IN (SELECT unnest($ids))", {"ids": ids})
    throughs: dict[str, list[str]] = {}
    for lid, through in con.execute("SELECT locality_id, through FROM measure_month_versions "
                                    "WHERE locality_id IN (SELECT unnest($ids)) AND through IS NOT NULL",
                                    {"ids": ids}).fetchall():
        throughs.setdefault(through, []).append(lid)
    for through, group in throughs.items():
        con.execute(f"INSERT INTO latest_values {text('values_as_of')}",
                    {"latest": [], "fresh": group, "stale": [], "period": through, "measures": None})


def refresh_written(con: duckdb.DuckDBPyConnection, written: Sequence[tuple[str, str, int]],
                    superseded: Sequence[int]) -> None:
    """Bring the kept rows of the localities a write transaction changed up to date, inside it.

    ``written``: (locality, month, new submission id) of each sheet it wrote (ids newer than any
    before: the writer holds the turn); ``superseded``: the ids they replaced. A sheet of month P
    changes no month before P, so only each locality's months from its earliest written one are
    recomputed; its latest task lines are the newest of its kept ones and the lines just written
    (unless a kept line's sheet was replaced: then all of its lines are read again), and its
    latest values are aggregated again from its kept months. A locality that was stale before
    (:func:`stale`) is recomputed whole (:func:`refresh`)."""
    if not written:
        return
    first = min(new_id for _, _, new_id in written)
    since: dict[str, str] = {}
    version: dict[str, int] = {}
    latest: dict[str, str] = {}
    for lid, period, new_id in written:
        since[lid] = min(since.get(lid, period), period)
        version[lid] = max(version.get(lid, new_id), new_id)
        latest[lid] = max(latest.get(lid, period), period)
    ids = sorted(since)
    was_stale = set()
    for lid, fresh, through in _versions(con, ids, before=first):
        if not fresh:
            was_stale.add(lid)
        elif through is not None:
            latest[lid] = max(latest[lid], through)
    refresh(con, sorted(was_stale))
    ids = [lid for lid in ids if lid not in was_stale]
    if not ids:
        return
    starts = {"ids": ids, "since": [since[lid] for lid in ids]}
    con.execute("DELETE FROM measure_months m USING (SELECT unnest($ids) AS locality_id, unnest($since) AS since) t "
                "WHERE m.locality_id = t.locality_id AND m.period >= t.since", starts)
    con.execute("INSERT INTO measure_months SELECT locality_id, measure, period, year, accumulation, value "
                "FROM monthly_values_since($ids, $since, '9999-12')", starts)
    con.execute("DELETE FROM measure_month_versions WHERE locality_id IN (SELECT unnest($ids))", {"ids": ids})
    con.execute("INSERT INTO measure_month_versions SELECT unnest($ids), unnest($versions), unnest($throughs)",
                {"ids": ids, "versions": [version[lid] for lid in ids], "throughs": [latest[lid] for lid in ids]})
    _keep_latest_tasks(con, ids, first, superseded)
    _keep_latest_values(con, ids)


def _keep_latest_tasks(con: duckdb.DuckDBPyConnection, ids: list[str], first: int, superseded: Sequence[int]) -> None:
    """``latest_tasks`` of fresh localities after sheets numbered from ``first`` were written: per
    task the newest of its kept line and the new lines (task_updates.sql's order), read again in
    full for a locality whose kept line belonged to a replaced sheet."""
    again = [row[0] for row in con.execute(
        "SELECT DISTINCT locality_id FROM latest_tasks WHERE locality_id IN (SELECT unnest($ids)) "
        "AND submission_id IN (SELECT unnest($superseded))", {"ids": ids, "superseded": list(superseded)}).fetchall()]
    if again:
        con.execute("DELETE FROM latest_tasks WHERE locality_id IN (SELECT unnest($ids))", {"ids": again})
        con.execute(f"INSERT INTO latest_tasks {text('task_updates')}", {"ids": again, "latest": [], "upto": "9999-12"})
    add = sorted(set(ids) - set(again))
    if not add:
        return
    chosen = con.sql(
        "WITH lines AS ("
        "  SELECT * FROM latest_tasks WHERE locality_id IN (SELECT unnest($ids)) UNION ALL "
        "  SELECT s.locality_id, s.unit_code, s.period, u.task_code, u.status, u.percent, u.evidence, s.uploaded_at, "
        "         s.id FROM task_updates u JOIN submissions s ON s.id = u.submission_id "
        "  WHERE u.submission_id >= $first AND s.id >= $first AND s.is_current "
        "    AND s.locality_id IN (SELECT unnest($ids))) "
        f"SELECT * FROM lines QUALIFY row_number() OVER (PARTITION BY locality_id, task_code {_LATEST_FIRST}) = 1",
        params={"ids": add, "first": first}).to_arrow_table()
    con.execute("DELETE FROM latest_tasks WHERE locality_id IN (SELECT unnest($ids))", {"ids": add})
    con.register("chosen_task_lines", chosen)
    try:
        con.execute("INSERT INTO latest_tasks SELECT * FROM chosen_task_lines")
    finally:
        con.unregister("chosen_task_lines")


def _versions(con: duckdb.DuckDBPyConnection, locality_ids: Sequence[str] | None, before: int | None = None
              ) -> list[tuple[str, bool, str | None]]:
    """(locality, are its computed months current?, its latest month when they were computed) for
    every locality with submissions (of the list, or all when None; counting only the submissions
    numbered below ``before`` when given)."""
    where = ["TRUE" if locality_ids is None else "locality_id IN (SELECT unnest($ids))",
             "TRUE" if before is None else "id < $before"]
    params = {**({} if locality_ids is None else {"ids": list(locality_ids)}),
              **({} if before is None else {"before": before})}
    return con.execute(
        f"SELECT s.locality_id, m.version IS NOT DISTINCT FROM s.version, m.through FROM "
        f"(SELECT locality_id, max(id) AS version FROM submissions WHERE {' AND '.join(where)} GROUP BY locality_id) s "
        "LEFT JOIN measure_month_versions m USING (locality_id) ORDER BY s.locality_id", params).fetchall()


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
