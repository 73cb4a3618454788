"""The audit trail as a display table, and the journal page's filters (names stay plain text: a
table cell never renders markdown).

A person reads names, not codes: the locality's name, the unit's name in a submission's line (the
store writes its code), the first reason of a refused file; an entry written without an address
(before addresses were kept) reads "không ghi"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pandas as pd

from plans.model import Catalog
from plans.periods import Period
from plans.reporting import ALL_UNITS_NAME
from plans.text import fmt_datetime
from plans.vocabulary import ALL_UNITS
from store.audit import ACTION_LABELS, LOGIN_OK, LOGOUT, REJECTED, REPLACED, SUBMITTED, Entry, Search

JOURNAL_COLUMNS = ["Thời điểm", "Người thực hiện", "Từ địa chỉ", "Việc", "Địa phương", "Tháng", "Nội dung"]
ROUTINE = (LOGIN_OK, LOGOUT)
"""Kinds of entry not shown unless asked for: they would fill the journal (failed sign-ins are shown)."""
# "Phiếu số 12: vhxh – Thôn Đông, Tháng 06/2026" (store/uploads.py): the unit's code after the numbers
_SHEET_LINE = re.compile(r"^(Phiếu số \d+(?: thay phiếu số \d+)?: )([a-z0-9_]+)(\b.*)$", re.DOTALL)


def search(
    actions: Sequence[str],
    actors: Sequence[str],
    localities: Sequence[str],
    days: Sequence[dt.date],
    routine: bool = False,
) -> Search:
    """The filters chosen on the page as a store search: the kinds chosen (none: every kind, without
    :data:`ROUTINE` ones unless ``routine``), accounts, localities, and ``days`` (none, a first day, or
    first and last)."""
    if not actions and not routine:
        actions = [action for action in ACTION_LABELS if action not in ROUTINE]
    first = days[0] if days else None
    last = days[1] if len(days) > 1 else first
    return Search(
        tuple(actions),
        tuple(actors),
        tuple(localities),
        dt.datetime.combine(first, dt.time()) if first else None,
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time()) if last else None,
    )


def _content(entry: Entry, catalog: Catalog) -> str:
    """The entry's line with the unit's name instead of its code, and a refused file's first reason."""
    text = entry.summary
    plan = catalog.plans.get(entry.locality_id or "")
    if entry.action in (SUBMITTED, REPLACED) and plan is not None:
        found = _SHEET_LINE.match(text)
        if found:
            unit = ALL_UNITS_NAME if found.group(2) == ALL_UNITS else plan.unit_name(found.group(2))
            text = found.group(1) + unit + found.group(3)
    if entry.action == REJECTED and isinstance(entry.detail, dict) and entry.detail.get("errors"):
        text += f" — {entry.detail['errors'][0]}"
    return text


def journal_table(entries: Sequence[Entry], catalog: Catalog) -> pd.DataFrame:
    """One row per audit entry, newest first."""

    def place(locality_id: str | None) -> str:
        return catalog.plans[locality_id].name if locality_id in catalog.plans else (locality_id or "—")

    return pd.DataFrame(
        [
            {
                "Thời điểm": fmt_datetime(e.at),
                "Người thực hiện": e.actor or "—",
                "Từ địa chỉ": e.address or "không ghi",
                "Việc": ACTION_LABELS.get(e.action, e.action),
                "Địa phương": place(e.locality_id),
                "Tháng": Period.parse(e.period).label if e.period else "—",
                "Nội dung": _content(e, catalog),
            }
            for e in entries
        ],
        columns=JOURNAL_COLUMNS,
    )
