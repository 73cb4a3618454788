"""A store as schema 7 left it, for the migration tests, made from a store of today: the rules that
schema 8 added (the constraints named in ``RULES_OF_8``, in store/schema.sql) taken away again and
the version set back to "7". No copy of the old schema is kept: it is today's text without them."""

from __future__ import annotations

import re

from store.backend import transaction
from store.db import SCHEMA_FILE, Target, connection
from store.schema_rules import apply

RULES_OF_8 = (
    "upload_files_size",
    "submissions_period",
    "submissions_replaces_earlier",
    "submissions_counts",
    "submission_values_key",
    "submission_values_not_negative",
    "submission_values_ratio",
    "task_updates_key",
    "task_updates_status",
    "task_updates_percent",
    "measure_months_key",
    "measure_months_period",
    "latest_values_key",
    "latest_tasks_key",
    "measure_month_versions_key",
    "measure_month_versions_through",
    "users_admin_everywhere",
    "sessions_end_reason",
    "login_throttle_failures",
    "period_locks_period",
    "period_locks_reopen_reason",
    "audit_log_action",
    "audit_log_period",
)


def _without(text: str, name: str) -> str:
    """The schema without one named constraint (its clause, the comma and comments before it)."""
    start = re.search(rf",(\s*--[^\n]*)*\s*CONSTRAINT {name} ", text)
    assert start, f"no constraint {name} in store/schema.sql"
    depth, i = 0, text.index("(", start.end())
    while True:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
        if depth == 0:
            return text[: start.start()] + text[i:]


def schema_7_text() -> str:
    """store/schema.sql without the rules of schema 8."""
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    for name in RULES_OF_8:
        text = _without(text, name)
    assert not re.search(r"^\s*CONSTRAINT \w+", text, re.M), "store/schema.sql has a rule not listed here"
    return text


def make_schema_7(target: Target) -> None:
    """Take the rules of schema 8 away from a store (its rows kept) and mark it as schema 7."""
    with connection(target) as con, transaction(con):
        apply(con, schema_7_text(), "7")
        con.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
        con.execute("UPDATE meta SET value = 'schema 7' WHERE key = 'schema_sha256'")
