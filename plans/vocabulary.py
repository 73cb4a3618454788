"""The domain's vocabulary: stable ASCII codes (what is stored and computed), Vietnamese labels
(what users read, looked up with :func:`label`).

Renaming a label is a one-line change here; stored data keeps its codes. The short module
names (``MET``, ``TASK_DONE``…) are the enum members themselves, for readable rules.
"""

from __future__ import annotations

from enum import StrEnum


class Comparator(StrEnum):
    """How a value is compared with its target ("trên 80%" is ``>``, "ít nhất 80%" is ``>=``)."""

    GT = ">"
    GE = ">="
    EQ = "="
    LE = "<="
    LT = "<"


class MeasureUnit(StrEnum):
    """The unit a measure is counted in."""

    PERCENT = "%"
    COUNT = "count"
    YES_NO = "yes/no"


class MeasureKind(StrEnum):
    """What a measure is; only a reduction changes how it is written and read."""

    REDUCTION = "reduction"


class Accumulation(StrEnum):
    """How a measure accumulates over time (see README, "Giá trị của một tháng")."""

    LATEST = "latest"
    LATEST_YEAR = "latest_year"
    SUM_YEAR = "sum_year"


class Combine(StrEnum):
    """How several reporters (units, villages) of one measure make the locality's value."""

    SUM = "sum"
    RATIO = "ratio"
    ANY = "any"
    SHARE_YES = "share_yes"


class KpiRule(StrEnum):
    """How a KPI item turns a value into points."""

    PROPORTIONAL = "proportional"
    YES_NO = "yes_no"
    ALL_OR_NOTHING = "all_or_nothing"
    STEPS = "steps"


class Recurrence(StrEnum):
    """Work that repeats instead of having one deadline."""

    MONTHLY = "monthly"
    YEARLY = "yearly"
    CONTINUOUS = "continuous"


class IndicatorStatus(StrEnum):
    """Target attainment of an indicator at a month (see README, "Đạt chỉ tiêu và tiến độ")."""

    MET = "met"
    ON_TRACK = "on_track"
    SPEED_UP = "speed_up"
    BEHIND = "behind"
    REGRESSING = "regressing"
    NOT_MET = "not_met"
    NOT_REPORTED = "not_reported"


class TaskStatus(StrEnum):
    """A task's state as written in the monthly sheet, plus the derived ``OVERDUE``."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"


class SubmissionStatus(StrEnum):
    """A unit's monthly sheet: on time, late or missing."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"


ALL_UNITS = "all"
"""The unit code of the sheet for the whole locality (one sheet instead of one per unit)."""
VILLAGE_UNIT = "thon"
"""The unit code of the villages / residential groups; each village sends its own sheet."""
FALLBACK_UNIT = "vhxh"
"""Phòng Văn hóa - Xã hội: the plans' focal point, reports a KPI measure no other unit owns."""

MET, ON_TRACK, SPEED_UP, BEHIND, REGRESSING, NOT_MET, NOT_REPORTED = IndicatorStatus
INDICATOR_STATUSES = tuple(IndicatorStatus)
TASK_NOT_STARTED, TASK_IN_PROGRESS, TASK_DONE, TASK_OVERDUE = TaskStatus
TASK_SHEET_STATUSES = (TASK_NOT_STARTED, TASK_IN_PROGRESS, TASK_DONE)
TASK_STATUSES = (TASK_DONE, TASK_IN_PROGRESS, TASK_NOT_STARTED, TASK_OVERDUE)
SUBMITTED_ON_TIME, SUBMITTED_LATE, MISSING = SubmissionStatus
SUBMISSION_STATUSES = tuple(SubmissionStatus)

LABELS: dict[str, str] = {
    MET: "Đạt",
    ON_TRACK: "Đúng tiến độ",
    SPEED_UP: "Cần đẩy nhanh",
    BEHIND: "Chậm tiến độ",
    REGRESSING: "Đi xuống",
    NOT_MET: "Chưa đạt",
    NOT_REPORTED: "Chưa báo cáo",
    TASK_NOT_STARTED: "Chưa thực hiện",
    TASK_IN_PROGRESS: "Đang thực hiện",
    TASK_DONE: "Hoàn thành",
    TASK_OVERDUE: "Quá hạn",
    SUBMITTED_ON_TIME: "Đúng hạn",
    SUBMITTED_LATE: "Nộp muộn",
    MISSING: "Chưa nộp",
    Recurrence.MONTHLY: "Định kỳ hàng tháng",
    Recurrence.YEARLY: "Hàng năm",
    Recurrence.CONTINUOUS: "Thường xuyên",
}
RECURRENCE_LABELS = {r: LABELS[r] for r in Recurrence}
TASK_SHEET_LABELS = tuple(LABELS[s] for s in TASK_SHEET_STATUSES)
"""What the monthly sheet's status drop-down offers (the sheet speaks Vietnamese)."""


def label(code: str) -> str:
    """The Vietnamese label of a code (the text itself when it is not a known code)."""
    return LABELS.get(code, code)
