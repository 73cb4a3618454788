"""Task status as of a month: dated deadlines, recurring tasks judged per period."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from plans import vocabulary as vocab
from plans.deadlines import parse_deadline
from plans.model import Catalog, Task
from plans.periods import Period
from scoring.report import locality_reports
from scoring.tasks import STATUS_COLUMNS, counts_by_lead_unit, rows_of, task_counts, task_history, task_states

pytestmark = pytest.mark.both_backends

TODAY = dt.date(2026, 11, 22)


def task(code: str, deadline_text: str, leads: tuple[str, ...] = ("vhxh",)) -> Task:
    parsed = parse_deadline(deadline_text)
    return Task("binh_giang", code, code, "", leads, (), None, deadline_text, parsed.date, parsed.recurrence, None, "")


def task_statuses(
    tasks: list[Task], history: dict, period: Period, today: dt.date, start_year: int | None = None
) -> pd.DataFrame:
    """One row per task with its state at ``period``, as ``LocalityReport.tasks`` has them."""
    return pd.DataFrame(
        rows_of(tasks, task_states([t.slot for t in tasks], history, period, today, start_year)), columns=STATUS_COLUMNS
    )


def updates(*rows: tuple) -> list[tuple]:
    """Status lines (task code, month, status, percent), oldest first."""
    return list(rows)


@pytest.mark.parametrize(
    "deadline, history, period, status, overdue",
    [
        ("Tháng 6/2026", [], "2026-05", vocab.TASK_NOT_STARTED, False),
        ("Tháng 6/2026", [], "2026-06", vocab.TASK_NOT_STARTED, False),  # due at the end of June
        ("Tháng 6/2026", [], "2026-07", vocab.TASK_OVERDUE, True),
        ("Tháng 6/2026", [("2026-05", vocab.TASK_IN_PROGRESS)], "2026-07", vocab.TASK_OVERDUE, True),
        ("Tháng 6/2026", [("2026-06", vocab.TASK_DONE)], "2026-09", vocab.TASK_DONE, False),
        ("Quý II/2026", [("2026-04", vocab.TASK_IN_PROGRESS)], "2026-06", vocab.TASK_IN_PROGRESS, False),
        (
            "Quý II/2026",
            [("2026-08", vocab.TASK_DONE)],
            "2026-07",
            vocab.TASK_OVERDUE,
            True,
        ),  # done later, not yet in July
        ("Quý II/2026", [("2026-08", vocab.TASK_DONE)], "2026-08", vocab.TASK_DONE, False),
    ],
)
def test_dated_tasks(deadline, history, period, status, overdue) -> None:
    data = updates(*[("T", p, s, None) for p, s in history])
    row = task_statuses([task("T", deadline)], task_history(data), Period.parse(period), TODAY).iloc[0]
    assert (row["status"], bool(row["overdue"])) == (status, overdue)


@pytest.mark.parametrize(
    "history, period, status, overdue",
    [
        ([("2026-09", vocab.TASK_DONE)], "2026-09", vocab.TASK_DONE, False),
        ([("2026-09", vocab.TASK_DONE)], "2026-10", vocab.TASK_OVERDUE, True),  # October not done and over
        ([], "2026-11", vocab.TASK_NOT_STARTED, False),  # the current month is not over
    ],
)
def test_monthly_recurring_judged_per_month(history, period, status, overdue) -> None:
    data = updates(*[("M", p, s, None) for p, s in history])
    row = task_statuses(
        [task("M", "Thường xuyên; định kỳ hàng tháng báo cáo kết quả")], task_history(data), Period.parse(period), TODAY
    ).iloc[0]
    assert (row["status"], bool(row["overdue"])) == (status, overdue)


def test_yearly_task_judged_per_year() -> None:
    data = updates(("Y", "2025-11", vocab.TASK_DONE, 100))
    yearly = task("Y", "Hàng năm")
    assert task_statuses([yearly], task_history(data), Period(2025, 12), TODAY).iloc[0]["status"] == vocab.TASK_DONE
    june = task_statuses([yearly], task_history(data), Period(2026, 6), TODAY).iloc[0]
    assert june["status"] == vocab.TASK_NOT_STARTED


def test_continuous_task_never_overdue() -> None:
    data = updates(("C", "2026-03", vocab.TASK_IN_PROGRESS, 40))
    row = task_statuses([task("C", "Thường xuyên")], task_history(data), Period(2026, 10), TODAY).iloc[0]
    assert (row["status"], row["overdue"], row["percent"]) == (vocab.TASK_IN_PROGRESS, False, 40.0)


def test_counts_per_locality_and_lead_unit() -> None:
    tasks = [
        task("A", "Tháng 4/2026", ("ca",)),
        task("B", "Tháng 12/2026", ("vhxh", "kt")),
        task("C", "Tháng 4/2026", ("vhxh",)),
    ]
    data = updates(("C", "2026-04", vocab.TASK_DONE, 100), ("B", "2026-05", vocab.TASK_IN_PROGRESS, 50))
    table = task_statuses(tasks, task_history(data), Period(2026, 6), TODAY)
    assert task_counts(table["status"]) == {"total": 3, "done": 1, "overdue": 1, "in_progress": 1, "not_started": 0}
    by_unit = counts_by_lead_unit(table).set_index("unit_code")
    assert by_unit.loc["ca", "overdue"] == 1
    assert by_unit.loc["vhxh", "total"] == 2 and by_unit.loc["vhxh", "done"] == 1
    assert by_unit.loc["kt", "total"] == 1


@pytest.mark.parametrize(
    "deadline, period, start_year, overdue",
    [
        ("Thường xuyên; định kỳ hàng tháng báo cáo kết quả", "2025-01", 2026, False),  # the plan starts in 2026
        ("Thường xuyên; định kỳ hàng tháng báo cáo kết quả", "2026-01", 2026, True),  # January 2026 is over
        ("Hàng năm", "2025-12", 2026, False),
        ("Hàng năm", "2025-12", 2025, True),
        ("Tháng 6/2024", "2025-07", 2026, False),  # even a dated task is not judged before its plan starts
    ],
)
def test_no_task_evaluated_before_the_plan_starts(deadline, period, start_year, overdue) -> None:
    row = task_statuses([task("T", deadline)], task_history(updates()), Period.parse(period), TODAY, start_year).iloc[0]
    assert bool(row["overdue"]) is overdue
    assert row["status"] == (vocab.TASK_OVERDUE if overdue else vocab.TASK_NOT_STARTED)


def test_reports_before_the_plan_starts_are_not_read() -> None:
    data = updates(("Y", "2025-06", vocab.TASK_DONE, 100))
    row = task_statuses([task("Y", "Hàng năm")], task_history(data), Period(2025, 12), TODAY, 2026).iloc[0]
    assert (row["status"], row["reported_status"], row["last_period"]) == (vocab.TASK_NOT_STARTED, None, None)


def test_binh_giang_has_no_overdue_task_before_2026(catalog: Catalog, db) -> None:
    # Bình Giang's plan starts in 2026; its two monthly tasks (BG-PL2-24, BG-PL2-29, "định kỳ hàng tháng")
    # used to be overdue in January 2025. With no sheet at all they are overdue in January 2026 only.
    counts = {
        period: locality_reports(db, catalog, Period.parse(period), ["binh_giang"], today=TODAY)[
            "binh_giang"
        ].task_counts
        for period in ("2025-01", "2025-12", "2026-01")
    }
    assert [counts[p]["overdue"] for p in ("2025-01", "2025-12", "2026-01")] == [0, 0, 2]
    assert counts["2025-01"]["total"] == len(catalog.plan("binh_giang").tasks)
