"""Take filled monthly sheets into DuckDB: the one path used by the upload page, the CLI and the demo.

For each file: check the package (:mod:`loaders.xlsx_package`), read and validate every row
(:mod:`loaders.validate`), and only when there is no error write it (:mod:`store.uploads`):
all of it or nothing, a group of files per transaction, in short turns of the writer's lock
(:class:`store.turns.WriterTurns`: the database stays open from one transaction to the next while
nobody waits, and is let go between two as soon as someone does), so a batch of a thousand files
never keeps readers or other writers out for long. The next group is checked in a thread of its
own while one is written. The result is always an
:class:`IngestResult` (never an exception): accepted or not, the counts, every problem, and for a
re-upload the changes against the current values. ``dry_run=True`` validates and computes the
changes without writing; when the store is locked a dry run still checks every file and only the
comparison is missing. A signed-in account's rights and closed months are checked (also by a dry
run, and again by the store itself when writing); a refused upload is logged in the audit trail.

A sheet for the whole locality (unit ``all``) and unit sheets of the same month get a warning:
for the measures the whole-locality sheet reports, its figures are used instead of the units'.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from loaders.parsed_sheet import Expected, ParsedSheet, SheetIdentity
from loaders.problems import ERROR, WARNING, Problem, listed
from loaders.refusals import refusal
from loaders.validate import validate_package
from loaders.xlsx_package import PackageError, open_package
from plans import clock
from plans.catalog import load_catalog
from plans.model import Catalog
from plans.periods import Period
from plans.reporting import YES_NO
from plans.text import fmt_value
from plans.vocabulary import ALL_UNITS, MeasureUnit, label
from store.accounts import Account, require_write
from store.backend import Connection
from store.closing import PeriodClosedError, closures
from store.db import connection
from store.errors import DB_ERRORS, StoreError, StoreLockedError, explain
from store.turns import WriterTurns
from store.uploads import (
    CurrentSubmission,
    Key,
    NewSubmission,
    ReportedTask,
    current_reporters_of,
    current_submissions,
    key_of,
    record_rejections,
    save_submissions,
)

log = logging.getLogger("dmst.ingest")
Uploader = str | Account | None
"""The signed-in account (rights checked, its name recorded), or a name typed by the server's operator."""


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
            return (
                f"HỢP LỆ {self.file_name}: {who} – {counts}; chưa so được với phiếu đang dùng "
                f"(cơ sở dữ liệu đang bị khóa)"
            )
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
        old = current.values.get(line.code)
        new = new_values.get(line.code)
        if old != new:
            unit = MeasureUnit.YES_NO if line.entry == YES_NO else line.measure.unit
            out.append(Change("chỉ tiêu", line.code, line.measure.name, old, new, _fmt(old, unit), _fmt(new, unit)))
    new_tasks = {t.task: (t.status, t.percent) for t in parsed.tasks}
    for task in parsed.spec.tasks:
        old_task, new_task = current.tasks.get(task.code, (None, None)), new_tasks.get(task.code, (None, None))
        if old_task != new_task:
            out.append(
                Change(
                    "nhiệm vụ",
                    task.code,
                    task.name,
                    old_task[0],
                    new_task[0],
                    _task_text(*old_task),
                    _task_text(*new_task),
                )
            )
    return out


def _task_text(status: str | None, percent: float | None) -> str:
    if status is None:
        return "(trống)"
    return label(status) if percent is None else f"{label(status)} ({_fmt(percent, '%')})"


def check_file(
    name: str, data: bytes, catalog: Catalog, expected: Expected | None = None, today: dt.date | None = None
) -> tuple[IngestResult, ParsedSheet | None]:
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
        return (
            f"{month} đã có phiếu của {len(units)} đơn vị ({', '.join(units)}). Với các chỉ tiêu phiếu chung "
            f"của cả {plan.kind} có ghi, số của phiếu chung được dùng thay cho số của các đơn vị."
        )
    if not any(unit == ALL_UNITS for unit, _ in others):
        return None
    return (
        f"{month} đã có phiếu chung của cả {plan.kind}. Với các chỉ tiêu phiếu chung có ghi, số của phiếu "
        f"chung được dùng thay cho số của đơn vị này."
    )


Taken = dict[tuple[str, str], list[tuple[str, str]]]
"""(locality, month) → (unit, village) of each sheet a call has taken so far."""


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
        id=-1,
        file_sha256=item.result.sha256,
        village=parsed.identity.village,
        uploaded_at=dt.datetime.min,
        values={v.measure: v.value for v in parsed.values},
        tasks={t.task: (t.status, t.percent) for t in parsed.tasks},
    )


def _new_submission(item: _Valid, user: Uploader, address: str | None) -> NewSubmission:
    ident, parsed = item.parsed.identity, item.parsed
    account = user if isinstance(user, Account) else None
    return NewSubmission(
        locality_id=ident.locality_id,
        unit_code=ident.unit_code,
        village=ident.village,
        period=ident.period,
        file_name=item.result.file_name,
        file_sha256=item.result.sha256,
        content=item.data,
        uploaded_by=account.username if account else user,
        uploaded_at=item.uploaded_at or clock.now(),
        template_version=ident.template_version,
        is_sample=ident.is_sample,
        n_blank=len(parsed.blank),
        values=parsed.values,
        tasks=[ReportedTask(t.task, t.status, t.percent, t.evidence, t.sheet_row) for t in parsed.tasks],
        account=account,
        address=address,
        changes=[{"kind": c.kind, "code": c.code, "before": c.old, "after": c.new} for c in item.result.changes],
    )


def _allowed(con: Connection, items: list[_Valid], user: Uploader, catalog: Catalog) -> list[_Valid]:
    """The items the account may write, of open months; the others are refused (an error of the
    file). One query for the months of the whole group."""
    account = user if isinstance(user, Account) else None
    months = {
        id(item): (
            item.parsed.identity.locality_id,
            item.parsed.identity.period,
            (item.uploaded_at or clock.now()).date(),
        )
        for item in items
    }
    closed = closures(con, list(months.values()))
    allowed = []
    for item in items:
        try:
            require_write(account, item.parsed.identity.locality_id)
        except StoreError as err:
            _refuse(item, err, account, catalog)
            continue
        if months[id(item)] in closed:
            _refuse(item, PeriodClosedError(closed[months[id(item)]].message()), account, catalog)
            continue
        allowed.append(item)
    return allowed


def _refuse(item: _Valid, err: StoreError, account: Account | None, catalog: Catalog) -> None:
    """A sheet the account may not write or whose month is closed: an error of the file, in names and
    with its reason (:func:`loaders.refusals.refusal`; no server details for a signed-in account)."""
    item.result.found.append(refusal(err, item.result.file_name, account, item.parsed.identity.locality_id, catalog))
    item.result.accepted = False


def _write_group(
    con: Connection,
    items: list[_Valid],
    user: Uploader,
    dry_run: bool,
    catalog: Catalog,
    taken: Taken,
    address: str | None = None,
) -> None:
    """Compare a group of valid files with the sheets in use and write the new ones in one transaction.

    Reads what is in use with three queries for the whole group; a later file of the same key is
    compared with (and replaces) the earlier one. ``taken`` holds the sheets already taken in this
    call, by month, for the whole-locality warning (and gets this group's). A sheet the account may not write, or of
    a closed month, is refused. Raises a database error (``store.errors.DB_ERRORS``) with nothing written.
    """
    items = _allowed(con, items, user, catalog)
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
        month = (ident.locality_id, ident.period)
        reporters = months.get(month, []) + taken.get(month, [])
        overlap = _overlap(ident, reporters, catalog)
        if overlap:
            result.found.append(Problem(result.file_name, None, None, None, overlap, WARNING))
        result.accepted = True
        taken.setdefault(month, []).append((ident.unit_code, ident.village))
        if not dry_run:
            to_write.append(item)
            current[item.key] = _as_current(item)
    written = save_submissions(con, [_new_submission(item, user, address) for item in to_write]) if to_write else []
    by_sha = {}
    for item, (new_id, replaced) in zip(to_write, written):
        item.result.submission_id, item.result.replaced_id = new_id, replaced
        by_sha[item.result.sha256] = new_id
    for item in items:
        if item.result.duplicate and item.result.submission_id is None:
            item.result.submission_id = by_sha.get(item.result.sha256)


def _store_failure(result: IngestResult, err: Exception, dry_run: bool, user: Uploader) -> IngestResult:
    """A valid file the store could not take: an error, except for a dry run on a locked store (the file
    itself is valid; only the comparison with the sheet in use is missing). A signed-in account (the
    app) gets the message without server paths; the command line's operator gets the file named."""
    locked = isinstance(err, StoreLockedError)
    text = err.public if isinstance(err, StoreError) and isinstance(user, Account) else str(err)
    result.submission_id = result.replaced_id = None
    result.store_locked, result.dry_run = locked, dry_run
    if locked and dry_run:
        message = f"Chưa so được với phiếu đang dùng: {text}"
        result.found.append(Problem(result.file_name, None, None, None, message, WARNING))
        result.accepted, result.changes = True, []
        return result
    message = text if isinstance(err, StoreError) else f"Lỗi khi ghi vào cơ sở dữ liệu, không ghi gì: {explain(err)}"
    result.found.append(Problem(result.file_name, None, None, None, message, ERROR))
    result.accepted = False
    return result


GROUP_FILES = 50
"""Files checked, then written, together (the command line prints them once they are committed):
in one transaction while nobody else waits for the database (a city-month, 1,140 sheets, in 23
transactions), else ``BUSY_FILES`` per transaction, so that whoever waits (a page, another writer)
gets the turn after a short one (:mod:`store.turns`)."""
BUSY_FILES = 10


def _groups(files: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    group: list[tuple] = []
    for item in files:
        group.append(item)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group


def _check_group(
    group: list[tuple], catalog: Catalog, expected: Expected | None, today: dt.date | None
) -> tuple[list[IngestResult], list[_Valid]]:
    """Every file of a group checked: (all results, the valid files)."""
    done, valid = [], []
    for name, data, *when in group:
        result, parsed = check_file(name, data, catalog, expected, today)
        done.append(result)
        if parsed is not None:
            valid.append(_Valid(result, parsed, data, when[0] if when else None))
    return done, valid


def _checked(
    files: Iterable[tuple], catalog: Catalog, expected: Expected | None, today: dt.date | None
) -> Iterator[tuple[list[IngestResult], list[_Valid]]]:
    """Each group of ``GROUP_FILES`` files checked, the next group checked in a thread of its own while
    this one is written (the checks are Python, the writes mostly DuckDB: on two cores they overlap)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dmst-check") as pool:
        ahead = None
        for group in _groups(files, GROUP_FILES):
            future = pool.submit(_check_group, group, catalog, expected, today)
            if ahead is not None:
                yield ahead.result()
            ahead = future
        if ahead is not None:
            yield ahead.result()


def _log_rejections(turns: WriterTurns, results: list[IngestResult], user: Uploader, address: str | None) -> None:
    """Put refused uploads in the audit trail (skipped, and logged for the operator, when the store
    itself is what fails)."""
    who = user.username if isinstance(user, Account) else user
    refused = [
        (
            r.file_name,
            r.identity.locality_id if r.identity else None,
            r.identity.period if r.identity else None,
            [p.message for p in r.errors],
        )
        for r in results
    ]
    try:
        with turns.connection() as con:
            record_rejections(con, clock.now(), who, address, refused)
    except (StoreError, *DB_ERRORS, OSError) as err:
        log.warning("%d refused uploads not logged: %s", len(results), explain(err))


def _write_valid(
    turns: WriterTurns | None,
    db_path: Path | str | None,
    valid: list[_Valid],
    user: Uploader,
    catalog: Catalog,
    taken: Taken,
    address: str | None,
) -> None:
    """One group in one transaction, in the batch's writer's turn (a dry run, without ``turns``,
    opens the database to read). When the group's transaction fails, its files are written one by
    one, so only the file at fault is refused. Raises ``StoreLockedError`` when the store cannot be had."""
    dry_run = turns is None
    try:
        with connection(db_path) if turns is None else turns.connection() as con:
            try:
                _write_group(con, valid, user, dry_run, catalog, taken, address)
            except DB_ERRORS:
                for item in valid:
                    try:
                        _write_group(con, [item], user, dry_run, catalog, taken, address)
                    except DB_ERRORS as err:
                        _store_failure(item.result, err, dry_run, user)
            if turns is not None:
                turns.wrote(
                    item.parsed.identity.locality_id
                    for item in valid
                    if item.result.submission_id is not None and not item.result.duplicate
                )
    except StoreLockedError:
        raise
    except (StoreError, *DB_ERRORS, OSError) as err:
        for item in valid:
            _store_failure(item.result, err, dry_run, user)


def ingest_files(
    db_path: Path | str | None,
    files: Iterable[tuple],
    user: Uploader = None,
    expected: Expected | None = None,
    dry_run: bool = False,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
    store_error: StoreLockedError | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    address: str | None = None,
) -> list[IngestResult]:
    """Ingest several files; results in input order.

    Files are checked, then written ``GROUP_FILES`` at a time in one transaction each, in short
    turns of the writer's lock (:class:`store.turns.WriterTurns`): every file is all or nothing.
    ``files`` yields ``(name, bytes)``, or ``(name, bytes, uploaded_at)`` to record another upload
    time than now (sample data). ``expected`` is what the office chose on upload (:class:`Expected`;
    its ``None`` parts are not checked). ``user`` is the signed-in :class:`Account` (rights checked,
    its name recorded) or a name typed by the server's operator; ``address`` is where the upload
    came from (audit trail). ``store_error`` is a lock already met (when preparing the store):
    files are still checked, and the valid ones report the lock without waiting for it again.
    ``on_result`` is called with each file's result as soon as its group is committed (or refused).
    """
    catalog = catalog or load_catalog()
    results: list[IngestResult] = []
    taken: Taken = {}
    failure: StoreLockedError | None = store_error
    with WriterTurns(db_path) as turns:
        for done, valid in _checked(files, catalog, expected, today):
            while valid and failure is None:
                size = len(valid) if dry_run or turns.quiet() else BUSY_FILES
                try:
                    _write_valid(None if dry_run else turns, db_path, valid[:size], user, catalog, taken, address)
                    valid = valid[size:]
                except StoreLockedError as err:
                    failure = err
            if valid and failure is not None:
                for item in valid:
                    if not item.result.accepted and not item.result.errors:
                        _store_failure(item.result, failure, dry_run, user)
            refused = [r for r in done if not r.accepted and not r.store_locked]
            if refused and not dry_run and failure is None:
                _log_rejections(turns, refused, user, address)
            results.extend(done)
            if on_result is not None:
                for result in done:
                    on_result(result)
    return results
