"""Counts of failed sign-ins, per (user name, client address) and per address (``login_throttle``).

After ``FREE_ATTEMPTS`` failures for a name from one address, that address must wait ``BASE_WAIT``
seconds, doubled at each further failure (at most ``MAX_WAIT``); after ``ADDRESS_FREE_ATTEMPTS``
failures from one address, whatever the names, it waits the same way (at most ``ADDRESS_MAX_WAIT``).
While the store cannot be written, counts are kept in this process (:data:`MEMORY`).
"""

from __future__ import annotations

import datetime as dt
import threading

from store.backend import Connection

FREE_ATTEMPTS, ADDRESS_FREE_ATTEMPTS = 5, 50
BASE_WAIT, MAX_WAIT, ADDRESS_MAX_WAIT = 30, 3600, 900
_SEP = "\x1f"
MEMORY: dict[str, tuple[int, dt.datetime]] = {}
WAITING_UNTIL: dict[str, dt.datetime] = {}
LOCK = threading.Lock()


def wait_after(failures: int, free: int = FREE_ATTEMPTS, longest: int = MAX_WAIT) -> int:
    """Seconds to wait after ``failures`` failed attempts: none for the first ``free``, then 30, 60, 120…"""
    if failures < free:
        return 0
    return min(longest, BASE_WAIT * 2 ** (failures - free))


def name_key(username: str, address: str | None) -> str:
    """The count of one name from one address."""
    return f"u{_SEP}{username}{_SEP}{address or ''}"


def address_key(address: str | None) -> str:
    """The count of one address, whatever the names."""
    return f"a{_SEP}{address or ''}"


def waiting(counts: dict[str, tuple[int, dt.datetime]], username: str, address: str | None, now: dt.datetime) -> int:
    """Seconds an attempt for ``username`` from ``address`` must still wait, given the two keys' counts."""
    waits = []
    for key, free, longest in (
        (name_key(username, address), FREE_ATTEMPTS, MAX_WAIT),
        (address_key(address), ADDRESS_FREE_ATTEMPTS, ADDRESS_MAX_WAIT),
    ):
        if key in counts:
            failures, last = counts[key]
            until = last + dt.timedelta(seconds=wait_after(failures, free, longest))
            waits.append(int((until - now).total_seconds() + 0.999))
    return max([0, *waits])


def known_wait(username: str, address: str | None, now: dt.datetime) -> int:
    """Seconds this process already knows an attempt must wait (no store read): while an address must
    wait, a flood of attempts from it costs nothing but this look-up."""
    with LOCK:
        until = max(
            (WAITING_UNTIL.get(key, now) for key in (name_key(username, address), address_key(address))), default=now
        )
    return max(0, int((until - now).total_seconds() + 0.999))


def must_wait(username: str, address: str | None, now: dt.datetime, seconds: int) -> None:
    """Remember that attempts for ``username`` from ``address`` must wait ``seconds`` from ``now``."""
    with LOCK:
        WAITING_UNTIL[name_key(username, address)] = now + dt.timedelta(seconds=seconds)


def forget(con: Connection, username: str) -> None:
    """Clear a name's counts from every address (its password was just set again)."""
    prefix = f"u{_SEP}{username}{_SEP}"
    con.execute("DELETE FROM login_throttle WHERE starts_with(key, ?)", [prefix])
    with LOCK:
        for key in [k for k in (*MEMORY, *WAITING_UNTIL) if k.startswith(prefix)]:
            MEMORY.pop(key, None)
            WAITING_UNTIL.pop(key, None)
