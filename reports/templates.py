"""A locality's report template: read, replace (only a template that passes every check) and reset.

The page "Báo cáo" and ``python -m reports template`` call these same functions. The account's
right is checked by the store (``store.report_templates``), in the write transaction that also
journals the change.
"""

from __future__ import annotations

from pathlib import Path

from plans import clock
from reports.template import default_template
from reports.template_check import TemplateProblem, check_template
from store.accounts import Account
from store.db import connection, writing
from store.report_templates import current_template, require_template_right, save_template


def template_of(db: Path | str, locality_id: str) -> tuple[bytes, bool]:
    """(the template a report of ``locality_id`` uses, True when it is the locality's own)."""
    with connection(db) as con:
        own = current_template(con, locality_id)
    return (own, True) if own is not None else (default_template(), False)


def set_template(
    db: Path | str, account: Account, locality_id: str, content: bytes, file_name: str, address: str | None = None
) -> None:
    """Make ``content`` the template of ``locality_id``: refused (``TemplateProblem``) unless it passes
    ``template_check.check_template``, and (``RightsError``) unless ``account`` may change it."""
    require_template_right(account, locality_id)
    problems = check_template(content)
    if problems:
        raise TemplateProblem(problems)
    with writing(db) as con:
        save_template(con, account, locality_id, content, file_name, clock.now(), address)


def reset_template(db: Path | str, account: Account, locality_id: str, address: str | None = None) -> None:
    """Back to the default template for ``locality_id`` (the former ones stay in the store)."""
    with writing(db) as con:
        save_template(con, account, locality_id, None, "mặc định", clock.now(), address)
