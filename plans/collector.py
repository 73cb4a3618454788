"""Python's cyclic garbage collector, paused while many acyclic objects are made at once.

Loading the catalog of thousands of plans and scoring every locality of the country create
millions of small objects (dataclasses, rows, dicts) that hold no reference cycles; the collector
would walk the growing heap again and again meanwhile, for nothing (a third to a half of the time).
Objects are still freed by reference counting while it is paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for the block (left as it was found afterwards)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
