"""Targets read from sentences and tables: comparator, target, unit, year, every year, reduction.

Rules (checked by tests/test_plan_import_indicators.py):

- a number followed by ``%`` or by a counted noun ("mô hình", "sáng kiến", "buổi", "lớp"…) is a
  target; numbers in brackets, years, dates, document numbers ("Đề án 06", "57-NQ/TW"), "5G",
  durations ("6 tháng", "24 giờ") are not;
- the words right before the number give the comparator: "trên/hơn/vượt" ``>``; "ít nhất/tối thiểu/
  không dưới/từ/≥" ``>=``; "tối đa/không quá/≤" ``<=``; "dưới" ``<``; a bare number is the level to
  reach, ``>=``; a range "1 - 2 lớp" is its lower bound;
- "giảm …", "rút ngắn …" before the number make it a reduction (the target is the % reduced);
- "mỗi năm", "hằng năm", "/năm" after the number, or "Hằng năm"/"Mỗi năm" opening the sentence, make
  it an every-year target; "N lần/năm" beside another target only says that one is yearly;
- "Mỗi <đơn vị> … ít nhất 01 …" or "ít nhất 01 … tại mỗi <đơn vị>" is 100% of those units;
- "không để xảy ra …" is ``<= 0`` every year; "mỗi năm có <…>" without a number is ``>= 1`` every year;
- the year is one written in the sentence ("đến năm 2027"), else the heading's, else the plan's last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.plan_import.cleanup import parse_number

COUNT_NOUNS = (
    "mô hình",
    "sáng kiến",
    "buổi",
    "lớp",
    "đợt",
    "cuộc thi",
    "cuộc",
    "hội nghị",
    "hội thảo",
    "sản phẩm",
    "hoạt động",
    "câu lạc bộ",
    "tổ",
    "đội",
    "doanh nghiệp",
    "hợp tác xã",
    "hộ",
    "người",
    "cán bộ",
    "lượt",
    "tin",
    "bài",
    "ứng dụng",
    "nền tảng",
    "cơ sở dữ liệu",
    "giải pháp",
    "chuyên mục",
    "lần",
    "ý tưởng",
    "dự án",
    "nhiệm vụ",
    "đề tài",
    "công trình",
    "diễn đàn",
    "phong trào",
    "chương trình",
    "khóa",
    "khoá",
    "gian hàng",
    "trang",
    "kênh",
    "điểm",
    "không gian",
    "nhóm",
    "thôn",
    "chuỗi",
    "sàn",
    "camera",
    "thiết bị",
)
_FREQUENCY = "lần"
_NUMBER = r"\d+(?:[.,]\d+)*"
_QTY = re.compile(
    rf"(?<![\w/.,\-])({_NUMBER})(?:\s*[-–]\s*({_NUMBER}))?(?![\w/])"
    rf"(?:\s*(%|phần trăm)|\s+[“\"']?({'|'.join(COUNT_NOUNS)})\b)",
    re.IGNORECASE,
)
_REFERENCE = re.compile(
    r"(?:đề án|nghị quyết|quyết định|chương trình|kế hoạch|thông báo|công văn|chỉ thị|nghị định"
    r"|thông tư|luật|số|khoản|điều|mục|phụ lục|giai đoạn|nhóm|tiêu chí|bước)\s*$",
    re.IGNORECASE,
)
_COMPARATORS = (
    (re.compile(r"(?:không\s+(?:thấp hơn|dưới|ít hơn)|ít nhất|tối thiểu|từ|≥)\s*$", re.I), ">="),
    (re.compile(r"(?:không\s+(?:quá|vượt quá|cao hơn|lớn hơn)|tối đa|≤)\s*$", re.I), "<="),
    (re.compile(r"(?:trên|hơn|vượt|>)\s*$", re.I), ">"),
    (re.compile(r"(?:dưới|<)\s*$", re.I), "<"),
)
_REDUCTION = re.compile(r"\b(?:giảm|rút ngắn|cắt giảm)\b", re.IGNORECASE)
_YEARLY_AFTER = re.compile(r"^[^;]*?(?:/\s*năm|\b(?:mỗi|hằng|hàng|một)\s+năm\b|\btrong năm\b(?!\s+\d))", re.I)
_YEARLY_OPENING = re.compile(r"^(?:\W*)(?:định kỳ\s+)?(?:hằng|hàng|mỗi)\s+năm\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:đến|tới|trong|vào|đạt|từ|cuối)?\s*năm\s+(20\d\d)\b", re.IGNORECASE)
_EACH = re.compile(
    r"\b(?:mỗi|từng)\s+(?!năm|tháng|quý|tuần|ngày|kỳ|lần)([^\s,;.()]+(?:\s+[^\s,;.()]+){0,3})", re.IGNORECASE
)
_NOTHING_HAPPENS = re.compile(r"\bkhông để (?:xảy ra|xảy|phát sinh)\s+(.+)$", re.IGNORECASE)
_EVERY_YEAR_SOME = re.compile(
    r"\b(?:mỗi|hằng|hàng)\s+năm\s+(?:đều\s+)?có\s+(?!ít nhất|tối thiểu|\d)(.+)$", re.IGNORECASE
)
_LEAD_VERBS = re.compile(
    r"^(?:phấn đấu|đến năm \d{4},?|bảo đảm|đảm bảo|triển khai|cung cấp|duy trì|đạt|có|"
    r"xây dựng|hình thành|thành lập|tổ chức|thực hiện|hằng năm|hàng năm|mỗi năm|"
    r"đẩy mạnh[^,]*,)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Target:
    """One target found in a clause or a table row (year None: decided by the heading or the plan)."""

    name: str
    text: str
    comparator: str
    target: float
    unit: str  # "%" | "count" | "yes/no"
    year: int | None
    every_year: bool
    reduction: bool = False
    noun: str | None = None  # the counted noun ("mô hình"), for counts
    year_column: bool = False  # one year's column of a table: the target of that year only


def _mask_brackets(text: str) -> str:
    """``text`` with what is inside brackets blanked (same length, so positions still match)."""
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        out.append(" " if depth else ch)
        if ch == ")" and depth:
            depth -= 1
    return "".join(out)


def split_clauses(text: str) -> list[str]:
    """Sentences and ";"-separated clauses, not splitting inside brackets or numbers."""
    masked = _mask_brackets(text)
    cuts = [0]
    for m in re.finditer(r";\s*|\.\s+(?=[A-ZĐÀ-Ỹ])", masked):
        cuts.append(m.end())
    cuts.append(len(text))
    return [text[a:b].strip(" ;") for a, b in zip(cuts, cuts[1:]) if text[a:b].strip(" ;.")]


def _comparator(prefix: str) -> str:
    tail = prefix[-40:]
    for pattern, comparator in _COMPARATORS:
        if pattern.search(tail):
            return comparator
    return ">="


_TRAILING = re.compile(r"(?:\s+(?:đạt|là|ở mức|ít nhất|tối thiểu|trên|từ|không dưới|≥|≤|>|<))+\s*$", re.I)


def _tidy(phrase: str) -> str:
    phrase = re.sub(r"\([^)]*\)", "", phrase)
    phrase = re.sub(r"^\s*(?:/\s*năm|(?:mỗi|hằng|hàng)\s+năm)\b", "", phrase, flags=re.I)
    phrase = re.split(r",\s+(?=[A-ZĐ])|\s+(?:nhằm|để|góp phần)\s+", phrase)[0]
    phrase = " ".join(phrase.replace("“", "").replace("”", "").replace('"', "").split()).strip(" ,.;:-")
    return _TRAILING.sub("", " " + phrase).strip(" ,.;:-")


def _reduction_name(prefix: str) -> str:
    """ "Mức rút ngắn thời gian …" from "… rút ngắn thời gian … ít nhất" or "Thời gian … giảm ≥"."""
    m = list(_REDUCTION.finditer(prefix))[-1]
    after = _tidy(prefix[m.end() :])
    if not after:
        after = _tidy(prefix[: m.start()]).lower()
    return f"Mức {m.group(0).lower()} {after}".strip()


def _name(prefix: str, suffix: str, unit: str, noun: str | None) -> str:
    """A short name: "Tỷ lệ …" for a rate, "Số <noun> …" for a count."""
    if unit == "%" and _REDUCTION.search(prefix):
        return _reduction_name(prefix)
    before = _tidy(prefix)
    if unit == "%":
        m = re.search(r"\btỷ lệ\b.*", before, re.IGNORECASE)
        if m:
            core = re.sub(r"^tỷ lệ\s*", "", m.group(0), flags=re.I)
            if core:
                return "Tỷ lệ " + core
        after = re.sub(r"^(?:tỷ lệ|các|những)\s+", "", _tidy(suffix), flags=re.I)
        return ("Tỷ lệ " + after).strip()
    rest = _tidy(suffix)
    if len(rest.split()) < 2:
        rest = " ".join(_tidy(prefix).split()[-12:])
    return f"Số {noun} {rest}".strip() if noun else rest


def _year(text: str) -> int | None:
    years = [int(m.group(1)) for m in _YEAR.finditer(text)]
    return max(years) if years else None


def clause_targets(clause: str, numbers_only: bool = False) -> list[Target]:
    """Every target of one clause (see the module's rules)."""
    masked = _mask_brackets(clause)
    found = []
    for m in _QTY.finditer(masked):
        before = masked[: m.start()]
        if _REFERENCE.search(before) or re.search(r"\b(19|20)\d\d$", m.group(1)) and not m.group(3):
            continue
        low, high, percent, noun = m.group(1), m.group(2), m.group(3), m.group(4)
        value = parse_number(low)
        if value is None or (not percent and re.fullmatch(r"(19|20)\d\d", low)):
            continue
        found.append((m, value, "%" if percent else "count", noun.lower() if noun else None, high))
    has_other = (
        any(noun != _FREQUENCY for *_, noun, _ in [(f[0], f[1], f[2], f[3], f[4]) for f in found]) if found else False
    )
    opening_yearly = bool(_YEARLY_OPENING.search(clause))
    year = _year(masked)
    targets: list[Target] = []
    yearly_by_frequency = any(f[3] == _FREQUENCY for f in found) and has_other
    for index, (m, value, unit, noun, _high) in enumerate(found):
        if noun == _FREQUENCY and has_other:
            continue
        start = found[index - 1][0].end() if index else 0
        end = found[index + 1][0].start() if index + 1 < len(found) else len(masked)
        prefix, suffix = masked[start : m.start()], masked[m.end() : end]
        every_year = (
            bool(_YEARLY_AFTER.search(suffix))
            or opening_yearly
            or yearly_by_frequency
            or (index == 0 and re.search(r"\b(?:mỗi|hằng|hàng)\s+năm\b", prefix, re.I) is not None)
        )
        comparator = _comparator(masked[: m.start()])
        reduction = unit == "%" and bool(_REDUCTION.search(prefix))
        if numbers_only and unit == "count" and not every_year:
            continue
        each = _EACH.search(masked)
        if unit == "count" and value == 1 and comparator == ">=" and each:
            subject = each.group(1)
            name = f"Tỷ lệ {subject} có {noun} {_tidy(suffix)}".strip()
            targets.append(Target(name, clause, ">=", 100.0, "%", year, every_year))
            continue
        name = _name(prefix if index == 0 else masked[: m.start()][-200:], suffix, unit, noun)
        targets.append(Target(name, clause, comparator, value, unit, year, every_year, reduction, noun))
    if found:
        return targets
    if numbers_only:
        return []
    if m := _NOTHING_HAPPENS.search(masked):
        return [Target("Số " + _tidy(m.group(1)), clause, "<=", 0.0, "count", None, True)]
    if m := _EVERY_YEAR_SOME.search(masked):
        return [Target("Số " + _tidy(m.group(1)), clause, ">=", 1.0, "count", None, True)]
    return []


def statement_name(clause: str) -> str:
    """The clause without its opening verbs ("Xây dựng, hình thành …"), for a yes/no target."""
    text = _tidy(clause)
    previous = None
    while previous != text:
        previous, text = text, _LEAD_VERBS.sub("", text)
        text = re.sub(r"^(?:xây dựng|hình thành|thành lập|ban hành|phát triển)\s*,\s*", "", text, flags=re.I)
    return text[:1].upper() + text[1:]


def cell_target(cell: str) -> tuple[str, float, str] | None:
    """(comparator, target, unit) of a table cell such as "≥80%", "100%", "7.500", "Có"."""
    text = cell.strip()
    if re.fullmatch(r"(?:có|đạt|hoàn thành|x)", text, re.IGNORECASE):
        return "=", 1.0, "yes/no"
    m = re.fullmatch(rf"(.*?)\s*({_NUMBER})\s*(%?)\s*(.*)", text)
    if not m:
        return None
    value = parse_number(m.group(2))
    if value is None:
        return None
    comparator = _comparator(m.group(1) + " ")
    return comparator, value, "%" if m.group(3) else "count"
