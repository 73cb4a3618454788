"""Vietnamese text helpers, one home each: comparing names and headers typed by hand (NFC,
spaces, accents, case) and writing numbers and dates the Vietnamese way (85,5%; 1.234; 15/06/2026)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache

from plans.vocabulary import Comparator, MeasureUnit

COMPARATOR_SYMBOLS = {
    Comparator.GT: ">",
    Comparator.GE: "≥",
    Comparator.EQ: "=",
    Comparator.LE: "≤",
    Comparator.LT: "<",
}
_OLD_ACCENTS = (("uỷ", "ủy"), ("Uỷ", "Ủy"), ("oà", "òa"), ("oá", "óa"), ("oạ", "ọa"), ("oả", "ỏa"), ("oã", "õa"))


def normalise_spaces(text: object) -> str:
    """NFC and single spaces: "Phường  Tân An" → "Phường Tân An"."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def normalise_name(text: str) -> str:
    """NFC, single spaces, the newer accent placement ("Thuỷ" → "Thủy"), lower case: for
    comparing names written by hand."""
    nfc = unicodedata.normalize("NFC", str(text))
    for old, new in _OLD_ACCENTS:
        nfc = nfc.replace(old, new)
    return " ".join(nfc.split()).casefold()


def strip_accents(text: str) -> str:
    """Remove Vietnamese diacritics (đ → d) for loose matching of headers typed without them."""
    decomposed = unicodedata.normalize("NFD", normalise_name(text))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d")


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", strip_accents(text)).split())


def fold(text: object) -> str:
    """Text for matching headers and labels: no diacritics, lower case, letters and digits only."""
    return _fold(str(text))


def fmt_number(value: float | int | None, decimals: int = 1) -> str:
    """``1234.5`` → ``1.234,5``; whole numbers lose their decimals; ``None`` → ``—``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = float(value)
    if number.is_integer():
        decimals = 0
    text = f"{number:,.{decimals}f}"
    text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def fmt_percent(value: float | None, decimals: int = 1) -> str:
    """``85.5`` → ``85,5%`` (the value is already in percent)."""
    return (
        "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{fmt_number(value, decimals)}%"
    )


def fmt_value(value: float | None, unit: str, decimals: int = 1) -> str:
    """A measure value in its unit: ``%``, ``count`` or ``yes/no``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == MeasureUnit.PERCENT:
        return fmt_percent(value, decimals)
    if unit == MeasureUnit.YES_NO:
        return "Có" if value >= 1 else "Không"
    return fmt_number(value, decimals)


def fmt_date(day: dt.date | dt.datetime | None) -> str:
    """``2026-06-15`` → ``15/06/2026``."""
    return "—" if day is None else day.strftime("%d/%m/%Y")


def fmt_datetime(moment: dt.datetime | None) -> str:
    """``15/06/2026 08:30``."""
    return "—" if moment is None else moment.strftime("%d/%m/%Y %H:%M")


def fmt_target(comparator: str, target: float, unit: str, decimals: int = 1) -> str:
    """``>=`` 90 % → ``≥ 90%``; a yes/no target reads ``Có``."""
    if unit == MeasureUnit.YES_NO:
        return "Có"
    return f"{COMPARATOR_SYMBOLS[comparator]} {fmt_value(target, unit, decimals)}"


def wrap_words(text: str, width: int, breaks: str = "") -> list[str]:
    """The lines of ``text`` at about ``width`` characters, broken at spaces; a word longer than
    ``width`` may also break after one of ``breaks`` (``"/"``: "01/2026" becomes "01/" "2026")."""
    split = re.compile(f"[^{re.escape(breaks)}]+[{re.escape(breaks)}]?|[{re.escape(breaks)}]") if breaks else None
    lines, line = [], ""
    for w_index, word in enumerate(text.split()):
        parts = split.findall(word) if split and len(word) > width else [word]
        for p_index, part in enumerate(parts):
            sep = " " if p_index == 0 and w_index else ""
            if line and len(line) + len(sep) + len(part) > width:
                lines.append(line)
                line = part
            else:
                line = f"{line}{sep}{part}" if line else part
    lines.append(line)
    return lines


def plan_number(number: str) -> str:
    """``số 12/KH-UBND``; a plan issued without its number (``/KH-UBND``) reads
    ``(chưa ghi số) /KH-UBND`` rather than ``số /KH-UBND``."""
    text = str(number or "").strip()
    if not any(ch.isdigit() for ch in text.split("/")[0]):
        return f"(chưa ghi số) {text}".strip()
    return f"số {text}"
