"""Command line: ``python -m scoring catalog --json`` and ``python -m scoring summary``.

Exit status as for the other command lines (:mod:`plans.cli`): 1 for a database that cannot be
read (damaged, missing folder; a read-only file is fine), 2 for a wrong command line (a malformed
``--period`` included), 3 when the database is held by another program.
"""

from __future__ import annotations

import argparse
import json
import sys

from plans import clock
from plans.catalog import load_catalog
from plans.cli import period_arg, run
from plans.deadlines import DEFAULT_DUE_DAY
from plans.exit_codes import EXIT_CODES, EXIT_OK
from plans.periods import Period
from scoring.catalog_export import catalog_dict
from scoring.report import locality_reports
from scoring.summary import summary_dict
from store.db import DB_HELP, db_path, prepare
from store.errors import FAILURES, cli_failure


def due_day(text: str) -> int:
    """``--due-day``: a day of the month, 1–31 (a shorter month ends the limit on its last day)."""
    try:
        day = int(text)
    except ValueError:
        day = 0
    if not 1 <= day <= 31:
        raise argparse.ArgumentTypeError(f"ngày hạn nộp phải là số từ 1 đến 31, không phải {text!r}")
    return day


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scoring", description="Danh mục và chấm điểm.", epilog=EXIT_CODES)
    sub = parser.add_subparsers(dest="command", required=True)
    cat = sub.add_parser("catalog", help="xuất danh mục kế hoạch (dữ liệu mở)")
    cat.add_argument("--json", action="store_true", help="in JSON (mặc định)")
    summ = sub.add_parser("summary", help="tóm tắt điểm KPI, chỉ tiêu, nhiệm vụ, báo cáo của mọi địa phương")
    summ.add_argument("--db", default=None, help=DB_HELP)
    summ.add_argument("--period", type=period_arg, default=None, help="kỳ YYYY-MM (mặc định tháng hiện tại)")
    summ.add_argument(
        "--due-day",
        type=due_day,
        default=DEFAULT_DUE_DAY,
        metavar="N",
        help=f"phiếu tháng M đúng hạn khi nộp đến hết ngày N tháng M+1 (mặc định {DEFAULT_DUE_DAY})",
    )
    summ.add_argument("--json", action="store_true", help="in JSON (mặc định)")
    return parser


def _command(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    if args.command == "catalog":
        payload = catalog_dict(catalog)
    else:
        period = args.period or Period.of(clock.today())
        db = prepare(args.db or db_path(), catalog)
        payload = summary_dict(locality_reports(db, catalog, period, due_day=args.due_day), period)
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=1, allow_nan=False)
    sys.stdout.write("\n")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    return run(_parser(), _command, argv, failures=FAILURES, on_failure=cli_failure)


if __name__ == "__main__":
    sys.exit(main())
