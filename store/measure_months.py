"""The combined monthly values of each locality, kept beside the uploads (table ``measure_months``).

The value rules (``sql/value_rules.sql``) combine every reporter's rows into one value per
locality, measure and month; doing that for every locality on every question is what made the
national scale slow. So every writer recomputes the months of the localities it wrote for, in its
own transaction (:func:`refresh`), and "as of a month" becomes a small aggregate over this table
(``sql/values_as_of.sql``). A locality whose newest submission is newer than its computed months
(rows written by other means, a store made before the table) is *stale*: the queries combine its
values on the fly with the same macro (:func:`split_fresh`), and the next writer or
``store.db.prepare`` refreshes it, so an answer never depends on the table being current.
"""
from __future__ import annotations

from collections.abc import Sequence

import duckdb

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
    con.execute("INSERT INTO measure_month_versions SELECT locality_id, max(id) FROM submissions "
                "WHERE locality_id IN (SELECT unnest($ids)) GROUP BY locality_id", {"ids": ids})


def _versions(con: duckdb.DuckDBPyConnection, locality_ids: Sequence[str] | None) -> list[tuple[str, bool]]:
    """(locality, are its computed months current?) for every locality with submissions (of the
    list, or all when None)."""
    where = "" if locality_ids is None else "WHERE locality_id IN (SELECT unnest($ids))"
    return con.execute(
        f"SELECT s.locality_id, m.version IS NOT DISTINCT FROM s.version FROM "
        f"(SELECT locality_id, max(id) AS version FROM submissions {where} GROUP BY locality_id) s "
        "LEFT JOIN measure_month_versions m USING (locality_id) ORDER BY s.locality_id",
        {} if locality_ids is None else {"ids": list(locality_ids)}).fetchall()


def stale(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Localities with submissions whose computed months are missing or older than their newest one."""
    return [lid for lid, fresh in _versions(con, None) if not fresh]


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


def split_fresh(con: duckdb.DuckDBPyConnection, locality_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """(localities whose computed months are current, localities with submissions that are stale);
    localities without any submission are in neither."""
    rows = _versions(con, locality_ids)
    return [lid for lid, fresh in rows if fresh], [lid for lid, fresh in rows if not fresh]
