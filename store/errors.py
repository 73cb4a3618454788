"""What went wrong with the database, in Vietnamese: the real cause, never DuckDB's or PostgreSQL's English text.

Every error of the store carries two messages: ``str(err)`` for the operator at the command
line (it may name the file), and ``err.public`` for a page, which never shows a server path.
"""

from __future__ import annotations

import errno
import sys

import duckdb
import psycopg

from plans.exit_codes import EXIT_LOCKED, EXIT_REJECTED


class StoreError(RuntimeError):
    """A store failure explained in Vietnamese; ``public`` is the same without server paths."""

    def __init__(self, message: str, public: str | None = None) -> None:
        super().__init__(message)
        self.public = public or message


class StoreLockedError(StoreError):
    """Another process holds the database file, or another writer kept it too long."""


class StoreReadOnlyError(StoreError):
    """The database file (or its disk) can be read but not written."""


class StoreMissingError(StoreError):
    """The database or its folder does not exist and cannot be created."""


class ConflictError(StoreError):
    """Another writer changed what this write relied on (it wrote nothing)."""


_FULL = ("no space left", "disk full", "could not write all bytes", "out of disk")
_READ_ONLY = ("read-only", "read only", "permission denied", "readonly")
_CONFLICT = ("conflict", "duplicate key", "violates primary key", "violates unique")
_DAMAGED = ("corrupt", "checksum", "not a valid duckdb database", "invalid database header")
_INVALIDATED = ("invalidated", "fatal error")
DISK_FULL = (
    "Ổ đĩa của máy chủ đã đầy nên không ghi được vào cơ sở dữ liệu; chưa ghi gì. Hãy giải phóng dung lượng "
    "(hoặc báo bộ phận kỹ thuật) rồi làm lại."
)
READ_ONLY = (
    "Tệp cơ sở dữ liệu chỉ cho phép đọc (quyền của tệp hoặc ổ đĩa chỉ đọc) nên không ghi được; chưa ghi gì. "
    "Các lệnh chỉ đọc (xem trang, summary, catalog, --dry-run) vẫn dùng được."
)
DAMAGED = (
    "Tệp cơ sở dữ liệu bị hỏng (không đọc được một phần của tệp). Hãy phục hồi bản sao lưu gần nhất: "
    "python -m store restore <tệp sao lưu> (xem README, mục Sao lưu)."
)
STOPPED = (
    "Cơ sở dữ liệu đã ngừng ghi sau một lỗi nghiêm trọng (thường là ổ đĩa đầy); các phiếu đã nhận trước đó vẫn "
    "còn nguyên. Hãy xử lý nguyên nhân rồi chạy lại lệnh: phiếu đã có sẽ không bị ghi đôi."
)
UNREACHABLE = (
    "Không kết nối được máy chủ cơ sở dữ liệu PostgreSQL (máy chủ chưa chạy hoặc đang khởi động lại, sai "
    "địa chỉ, sai tên cơ sở dữ liệu hay không có quyền); chưa ghi gì. Hãy thử lại sau ít phút hoặc báo bộ "
    "phận kỹ thuật."
)
CONFLICT = (
    "Một lần nạp khác vừa ghi đúng phiếu này (cùng địa phương, đơn vị, thôn và tháng) cùng lúc; phiếu này "
    "chưa được ghi. Hãy xem lại lịch sử nộp phiếu rồi nạp lại nếu cần."
)


def explain(err: BaseException) -> str:
    """The Vietnamese cause of a database or file-system error (no server path)."""
    if isinstance(err, StoreError):
        return err.public
    text = str(err).lower()
    code = getattr(err, "errno", None)
    if code == errno.ENOSPC or any(word in text for word in _FULL):
        return DISK_FULL
    if any(word in text for word in _DAMAGED):
        return DAMAGED
    if any(word in text for word in _INVALIDATED):
        return STOPPED
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or any(word in text for word in _READ_ONLY):
        return READ_ONLY
    if isinstance(err, (duckdb.ConstraintException, duckdb.TransactionException, psycopg.IntegrityError)) or any(
        word in text for word in _CONFLICT
    ):
        return CONFLICT
    if isinstance(err, psycopg.OperationalError):
        return UNREACHABLE
    if isinstance(err, FileNotFoundError):
        return "Không tìm thấy tệp hoặc thư mục của cơ sở dữ liệu."
    kind = type(err).__name__
    return f"Lỗi của cơ sở dữ liệu ({kind}); chưa ghi gì. Chi tiết đã được ghi vào nhật ký của máy chủ."


DB_ERRORS = (duckdb.Error, psycopg.Error, ConflictError)
"""What a statement of either backend raises when the database refuses or fails it."""
FAILURES = (StoreError, *DB_ERRORS, OSError)
"""What a command line reports with :func:`cli_failure` instead of a traceback."""


def unreachable(where: str, err: BaseException) -> StoreError:
    """A PostgreSQL server that cannot be reached (``where``: its address without password)."""
    detail = (str(err).strip().splitlines() or [type(err).__name__])[-1]
    return StoreError(f"{UNREACHABLE} ({where}: {detail})", UNREACHABLE)


def cli_failure(err: BaseException) -> int:
    """Tell the command line's operator why the store failed (Vietnamese, on stderr; the operator's
    own messages name the file) and return the exit status: 3 when another program holds the
    database, 1 otherwise."""
    text = str(err) if isinstance(err, StoreError) else explain(err)
    print(f"Lỗi: {text}", file=sys.stderr)
    return EXIT_LOCKED if isinstance(err, StoreLockedError) else EXIT_REJECTED
