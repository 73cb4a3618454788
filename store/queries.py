"""Read queries over the store, returned as DataFrames (SQL lives here, not in pages or scoring)."""
from __future__ import annotations

import duckdb
import pandas as pd


def current_values(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every value of every current submission: one row per reporter, measure and month."""
    return con.execute(
        "SELECT locality_id, unit_code, village, period, measure, value, numerator, denominator "
        "FROM current_values ORDER BY locality_id, period, measure"
    ).df()


def current_task_updates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Task status lines of every current submission."""
    return con.execute(
        "SELECT u.locality_id, u.unit_code, u.period, u.task_code, u.status, u.percent, u.evidence, "
        "s.uploaded_at FROM current_task_updates u JOIN submissions s ON s.id = u.submission_id "
        "ORDER BY u.locality_id, u.period, s.uploaded_at"
    ).df()


def submission_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All submissions, current and replaced, newest first."""
    return con.execute(
        "SELECT id, locality_id, unit_code, village, period, file_name, file_sha256, uploaded_by, "
        "uploaded_at, replaces, is_current, is_sample, n_values, n_blank, n_tasks "
        "FROM submissions ORDER BY uploaded_at DESC, id DESC"
    ).df()
