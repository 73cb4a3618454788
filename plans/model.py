"""The domain model: typed records for a plan and everything in it, and the KPI framework.

Nothing here reads files or the clock: :mod:`plans.catalog` builds these records from
``data/*.yaml``; every other package reads them.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, overload

TaskSlot = tuple[str, dt.date | None, str | None, tuple[str, ...]]  # Task.slot: code, deadline, recurrence, leads


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    unit: str
    kind: str
    accumulation: str
    combine: str
    common_group: str
    default_unit: str
    direction: str = "higher"


@dataclass(frozen=True)
class Indicator:
    locality_id: str
    code: str
    name: str
    text: str
    group: str
    measure: str
    comparator: str
    target: float
    target_year: int
    every_year: bool
    responsible_unit: str
    source: str
    note: str | None


@dataclass(frozen=True)
class Task:
    locality_id: str
    code: str
    name: str
    section: str
    lead_units: tuple[str, ...]
    coordinating_units: tuple[str, ...]
    output: str | None
    deadline_text: str
    deadline: dt.date | None
    recurrence: str | None
    note: str | None
    source: str

    @property
    def slot(self) -> TaskSlot:
        """Code, deadline, recurrence, lead units: what the task's status and who must report need."""
        return self.code, self.deadline, self.recurrence, self.lead_units


class PlanUnit(TypedDict):
    """A unit of a plan (it leads tasks, reports monthly): its code, its name, the plan's section."""

    code: str
    name: str
    source: str


class PlanGroup(TypedDict):
    """A group of a plan's indicators: its code (always text: "1", "I"), its name, the plan's section."""

    code: str
    name: str
    source: str


@dataclass(frozen=True)
class ReportSigner:
    """Who signs the plan's periodic reports (``report_signer`` in the plan file): the authority and
    title, lines separated by " - " ("KT. Chủ tịch - Phó Chủ tịch"), and the name ("" to leave it
    for the signing day)."""

    title: str
    name: str


class PlanTasks(Sequence[Task]):
    """A plan's tasks, and their :attr:`schedule`: each task's :attr:`Task.slot`, all that its status and
    who must report need (``scoring.tasks``, ``plans.reporting``).

    The tasks are most of a plan's text. Pickled (the catalog's cache file), they travel as one blob
    beside the schedule, and tasks read back stay that blob until first used: at 3,300 plans the
    catalog cache loads in half the time, a page about one locality never unpickles the others'
    tasks, and counting every locality's tasks (from the schedule) unpickles none."""

    __slots__ = ("_items", "_blob", "schedule")

    def __init__(self, items: Iterable[Task] = ()) -> None:
        self._items: tuple[Task, ...] | None = tuple(items)
        self._blob: bytes | None = None
        self.schedule: tuple[TaskSlot, ...] = tuple(t.slot for t in self._items)

    @classmethod
    def _read_back(cls, schedule: tuple[TaskSlot, ...], blob: bytes) -> PlanTasks:
        """Tasks as :meth:`__reduce__` wrote them: the schedule now, the tasks when first used."""
        tasks = cls.__new__(cls)
        tasks._items, tasks._blob, tasks.schedule = None, blob, schedule
        return tasks

    def __reduce__(self) -> tuple[Any, ...]:
        blob = self._blob if self._items is None else pickle.dumps(self._items, protocol=pickle.HIGHEST_PROTOCOL)
        return PlanTasks._read_back, (self.schedule, blob)

    @property
    def unpickled(self) -> bool:
        """Whether the tasks' text is in memory (always, unless read back and not yet used)."""
        return self._items is not None

    def _all(self) -> tuple[Task, ...]:
        items = self._items
        if items is None:
            blob = self._blob
            if blob is None:  # another thread has just unpickled them (it sets _items first)
                return self._items or ()
            items = pickle.loads(blob)
            self._items = items
            self._blob = None
        return items

    @overload
    def __getitem__(self, index: int) -> Task: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Task, ...]: ...
    def __getitem__(self, index: int | slice) -> Task | tuple[Task, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self.schedule)

    def __iter__(self) -> Iterator[Task]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PlanTasks):
            return self._all() == other._all()
        return isinstance(other, tuple) and self._all() == other

    def __repr__(self) -> str:
        return f"PlanTasks({len(self)} tasks)"


@dataclass(frozen=True)
class Plan:
    id: str
    ward_code: int
    name: str
    kind: str
    aliases: tuple[str, ...]
    meta: dict[str, Any]
    phases: tuple[dict[str, Any], ...]
    report_deadlines: tuple[dict[str, Any], ...]
    reviews: tuple[dict[str, Any], ...]
    groups: tuple[PlanGroup, ...]
    units: tuple[PlanUnit, ...]
    indicators: tuple[Indicator, ...]
    tasks: PlanTasks
    qualitative: tuple[dict[str, Any], ...]
    reporting_start: str | None = None
    report_recipients: tuple[str, ...] = ()
    report_signer: ReportSigner | None = None

    @property
    def schedule(self) -> tuple[TaskSlot, ...]:
        """Each task's :attr:`Task.slot` (:attr:`PlanTasks.schedule`)."""
        return self.tasks.schedule

    @property
    def start_year(self) -> int:
        """First year of the plan's horizon."""
        return int(self.meta["start_year"])

    @property
    def end_year(self) -> int:
        """Last year of the plan's horizon."""
        return int(self.meta["end_year"])

    def unit_name(self, code: str) -> str:
        """Name of one of the plan's units (the code itself if unknown)."""
        return next((u["name"] for u in self.units if u["code"] == code), code)

    def unit_contact(self, code: str) -> str:
        """How to reach a unit (``contact`` in the plan file: a person, a phone, an e-mail), or ""."""
        return next((str(u.get("contact") or "") for u in self.units if u["code"] == code), "")


@dataclass(frozen=True)
class FrameworkItem:
    code: str
    group: str
    name: str
    method: str
    measure: str
    comparator: str
    threshold: float
    max_points: float
    rule: str
    steps: tuple[dict[str, float], ...]
    source: str


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    locality_id: str | None
    valid_from: int
    valid_to: int
    source: str
    groups: tuple[dict[str, Any], ...]
    items: tuple[FrameworkItem, ...]
    ratings: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Catalog:
    measures: dict[str, Measure]
    common_groups: tuple[dict[str, str], ...]
    plans: dict[str, Plan]
    frameworks: dict[str, Framework]
    fingerprint: str = field(default="")

    def plan(self, locality_id: str) -> Plan:
        return self.plans[locality_id]

    def framework_for(self, year: int) -> Framework:
        """The KPI framework applied to every locality for ``year``.

        Among the frameworks whose ``valid_from``–``valid_to`` covers the year, the narrowest
        range wins (a one-year file overrides the 2026–2030 one), then the latest start. When
        none covers it, the nearest in time is used (on a tie, the one that ended before the
        year); the score carries the framework's id, so the choice is visible.
        """
        covering = [fw for fw in self.frameworks.values() if fw.valid_from <= year <= fw.valid_to]
        if covering:
            return min(covering, key=lambda fw: (fw.valid_to - fw.valid_from, -fw.valid_from))
        return min(
            self.frameworks.values(),
            key=lambda fw: (max(fw.valid_from - year, year - fw.valid_to), fw.valid_from > year),
        )
