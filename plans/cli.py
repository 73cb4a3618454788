"""One runner for the four command lines (``python -m loaders | store | scoring | reports``): the
same exit status everywhere (:mod:`plans.exit_codes`). A wrong command line, a malformed
``--period`` included, is argparse's message and 2; a refused request is ``Lỗi: …`` on stderr and 1;
a store failure goes to the store's own handler (3 when another program holds the database, else 1)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from plans.exit_codes import EXIT_REJECTED
from plans.periods import Period


def period_arg(text: str) -> Period:
    """argparse ``type=`` for ``--period YYYY-MM``: a month that cannot be read is a usage error (2)."""
    try:
        return Period.parse(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def run(
    parser: argparse.ArgumentParser,
    handler: Callable[[argparse.Namespace], int],
    argv: Sequence[str] | None,
    *,
    refused: tuple[type[Exception], ...] = (),
    failures: tuple[type[Exception], ...],
    on_failure: Callable[[Exception], int],
) -> int:
    """Parse ``argv`` and return ``handler``'s exit status; an exception of ``refused`` is told as it is
    (exit 1), one of ``failures`` (the store's) is given to ``on_failure``. A usage error exits 2 (argparse)."""
    args = parser.parse_args(argv)
    try:
        return handler(args)
    except refused as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return EXIT_REJECTED
    except failures as err:
        return on_failure(err)
