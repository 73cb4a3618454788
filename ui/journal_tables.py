"""The audit trail as a display table (names stay plain text: a table cell never renders markdown)."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from plans.model import Catalog
from plans.periods import Period
from plans.text import fmt_datetime
from store.audit import ACTION_LABELS, Entry

JOURNAL_COLUMNS = ["Thời điểm", "Người thực hiện", "Từ địa chỉ", "Việc", "Địa phương", "Tháng", "Nội dung"]


def journal_table(entries: Sequence[Entry], catalog: Catalog) -> pd.DataFrame:
    """One row per audit entry, newest first."""
    def place(locality_id: str | None) -> str:
        return catalog.plans[locality_id].name if locality_id in catalog.plans else (locality_id or "—")

    return pd.DataFrame([{
        "Thời điểm": fmt_datetime(e.at),
        "Người thực hiện": e.actor or "—",
        "Từ địa chỉ": e.address or "—",
        "Việc": ACTION_LABELS.get(e.action, e.action),
        "Địa phương": place(e.locality_id),
        "Tháng": Period.parse(e.period).label if e.period else "—",
        "Nội dung": e.summary,
    } for e in entries], columns=JOURNAL_COLUMNS)
