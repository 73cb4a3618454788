"""How the report puts figures into words, one rule each (tested as tables in tests/test_report_wording.py).

* Targets in words, never symbols: "trên 80%", "từ 90% trở lên", "đạt 100%", "ít nhất 01 mô hình",
  "không để xảy ra sự cố", "hoàn thành".
* A count's noun from the indicator's name ("Số đợt tuyên truyền …" → "đợt").
* Status words that respect which way is better: an incident count going up is not "đi xuống".
* Changes against an earlier month in points of percent or in the count's noun.
* Dates in the body as officials write them (14/6/2026), points with one rule (two decimals, half up),
  lists joined with "và", a subject broken into balanced lines.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from plans import vocabulary as vocab
from plans.periods import Period
from plans.text import fmt_number
from plans.vocabulary import Comparator, MeasureUnit
from scoring.attainment import lower_is_better
from scoring.kpi import round_points

COUNT_NOUNS = (
    "mô hình/sáng kiến",
    "sáng kiến, giải pháp",
    "sự cố",
    "sáng kiến",
    "mô hình",
    "sản phẩm",
    "buổi",
    "đợt",
    "lớp",
    "cuộc",
    "lượt",
    "văn bản",
    "hộ",
    "người",
)
"""Nouns a count is measured in, as the plans name them after "Số" (longest first where one starts another)."""
SUBJECT_WIDTH = 60
"""Characters of a 14 pt bold line across the text width (16 cm): a longer subject is broken by hand."""


def count_noun(name: str) -> str:
    """``Số đợt tuyên truyền …`` → ``đợt``; "" when the name does not start with "Số <noun>"."""
    words = name.strip()
    if not words[:3].casefold() == "số ":
        return ""
    rest = words[3:].casefold()
    return next((noun for noun in COUNT_NOUNS if rest == noun or rest.startswith(noun + " ")), "")


def padded(value: float) -> str:
    """A small whole count as official texts write it in a target ("01", "08"); others as numbers."""
    return f"{int(value):02d}" if float(value).is_integer() and 0 < value < 10 else fmt_number(value)


def with_noun(value: str, noun: str) -> str:
    return f"{value} {noun}" if noun else value


def target_words(comparator: str, target: float, unit: str, noun: str = "") -> str:
    """The target in words: ``>`` 80 % → "trên 80%"; ``>=`` 90 % → "từ 90% trở lên"; ``>=`` 100 % →
    "đạt 100%"; ``>=`` 1 count → "ít nhất 01 mô hình"; ``<=`` 0 → "không để xảy ra sự cố"; yes/no → "hoàn thành"."""
    if unit == MeasureUnit.YES_NO:
        return "hoàn thành"
    if unit == MeasureUnit.PERCENT:
        amount = f"{fmt_number(target)}%"
        return {
            Comparator.GT: f"trên {amount}",
            Comparator.GE: "đạt 100%" if target >= 100 else f"từ {amount} trở lên",
            Comparator.EQ: f"đạt {amount}",
            Comparator.LE: f"không quá {amount}",
            Comparator.LT: f"dưới {amount}",
        }[comparator]
    if lower_is_better(comparator) and target <= 0:
        return f"không để xảy ra {noun or 'trường hợp nào'}"
    amount = with_noun(padded(target), noun)
    return {
        Comparator.GT: f"trên {amount}",
        Comparator.GE: f"ít nhất {amount}",
        Comparator.EQ: amount,
        Comparator.LE: f"không quá {amount}",
        Comparator.LT: f"dưới {amount}",
    }[comparator]


def value_words(value: float, unit: str, noun: str = "") -> str:
    """A result: "52,7%", "6 đợt", "đã hoàn thành" / "chưa hoàn thành"."""
    if unit == MeasureUnit.YES_NO:
        return "đã hoàn thành" if value >= 1 else "chưa hoàn thành"
    if unit == MeasureUnit.PERCENT:
        return f"{fmt_number(value)}%"
    return with_noun(fmt_number(value), noun)


def change_words(now: float, before: float, unit: str, noun: str = "") -> str:
    """ "tăng 12,5 điểm phần trăm", "giảm 1 sự cố", "không thay đổi" ("" for yes/no)."""
    if unit == MeasureUnit.YES_NO:
        return ""
    diff = round(now - before, 6)
    if abs(diff) < 0.05:
        return "không thay đổi"
    amount = (
        f"{fmt_number(abs(diff))} điểm phần trăm"
        if unit == MeasureUnit.PERCENT
        else with_noun(fmt_number(abs(diff)), noun)
    )
    return f"{'tăng' if diff > 0 else 'giảm'} {amount}"


STATUS_WORDS = {
    vocab.MET: "Đạt",
    vocab.ON_TRACK: "Đúng tiến độ",
    vocab.SPEED_UP: "Cần đẩy nhanh",
    vocab.BEHIND: "Chậm tiến độ",
    vocab.NOT_MET: "Không đạt",
    vocab.NOT_REPORTED: "Chưa có số liệu",
}


def status_word(status: str, comparator: str) -> str:
    """The status as the report writes it; a result that moved away from its target says which way:
    "Giảm, xa mục tiêu hơn" when higher is better, "Tăng, xa mục tiêu hơn" when lower is better."""
    if status == vocab.REGRESSING:
        if comparator == Comparator.EQ:
            return "Xa mục tiêu hơn"
        return "Tăng, xa mục tiêu hơn" if lower_is_better(comparator) else "Giảm, xa mục tiêu hơn"
    return STATUS_WORDS[status]


def body_date(day: dt.date) -> str:
    """``14/6/2026``: the month without a leading zero, as in the body of official texts."""
    return f"{day.day:02d}/{day.month}/{day.year}"


def body_dates(text: str) -> str:
    """Dates written in ``text`` (a unit's evidence: "Báo cáo ngày 04/05/2026") as the body writes them
    ("04/5/2026")."""
    return re.sub(r"\b(\d{1,2})/0(\d)/(\d{4})\b", r"\1/\2/\3", text)


def month_words(period: Period) -> str:
    """``tháng 6/2026``."""
    return f"tháng {period.month}/{period.year}"


def fmt_points(points: float) -> str:
    """KPI points, one rule everywhere: rounded half up to two decimals, both always shown (4,725 → 4,73)."""
    return f"{round_points(points):.2f}".replace(".", ",")


def fmt_max_points(points: float) -> str:
    """A maximum: a whole number of points as a whole number (15), else as :func:`fmt_points`."""
    return fmt_number(points) if float(points).is_integer() else fmt_points(points)


def joined(items: list[str]) -> str:
    """ "a", "a và b", "a, b và c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} và {items[-1]}"


def lowered(name: str) -> str:
    """A name inside a sentence: its first letter in lower case unless it starts an abbreviation
    ("Tỷ lệ cán bộ" → "tỷ lệ cán bộ"; "UBND xã" stays)."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def balanced_lines(text: str, width: int = SUBJECT_WIDTH) -> list[str]:
    """The subject broken by hand into as few lines as fit ``width`` characters, the longest line as
    short as the words allow (so the lines come out about even, not one full and one stub)."""
    words = text.split()
    count = max(1, math.ceil(len(" ".join(words)) / width))
    if count == 1:
        return [" ".join(words)]
    longest = max(len(w) for w in words)
    for limit in range(max(longest, len(" ".join(words)) // count), width + 1):
        lines = _packed(words, limit)
        if len(lines) <= count:
            return lines
    return _packed(words, width)


def _packed(words: list[str], limit: int) -> list[str]:
    """Words packed greedily into lines of at most ``limit`` characters."""
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
