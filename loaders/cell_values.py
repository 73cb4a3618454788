"""How a value typed by hand in a monthly sheet is read: numbers, percents, yes/no, dates, status.

Every function takes what the reader got from the cell (``str``, ``float``, ``int``,
``bool``, ``date``…) and returns the value in its stored form, or raises
:class:`CellError` with a Vietnamese message; the validator turns that into a problem.

Numbers (Vietnamese first):
    ``1.234`` → 1234 (dot then groups of three digits, not starting with 0 = thousands);
    ``1.234,5`` → 1234.5; ``85,5`` → 85.5; ``1 234`` → 1234; ``0.855`` / ``85.5`` → decimal;
    with both ``.`` and ``,`` the last one is the decimal separator.

Percent (stored as 0–100):
    a cell formatted as percent holds a fraction → ×100 (0.855 → 85.5, 1 → 100);
    a text with ``%`` is read as written (``85%`` → 85, ``0,5%`` → 0.5);
    a number above 1 is read as written (``85`` → 85, ``85,5`` → 85.5);
    a number ≤ 1 written with decimals is a fraction (``0,855`` / 0.855 → 85.5, ``1,0`` → 100);
    a whole 0 or 1 without decimals is 0% or 1% (write ``100`` or ``100%`` for a full rate);
    a bare 1 read this way gets a warning (:func:`percent_warning`), since it may mean 100%.

Yes/no (stored 1/0): ``Có``, ``có.``, ``x``, ``✓``, ``√``, ``1``, ``TRUE``, ``Đã có`` → 1;
``Không``, ``không có``, ``0``, ``FALSE``, ``Chưa`` → 0 (any case, trailing dot ignored).
Dates: ``dd/mm/yyyy`` (also ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``, ``yyyy-mm-dd``) or a date cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from plans.text import strip_accents
from plans.vocabulary import TASK_DONE, TASK_IN_PROGRESS, TASK_NOT_STARTED, TASK_SHEET_LABELS, TaskStatus

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_THOUSANDS_DOT = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^[1-9]\d{0,2}(,\d{3}){2,}$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")
_DATE_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)

YES_WORDS = frozenset({"co", "x", "1", "da co", "yes", "y", "dat", "co (1)", "true", "✓", "✔", "√"})
NO_WORDS = frozenset({"khong", "0", "chua", "chua co", "no", "n", "khong (0)", "khong co", "false"})
PERCENT_ONE_WARNING = "Giá trị 1 được hiểu là 1%; nếu là 100% hãy ghi 100 hoặc 100%"
_STATUS_WORDS = {
    "chua thuc hien": TASK_NOT_STARTED,
    "chua trien khai": TASK_NOT_STARTED,
    "chua bat dau": TASK_NOT_STARTED,
    "dang thuc hien": TASK_IN_PROGRESS,
    "dang trien khai": TASK_IN_PROGRESS,
    "hoan thanh": TASK_DONE,
    "da hoan thanh": TASK_DONE,
    "da thuc hien": TASK_DONE,
}


class CellError(ValueError):
    """The cell cannot be read as the value its row needs (message in Vietnamese)."""


def is_blank(raw: object) -> bool:
    """Empty cell, or text made only of spaces."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def shown(raw: object) -> str:
    """The cell as the user sees it, for messages."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def parse_number(raw: object) -> tuple[float, bool]:
    """A number written the Vietnamese (or English) way; also says whether it had decimals."""
    if isinstance(raw, bool):
        raise CellError(f"'{shown(raw)}' là giá trị đúng/sai, không phải là số")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise CellError(f"'{shown(raw)}' không phải là số")
        return float(raw), not float(raw).is_integer()
    if not isinstance(raw, str):
        raise CellError(f"'{shown(raw)}' không phải là số")
    text = _SPACES.sub("", raw)
    sign = -1.0 if text.startswith(("-", "−")) else 1.0
    body = text.lstrip("+-−")
    if "." in body and "," in body:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        body = body.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "," in body:
        body = body.replace(",", "") if _THOUSANDS_COMMA.match(body) else body.replace(",", ".")
    elif _THOUSANDS_DOT.match(body):
        body = body.replace(".", "")
    if not _PLAIN.match(body):
        raise CellError(f"'{raw.strip()}' không phải là số")
    return sign * float(body), "." in body


def parse_percent(raw: object, percent_format: bool = False) -> float:
    """A rate in percent (0–100 when valid; the range is checked by the caller)."""
    if percent_format and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return round(float(raw) * 100, 6)
    if isinstance(raw, str) and raw.strip().endswith("%"):
        value, _ = parse_number(raw.strip()[:-1])
        return value
    value, has_decimals = parse_number(raw)
    if has_decimals and abs(value) <= 1:
        return round(value * 100, 6)
    return value


def percent_warning(raw: object, percent_format: bool = False) -> str | None:
    """The warning for a bare whole 1 read as 1% (it may have been meant as 100%), else ``None``."""
    if percent_format or isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return PERCENT_ONE_WARNING if raw == 1 else None
    return PERCENT_ONE_WARNING if isinstance(raw, str) and raw.strip() == "1" else None


def parse_count(raw: object) -> float:
    """A whole, non-negative number of things."""
    value, _ = parse_number(raw)
    if value < 0:
        raise CellError(f"'{shown(raw)}' là số âm; số lượng không được âm")
    if not value.is_integer():
        raise CellError(f"'{shown(raw)}' không phải số nguyên; số lượng phải là số nguyên")
    return value


def parse_yes_no(raw: object) -> float:
    """``Có`` → 1, ``Không`` → 0 (also x/1/0, without diacritics, any case)."""
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    if isinstance(raw, (int, float)) and float(raw) in (0.0, 1.0):
        return float(raw)
    word = " ".join(strip_accents(str(raw)).strip().rstrip(".!").split())
    if word in YES_WORDS:
        return 1.0
    if word in NO_WORDS:
        return 0.0
    raise CellError(f"'{shown(raw)}' không phải Có/Không (ghi Có hoặc Không)")


def parse_status(raw: object) -> TaskStatus:
    """A task status code, from one of the three labels written in the sheet (or a near form)."""
    word = " ".join(strip_accents(str(raw)).replace(".", " ").split())
    if word in _STATUS_WORDS:
        return _STATUS_WORDS[word]
    raise CellError(f"'{shown(raw)}' không hợp lệ (chọn: {', '.join(TASK_SHEET_LABELS)})")


def parse_date(raw: object) -> dt.date:
    """A date cell, or a date written dd/mm/yyyy."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 20000 <= raw <= 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
    text = str(raw).strip()
    dmy, iso = _DATE_DMY.match(text), _DATE_ISO.match(text)
    try:
        if dmy:
            return dt.date(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1)))
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError as err:
        raise CellError(f"'{text}' không phải ngày có thật") from err
    raise CellError(f"'{shown(raw)}' không phải là ngày (ghi dạng dd/mm/yyyy)")
