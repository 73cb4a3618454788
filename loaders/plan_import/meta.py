"""What a plan says about itself: number, date, title, signer, period, phases, report days,
reviews — and which locality it is, matched to the official list of the country's communes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from plans.localities import HAI_PHONG, OfficialUnit, all_units, provinces
from plans.text import normalise_name, strip_accents

_NUMBER = re.compile(r"^Số\s*:?\s*(.*?)\s*$", re.IGNORECASE)
_DATE = re.compile(
    r"^(?P<place>[^,\d]{2,40}),\s*ngày\s*(?P<day>\d{1,2})?\s*tháng\s*(?P<month>\d{1,2})?\s*năm\s*"
    r"(?P<year>\d{4})",
    re.IGNORECASE,
)
_PERIOD = re.compile(r"(?:giai đoạn|từ năm|thời kỳ)?\s*(20\d\d)\s*(?:-|–|—|đến(?: năm)?)\s*(20\d\d)", re.IGNORECASE)
_SINGLE_YEAR = re.compile(r"\bnăm\s+(20\d\d)\b", re.IGNORECASE)
_KIND_WORDS = ("xã", "phường", "đặc khu")
_SIGNER_TITLE = re.compile(r"^(?:TM\.|KT\.|Q\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|T/M)", re.IGNORECASE)
_REPORT_DAY = re.compile(r"trước ngày\s*(\d{1,2})\s*/\s*(\d{1,2})", re.IGNORECASE)
_PHASE = re.compile(
    r"^(?P<name>(?:giai đoạn\s*\d+|năm\s+20\d\d|giai đoạn\s+20\d\d\s*[-–]\s*20\d\d)[^:]*?)\s*"
    r"(?:\((?P<years>[^)]*)\))?\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LocalityMatch:
    """The official unit a plan names, how its name was written there, and the units of the same
    name elsewhere in the country that were not chosen (``others``)."""

    unit: OfficialUnit | None
    written: str
    exact: bool
    others: tuple[OfficialUnit, ...] = ()
    by_province: bool = False  # a province named in the plan decided between units of one name


def plan_number(lines: list[str]) -> str:
    for line in lines[:15]:
        if m := _NUMBER.match(line.strip()):
            return m.group(1)
    return ""


def plan_date(lines: list[str]) -> dict:
    """date_text, year, month, day (None when left blank for the signature date)."""
    for line in lines[:20]:
        if m := _DATE.match(line.strip()):
            return {
                "date_text": " ".join(line.split()),
                "place": m.group("place").strip(),
                "year": int(m.group("year")),
                "month": int(m.group("month")) if m.group("month") else None,
                "day": int(m.group("day")) if m.group("day") else None,
            }
    return {"date_text": "", "place": "", "year": None, "month": None, "day": None}


def plan_title(lines: list[str]) -> str:
    """The lines after "KẾ HOẠCH" up to the first empty line after some text."""
    for i, line in enumerate(lines[:40]):
        if line.strip().upper() in ("KẾ HOẠCH", "KẾ HOẠCH:"):
            parts: list[str] = []
            for following in lines[i + 1 : i + 8]:
                if not following.strip():
                    if parts:
                        break
                    continue
                parts.append(following.strip())
            return "Kế hoạch " + " ".join(parts) if parts else "Kế hoạch"
    return ""


def plan_period(title: str, text: str, fallback: int | None) -> tuple[int | None, int | None]:
    """(start, end): "giai đoạn 2026 – 2030" in the title, else a single "năm 2026" there, else in the text."""
    if m := _PERIOD.search(title):
        return int(m.group(1)), int(m.group(2))
    years = [int(y) for y in _SINGLE_YEAR.findall(title)]
    if years:
        return min(years), max(years)
    if m := _PERIOD.search(text):
        return int(m.group(1)), int(m.group(2))
    return fallback, fallback


def signer(lines: list[str]) -> tuple[str, str]:
    """(name, title) from the signature block ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / <name>")."""
    for i, line in enumerate(lines):
        if re.match(r"^(?:TM\.|T/M)", line.strip(), re.IGNORECASE):
            titles, name = [], ""
            for following in lines[i : i + 8]:
                text = following.strip()
                if not text:
                    continue
                if _SIGNER_TITLE.match(text) and not name:
                    titles.append(text)
                    continue
                name = text
                break
            return name, " - ".join(_title_case(t) for t in titles)
    return "", ""


def _title_case(text: str) -> str:
    """ "TM. ỦY BAN NHÂN DÂN" → "TM. Ủy ban nhân dân"; "PHÓ CHỦ TỊCH" → "Phó Chủ tịch"."""
    prefix = re.match(r"^((?:TM|KT|Q|T/M)\.?\s*)", text)
    head = prefix.group(1) if prefix else ""
    body = text[len(head) :].lower()
    body = body.replace("chủ tịch", "Chủ tịch")
    return head + body[:1].upper() + body[1:]


def _candidates(text: str) -> list[tuple[str, str]]:
    """(kind, name) written as "xã Tân An", "phường Hưng Đạo", "đặc khu …" in the text."""
    found = []
    for m in re.finditer(r"\b(xã|phường|đặc khu)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s?){1,4})", text):
        found.append((m.group(1).lower(), m.group(2).strip()))
    return found


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, list[OfficialUnit]], tuple[tuple[str, int, OfficialUnit], ...]]:
    """Units by their normalised bare name, and (name without diacritics, word count, unit) for loose matching."""
    exact: dict[str, list[OfficialUnit]] = {}
    loose = []
    for unit in all_units():
        exact.setdefault(normalise_name(unit.bare_name), []).append(unit)
        folded = strip_accents(unit.name)
        loose.append((folded, len(folded.split()), unit))
    return exact, tuple(loose)


def _units_named(bare: str) -> tuple[bool, list[OfficialUnit]]:
    """(exact, units) for a name written without its kind: the same name, else the same letters
    without diacritics at the end of the official name ("Kè Sắt" → "Xã Kẻ Sặt")."""
    exact, loose = _names()
    if found := exact.get(normalise_name(bare)):
        return True, found
    folded = strip_accents(bare)
    words = len(folded.split())
    return False, [u for name, count, u in loose if name.endswith(" " + folded) and count - words <= 2]


def province_mentions(text: str) -> dict[int, int]:
    """How often the text names each province ("Hải Phòng", "Đồng Nai"), by province code."""
    folded = normalise_name(text)
    counts = {}
    for code, name in provinces():
        if n := len(re.findall(rf"(?<!\w){re.escape(normalise_name(name))}(?!\w)", folded)):
            counts[code] = n
    return counts


def match_locality(text: str, place: str, name: str | None = None) -> LocalityMatch:
    """The official unit of the plan, among every commune of the country: ``name`` if given, else
    the one the text names most often.

    Names are compared exactly (after Unicode and spacing are normalised), then without
    diacritics, so "Kè Sắt" finds "Xã Kẻ Sặt"; between units of the same name the kind (xã/phường)
    written in the text decides, then the province the plan names most often, then Hải Phòng.
    """
    written: list[tuple[str, str]] = []
    if name:
        words = name.split(",")[0].split()
        kind = words[0].lower() if words and words[0].lower() in _KIND_WORDS else ""
        written = [(kind, " ".join(words[1:]) if kind else " ".join(words))]
    else:
        written = _candidates(text)
        if place:
            written += [("", place)] * 2
    tallies: dict[int, int] = {}
    spelled: dict[int, tuple[str, bool]] = {}
    units: dict[int, OfficialUnit] = {}
    for kind, bare in written:
        exact, found = _units_named(bare)
        if kind:
            found = [u for u in found if u.kind == kind] or found
        for unit in found:
            tallies[unit.code] = tallies.get(unit.code, 0) + (2 if exact else 1)
            units[unit.code] = unit
            if unit.code not in spelled or (exact and not spelled[unit.code][1]):
                spelled[unit.code] = (bare, exact)
    if not tallies:
        return LocalityMatch(None, name or place, False)
    mentions = province_mentions(f"{name or ''}\n{text}")
    order = {unit.code: i for i, unit in enumerate(all_units())}

    def rank(code: int) -> tuple:
        unit = units[code]
        return -tallies[code], -mentions.get(unit.province_code, 0), unit.province_code != HAI_PHONG, order[code]

    ranked = sorted(tallies, key=rank)
    best = units[ranked[0]]
    others = tuple(units[c] for c in ranked[1:] if tallies[c] == tallies[ranked[0]])
    by_province = any(mentions.get(u.province_code, 0) != mentions.get(best.province_code, 0) for u in others)
    written_as, exact = spelled[best.code]
    return LocalityMatch(best, written_as, exact, others, by_province)


def report_days(sentence: str) -> list[dict]:
    """Report deadlines in a sentence: "6 tháng trước ngày 15/6 và báo cáo năm trước ngày 15/12"."""
    out, previous = [], 0
    for m in _REPORT_DAY.finditer(sentence):
        segment = sentence[previous : m.start()].lower()
        name = "Báo cáo định kỳ 6 tháng" if "6 tháng" in segment else "Báo cáo năm"
        out.append({"name": name, "day": int(m.group(1)), "month": int(m.group(2))})
        previous = m.end()
    return out


def phase(text: str, fallback_years: tuple[int, int] | None = None) -> dict | None:
    """A phase line: "Giai đoạn 1 (2026 - 2027): …", "Năm 2026 (giai đoạn khởi động)", "Giai đoạn 2027 – 2028 (…)"."""
    m = _PHASE.match(text.strip())
    if not m:
        return None
    years = [int(y) for y in re.findall(r"20\d\d", f"{m.group('name')} {m.group('years') or ''}")]
    if not years and fallback_years:
        years = list(fallback_years)
    if not years:
        return None
    name = m.group("name").strip()
    if m.group("years") and not re.search(r"20\d\d", m.group("years")):
        name = f"{name} ({m.group('years').strip()})"
    return {"name": name, "start_year": min(years), "end_year": max(years), "description": m.group("rest").strip()}
