"""Every SQL statement that writes or reads uploaded monthly sheets.

A submission is identified by (locality, unit, village, period); ``village`` is '' except for
village sheets and is matched without regard to case. Uploading the same key again keeps the
earlier submission and its values as history (``is_current = false``) and inserts the new one
with ``replaces`` pointing at it. The original file is kept once per SHA-256: its name and size
in ``upload_files``, its bytes in ``upload_contents`` (read only to download it again). Each write
is one transaction: all of it or nothing, with its audit entries; several sheets may share one (a
batch is written in a few statements instead of ten per sheet). ``current_keys`` (primary key:
the sheet slot) holds the one current submission of each key, so the store itself refuses a
second one (on PostgreSQL a unique index of ``submissions`` says the same). Before writing, the
store checks the uploader's rights (:mod:`store.accounts`) and that each month is open (:mod:`store.closing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from plans.periods import Period
from store import audit
from store.accounts import Account, require_write
from store.backend import Connection, insert_rows, transaction
from store.closing import require_all_open
from store.errors import CONFLICT, ConflictError


class ReportedValue(NamedTuple):
    """One measure a sheet reports: a row of ``submission_values`` without its submission."""

    measure: str
    value: float
    numerator: float | None
    denominator: float | None
    evidence: str | None
    note: str | None
    sheet_row: int


class ReportedTask(NamedTuple):
    """One task a sheet reports: a row of ``task_updates`` without its submission."""

    task_code: str
    status: str
    percent: float | None
    evidence: str | None
    sheet_row: int


@dataclass(frozen=True)
class CurrentSubmission:
    """The current submission of a key: its figures by measure, and (status, percent) by task."""

    id: int
    file_sha256: str
    village: str
    uploaded_at: dt.datetime
    values: dict[str, float | None]
    tasks: dict[str, tuple[str | None, float | None]]


@dataclass(frozen=True)
class NewSubmission:
    """Everything one accepted sheet writes."""

    locality_id: str
    unit_code: str
    village: str
    period: str
    file_name: str
    file_sha256: str
    content: bytes
    uploaded_by: str | None
    uploaded_at: dt.datetime
    template_version: str
    is_sample: bool
    n_blank: int
    values: Sequence[ReportedValue] = field(default_factory=tuple)
    tasks: Sequence[ReportedTask] = field(default_factory=tuple)
    account: Account | None = None  # None: the server's operator (command line, demo)
    address: str | None = None  # where the upload came from, when known
    changes: Sequence[dict] = field(default_factory=tuple)  # before/after of a re-upload, for the audit trail


Key = tuple[str, str, str, str]
"""(locality, unit, village folded to lower case, period): one sheet slot; at most one is current."""


@dataclass
class _SubmissionRow:
    """One new row of ``submissions``: the sheet, its new id, the village spelling the key keeps and the
    submission it replaces."""

    new: NewSubmission
    id: int
    village: str
    replaces: int | None
    is_current: bool = True

    def values(self) -> tuple:
        """The row in the order of ``_SUBMISSION_COLUMNS``."""
        n = self.new
        return (
            *(self.id, n.locality_id, n.unit_code, self.village, n.period, n.file_name, n.file_sha256),
            *(n.uploaded_by, n.uploaded_at, self.replaces, self.is_current, n.is_sample, n.template_version),
            *(len(n.values), n.n_blank, len(n.tasks)),
        )


_SUBMISSION_COLUMNS = (
    "id locality_id unit_code village period file_name file_sha256 uploaded_by uploaded_at replaces is_current "
    "is_sample template_version n_values n_blank n_tasks"
).split()
_UPLOAD_FILE_COLUMNS = ["sha256", "file_name", "size_bytes", "first_uploaded_at"]
_VALUE_COLUMNS = ["submission_id", *ReportedValue._fields]
_TASK_COLUMNS = ["submission_id", *ReportedTask._fields]
_KEY_COLUMNS = ["locality_id", "unit_code", "village_key", "period", "submission_id"]


def _listed(columns: Sequence[str], rows: Sequence[Sequence], types: Sequence[str]) -> tuple[str, dict]:
    """Rows as a subquery of SQL (one list parameter per column, unnested side by side) and its parameters."""
    parts = ", ".join(f"unnest(${name}::{kind}[]) AS {name}" for name, kind in zip(columns, types))
    values = list(zip(*rows)) if rows else [()] * len(columns)
    return f"(SELECT {parts})", {name: list(column) for name, column in zip(columns, values)}


def key_of(locality_id: str, unit_code: str, village: str, period: str) -> Key:
    """The slot of a sheet (the village matched without regard to case)."""
    return locality_id, unit_code, village.lower(), period


class _Current(NamedTuple):
    """The current submission of a key, as ``submissions`` has it."""

    id: int
    locality_id: str
    unit_code: str
    village: str
    period: str
    file_sha256: str
    uploaded_at: dt.datetime

    @property
    def key(self) -> Key:
        return key_of(self.locality_id, self.unit_code, self.village, self.period)


def _current_rows(con: Connection, keys: Sequence[Key]) -> list[_Current]:
    """The current submission of each key that has one, oldest first."""
    if not keys:
        return []
    wanted, params = _listed(["locality_id", "unit_code", "village", "period"], list(dict.fromkeys(keys)), ["text"] * 4)
    found = con.execute(
        "SELECT s.id, s.locality_id, s.unit_code, s.village, s.period, s.file_sha256, s.uploaded_at "
        f"FROM submissions s JOIN {wanted} k ON s.locality_id = k.locality_id AND s.unit_code = k.unit_code "
        "AND lower(s.village) = k.village AND s.period = k.period WHERE s.is_current ORDER BY s.id",
        params,
    ).fetchall()
    return [_Current(*row) for row in found]


def current_submissions(con: Connection, keys: Sequence[Key]) -> dict[Key, CurrentSubmission]:
    """The current submission of each key that has one, with its values and task updates (three queries
    for any number of keys)."""
    rows = _current_rows(con, keys)
    ids = [row.id for row in rows]
    values: dict[int, dict] = {i: {} for i in ids}
    tasks: dict[int, dict] = {i: {} for i in ids}
    if ids:
        # the range lets DuckDB skip the row groups of other submissions (rows are stored in id order)
        wanted = {"ids": ids, "low": min(ids), "high": max(ids)}
        where = "WHERE submission_id BETWEEN $low AND $high AND submission_id IN (SELECT unnest($ids::bigint[]))"
        for sid, m, v in con.execute(
            f"SELECT submission_id, measure, value FROM submission_values {where}", wanted
        ).fetchall():
            values[sid][m] = v
        for sid, t, st, pc in con.execute(
            f"SELECT submission_id, task_code, status, percent FROM task_updates {where}", wanted
        ).fetchall():
            tasks[sid][t] = (st, pc)
    return {
        row.key: CurrentSubmission(row.id, row.file_sha256, row.village, row.uploaded_at, values[row.id], tasks[row.id])
        for row in rows
    }


def current_reporters(con: Connection, locality_id: str, period: str) -> list[tuple[str, str]]:
    """(unit code, village) of every current submission of a locality for a month, oldest first."""
    return current_reporters_of(con, [(locality_id, period)]).get((locality_id, period), [])


def current_reporters_of(
    con: Connection, months: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(locality, period) → (unit code, village) of its current submissions, oldest first (one query)."""
    if not months:
        return {}
    wanted, params = _listed(["locality_id", "period"], list(dict.fromkeys(months)), ["text", "text"])
    rows = con.execute(
        f"SELECT s.locality_id, s.period, s.unit_code, s.village FROM submissions s JOIN {wanted} k "
        "ON s.locality_id = k.locality_id AND s.period = k.period WHERE s.is_current ORDER BY s.id",
        params,
    ).fetchall()
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for loc, period, unit, village in rows:
        out.setdefault((loc, period), []).append((unit, village))
    return out


def _claim_keys(con: Connection, claims: list[tuple[Key, int, int | None]]) -> None:
    """Point each key at its new current submission (key, new id, id it replaced or None): two
    statements for any number. The primary key of ``current_keys`` refuses a second current
    submission for a key, and a key no longer pointing at the submission this writer replaced means
    another writer got there first: either way an error (``ConflictError``), nothing written."""
    insert_rows(
        con, "current_keys", _KEY_COLUMNS, [(*key, new_id) for key, new_id, replaced in claims if replaced is None]
    )
    moved = [(*key, new_id, replaced) for key, new_id, replaced in claims if replaced is not None]
    if not moved:
        return
    changed, params = _listed([*_KEY_COLUMNS, "replaced"], moved, ["text"] * 4 + ["bigint"] * 2)
    done = con.execute(
        f"UPDATE current_keys k SET submission_id = m.submission_id FROM {changed} m "
        "WHERE k.locality_id = m.locality_id AND k.unit_code = m.unit_code AND k.village_key = m.village_key "
        "AND k.period = m.period AND k.submission_id = m.replaced RETURNING k.submission_id",
        params,
    ).fetchall()
    if len(done) != len(moved):
        raise ConflictError(f"{CONFLICT} ({len(moved) - len(done)} phiếu vừa bị một lần ghi khác thay)", CONFLICT)


def save_submissions(con: Connection, news: Sequence[NewSubmission]) -> list[tuple[int, int | None]]:
    """Write several submissions in one transaction, in order, as if one after the other; return
    (new id, id of the submission it replaced) for each. A later sheet of the same key replaces an
    earlier one of the same batch; a replacement keeps the village spelling of the sheet it replaces.
    Each table is written with one statement for the whole batch. The kept monthly and latest rows
    of the localities written are left to the writer's turn (``store.turns``: once when it ends, for
    all the transactions of the turn); until then they are stale, and read from the values.

    Raises ``RightsError`` or ``PeriodClosedError`` (writing nothing) when an account may not write
    for a locality or a month is closed.
    """
    for new in news:
        require_write(new.account, new.locality_id)
    with transaction(con):
        require_all_open(con, [(n.locality_id, n.period, n.uploaded_at.date()) for n in news])
        keys = [key_of(n.locality_id, n.unit_code, n.village, n.period) for n in news]
        current = {row.key: (row.id, row.village) for row in _current_rows(con, keys)}
        stored = set(current.values())
        before = {key: ident for key, (ident, _) in current.items()}
        ids = [
            row[0]
            for row in con.execute(
                "SELECT nextval('submission_id_seq') FROM generate_series(1, ?)", [len(news)]
            ).fetchall()
        ]
        out, superseded, rows = [], [], []
        for new, key, new_id in zip(news, keys, ids):
            old = current.get(key)
            if old in stored:
                superseded.append(old[0])
            village = old[1] if old else new.village
            current[key] = (new_id, village)
            out.append((new_id, old[0] if old else None))
            rows.append(_SubmissionRow(new, new_id, village, old[0] if old else None))
        last = {key: ident for key, (ident, _) in current.items()}
        for row, key in zip(rows, keys):
            row.is_current = last[key] == row.id  # a later sheet of the same key in this batch replaces it
        files = {n.file_sha256: n for n in news}
        insert_rows(
            con,
            "upload_files",
            _UPLOAD_FILE_COLUMNS,
            [(n.file_sha256, n.file_name, len(n.content), n.uploaded_at) for n in files.values()],
            "ON CONFLICT DO NOTHING",
        )
        insert_rows(
            con,
            "upload_contents",
            ["sha256", "content"],
            [(n.file_sha256, n.content) for n in files.values()],
            "ON CONFLICT DO NOTHING",
        )
        if superseded:
            con.execute(
                "UPDATE submissions SET is_current = FALSE WHERE id IN (SELECT unnest($ids::bigint[]))",
                {"ids": superseded},
            )
        insert_rows(con, "submissions", _SUBMISSION_COLUMNS, [row.values() for row in rows])
        insert_rows(
            con,
            "submission_values",
            _VALUE_COLUMNS,
            [(new_id, *row) for new, (new_id, _) in zip(news, out) for row in new.values],
        )
        insert_rows(
            con,
            "task_updates",
            _TASK_COLUMNS,
            [(new_id, *row) for new, (new_id, _) in zip(news, out) for row in new.tasks],
        )
        _claim_keys(con, [(key, last[key], before.get(key)) for key in dict.fromkeys(keys)])
        audit.record_many(con, [_audit_row(new, new_id, replaced) for new, (new_id, replaced) in zip(news, out)])
    return out


def _audit_row(new: NewSubmission, new_id: int, replaced: int | None) -> audit.NewEntry:
    """The audit entry of one written sheet."""
    month = Period.parse(new.period).label
    village = f" – {new.village}" if new.village else ""
    if replaced is None:
        action, summary = audit.SUBMITTED, f"Phiếu số {new_id}: {new.unit_code}{village}, {month}"
    else:
        action = audit.REPLACED
        summary = f"Phiếu số {new_id} thay phiếu số {replaced}: {new.unit_code}{village}, {month}"
    who = new.account.username if new.account else new.uploaded_by
    return audit.NewEntry(
        new.uploaded_at,
        who,
        action,
        summary,
        new.locality_id,
        new.period,
        new.address,
        {
            "submission": new_id,
            "replaces": replaced,
            "file": new.file_name,
            "sha256": new.file_sha256,
            "changes": list(new.changes),
        },
    )


def record_rejections(
    con: Connection,
    at: dt.datetime,
    who: str | None,
    address: str | None,
    refused: Sequence[tuple[str, str | None, str | None, Sequence[str]]],
) -> None:
    """Log refused uploads, each (file name, locality, month, reasons), in one statement (the files
    themselves are not kept)."""
    audit.record_many(
        con,
        [
            audit.NewEntry(
                at,
                who,
                audit.REJECTED,
                f"Từ chối tệp {name}: {len(reasons)} lỗi",
                locality_id,
                period,
                address,
                {"file": name, "errors": list(reasons)[:20]},
            )
            for name, locality_id, period, reasons in refused
        ],
    )


def has_sample_data(con: Connection) -> bool:
    """True when any current submission is sample data (the app then shows "Dữ liệu mẫu")."""
    return bool(con.execute("SELECT count(*) FROM submissions WHERE is_sample AND is_current").fetchone()[0])


def submission_count(con: Connection) -> int:
    """How many submissions (current or not) the store holds."""
    return int(con.execute("SELECT count(*) FROM submissions").fetchone()[0])


def stored_file(con: Connection, sha256: str, locality_id: str | None = None) -> bytes | None:
    """The original bytes of an uploaded file, by SHA-256; with ``locality_id``, only a file sent as a
    sheet of that locality (a hash seen elsewhere gives nothing)."""
    if (
        locality_id is not None
        and not con.execute(
            "SELECT count(*) FROM submissions WHERE file_sha256 = ? AND locality_id = ?", [sha256, locality_id]
        ).fetchone()[0]
    ):
        return None
    row = con.execute("SELECT content FROM upload_contents WHERE sha256 = ?", [sha256]).fetchone()
    return bytes(row[0]) if row else None
