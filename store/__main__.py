"""Command line for the server's operator: ``python -m store users | lock | unlock | audit | backup | restore | copy``.

Exit status as for the other command lines (:mod:`plans.exit_codes`): 0 done, 1 refused (bad
request, missing rights, a damaged copy), 2 wrong command line, 3 database held by another
program or in use by the app. Passwords are read from standard input (``--password-stdin``),
never from the command line, and never printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from plans import clock
from plans.catalog import load_catalog
from plans.cli import period_arg, run
from plans.exit_codes import EXIT_CODES, EXIT_OK, EXIT_REJECTED
from plans.text import fmt_datetime
from store import account_admin, accounts, audit, backup, closing, transfer
from store.db import DB_HELP, connection, db_path, described, locate, prepare, writing, writing_transaction
from store.errors import FAILURES, cli_failure

ADDRESS = "máy chủ (dòng lệnh)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m store", description="Tài khoản, khóa tháng, nhật ký, sao lưu.", epilog=EXIT_CODES
    )
    parser.add_argument("--db", type=locate, default=None, help=DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    users = sub.add_parser("users", help="tài khoản").add_subparsers(dest="action", required=True)
    add = users.add_parser("add", help="tạo tài khoản (mật khẩu đọc từ đầu vào chuẩn)")
    add.add_argument("--username", required=True)
    add.add_argument("--role", required=True, choices=accounts.ROLES)
    add.add_argument("--locality", default="all", help="mã địa phương, hoặc all (mặc định) cho mọi địa phương")
    add.add_argument("--password-stdin", action="store_true", required=True, help="đọc mật khẩu từ đầu vào chuẩn")
    lst = users.add_parser("list", help="liệt kê tài khoản")
    lst.add_argument("--json", action="store_true")
    dis = users.add_parser("disable", help="khóa một tài khoản")
    dis.add_argument("username")
    users.add_parser("enable", help="mở lại một tài khoản đã khóa").add_argument("username")
    users.add_parser("reset", help="đặt mật khẩu dùng một lần (in ra một lần) cho một tài khoản").add_argument(
        "username"
    )
    pwd = users.add_parser("passwd", help="đặt mật khẩu mới (đọc từ đầu vào chuẩn)")
    pwd.add_argument("username")
    pwd.add_argument("--password-stdin", action="store_true", required=True)
    for name, text in (("lock", "khóa một tháng của một địa phương"), ("unlock", "mở lại tháng đã khóa (admin)")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--locality", required=True)
        cmd.add_argument("--period", required=True, type=period_arg, help="YYYY-MM")
        cmd.add_argument("--user", required=True, help="tài khoản thực hiện (office của địa phương hoặc admin)")
        cmd.add_argument("--reason", required=name == "unlock", default=None, help="lý do")
    aud = sub.add_parser("audit", help="nhật ký (mới nhất trước)")
    aud.add_argument("--locality", default=None)
    aud.add_argument("--limit", type=int, default=None)
    aud.add_argument("--json", action="store_true")
    aud.add_argument(
        "--verify",
        action="store_true",
        help="kiểm tra nhật ký còn nguyên vẹn (mã thoát 1 và số dòng đầu tiên bị sửa, xóa hay chèn)",
    )
    bak = sub.add_parser("backup", help="sao lưu nhất quán (cả khi ứng dụng đang chạy)")
    bak.add_argument("--out", required=True, type=Path)
    res = sub.add_parser("restore", help="phục hồi từ bản sao lưu (ứng dụng phải dừng)")
    res.add_argument("file", type=Path)
    cpy = sub.add_parser(
        "copy", help="chép toàn bộ một cơ sở dữ liệu sang một cơ sở dữ liệu mới hoặc trống (tệp DuckDB ↔ PostgreSQL)"
    )
    cpy.add_argument("--from", dest="source", required=True, type=locate, help="nguồn: tệp DuckDB hoặc postgresql://…")
    cpy.add_argument(
        "--to",
        dest="target",
        required=True,
        type=locate,
        help="đích (trống): tệp DuckDB (tạo nếu chưa có) hoặc postgresql://… (đã tạo bằng createdb)",
    )
    return parser


def _password() -> str:
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _locality(text: str) -> str | None:
    if text == "all":
        return None
    return text


def _users(args: argparse.Namespace, path: Path) -> int:
    now = clock.now()
    if args.action == "list":
        with connection(path) as con:
            found = accounts.list_users(con)
        if args.json:
            json.dump(
                [
                    {"username": a.username, "role": a.role, "locality_id": a.locality_id, "disabled": a.disabled}
                    for a in found
                ],
                sys.stdout,
                ensure_ascii=False,
                indent=1,
            )
            sys.stdout.write("\n")
        for a in [] if args.json else found:
            print(f"{a.username}\t{a.role}\t{a.scope}\t{'đã khóa' if a.disabled else 'đang dùng'}")
        return EXIT_OK
    with writing_transaction(path) as con:
        if args.action == "add":
            localities = set(load_catalog().plans)
            account = accounts.add_user(
                con,
                args.username,
                _password(),
                args.role,
                _locality(args.locality),
                now,
                by=None,
                address=ADDRESS,
                localities=localities,
            )
            print(f"Đã tạo tài khoản {account.username} ({account.role}, địa phương: {account.scope}).")
        elif args.action == "disable":
            account_admin.set_disabled(con, args.username, True, now, address=ADDRESS)
            print(f"Đã khóa tài khoản {args.username}; các phiên đăng nhập của tài khoản đã kết thúc.")
        elif args.action == "enable":
            account_admin.set_disabled(con, args.username, False, now, address=ADDRESS)
            print(f"Đã mở lại tài khoản {args.username}.")
        elif args.action == "reset":
            password = account_admin.reset_password(con, args.username, now, address=ADDRESS)
            print(f"Mật khẩu dùng một lần của {args.username}: {password} (chỉ hiện lần này; đổi ở lần đăng nhập đầu).")
        else:
            account_admin.set_password(con, args.username, _password(), now, address=ADDRESS)
            print(f"Đã đặt mật khẩu mới cho {args.username}.")
    return EXIT_OK


def _lock(args: argparse.Namespace, path: Path) -> int:
    if args.locality not in load_catalog().plans:
        raise accounts.AccountError(f"Không có địa phương mã {args.locality!r}.")
    month = args.period.label
    with writing(path) as con:
        account = accounts.acting_account(con, args.user)
        if args.command == "lock":
            closing.close_month(con, account, args.locality, str(args.period), clock.now(), args.reason, ADDRESS)
            print(f"Đã khóa {month} của {args.locality} ({account.username}).")
        else:
            closing.reopen_month(con, account, args.locality, str(args.period), clock.now(), args.reason, ADDRESS)
            print(f"Đã mở lại {month} của {args.locality} ({account.username}): {args.reason}")
    return EXIT_OK


def _audit(args: argparse.Namespace, path: Path) -> int:
    if args.verify:
        with connection(path) as con:
            broken = audit.verify(con)
        if broken is not None:
            print(
                f"Lỗi: nhật ký đã bị thay đổi ngoài phần mềm từ dòng số {broken} (sửa, xóa hoặc chèn bằng công cụ "
                f"khác); hãy đối chiếu với bản sao lưu.",
                file=sys.stderr,
            )
            return EXIT_REJECTED
        print("Nhật ký nguyên vẹn: mọi dòng đúng như phần mềm đã ghi.")
        return EXIT_OK
    with connection(path) as con:
        found = audit.entries(con, args.locality, args.limit)
    if args.json:
        json.dump([e.as_dict() for e in found], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    for e in found:
        where = f" [{e.locality_id}{' ' + e.period if e.period else ''}]" if e.locality_id else ""
        print(
            f"{fmt_datetime(e.at)}\t{e.actor or '—'}\t{e.address or '—'}\t"
            f"{audit.ACTION_LABELS.get(e.action, e.action)}{where}: {e.summary}"
        )
    return EXIT_OK


def _backup(args: argparse.Namespace, path: Path) -> int:
    counts = backup.backup(path, args.out)
    print(
        f"Đã sao lưu {path} vào {args.out}: {counts.get('submissions', 0)} phiếu, "
        f"{counts.get('users', 0)} tài khoản, {counts.get('audit_log', 0)} dòng nhật ký "
        f"(đã đọc lại toàn bộ bản sao)."
    )
    return EXIT_OK


def _restore(args: argparse.Namespace, path: Path) -> int:
    now = clock.now()
    counts, kept = backup.restore(args.file, path, now)
    with writing(path) as con:
        audit.record(con, now, None, audit.RESTORED, f"Phục hồi từ {args.file.name}", address=ADDRESS)
    where = f"; tệp cũ giữ tại {kept}" if kept else ""
    print(f"Đã phục hồi {path} từ {args.file}: {counts.get('submissions', 0)} phiếu{where}.")
    return EXIT_OK


def _copy(args: argparse.Namespace, path: Path) -> int:
    counts = transfer.copy_store(args.source, args.target).rows
    print(
        f"Đã chép {described(args.source)} sang {described(args.target)}: {counts.get('submissions', 0)} phiếu, "
        f"{counts.get('users', 0)} tài khoản, {counts.get('audit_log', 0)} dòng nhật ký "
        f"(cùng một dòng nhật ký mới ở đích)."
    )
    return EXIT_OK


def _command(args: argparse.Namespace) -> int:
    path = args.db or db_path()
    if args.command not in ("backup", "restore", "copy"):
        prepare(path)
    handler = {
        "users": _users,
        "lock": _lock,
        "unlock": _lock,
        "audit": _audit,
        "backup": _backup,
        "restore": _restore,
        "copy": _copy,
    }[args.command]
    return handler(args, path)


def main(argv: list[str] | None = None) -> int:
    return run(_parser(), _command, argv, failures=FAILURES, on_failure=cli_failure)


if __name__ == "__main__":
    sys.exit(main())
