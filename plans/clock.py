"""The office's clock: Vietnam time (UTC+7), whatever the server's timezone.

Upload times, "today" for deadlines and the on-time rule for monthly sheets are all read in
Asia/Ho_Chi_Minh, so a sheet sent at 06:30 on the 6th in Hải Phòng is late even on a server
that runs on UTC. Stored timestamps are naive local (Vietnam) times.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> dt.datetime:
    """The current Vietnam time, as a naive datetime (how the store records upload times)."""
    return dt.datetime.now(VIETNAM).replace(tzinfo=None)


def today() -> dt.date:
    """Today's date in Vietnam."""
    return now().date()
