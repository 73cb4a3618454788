"""Status labels shared by scoring, pages and exports (Vietnamese, as users read them)."""
from __future__ import annotations

# Indicator attainment (see README, "Cách chấm điểm").
MET = "Đạt"
ON_TRACK = "Đúng tiến độ"
SPEED_UP = "Cần đẩy nhanh"
BEHIND = "Chậm tiến độ"
REGRESSING = "Đi xuống"
NOT_MET = "Chưa đạt"
NOT_REPORTED = "Chưa báo cáo"
INDICATOR_STATUSES = (MET, ON_TRACK, SPEED_UP, BEHIND, REGRESSING, NOT_MET, NOT_REPORTED)

# Task status as written in the monthly sheet, plus the derived "overdue".
TASK_NOT_STARTED = "Chưa thực hiện"
TASK_IN_PROGRESS = "Đang thực hiện"
TASK_DONE = "Hoàn thành"
TASK_OVERDUE = "Quá hạn"
TASK_SHEET_STATUSES = (TASK_NOT_STARTED, TASK_IN_PROGRESS, TASK_DONE)
TASK_STATUSES = (TASK_DONE, TASK_IN_PROGRESS, TASK_NOT_STARTED, TASK_OVERDUE)

# Monthly sheet submission.
SUBMITTED_ON_TIME = "Đúng hạn"
SUBMITTED_LATE = "Nộp muộn"
MISSING = "Chưa nộp"
SUBMISSION_STATUSES = (SUBMITTED_ON_TIME, SUBMITTED_LATE, MISSING)
