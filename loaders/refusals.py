"""Why a valid sheet is refused by the store, in words a clerk reads: the account's right (with the
localities' names, not their codes) or the month's lock. Each carries its topic
(:data:`loaders.problems.NO_RIGHT`, :data:`loaders.problems.CLOSED_MONTH`), so that the upload page
gives the fix that follows the reason — not "fix the file" when nothing in the file is wrong."""

from __future__ import annotations

from loaders.problems import CLOSED_MONTH, ERROR, NO_RIGHT, Problem
from plans.model import Catalog
from store.accounts import VIEWER, Account, RightsError
from store.closing import PeriodClosedError
from store.errors import StoreError


def _name(catalog: Catalog, locality_id: str | None) -> str:
    return catalog.plans[locality_id].name if locality_id in catalog.plans else str(locality_id)


def right_text(account: Account, locality_id: str, catalog: Catalog) -> str:
    """``Tài khoản lan chỉ được nạp phiếu cho Xã Tân An; phiếu này là của Phường Hưng Đạo.``"""
    if account.role == VIEWER:
        return f"Tài khoản {account.username} chỉ được xem, không được nạp phiếu."
    return (
        f"Tài khoản {account.username} chỉ được nạp phiếu cho {_name(catalog, account.locality_id)}; "
        f"phiếu này là của {_name(catalog, locality_id)}."
    )


def refusal(err: StoreError, file_name: str, user: object, locality_id: str, catalog: Catalog) -> Problem:
    """The error a refused sheet gets (a signed-in account reads no server path)."""
    if isinstance(err, RightsError) and isinstance(user, Account):
        return Problem(file_name, None, None, None, right_text(user, locality_id, catalog), ERROR, NO_RIGHT)
    text = err.public if isinstance(user, Account) else str(err)
    return Problem(file_name, None, None, None, text, ERROR, CLOSED_MONTH if isinstance(err, PeriodClosedError) else "")
