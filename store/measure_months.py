"""The combined monthly values of each locality, kept beside the uploads (table ``measure_months``),
with its values and task lines as of its latest month (``latest_values``, ``latest_tasks``).

The value rules (``sql/value_rules.sql``) combine every reporter's rows into one value per
locality, measure and month; doing that for every locality on every question is what made the
national scale slow. So the writers keep the months of the localities they wrote for: once per
writer's turn (``store.turns``), in a few set-based statements for all of them, and only from the
earliest month of the submissions newer than the kept rows (:func:`refresh`); "as of a month"
becomes a small aggregate over this table (``sql/values_as_of.sql``). A locality whose newest
submission is newer than its computed months (a turn cut short, rows written by other means, a
store made before the table) is *stale*: the queries combine its values on the fly with the same
macro (:func:`split_fresh`), and the next writer or ``store.db.prepare`` refreshes it, so an answer
never depends on the table being current.

Most questions are about the latest month: for a locality with nothing after the month asked,
its task lines as of that month are those computed for its latest month (``through``) when it was
written, and so are its values when ``through`` is of the same year; so the city's summary reads
3,300 localities' answers instead of aggregating their histories (:func:`split`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from store.backend import Connection, dialect, is_postgres, transaction
from store.sql import text

REFRESH_CHUNK = 200  # localities per transaction when many are refreshed at once (start-up, a migrated store)
_IDS = "SELECT unnest($ids::text[])"


@dataclass(frozen=True)
class _Change:
    """What changed for a locality since its rows were kept (``kept``: the newest submission id
    then, 0 when never kept)."""

    locality_id: str
    kept: int
    since: str  # the earliest month of a submission newer than ``kept`` (of all when never kept)
    version: int  # its newest submission id now
    through: str | None  # its latest month with a current submission now


def refresh(con: Connection, locality_ids: Sequence[str]) -> int:
    """Bring the kept rows of these localities up to date with their submissions (inside the
    caller's transaction, holding the writer's turn); returns how many needed it.

    Set-based, a few statements for any number of localities, and only what changed: a sheet of
    month P changes nothing before P, so each locality's months are recomputed from the earliest
    month of the submissions newer than its kept ones (every month when it was never kept); its
    latest task lines are the newest of its kept lines and those of its newer current sheets
    (all of its lines are read again when a kept line's sheet has been replaced since); its
    latest values are aggregated again from its months."""
    changes = _changes(con, locality_ids)
    if not changes:
        return 0
    ids = [c.locality_id for c in changes]
    starts = {"ids": ids, "since": [c.since for c in changes]}
    con.execute(
        "DELETE FROM measure_months m USING (SELECT unnest($ids::text[]) AS locality_id, "
        "unnest($since::text[]) AS since) t WHERE m.locality_id = t.locality_id AND m.period >= t.since",
        starts,
    )
    con.execute(
        "INSERT INTO measure_months SELECT locality_id, measure, period, year, accumulation, value "
        "FROM monthly_values_since($ids::text[], $since::text[], '9999-12')",
        starts,
    )
    con.execute(f"DELETE FROM measure_month_versions WHERE locality_id IN ({_IDS})", {"ids": ids})
    con.execute(
        "INSERT INTO measure_month_versions SELECT unnest($ids::text[]), unnest($versions::bigint[]), "
        "unnest($throughs::text[])",
        {"ids": ids, "versions": [c.version for c in changes], "throughs": [c.through for c in changes]},
    )
    _keep_latest_tasks(con, changes)
    _keep_latest_values(con, changes)
    return len(changes)


def forget(con: Connection, locality_ids: Sequence[str]) -> None:
    """Drop the kept rows of these localities (after sheets were deleted, which :func:`refresh`, made
    for sheets added, cannot see); the next :func:`refresh` computes them from every month again."""
    for table in ("measure_months", "measure_month_versions", "latest_values", "latest_tasks"):
        con.execute(f"DELETE FROM {table} WHERE locality_id IN ({_IDS})", {"ids": sorted(set(locality_ids))})


def _changes(con: Connection, locality_ids: Sequence[str]) -> list[_Change]:
    """The localities of the list whose submissions are newer than their kept rows (one scan)."""
    rows = con.execute(
        "SELECT s.locality_id, coalesce(m.version, 0), min(s.period) FILTER (WHERE s.id > coalesce(m.version, 0)), "
        "       max(s.id), max(s.period) FILTER (WHERE s.is_current) "
        f"FROM submissions s LEFT JOIN measure_month_versions m USING (locality_id) WHERE s.locality_id IN ({_IDS}) "
        "GROUP BY s.locality_id, m.version HAVING max(s.id) IS DISTINCT FROM m.version ORDER BY s.locality_id",
        {"ids": sorted(set(locality_ids))},
    ).fetchall()
    return [_Change(*row) for row in rows]


def _keep_latest_tasks(con: Connection, changes: list[_Change]) -> None:
    """``latest_tasks`` of the changed localities: per task the newest (task_updates.sql's order)
    of its kept line and the lines of the current sheets newer than the kept rows; every line of
    the locality read again (task_updates.sql) when it was never kept or a kept line's sheet has
    been replaced since."""
    ids = [c.locality_id for c in changes]
    again = {c.locality_id for c in changes if not c.kept} | {
        row[0]
        for row in con.execute(
            "SELECT DISTINCT t.locality_id FROM latest_tasks t JOIN submissions s ON s.id = t.submission_id "
            f"WHERE t.locality_id IN ({_IDS}) AND NOT s.is_current",
            {"ids": ids},
        ).fetchall()
    }
    if again:
        con.execute(f"DELETE FROM latest_tasks WHERE locality_id IN ({_IDS})", {"ids": sorted(again)})
        con.execute(
            f"INSERT INTO latest_tasks {text('task_updates', dialect(con))}",
            {"ids": sorted(again), "latest": [], "upto": "9999-12"},
        )
    merged = [c for c in changes if c.locality_id not in again]
    if not merged:
        return
    kept = {"ids": [c.locality_id for c in merged], "kept": [c.kept for c in merged]}
    if is_postgres(con):  # one statement there (its parts see one snapshot); DuckDB needs three
        con.execute(text("latest_tasks_merge", "postgres"), kept)
        return
    con.execute(f"CREATE OR REPLACE TEMP TABLE chosen_task_lines AS {text('latest_tasks_merge')}", kept)
    con.execute(f"DELETE FROM latest_tasks WHERE locality_id IN ({_IDS})", {"ids": kept["ids"]})
    con.execute("INSERT INTO latest_tasks SELECT * FROM chosen_task_lines")
    con.execute("DROP TABLE chosen_task_lines")


def _keep_latest_values(con: Connection, changes: list[_Change]) -> None:
    """``latest_values`` of the changed localities, from their kept months as of their latest month
    (one statement per latest month: a city-month has one)."""
    con.execute(f"DELETE FROM latest_values WHERE locality_id IN ({_IDS})", {"ids": [c.locality_id for c in changes]})
    throughs: dict[str, list[str]] = {}
    for change in changes:
        if change.through is not None:
            throughs.setdefault(change.through, []).append(change.locality_id)
    for through, group in throughs.items():
        con.execute(
            f"INSERT INTO latest_values {text('values_as_of', dialect(con))}",
            {"latest": [], "fresh": group, "stale": [], "period": through, "measures": None},
        )


def _versions(con: Connection, locality_ids: Sequence[str] | None) -> list[tuple[str, bool, str | None]]:
    """(locality, are its computed months current?, its latest month when they were computed) for
    every locality with submissions (of the list, or all when None)."""
    where = "" if locality_ids is None else f"WHERE locality_id IN ({_IDS})"
    return con.execute(
        f"SELECT s.locality_id, m.version IS NOT DISTINCT FROM s.version, m.through FROM "
        f"(SELECT locality_id, max(id) AS version FROM submissions {where} GROUP BY locality_id) s "
        "LEFT JOIN measure_month_versions m USING (locality_id) ORDER BY s.locality_id",
        {} if locality_ids is None else {"ids": list(locality_ids)},
    ).fetchall()


def stale(con: Connection) -> list[str]:
    """Localities with submissions whose computed months are missing or older than their newest one."""
    return [lid for lid, fresh, _ in _versions(con, None) if not fresh]


def refresh_stale(con: Connection) -> int:
    """Bring every stale locality up to date, ``REFRESH_CHUNK`` at a time, each chunk in its own
    transaction (the caller holds the writer's turn); returns how many were refreshed."""
    ids = stale(con)
    for start in range(0, len(ids), REFRESH_CHUNK):
        with transaction(con):
            refresh(con, ids[start : start + REFRESH_CHUNK])
    return len(ids)


@dataclass(frozen=True)
class Split:
    """The localities asked for with submissions, by how a question about month ``period`` is answered."""

    values_latest: list[str]  # values kept as of their latest month (fresh, nothing later, same year)
    fresh: list[str]  # the other fresh ones: aggregated from their kept months
    stale: list[str]  # combined from their values
    tasks_latest: list[str]  # task lines kept as of their latest month (fresh, nothing later)
    tasks_read: list[str]  # the others: chosen from every line


def split(con: Connection, locality_ids: Sequence[str], period: str) -> Split:
    """How the localities' values and tasks as of ``period`` ('YYYY-MM') are read."""
    rows = _versions(con, locality_ids)
    done = [(lid, through) for lid, fresh, through in rows if fresh and through is not None and through <= period]
    values_latest = [lid for lid, through in done if through[:4] == period[:4]]
    kept = set(values_latest)
    tasks_latest = [lid for lid, _ in done]
    quick = set(tasks_latest)
    return Split(
        values_latest=values_latest,
        fresh=[lid for lid, fresh, _ in rows if fresh and lid not in kept],
        stale=[lid for lid, fresh, _ in rows if not fresh],
        tasks_latest=tasks_latest,
        tasks_read=[lid for lid, *_ in rows if lid not in quick],
    )


def split_fresh(con: Connection, locality_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """(localities whose computed months are current, localities with submissions that are stale);
    localities without any submission are in neither."""
    rows = _versions(con, locality_ids)
    return [lid for lid, fresh, _ in rows if fresh], [lid for lid, fresh, _ in rows if not fresh]
