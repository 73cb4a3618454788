"""Command line: ``python -m reports build --locality ID|all --period YYYY-MM [--kind …] --out FILE.docx
[--xlsx FILE.xlsx] [--db PATH]``.

Exit status as for ``python -m loaders`` and ``python -m scoring`` (:mod:`plans.exit_codes`):
0 written; 1 invalid request (unknown locality, bad period); 2 wrong command line; 3 the
database is held by another program.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plans.catalog import load_catalog
from plans.exit_codes import EXIT_CODES, EXIT_OK, EXIT_REJECTED
from plans.periods import Period
from reports.build import ReportRequestError, build
from reports.kinds import KIND_LABELS, KINDS
from store.db import db_path, prepare
from store.errors import FAILURES, cli_failure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports", description="Báo cáo 6 tháng, năm, sơ kết, tổng kết.",
                                     epilog=EXIT_CODES)
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("build", help="lập báo cáo .docx (và phụ lục .xlsx) của một địa phương hoặc cả thành phố")
    cmd.add_argument("--locality", required=True, help="mã địa phương (ví dụ tan_an) hoặc all (so sánh cả thành phố)")
    cmd.add_argument("--period", required=True, help="tháng báo cáo YYYY-MM")
    cmd.add_argument("--kind", choices=KINDS, default=None,
                     help="loại báo cáo: " + "; ".join(f"{k} = {v}" for k, v in KIND_LABELS.items())
                     + " (mặc định: tháng 6 → 6thang, tháng 12 → nam, tháng khác → thang)")
    cmd.add_argument("--out", required=True, help="tệp .docx ghi ra")
    cmd.add_argument("--xlsx", default=None, help="tệp .xlsx phụ lục (không bắt buộc)")
    cmd.add_argument("--db", default=None, help="tệp DuckDB (mặc định $DMST_DB hoặc data/dmst.duckdb)")
    args = parser.parse_args(argv)
    try:
        period = Period.parse(args.period)
    except ValueError as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return EXIT_REJECTED
    catalog = load_catalog()
    try:
        db = prepare(args.db or db_path(), catalog)
        built = build(db, catalog, args.locality, period, args.kind)
    except ReportRequestError as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return EXIT_REJECTED
    except FAILURES as err:
        return cli_failure(err)
    Path(args.out).write_bytes(built.docx)
    written = [args.out]
    if args.xlsx:
        Path(args.xlsx).write_bytes(built.xlsx)
        written.append(args.xlsx)
    print(f"Đã lập {built.content.title_line}: {', '.join(written)}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
