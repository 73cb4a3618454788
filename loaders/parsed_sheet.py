"""What a checked monthly sheet is: who sent it for which month, and the rows it reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from plans.periods import Period
from plans.reporting import SheetSpec
from store.uploads import ReportedValue


@dataclass(frozen=True)
class Expected:
    """What the office chose on upload; ``None`` parts are not checked."""

    locality_id: str | None = None
    unit_code: str | None = None
    period: str | Period | None = None


@dataclass(frozen=True)
class SheetIdentity:
    """Who sent the sheet and for which month."""

    locality_id: str
    unit_code: str
    period: str
    village: str
    template_version: str
    is_sample: bool


@dataclass(frozen=True)
class TaskRow:
    """A reported task status."""

    task: str
    status: str
    percent: float | None
    completed_on: dt.date | None
    evidence: str | None
    sheet_row: int


@dataclass
class ParsedSheet:
    """A sheet that could be identified: its identity, what it must carry, and what it reports
    (``values``, ``tasks``, the measures left ``blank``). It may still have errors: the problems
    come beside it (``loaders.validate.validate_package``), and an error refuses it."""

    identity: SheetIdentity
    spec: SheetSpec
    values: list[ReportedValue] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
