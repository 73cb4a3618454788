"""Command line: ``python -m loaders template | ingest | demo | plan-import`` (messages in Vietnamese).

Exit status: 0 when everything was accepted, 1 when a file was rejected (or the request was
invalid, or the database cannot be written: read-only, full disk, missing folder, damaged file),
2 when the command line itself is wrong (argparse; also a writing ``ingest`` without ``--user``:
it writes as that account, which must exist, be enabled and have the right to each sheet's
locality, else 1), 3 when the database is held by another
program (or another writer kept it longer than ``DMST_WRITE_WAIT`` seconds). ``ingest`` on a
locked database still checks every file: only what needs the
database (writing, the comparison of a dry run) reports the lock.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from loaders.demo import DEFAULT_START, DemoError, run_demo
from loaders.ingest import IngestResult, ingest_files
from loaders.parsed_sheet import Expected
from loaders.plan_import import ExtractError, Progress, import_plan, to_yaml
from loaders.plan_import.ocr import summary as ocr_summary
from loaders.template import write_template
from plans import clock
from plans.catalog import data_dir, load_catalog
from plans.cli import period_arg, run
from plans.exit_codes import EXIT_CODES, EXIT_LOCKED, EXIT_OK, EXIT_REJECTED, EXIT_USAGE
from plans.reporting import SpecError, sheet_spec
from plans.text import fmt_number
from store.accounts import Account, acting_account
from store.db import DB_HELP, connection, db_path, locate, prepare
from store.errors import FAILURES, StoreLockedError, cli_failure
from store.sample_data import remove_sample_data

COMMAND_LINE = "máy chủ (dòng lệnh)"
"""Where the journal says a command line's action came from."""

_OS_REASONS = (
    (FileNotFoundError, "không có tệp này"),
    (IsADirectoryError, "đây là thư mục, không phải tệp"),
    (NotADirectoryError, "đường dẫn có phần không phải thư mục"),
    (PermissionError, "không có quyền truy cập"),
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m loaders", description="Phiếu báo cáo tháng: tạo mẫu, nạp, dữ liệu mẫu.", epilog=EXIT_CODES
    )
    sub = parser.add_subparsers(dest="command", required=True)
    tpl = sub.add_parser("template", help="tạo mẫu phiếu .xlsx cho một đơn vị và một tháng")
    tpl.add_argument("--locality", required=True, help="mã địa phương, ví dụ tan_an")
    tpl.add_argument("--unit", required=True, help='mã đơn vị (vhxh, kt, thon…) hoặc "all" cho cả địa phương')
    tpl.add_argument("--period", required=True, type=period_arg, help="tháng báo cáo YYYY-MM")
    tpl.add_argument("--village", default="", help="tên thôn / tổ dân phố (phiếu của thôn)")
    tpl.add_argument("--out", required=True, type=Path, help="tệp .xlsx ghi ra (tạo thư mục nếu chưa có)")
    ing = sub.add_parser("ingest", help="nạp các phiếu đã điền vào cơ sở dữ liệu", epilog=EXIT_CODES)
    ing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    ing.add_argument("--db", type=locate, default=None, help=DB_HELP)
    ing.add_argument(
        "--user",
        default=None,
        help="tài khoản nạp phiếu (bắt buộc khi ghi; phải là tài khoản đang dùng "
        "có quyền với địa phương của phiếu: office của địa phương đó hoặc admin)",
    )
    ing.add_argument("--locality", default=None, help="chỉ nhận phiếu của địa phương này")
    ing.add_argument("--unit", default=None, help="chỉ nhận phiếu của đơn vị này")
    ing.add_argument("--period", default=None, type=period_arg, help="chỉ nhận phiếu của tháng này (YYYY-MM)")
    ing.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và liệt kê thay đổi, không ghi")
    demo = sub.add_parser(
        "demo",
        help="tạo dữ liệu mẫu (qua đúng đường nạp phiếu) cho cơ sở dữ liệu trống, hoặc xóa dữ liệu mẫu (--remove)",
        epilog=EXIT_CODES,
    )
    demo.add_argument("--db", type=locate, default=None, help=DB_HELP)
    demo.add_argument(
        "--from", dest="start", type=period_arg, default=DEFAULT_START, help="tháng đầu (mặc định 2026-01)"
    )
    demo.add_argument(
        "--to", dest="end", type=period_arg, default=None, help="tháng cuối (mặc định tháng vừa kết thúc)"
    )
    demo.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên")
    demo.add_argument("--remove", action="store_true", help="xóa mọi phiếu mẫu (phiếu thật giữ nguyên); cần --user")
    demo.add_argument("--user", default=None, help="tài khoản admin thực hiện việc xóa (ghi vào nhật ký)")
    imp = sub.add_parser(
        "plan-import",
        help="đọc một kế hoạch (.docx, .txt, .md, .pdf có chữ hoặc bản quét) và đề xuất tệp kế hoạch nháp",
        epilog=EXIT_CODES,
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--name", default=None, help='tên địa phương nếu kế hoạch ghi khác, ví dụ "Xã Kẻ Sặt"')
    imp.add_argument("--out", required=True, type=Path, help="tệp YAML nháp ghi ra (tạo thư mục nếu chưa có)")
    return parser


def _print_result(result: IngestResult) -> None:
    """One file's outcome, printed (and flushed) as soon as it is committed or refused."""
    print(result.summary())
    for problem in result.problems:
        print(f"  {problem}")
    for change in result.changes:
        print(f"  Thay đổi {change.kind} {change.code}: {change.old_text} → {change.new_text}")
    sys.stdout.flush()


def _os_reason(err: OSError) -> str:
    """An operating-system error in Vietnamese (never the English text of the system)."""
    return next((text for kind, text in _OS_REASONS if isinstance(err, kind)), f"lỗi hệ thống, mã {err.errno}")


def _read(paths: list[Path], unreadable: list[str]) -> list[tuple[str, bytes]]:
    """Every readable file as (name, bytes); the others are listed in ``unreadable``."""
    files = []
    for path in paths:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as err:
            unreadable.append(f"TỪ CHỐI {path}: không đọc được tệp ({_os_reason(err)})")
    return files


def _template(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    if args.locality not in catalog.plans:
        print(f"Lỗi: không có địa phương mã '{args.locality}' (các mã: {', '.join(catalog.plans)})", file=sys.stderr)
        return EXIT_REJECTED
    spec = sheet_spec(catalog, args.locality, args.unit, args.period.year)
    try:
        write_template(catalog, args.locality, args.unit, args.period, args.out, args.village)
    except OSError as err:
        print(f"Lỗi: không ghi được {args.out} ({_os_reason(err)})", file=sys.stderr)
        return EXIT_REJECTED
    print(
        f"Đã tạo {args.out}: {spec.locality_name} – {spec.unit_name} – {args.period.label}: "
        f"{len(spec.lines)} chỉ tiêu, {len(spec.tasks)} nhiệm vụ"
    )
    return EXIT_OK


def _ingest(args: argparse.Namespace) -> int:
    if args.user is None and not args.dry_run:
        print(
            "Lỗi: nạp phiếu cần --user <tài khoản> (một tài khoản của phần mềm có quyền với địa phương của phiếu; "
            "người vận hành dùng tài khoản admin). Chỉ kiểm tra thì thêm --dry-run.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    catalog = load_catalog()
    path = args.db or db_path()
    locked: StoreLockedError | None = None
    try:
        prepare(path, catalog)
    except StoreLockedError as err:
        locked = err
    user: Account | str | None = args.user
    if args.user is not None and locked is None:
        with connection(path) as con:
            user = acting_account(con, args.user)
    expected = None
    if args.locality or args.unit or args.period:
        expected = Expected(args.locality, args.unit, str(args.period) if args.period else None)
    unreadable: list[str] = []
    files = _read(args.files, unreadable)
    for line in unreadable:
        print(line)
    results = ingest_files(
        path,
        files,
        user,
        expected,
        args.dry_run,
        catalog,
        store_error=locked,
        on_result=_print_result,
        address=COMMAND_LINE,
    )
    accepted = sum(r.accepted for r in results)
    print(f"Tổng: {accepted}/{len(results) + len(unreadable)} tệp được nhận.")
    if any(r.store_locked for r in results):
        return EXIT_LOCKED
    return EXIT_OK if accepted == len(results) and not unreadable else EXIT_REJECTED


def _demo(args: argparse.Namespace) -> int:
    if args.remove and args.user is None:
        print("Lỗi: xóa dữ liệu mẫu cần --user <tài khoản admin> (việc xóa được ghi vào nhật ký).", file=sys.stderr)
        return EXIT_USAGE
    catalog = load_catalog()
    path = prepare(args.db or db_path(), catalog)
    if args.remove:
        with connection(path) as con:
            account = acting_account(con, args.user)
        removed = remove_sample_data(path, account, clock.now(), COMMAND_LINE)
        print(
            f"Đã xóa {removed.sheets} phiếu mẫu của {len(removed.localities)} địa phương khỏi {path}; phiếu thật "
            "giữ nguyên."
            if removed.sheets
            else f"{path} không có phiếu mẫu nào."
        )
        return EXIT_OK
    summary = run_demo(path, catalog, args.start, args.end, args.seed, address=COMMAND_LINE)
    for result in summary.rejected:
        _print_result(result)
    print(f"Dữ liệu mẫu: đã nạp {summary.accepted}/{summary.files} phiếu vào {path} trong {summary.seconds:.1f} giây.")
    if any(r.store_locked for r in summary.rejected):
        return EXIT_LOCKED
    return EXIT_OK if not summary.rejected else EXIT_REJECTED


_COUNT_LABELS = (
    ("indicators", "chỉ tiêu"),
    ("tasks", "nhiệm vụ"),
    ("units", "đơn vị"),
    ("phases", "giai đoạn"),
    ("report_deadlines", "hạn báo cáo"),
    ("reviews", "sơ kết/tổng kết"),
    ("groups", "nhóm chỉ tiêu"),
    ("proposed_measures", "đại lượng mới đề xuất"),
)


def _ocr_progress() -> Progress:
    """Prints a line (to stderr) as each scanned page is read by OCR."""
    started = time.monotonic()

    def report(done: int, total: int) -> None:
        print(
            f"Nhận dạng chữ (OCR) bản quét: trang {done}/{total} (đã {fmt_number(time.monotonic() - started)} giây)",
            file=sys.stderr,
            flush=True,
        )

    return report


def _plan_import(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as err:
        print(f"Lỗi: không đọc được {args.file} ({_os_reason(err)})", file=sys.stderr)
        return EXIT_REJECTED
    try:
        draft = import_plan(data, args.file.name, data_dir() / "measures.yaml", args.name, progress=_ocr_progress())
    except ExtractError as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return EXIT_REJECTED
    except Exception as err:  # a document no rule foresaw: a Vietnamese line, never a traceback
        print(
            f"Lỗi: không đọc được kế hoạch {args.file.name}: bộ đọc gặp lỗi không lường trước "
            f"({type(err).__name__}). Hãy gửi tệp này cho bộ phận kỹ thuật; có thể thử lưu lại tệp dạng .docx.",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(to_yaml(draft.doc), encoding="utf-8")
    except OSError as err:
        print(f"Lỗi: không ghi được {args.out} ({_os_reason(err)})", file=sys.stderr)
        return EXIT_REJECTED
    doc, counts = draft.doc, draft.counts()
    print(
        f"Đã đọc {args.file.name}: địa phương {doc['id']} (mã {doc['ward_code'] or '?'}), "
        f"kế hoạch {doc['plan']['start_year']}–{doc['plan']['end_year']}, người ký {doc['plan']['signer'] or '?'}"
    )
    print("Tìm thấy: " + "; ".join(f"{counts[key]} {label}" for key, label in _COUNT_LABELS))
    if draft.ocr_seconds:
        print(ocr_summary(doc, draft.ocr_seconds))
    if draft.unplaced:
        print(f"Chưa xếp được ({len(draft.unplaced)}):")
        for line in draft.unplaced:
            print(f"  - {line}")
    print(
        f"Đã ghi bản nháp {args.out}: hãy rà soát rồi lưu vào data/plans/{doc['id']}.yaml "
        "(hoặc dùng trang “Thêm địa phương”)."
    )
    return EXIT_OK


def _command(args: argparse.Namespace) -> int:
    return {"template": _template, "ingest": _ingest, "demo": _demo, "plan-import": _plan_import}[args.command](args)


def main(argv: list[str] | None = None) -> int:
    return run(_parser(), _command, argv, refused=(SpecError, DemoError), failures=FAILURES, on_failure=cli_failure)


if __name__ == "__main__":
    sys.exit(main())
