"""Take filled monthly sheets into DuckDB: the one path used by the upload page, the CLI and the demo.

For each file: check the package (:mod:`loaders.xlsx_package`), read and validate every row
(:mod:`loaders.validate`), and only when there is no error write it (:mod:`store.uploads`):
all of it or nothing, several files per transaction. The result is always an :class:`IngestResult` (never an exception):
accepted or not, the counts, every problem, and for a re-upload the changes against the
current values. ``dry_run=True`` validates and computes the changes without writing; when the
store is locked a dry run still checks every file and only the comparison is missing.

A sheet for the whole locality (unit ``all``) and unit sheets of the same month get a warning:
for the measures the whole-locality sheet reports, its figures are used instead of the units'.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from loaders.parsed_sheet import Expected, ParsedSheet, SheetIdentity
from loaders.problems import ERROR, WARNING, Problem, listed
from loaders.validate import validate_package
from loaders.xlsx_package import PackageError, open_package
from plans import clock
from plans.catalog import load_catalog
from plans.model import Catalog
from plans.periods import Period
from plans.reporting import YES_NO
from plans.text import fmt_value
from plans.vocabulary import ALL_UNITS, MeasureUnit, label
from store.db import StoreLockedError, connection
from store.uploads import (
    CurrentSubmission,
    Key,
    NewSubmission,
    current_reporters_of,
    current_submissions,
    key_of,
    save_submissions,
)


@dataclass(frozen=True)
class Change:
    """One value that a re-upload changes (``old`` is ``None`` when it was not reported)."""

    kind: str
    code: str
    name: str
    old: float | str | None
    new: float | str | None
    old_text: str
    new_text: str


@dataclass
class IngestResult:
    """What happened to one file."""

    file_name: str
    accepted: bool
    found: list[Problem] = field(default_factory=list)
    identity: SheetIdentity | None = None
    unit_name: str = ""
    locality_name: str = ""
    sha256: str = ""
    submission_id: int | None = None
    replaced_id: int | None = None
    duplicate: bool = False
    dry_run: bool = False
    store_locked: bool = False
    n_values: int = 0
    n_blank: int = 0
    n_tasks: int = 0
    changes: list[Change] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        """What is listed: errors first, then warnings, at most ``MAX_LISTED``, then how many more."""
        return listed(self.found)

    @property
    def errors(self) -> list[Problem]:
        """Every error found (also those not listed)."""
        return [p for p in self.found if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Every warning found (also those not listed)."""
        return [p for p in self.found if not p.is_error]

    def summary(self) -> str:
        """One Vietnamese line: accepted (with counts) or rejected."""
        if not self.accepted:
            return f"TỪ CHỐI {self.file_name}: {len(self.errors)} lỗi, không ghi gì vào cơ sở dữ liệu"
        who = self._who()
        if self.duplicate:
            return f"ĐÃ CÓ {self.file_name}: {who} – tệp này đã được nạp (phiếu số {self.submission_id}), không ghi lại"
        counts = f"{self.n_values} chỉ tiêu có số liệu, {self.n_blank} để trống, {self.n_tasks} nhiệm vụ"
        if self.dry_run and self.store_locked:
            return (f"HỢP LỆ {self.file_name}: {who} – {counts}; chưa so được với phiếu đang dùng "
                    f"(cơ sở dữ liệu đang bị khóa)")
        if self.dry_run:
            return f"HỢP LỆ {self.file_name}: {who} – {counts}; {len(self.changes)} thay đổi (chưa ghi)"
        replaced = f", thay phiếu số {self.replaced_id}" if self.replaced_id else ""
        return f"ĐÃ NHẬN {self.file_name}: {who} – {counts} (phiếu số {self.submission_id}{replaced})"

    def _who(self) -> str:
        ident = self.identity
        if ident is None:
            return ""
        village = f" – {ident.village}" if ident.village else ""
        sample = " [dữ liệu mẫu]" if ident.is_sample else ""
        return f"{self.locality_name} – {self.unit_name}{village} – {Period.parse(ident.period).label}{sample}"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "(trống)"
    return fmt_value(value, unit, 2)


def _changes(parsed: ParsedSheet, current: CurrentSubmission | None) -> list[Change]:
    if current is None:
        return []
    out = []
    new_values = {v.measure: v.value for v in parsed.values}
    for line in parsed.spec.lines:
        old = current.values.get(line.code, (None,))[0]
        new = new_values.get(line.code)
        if old != new:
            unit = MeasureUnit.YES_NO if line.entry == YES_NO else line.measure.unit
            out.append(Change("chỉ tiêu", line.code, line.measure.name, old, new, _fmt(old, unit), _fmt(new, unit)))
    new_tasks = {t.task: (t.status, t.percent) for t in parsed.tasks}
    for task in parsed.spec.tasks:
        old_task, new_task = current.tasks.get(task.code, (None, None)), new_tasks.get(task.code, (None, None))
        if old_task != new_task:
            out.append(Change("nhiệm vụ", task.code, task.name, old_task[0], new_task[0],
                              _task_text(*old_task), _task_text(*new_task)))
    return out


def _task_text(status: str | None, percent: float | None) -> str:
    if status is None:
        return "(trống)"
    return label(status) if percent is None else f"{label(status)} ({_fmt(percent, '%')})"


def check_file(name: str, data: bytes, catalog: Catalog, expected: Expected | None = None,
               today: dt.date | None = None) -> tuple[IngestResult, ParsedSheet | None]:
    """Everything but the database: package safety, reading, validation."""
    result = IngestResult(file_name=name, accepted=False, sha256=hashlib.sha256(data).hexdigest())
    try:
        package = open_package(data)
    except PackageError as err:
        result.found.append(Problem(name, None, None, None, str(err), ERROR))
        return result, None
    parsed, problems = validate_package(name, package, catalog, expected, today, keep_rejected=True)
    result.found.extend(problems)
    if parsed is not None:
        result.identity = parsed.identity
        result.unit_name, result.locality_name = parsed.spec.unit_name, parsed.spec.locality_name
        if result.errors:
            return result, None
        result.n_values, result.n_blank, result.n_tasks = len(parsed.values), len(parsed.blank), len(parsed.tasks)
    return result, parsed


def _overlap(ident: SheetIdentity, reporters: list[tuple[str, str]], catalog: Catalog) -> str | None:
    """The warning for a whole-locality sheet when unit sheets of the same month are in use, or the reverse;
    ``reporters`` are the (unit, village) in use for the month, stored or earlier in the batch."""
    plan = catalog.plan(ident.locality_id)
    own = (ident.unit_code, ident.village.casefold())
    others: dict[tuple[str, str], str] = {}
    for unit, village in reporters:
        if (unit, village.casefold()) != own:
            others.setdefault((unit, village.casefold()), plan.unit_name(unit) + (f" – {village}" if village else ""))
    month = Period.parse(ident.period).label
    if ident.unit_code == ALL_UNITS:
        units = [name for (unit, _), name in others.items() if unit != ALL_UNITS]
        if not units:
            return None
        return (f"{month} đã có phiếu của {len(units)} đơn vị ({', '.join(units)}). Với các chỉ tiêu phiếu chung "
                f"của cả {plan.kind} có ghi, số của phiếu chung được dùng thay cho số của các đơn vị.")
    if not any(unit == ALL_UNITS for unit, _ in others):
        return None
    return (f"{month} đã có phiếu chung của cả {plan.kind}. Với các chỉ tiêu phiếu chung có ghi, số của phiếu "
            f"chung được dùng thay cho số của đơn vị này.")


@dataclass
class _Valid:
    """A file that passed every check, waiting to be written."""

    result: IngestResult
    parsed: ParsedSheet
    data: bytes
    uploaded_at: dt.datetime | None

    @property
    def key(self) -> Key:
        ident = self.parsed.identity
        return key_of(ident.locality_id, ident.unit_code, ident.village, ident.period)


def _as_current(item: _Valid) -> CurrentSubmission:
    """What a sheet accepted earlier in the batch looks like to a later sheet of the same key."""
    parsed = item.parsed
    return CurrentSubmission(
        id=-1, file_sha256=item.result.sha256, village=parsed.identity.village, uploaded_at=dt.datetime.min,
        values={v.measure: (v.value, v.numerator, v.denominator) for v in parsed.values},
        tasks={t.task: (t.status, t.percent) for t in parsed.tasks})


def _new_submission(item: _Valid, user: str | None) -> NewSubmission:
    ident, parsed = item.parsed.identity, item.parsed
    return NewSubmission(
        locality_id=ident.locality_id, unit_code=ident.unit_code, village=ident.village, period=ident.period,
        file_name=item.result.file_name, file_sha256=item.result.sha256, content=item.data, uploaded_by=user,
        uploaded_at=item.uploaded_at or clock.now(), template_version=ident.template_version,
        is_sample=ident.is_sample, n_blank=len(parsed.blank),
        values=[(v.measure, v.value, v.numerator, v.denominator, v.evidence, v.note, v.sheet_row)
                for v in parsed.values],
        tasks=[(t.task, t.status, t.percent, t.evidence, t.sheet_row) for t in parsed.tasks],
    )


def _write_group(con: duckdb.DuckDBPyConnection, items: list[_Valid], user: str | None, dry_run: bool,
                 catalog: Catalog, batch: list[SheetIdentity]) -> None:
    """Compare a group of valid files with the sheets in use and write the new ones in one transaction.

    Reads what is in use with three queries for the whole group; a later file of the same key is
    compared with (and replaces) the earlier one. ``batch`` holds the identities already taken in
    this call, for the whole-locality warning. Raises ``duckdb.Error`` with nothing written.
    """
    current = current_submissions(con, [item.key for item in items])
    months = current_reporters_of(con, [(i.parsed.identity.locality_id, i.parsed.identity.period) for i in items])
    to_write: list[_Valid] = []
    pending: dict[str, _Valid] = {}
    for item in items:
        ident, result = item.parsed.identity, item.result
        mine = current.get(item.key)
        result.changes, result.dry_run = _changes(item.parsed, mine), dry_run
        if mine is not None and mine.file_sha256 == result.sha256:
            result.accepted, result.duplicate, result.changes = True, True, []
            result.submission_id = mine.id if mine.id >= 0 else None
            if mine.id < 0:
                pending.setdefault(result.sha256, item)
            continue
        reporters = months.get((ident.locality_id, ident.period), []) + [
            (b.unit_code, b.village) for b in batch if (b.locality_id, b.period) == (ident.locality_id, ident.period)]
        overlap = _overlap(ident, reporters, catalog)
        if overlap:
            result.found.append(Problem(result.file_name, None, None, None, overlap, WARNING))
        result.accepted = True
        batch.append(ident)
        if not dry_run:
            to_write.append(item)
            current[item.key] = _as_current(item)
    written = save_submissions(con, [_new_submission(item, user) for item in to_write]) if to_write else []
    by_sha = {}
    for item, (new_id, replaced) in zip(to_write, written):
        item.result.submission_id, item.result.replaced_id = new_id, replaced
        by_sha[item.result.sha256] = new_id
    for item in items:
        if item.result.duplicate and item.result.submission_id is None:
            item.result.submission_id = by_sha.get(item.result.sha256)


def _store_failure(result: IngestResult, err: Exception, dry_run: bool) -> IngestResult:
    """A valid file the store could not take: an error, except for a dry run on a locked store (the file
    itself is valid; only the comparison with the sheet in use is missing)."""
    locked = isinstance(err, StoreLockedError)
    result.submission_id = result.replaced_id = None
    result.store_locked, result.dry_run = locked, dry_run
    if locked and dry_run:
        message = f"Chưa so được với phiếu đang dùng: {err}"
        result.found.append(Problem(result.file_name, None, None, None, message, WARNING))
        result.accepted, result.changes = True, []
        return result
    message = str(err) if locked else f"Lỗi khi ghi vào cơ sở dữ liệu, không ghi gì: {err}"
    result.found.append(Problem(result.file_name, None, None, None, message, ERROR))
    result.accepted = False
    return result


GROUP_FILES = 50
"""Files written per transaction: a city-month (1,140 sheets) in about 23 transactions, each short
enough that a reader waits well under a second."""


def _groups(files: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    group: list[tuple] = []
    for item in files:
        group.append(item)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group


def ingest_files(db_path: Path | str | None, files: Iterable[tuple], user: str | None = None,
                 expected: Expected | None = None, dry_run: bool = False, catalog: Catalog | None = None,
                 today: dt.date | None = None, uploaded_at: dt.datetime | None = None,
                 store_error: StoreLockedError | None = None) -> list[IngestResult]:
    """Ingest several files, opening the database once for the batch; results in input order.

    Files are checked, then written ``GROUP_FILES`` at a time in one transaction each: every file
    is all or nothing (when a group's transaction fails, its files are written one by one, so only
    the file at fault is refused). ``files`` yields ``(name, bytes)``, or ``(name, bytes,
    uploaded_at)`` to record another upload time than now (sample data).
    ``expected`` is what the office chose on upload (:class:`Expected`; its ``None`` parts are
    not checked).
    ``store_error`` is a lock already met (when preparing the store): files are still checked,
    and the valid ones report the lock without waiting for it again.
    """
    catalog = catalog or load_catalog()
    results: list[IngestResult] = []
    batch: list[SheetIdentity] = []
    con: duckdb.DuckDBPyConnection | None = None
    failure: Exception | None = store_error
    with ExitStack() as stack:
        for group in _groups(files, GROUP_FILES):
            valid = []
            for name, data, *when in group:
                result, parsed = check_file(name, data, catalog, expected, today)
                results.append(result)
                if parsed is not None:
                    valid.append(_Valid(result, parsed, data, when[0] if when else uploaded_at))
            if not valid:
                continue
            if failure is None and con is None:
                try:
                    con = stack.enter_context(connection(db_path))
                except StoreLockedError as err:
                    failure = err
            if failure is not None or con is None:
                for item in valid:
                    _store_failure(item.result, failure, dry_run)
                continue
            try:
                _write_group(con, valid, user, dry_run, catalog, batch)
            except duckdb.Error:
                for item in valid:
                    try:
                        _write_group(con, [item], user, dry_run, catalog, batch)
                    except duckdb.Error as err:
                        _store_failure(item.result, err, dry_run)
    return results


def ingest_file(db_path: Path | str | None, name: str, data: bytes, user: str | None = None,
                expected: Expected | None = None, dry_run: bool = False, catalog: Catalog | None = None,
                today: dt.date | None = None) -> IngestResult:
    """Ingest one uploaded file (the upload page's call); never raises for a bad file or a locked store."""
    return ingest_files(db_path, [(name, data)], user, expected, dry_run, catalog, today)[0]
