"""Task status as of a month, and counts per locality and lead unit.

* A dated task takes its latest reported status at or before the month; it is ``Quá hạn``
  when its deadline is before the last day of the month and it is not ``Hoàn thành``.
* Recurring tasks are judged per period: a monthly task by what was reported for that month
  (overdue once the month is over — before ``today`` — without ``Hoàn thành``); a yearly task
  by what was reported in that year (overdue after December without ``Hoàn thành``); a
  continuous task ("Thường xuyên") by its latest status that year, never overdue.
* A task nobody reported on is ``Chưa thực hiện`` (and overdue by the same rules).
* Before its plan's start year (``start_year``) no task is evaluated: every task is listed as
  ``Chưa thực hiện`` and none is overdue (a monthly task of a 2026 plan is not late in 2025).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import pandas as pd

from plans import clock
from plans import vocabulary as vocab
from plans.model import Task, TaskSlot
from plans.periods import Period
from plans.vocabulary import Recurrence


class TaskRow(NamedTuple):
    """One task at a month: its text from the plan and its state (a tuple in ``STATUS_COLUMNS`` order)."""

    code: str
    locality_id: str
    name: str
    section: str
    lead_units: list[str]
    deadline: dt.date | None
    deadline_text: str
    recurrence: str | None
    status: str
    reported_status: str | None
    percent: float | None
    last_period: str | None
    overdue: bool


STATUS_COLUMNS = list(TaskRow._fields)


class Update(NamedTuple):
    """One status line of a task: the month it is for, the status and the percent reported."""

    period: str
    status: str | None
    percent: float | None


Line = tuple[str, str, str | None, float | None]  # a store row: task code, period, status, percent


def task_history(lines: Iterable[Line]) -> dict[str, list[Update]]:
    """Status lines per task code, in the order given: oldest first, as ``store.queries.task_updates``
    gives them (a missing status or percent may be None or NaN)."""
    history: dict[str, list[Update]] = {}
    for code, period, status, percent in lines:
        history.setdefault(code, []).append(
            Update(
                period,
                status if isinstance(status, str) else None,
                None if percent is None or percent != percent else float(percent),
            )
        )
    return history


EVER = "0000-00"


def _windows(period: Period) -> dict[str | None, str]:
    """The first month whose reports count at ``period``, by recurrence (a dated task: ``EVER``)."""
    january = f"{period.year:04d}-01"
    return {Recurrence.MONTHLY: str(period), Recurrence.YEARLY: january, Recurrence.CONTINUOUS: january}


class TaskState(NamedTuple):
    """A task's state at a month: what counting needs (the last fields of a :class:`TaskRow`)."""

    status: str
    reported_status: str | None
    percent: float | None
    last_period: str | None
    overdue: bool


def _overdue(deadline: dt.date | None, recurrence: str | None, done: bool, period: Period, today: dt.date) -> bool:
    if done:
        return False
    if deadline is not None:
        return deadline < period.last_day
    if recurrence == Recurrence.MONTHLY:
        return period.last_day < today
    if recurrence == Recurrence.YEARLY:
        return period.month == 12 and period.last_day < today
    return False


def task_states(
    schedule: Iterable[TaskSlot],
    history: Mapping[str, list[Update]],
    period: Period,
    today: dt.date | None = None,
    start_year: int | None = None,
) -> list[TaskState]:
    """Each task's state at ``period`` from its code, deadline and recurrence alone (``Plan.schedule``):
    what counting needs, without the tasks' text."""
    today = today or clock.today()
    month = str(period)
    if start_year is not None and period.year < start_year:
        return [TaskState(vocab.TASK_NOT_STARTED, None, None, None, False) for _ in schedule]
    windows = _windows(period)
    states = []
    for code, deadline, recurrence, _ in schedule:
        last = _latest_in(history.get(code, ()), windows.get(recurrence, EVER), month)
        reported = last.status if last else None
        overdue = _overdue(deadline, recurrence, reported == vocab.TASK_DONE, period, today)
        status = vocab.TASK_OVERDUE if overdue else (reported or vocab.TASK_NOT_STARTED)
        states.append(
            TaskState(status, reported, last.percent, last.period, overdue)
            if last
            else TaskState(status, None, None, None, overdue)
        )
    return states


def _latest_in(lines: list[Update], window: str, month: str) -> Update | None:
    """The latest of a task's lines (oldest first) from month ``window`` to ``month``: the last
    one up to ``month``, when it is not before ``window``."""
    for line in reversed(lines):
        if line.period <= month:
            return line if line.period >= window else None
    return None


def rows_of(tasks: Iterable[Task], states: Iterable[TaskState]) -> list[TaskRow]:
    """One row per task (``STATUS_COLUMNS``), from the tasks and their states (:func:`task_states`)."""
    return [
        TaskRow(
            task.code,
            task.locality_id,
            task.name,
            task.section,
            list(task.lead_units),
            task.deadline,
            task.deadline_text,
            task.recurrence,
            *state,
        )
        for task, state in zip(tasks, states)
    ]


def task_counts(statuses: Iterable[str]) -> dict[str, int]:
    """Totals from a column of task statuses: tasks, done, overdue, in progress, not started."""
    status = list(statuses)
    return {
        "total": len(status),
        "done": status.count(vocab.TASK_DONE),
        "overdue": status.count(vocab.TASK_OVERDUE),
        "in_progress": status.count(vocab.TASK_IN_PROGRESS),
        "not_started": status.count(vocab.TASK_NOT_STARTED),
    }


def counts_by_lead_unit(statuses: pd.DataFrame) -> pd.DataFrame:
    """Counts per lead unit (a task with two leads counts for both)."""
    exploded = statuses.explode("lead_units").rename(columns={"lead_units": "unit_code"})
    if exploded.empty:
        return pd.DataFrame(columns=["unit_code", "total", "done", "overdue"])
    return (
        exploded.groupby("unit_code")
        .agg(
            total=("code", "size"),
            done=("status", lambda s: int((s == vocab.TASK_DONE).sum())),
            overdue=("overdue", "sum"),
        )
        .reset_index()
    )
