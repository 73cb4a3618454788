"""Take filled monthly sheets into DuckDB: the one path used by the upload page, the CLI and the demo.

For each file: check the package (:mod:`loaders.xlsx_package`), read and validate every row
(:mod:`loaders.validate`), and only when there is no error write it in one transaction
(:mod:`store.uploads`). The result is always an :class:`IngestResult` (never an exception):
accepted or not, the counts, every problem, and for a re-upload the changes against the
current values. ``dry_run=True`` validates and computes the changes without writing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from loaders import clock
from loaders.catalog import Catalog, load_catalog
from loaders.periods import Period
from loaders.problems import ERROR, Problem
from loaders.sheet_spec import YES_NO
from loaders.validate import Expected, ParsedSheet, SheetIdentity, validate_package
from loaders.xlsx_package import PackageError, open_package
from store.db import StoreLockedError, connection
from store.uploads import CurrentSubmission, NewSubmission, current_submission, save_submission


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
    problems: list[Problem] = field(default_factory=list)
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
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def summary(self) -> str:
        """One Vietnamese line: accepted (with counts) or rejected."""
        if not self.accepted:
            return f"TỪ CHỐI {self.file_name}: {len(self.errors)} lỗi, không ghi gì vào cơ sở dữ liệu"
        who = self._who()
        if self.duplicate:
            return f"ĐÃ CÓ {self.file_name}: {who} – tệp này đã được nạp (phiếu số {self.submission_id}), không ghi lại"
        counts = f"{self.n_values} chỉ tiêu có số liệu, {self.n_blank} để trống, {self.n_tasks} nhiệm vụ"
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
    if unit == "yes/no":
        return "Có" if value >= 1 else "Không"
    text = f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{text}%" if unit == "%" else text


def _changes(parsed: ParsedSheet, current: CurrentSubmission | None) -> list[Change]:
    if current is None:
        return []
    out = []
    new_values = {v.measure: v.value for v in parsed.values}
    for line in parsed.spec.lines:
        old = current.values.get(line.code, (None,))[0]
        new = new_values.get(line.code)
        if old != new:
            unit = "yes/no" if line.entry == YES_NO else line.measure.unit
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
    return status if percent is None else f"{status} ({_fmt(percent, '%')})"


def check_file(name: str, data: bytes, catalog: Catalog, expected: Expected | None = None,
               today: dt.date | None = None) -> tuple[IngestResult, ParsedSheet | None]:
    """Everything but the database: package safety, reading, validation."""
    result = IngestResult(file_name=name, accepted=False, sha256=hashlib.sha256(data).hexdigest())
    try:
        package = open_package(data)
    except PackageError as err:
        result.problems.append(Problem(name, None, None, None, str(err), ERROR))
        return result, None
    parsed, problems = validate_package(name, package, catalog, expected, today)
    result.problems.extend(problems)
    if parsed is not None:
        result.identity = parsed.identity
        result.unit_name, result.locality_name = parsed.spec.unit_name, parsed.spec.locality_name
        result.n_values, result.n_blank, result.n_tasks = len(parsed.values), len(parsed.blank), len(parsed.tasks)
    return result, parsed


def _write(con: duckdb.DuckDBPyConnection, result: IngestResult, parsed: ParsedSheet, data: bytes,
           user: str | None, dry_run: bool, uploaded_at: dt.datetime | None) -> IngestResult:
    ident = parsed.identity
    current = current_submission(con, ident.locality_id, ident.unit_code, ident.village, ident.period)
    result.changes = _changes(parsed, current)
    result.dry_run = dry_run
    if current is not None and current.file_sha256 == result.sha256:
        result.accepted, result.duplicate, result.submission_id = True, True, current.id
        result.changes = []
        return result
    if dry_run:
        result.accepted = True
        return result
    new = NewSubmission(
        locality_id=ident.locality_id, unit_code=ident.unit_code, village=ident.village, period=ident.period,
        file_name=result.file_name, file_sha256=result.sha256, content=data, uploaded_by=user,
        uploaded_at=uploaded_at or clock.now(), template_version=ident.template_version,
        is_sample=ident.is_sample, n_blank=len(parsed.blank),
        values=[(v.measure, v.value, v.numerator, v.denominator, v.evidence, v.note, v.sheet_row)
                for v in parsed.values],
        tasks=[(t.task, t.status, t.percent, t.evidence, t.sheet_row) for t in parsed.tasks],
    )
    result.submission_id, result.replaced_id = save_submission(con, new)
    result.accepted = True
    return result


def _store_failure(result: IngestResult, err: Exception) -> IngestResult:
    locked = isinstance(err, StoreLockedError)
    message = str(err) if locked else f"Lỗi khi ghi vào cơ sở dữ liệu, không ghi gì: {err}"
    result.problems.append(Problem(result.file_name, None, None, None, message, ERROR))
    result.accepted, result.store_locked = False, locked
    result.submission_id = result.replaced_id = None
    return result


def ingest_files(db_path: Path | str | None, files: Iterable[tuple], user: str | None = None,
                 expected: Expected | tuple | None = None, dry_run: bool = False, catalog: Catalog | None = None,
                 today: dt.date | None = None, uploaded_at: dt.datetime | None = None) -> list[IngestResult]:
    """Ingest several files (one transaction each), opening the database once for the batch.

    ``files`` yields ``(name, bytes)``, or ``(name, bytes, uploaded_at)`` to record another
    upload time than now (sample data).
    ``expected`` is what the office chose on upload, as an :class:`Expected` or a tuple
    ``(locality_id, unit_code, period)`` whose ``None`` parts are not checked.
    """
    catalog = catalog or load_catalog()
    wanted = Expected(*expected) if isinstance(expected, tuple) else expected
    results = []
    con: duckdb.DuckDBPyConnection | None = None
    failure: Exception | None = None
    with ExitStack() as stack:
        for name, data, *when in files:
            result, parsed = check_file(name, data, catalog, wanted, today)
            if parsed is None:
                results.append(result)
                continue
            if failure is not None:
                results.append(_store_failure(result, failure))
                continue
            try:
                if con is None:
                    con = stack.enter_context(connection(db_path))
                results.append(_write(con, result, parsed, data, user, dry_run, when[0] if when else uploaded_at))
            except StoreLockedError as err:
                failure = err
                results.append(_store_failure(result, err))
            except duckdb.Error as err:
                results.append(_store_failure(result, err))
    return results


def ingest_file(db_path: Path | str | None, name: str, data: bytes, user: str | None = None,
                expected: Expected | tuple | None = None, dry_run: bool = False, catalog: Catalog | None = None,
                today: dt.date | None = None) -> IngestResult:
    """Ingest one uploaded file (the upload page's call); never raises for a bad file or a locked store."""
    return ingest_files(db_path, [(name, data)], user, expected, dry_run, catalog, today)[0]
