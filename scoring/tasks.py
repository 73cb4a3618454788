"""Task status as of a month, and counts per locality and lead unit.

* A dated task takes its latest reported status at or before the month; it is ``Quá hạn``
  when its deadline is before the last day of the month and it is not ``Hoàn thành``.
* Recurring tasks are judged per period: a monthly task by what was reported for that month
  (overdue once the month is over — before ``today`` — without ``Hoàn thành``); a yearly task
  by what was reported in that year (overdue after December without ``Hoàn thành``); a
  continuous task ("Thường xuyên") by its latest status that year, never overdue.
* A task nobody reported on is ``Chưa thực hiện`` (and overdue by the same rules).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from loaders.catalog import Task
from loaders.periods import Period
from scoring import statuses as st

STATUS_COLUMNS = ["code", "locality_id", "name", "section", "lead_units", "deadline", "deadline_text",
                  "recurrence", "status", "reported_status", "percent", "last_period", "overdue"]


def _window(task: Task, period: Period) -> str:
    """The first month whose reports count for this task at ``period``."""
    if task.recurrence == "monthly":
        return str(period)
    if task.recurrence in ("yearly", "continuous"):
        return f"{period.year:04d}-01"
    return "0000-00"


def _overdue(task: Task, done: bool, period: Period, today: dt.date) -> bool:
    if done:
        return False
    if task.deadline is not None:
        return task.deadline < period.last_day
    if task.recurrence == "monthly":
        return period.last_day < today
    if task.recurrence == "yearly":
        return period.month == 12 and period.last_day < today
    return False


def task_statuses(tasks: Iterable[Task], updates: pd.DataFrame, period: Period,
                  today: dt.date | None = None) -> pd.DataFrame:
    """One row per task with its status at ``period`` (``updates``: store.queries.current_task_updates)."""
    today = today or dt.date.today()
    upto = updates[updates["period"] <= str(period)].sort_values(["period", "uploaded_at"])
    latest_by_task = {code: grp for code, grp in upto.groupby("task_code")}
    rows = []
    for task in tasks:
        history = latest_by_task.get(task.code)
        window = _window(task, period)
        current = history[history["period"] >= window] if history is not None else None
        last = current.iloc[-1] if current is not None and not current.empty else None
        reported = last["status"] if last is not None and isinstance(last["status"], str) else None
        done = reported == st.TASK_DONE
        overdue = _overdue(task, done, period, today)
        status = st.TASK_OVERDUE if overdue else (reported or st.TASK_NOT_STARTED)
        rows.append({
            "code": task.code, "locality_id": task.locality_id, "name": task.name, "section": task.section,
            "lead_units": list(task.lead_units), "deadline": task.deadline, "deadline_text": task.deadline_text,
            "recurrence": task.recurrence, "status": status, "reported_status": reported,
            "percent": None if last is None or pd.isna(last["percent"]) else float(last["percent"]),
            "last_period": None if last is None else last["period"], "overdue": overdue,
        })
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def task_counts(statuses: pd.DataFrame) -> dict[str, int]:
    """Totals: tasks, done, overdue, in progress, not started."""
    return {
        "total": int(len(statuses)),
        "done": int((statuses["status"] == st.TASK_DONE).sum()),
        "overdue": int(statuses["overdue"].sum()) if len(statuses) else 0,
        "in_progress": int((statuses["status"] == st.TASK_IN_PROGRESS).sum()),
        "not_started": int((statuses["status"] == st.TASK_NOT_STARTED).sum()),
    }


def counts_by_lead_unit(statuses: pd.DataFrame) -> pd.DataFrame:
    """Counts per lead unit (a task with two leads counts for both)."""
    exploded = statuses.explode("lead_units").rename(columns={"lead_units": "unit_code"})
    if exploded.empty:
        return pd.DataFrame(columns=["unit_code", "total", "done", "overdue"])
    return exploded.groupby("unit_code").agg(
        total=("code", "size"),
        done=("status", lambda s: int((s == st.TASK_DONE).sum())),
        overdue=("overdue", "sum"),
    ).reset_index()
