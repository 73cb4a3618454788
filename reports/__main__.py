"""Command line: reports and their Word templates.

``python -m reports build --locality ID|all --period YYYY-MM [--kind …] --out FILE.docx [--xlsx FILE.xlsx]``
``python -m reports template check FILE.docx``
``python -m reports template set --locality ID|all --user U FILE.docx``
``python -m reports template reset --locality ID|all --user U``
``python -m reports template get --locality ID|all --out FILE.docx``

Exit status as for the other command lines (:mod:`plans.cli`): 0 done (a template check:
usable); 1 refused (unknown locality, a month no report is made for, a template that may not be
used, an account without the right); 2 wrong command line (a malformed ``--period`` included); 3
the database is held by another program. ``--user`` names an existing, enabled account of the software whose rights
cover the change (an office for its locality, an admin for any and for ``all``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plans.catalog import load_catalog
from plans.cli import period_arg, run
from plans.exit_codes import EXIT_CODES, EXIT_OK
from plans.model import Catalog
from reports.build import CITY, ReportRequestError, build
from reports.kinds import KIND_LABELS, KINDS
from reports.template_check import TemplateProblem, check_template
from reports.templates import reset_template, set_template, template_of
from store.accounts import acting_account
from store.db import DB_HELP, connection, db_path, prepare
from store.errors import FAILURES, cli_failure

ADDRESS = "máy chủ (dòng lệnh)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reports",
        description="Báo cáo 6 tháng, năm, sơ kết, tổng kết và mẫu báo cáo (Word).",
        epilog=EXIT_CODES,
    )
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", default=argparse.SUPPRESS, help=DB_HELP)
    parser.add_argument("--db", default=None, help=DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser(
        "build", parents=[db], help="lập báo cáo .docx (và phụ lục .xlsx) của một địa phương hoặc cả thành phố"
    )
    cmd.add_argument("--locality", required=True, help="mã địa phương (ví dụ tan_an) hoặc all (so sánh cả thành phố)")
    cmd.add_argument("--period", required=True, type=period_arg, help="tháng báo cáo YYYY-MM")
    cmd.add_argument(
        "--kind",
        choices=KINDS,
        default=None,
        help="loại báo cáo: "
        + "; ".join(f"{k} = {v}" for k, v in KIND_LABELS.items())
        + " (mặc định: tháng 6 → 6thang, tháng 12 → nam, tháng khác → thang)",
    )
    cmd.add_argument("--out", required=True, help="tệp .docx ghi ra")
    cmd.add_argument("--xlsx", default=None, help="tệp .xlsx phụ lục (không bắt buộc)")
    template = sub.add_parser("template", help="mẫu báo cáo Word của một địa phương")
    actions = template.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="kiểm tra một mẫu (mã thoát 0: dùng được; 1: không, kèm lý do)")
    check.add_argument("file", type=Path)
    put = actions.add_parser("set", parents=[db], help="dùng mẫu này cho địa phương (chỉ nhận mẫu qua được kiểm tra)")
    reset = actions.add_parser("reset", parents=[db], help="dùng lại mẫu mặc định cho địa phương")
    get = actions.add_parser("get", parents=[db], help="lấy mẫu đang dùng của địa phương")
    for action in (put, reset, get):
        action.add_argument("--locality", required=True, help="mã địa phương, hoặc all (báo cáo cả thành phố)")
    for action in (put, reset):
        action.add_argument("--user", required=True, help="tài khoản thực hiện (office của địa phương hoặc admin)")
    put.add_argument("file", type=Path)
    get.add_argument("--out", required=True, type=Path, help="tệp .docx ghi ra")
    return parser


def _locality(catalog: Catalog, locality: str) -> None:
    if locality != CITY and locality not in catalog.plans:
        raise ReportRequestError(f"không có địa phương {locality!r}; dùng mã trong data/plans/ hoặc {CITY!r}")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise ReportRequestError(f"không đọc được tệp {path}: {err.strerror or err}") from err


def _build(args: argparse.Namespace, db: Path, catalog: Catalog) -> int:
    built = build(db, catalog, args.locality, args.period, args.kind)
    Path(args.out).write_bytes(built.docx)
    written = [args.out]
    if args.xlsx:
        Path(args.xlsx).write_bytes(built.xlsx)
        written.append(args.xlsx)
    print(f"Đã lập {built.content.title_line}: {', '.join(written)}")
    return EXIT_OK


def _template(args: argparse.Namespace, db: Path, catalog: Catalog) -> int:
    if args.action == "check":
        problems = check_template(_read(args.file))
        if problems:
            raise TemplateProblem(problems)
        print(f"Mẫu {args.file} dùng được: đã lập thử một báo cáo với mẫu này.")
        return EXIT_OK
    _locality(catalog, args.locality)
    if args.action == "get":
        content, own = template_of(db, args.locality)
        args.out.write_bytes(content)
        print(f"Đã ghi mẫu {'riêng' if own else 'mặc định'} của {args.locality} vào {args.out}.")
        return EXIT_OK
    with connection(db) as con:
        account = acting_account(con, args.user)
    if args.action == "set":
        set_template(db, account, args.locality, _read(args.file), args.file.name, ADDRESS)
        print(f"Đã dùng mẫu {args.file.name} cho {args.locality} ({account.username}).")
    else:
        reset_template(db, account, args.locality, ADDRESS)
        print(f"Đã dùng lại mẫu mặc định cho {args.locality} ({account.username}).")
    return EXIT_OK


def _command(args: argparse.Namespace) -> int:
    if args.command == "template" and args.action == "check":
        return _template(args, Path(), load_catalog())
    catalog = load_catalog()
    db = prepare(args.db or db_path(), catalog)
    return (_build if args.command == "build" else _template)(args, db, catalog)


def main(argv: list[str] | None = None) -> int:
    return run(
        _parser(),
        _command,
        argv,
        refused=(ReportRequestError, TemplateProblem),
        failures=FAILURES,
        on_failure=cli_failure,
    )


if __name__ == "__main__":
    sys.exit(main())
