"""Task status as of a month: dated deadlines, recurring tasks judged per period."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from loaders.catalog import Task
from loaders.deadlines import parse_deadline
from loaders.periods import Period
from scoring import statuses as st
from scoring.tasks import counts_by_lead_unit, task_counts, task_history, task_statuses

TODAY = dt.date(2026, 11, 22)


def task(code: str, deadline_text: str, leads: tuple[str, ...] = ("vhxh",)) -> Task:
    parsed = parse_deadline(deadline_text)
    return Task("binh_giang", code, code, "", leads, (), None, deadline_text, parsed.date, parsed.recurrence, None, "")


def updates(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=["task_code", "period", "status", "percent"])
    frame["locality_id"] = "binh_giang"
    frame["uploaded_at"] = pd.Timestamp("2026-01-01")
    return frame


@pytest.mark.parametrize("deadline, history, period, status, overdue", [
    ("Tháng 6/2026", [], "2026-05", st.TASK_NOT_STARTED, False),
    ("Tháng 6/2026", [], "2026-06", st.TASK_NOT_STARTED, False),          # due at the end of June
    ("Tháng 6/2026", [], "2026-07", st.TASK_OVERDUE, True),
    ("Tháng 6/2026", [("2026-05", st.TASK_IN_PROGRESS)], "2026-07", st.TASK_OVERDUE, True),
    ("Tháng 6/2026", [("2026-06", st.TASK_DONE)], "2026-09", st.TASK_DONE, False),
    ("Quý II/2026", [("2026-04", st.TASK_IN_PROGRESS)], "2026-06", st.TASK_IN_PROGRESS, False),
    ("Quý II/2026", [("2026-08", st.TASK_DONE)], "2026-07", st.TASK_OVERDUE, True),  # done later, not yet in July
    ("Quý II/2026", [("2026-08", st.TASK_DONE)], "2026-08", st.TASK_DONE, False),
])
def test_dated_tasks(deadline, history, period, status, overdue) -> None:
    data = updates(*[("T", p, s, None) for p, s in history])
    row = task_statuses([task("T", deadline)], task_history(data), Period.parse(period), TODAY).iloc[0]
    assert (row["status"], bool(row["overdue"])) == (status, overdue)


@pytest.mark.parametrize("history, period, status, overdue", [
    ([("2026-09", st.TASK_DONE)], "2026-09", st.TASK_DONE, False),
    ([("2026-09", st.TASK_DONE)], "2026-10", st.TASK_OVERDUE, True),    # October not done and over
    ([], "2026-11", st.TASK_NOT_STARTED, False),                          # the current month is not over
])
def test_monthly_recurring_judged_per_month(history, period, status, overdue) -> None:
    data = updates(*[("M", p, s, None) for p, s in history])
    row = task_statuses([task("M", "Thường xuyên; định kỳ hàng tháng báo cáo kết quả")], task_history(data),
                        Period.parse(period), TODAY).iloc[0]
    assert (row["status"], bool(row["overdue"])) == (status, overdue)


def test_yearly_task_judged_per_year() -> None:
    data = updates(("Y", "2025-11", st.TASK_DONE, 100))
    yearly = task("Y", "Hàng năm")
    assert task_statuses([yearly], task_history(data), Period(2025, 12), TODAY).iloc[0]["status"] == st.TASK_DONE
    assert task_statuses([yearly], task_history(data), Period(2026, 6), TODAY).iloc[0]["status"] == st.TASK_NOT_STARTED


def test_continuous_task_never_overdue() -> None:
    data = updates(("C", "2026-03", st.TASK_IN_PROGRESS, 40))
    row = task_statuses([task("C", "Thường xuyên")], task_history(data), Period(2026, 10), TODAY).iloc[0]
    assert (row["status"], row["overdue"], row["percent"]) == (st.TASK_IN_PROGRESS, False, 40.0)


def test_counts_per_locality_and_lead_unit() -> None:
    tasks = [task("A", "Tháng 4/2026", ("ca",)), task("B", "Tháng 12/2026", ("vhxh", "kt")),
             task("C", "Tháng 4/2026", ("vhxh",))]
    data = updates(("C", "2026-04", st.TASK_DONE, 100), ("B", "2026-05", st.TASK_IN_PROGRESS, 50))
    table = task_statuses(tasks, task_history(data), Period(2026, 6), TODAY)
    assert task_counts(table["status"]) == {"total": 3, "done": 1, "overdue": 1, "in_progress": 1, "not_started": 0}
    by_unit = counts_by_lead_unit(table).set_index("unit_code")
    assert by_unit.loc["ca", "overdue"] == 1
    assert by_unit.loc["vhxh", "total"] == 2 and by_unit.loc["vhxh", "done"] == 1
    assert by_unit.loc["kt", "total"] == 1
