"""Put together a draft plan file (the schema of data/plans/*.yaml) from a document's lines.

Every item carries a ``source`` quoting the section and the sentence it was read from. What the
importer read but could not place goes to :attr:`Draft.unplaced`, in Vietnamese, for the review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from loaders.plan_import import meta
from loaders.plan_import.cleanup import clean_lines
from loaders.plan_import.indicators import Target, clause_targets, split_clauses, statement_name
from loaders.plan_import.layout import lowest
from loaders.plan_import.measures import THRESHOLD, match_measure
from loaders.plan_import.meta import LocalityMatch
from loaders.plan_import.sections import section_kind
from loaders.plan_import.structure import Block, parse_blocks, section_of
from loaders.plan_import.target_table import Columns, columns, read_table
from loaders.plan_import.tasks import (
    REVIEW_OPENING,
    TaskDraft,
    coordinating_in,
    deadline_in,
    is_task_table,
    table_tasks,
)
from loaders.plan_import.units import Unit, looks_like_unit, slug, split_units, unit_code
from plans.deadlines import DeadlineError, parse_deadline
from plans.localities import all_units, locality_id
from plans.model import Measure
from plans.text import fmt_number, strip_accents

QUOTE = 240
YES_NO_THRESHOLD = 0.5
_CLOSING_TEXT = re.compile(r"^(?:trên đây|ủy ban nhân dân\b.*\byêu cầu|ubnd\b.*\byêu cầu|trong quá trình)", re.I)
_UNIT_OPENING = re.compile(r"^(?P<unit>[^:]{3,80}):\s+(?P<rest>.+)$")
_UNIT_VERB = re.compile(r"\s+(?:căn cứ|chủ trì|phối hợp|có trách nhiệm|thực hiện|tổ chức|tham mưu)\b", re.I)


@dataclass
class Draft:
    """The draft plan (``doc``, ready for YAML) and what the importer could not place."""

    doc: dict[str, Any]
    unplaced: list[str] = field(default_factory=list)
    ocr_seconds: list[float] = field(default_factory=list)  # per page read by OCR

    def counts(self) -> dict[str, int]:
        d = self.doc
        return {
            "indicators": len(d["indicators"]),
            "tasks": len(d["tasks"]),
            "units": len(d["units"]),
            "phases": len(d["phases"]),
            "report_deadlines": len(d["report_deadlines"]),
            "reviews": len(d["reviews"]),
            "groups": len(d["groups"]),
            "proposed_measures": len(d.get("proposed_measures") or []),
        }


@dataclass(frozen=True)
class _Found:
    """A target where it was read: its block and group, the table row and lead unit of a table."""

    target: Target
    block: Block
    group: str
    row: str | None = None  # "dòng 5 (STT 3): …" for a table row
    row_line: int | None = None  # the row's 1-based line
    lead: str | None = None  # the table's lead unit for the row, as written


class _Builder:
    """Walks the blocks once, collecting every part of the draft."""

    def __init__(
        self, lines: list[str], measures: tuple[Measure, ...], name: str | None, confidence: list[float | None]
    ):
        self.raw = lines
        self.confidence = confidence
        self.lines = clean_lines(lines)
        self.blocks = parse_blocks(lines)
        self.measures = measures
        self.by_code = {m.code: m for m in measures}
        self.unplaced: list[str] = []
        text = "\n".join(self.lines)
        date = meta.plan_date(self.lines)
        self.title = meta.plan_title(self.lines)
        self.start, self.end = meta.plan_period(self.title, text, date["year"])
        self.date = date
        self.locality = meta.match_locality(f"{self.title}\n{text[:6000]}", date["place"], name)
        short = self.locality.written or (name or "địa phương")
        self.cite = f"KH {short}"
        self.units: dict[str, Unit] = {}
        self.groups: dict[str, dict] = {}
        self.targets: list[_Found] = []
        self.tasks: list[TaskDraft] = []
        self.phases: list[dict] = []
        self.reports: list[dict] = []
        self.reviews: list[dict] = []

    # -- helpers ---------------------------------------------------------------------------------
    def source(self, block: Block | str, sentence: str = "") -> str:
        section = block if isinstance(block, str) else block.section
        where = f"{self.cite}, mục {section}" if section else self.cite
        quote = " ".join(sentence.split())
        if len(quote) > QUOTE:
            quote = quote[: QUOTE - 1].rstrip() + "…"
        return f"{where}: “{quote}”" if quote else where

    def ocr_confidence(self, found: _Found) -> float | None:
        """The OCR confidence of the lines a target was read from (None when not OCR'd)."""
        lines = [found.row_line] if found.row_line else list(found.block.lines)
        return lowest([self.confidence[n - 1] for n in lines if 0 < n <= len(self.confidence)])

    def add_unit(self, name: str, where: str, sentence: str = "") -> str:
        clean = re.sub(r"^(?:đề nghị|giao)\s+", "", name.strip(" .:;,"), flags=re.I)
        clean = clean[:1].upper() + clean[1:]
        code = unit_code(clean) or slug(clean)
        if code not in self.units:
            self.units[code] = Unit(code, clean, self.source(where, sentence))
        return code

    def group_of(self, block: Block, kind: str) -> str:
        labels = (
            [label for label in block.labels if label != block.label] if block.kind == "text" else list(block.labels)
        )
        titles = list(block.titles)
        if not labels:
            code, title = "chung", "Chỉ tiêu chung"
        else:
            code, title = labels[-1], titles[-1] if titles else ""
            if kind == "tasks":
                code = ".".join(lb for lb in labels if not lb.startswith("Phụ lục")) or code
            if code.startswith("Phụ lục"):
                code = slug(code)
        code = code.replace(" ", "_")
        if code not in self.groups:
            self.groups[code] = {"code": code, "name": title or code, "source": self.source(section_of(labels))}
        return code

    # -- passes ----------------------------------------------------------------------------------
    def run(self) -> None:
        current_unit: str | None = None
        for index, block in enumerate(self.blocks):
            kind = section_kind(block)
            if block.kind == "heading":
                current_unit = self.heading(block, kind, current_unit)
                continue
            if block.kind == "table":
                self.table(block, kind)
                continue
            for sentence in split_clauses(block.text) if "trước ngày" in block.text else []:
                self.reports.extend({**r, "source": self.source(block, sentence)} for r in meta.report_days(sentence))
            if kind == "objectives":
                self.objective(block)
            elif kind == "tasks":
                self.task_targets(block)
            elif kind == "organisation":
                current_unit = self.organisation(block, current_unit)
            if kind in ("reporting", "roadmap", "organisation", "tasks"):
                self.review_clauses(block)
            if kind in ("roadmap", "general"):
                self.phase_text(block, index)

    def heading(self, block: Block, kind: str, current_unit: str | None) -> str | None:
        if kind == "organisation" and block.label and looks_like_unit(block.text):
            return self.add_unit(block.text, block.section)
        if kind == "roadmap" and block.label and not block.section.startswith("Phụ lục"):
            self.phase_heading(block)
        return None if block.label else current_unit

    def objective(self, block: Block) -> None:
        group = None
        for clause in split_clauses(block.text):
            found = clause_targets(clause)
            if not found:
                found = self.yes_no(clause)
            for target in found:
                group = group or self.group_of(block, "objectives")
                self.targets.append(_Found(target, block, group))

    def yes_no(self, clause: str) -> list[Target]:
        name = statement_name(clause)
        match = match_measure(name, "yes/no", False, self.measures)
        if match.code and match.confidence >= YES_NO_THRESHOLD:
            return [Target(name, clause, "=", 1.0, "yes/no", None, False)]
        return []

    def task_targets(self, block: Block) -> None:
        for clause in split_clauses(block.text):
            for target in clause_targets(clause, numbers_only=True):
                self.targets.append(_Found(target, block, self.group_of(block, "tasks")))

    def organisation(self, block: Block, current_unit: str | None) -> str | None:
        text = block.text
        if _CLOSING_TEXT.match(text):
            return current_unit
        lead = current_unit
        opening = _UNIT_OPENING.match(text)
        cut = _UNIT_VERB.search(text)
        if opening and len(opening.group("unit").split()) <= 8 and looks_like_unit(opening.group("unit")):
            lead = self.add_unit(opening.group("unit"), block.section, text)
            text = opening.group("rest")
        elif block.label and cut and len(text[: cut.start()].split()) <= 10 and looks_like_unit(text[: cut.start()]):
            lead = current_unit = self.add_unit(text[: cut.start()], block.section, text)
        if lead is None:
            return current_unit
        self.tasks.append(
            TaskDraft(
                name=text,
                section=f"Mục {section_of(block.labels[:-1]) if block.label else block.section}. "
                f"{block.titles[-1] if block.titles else ''}".strip(),
                lead=[self.units[lead].name],
                coordinating=coordinating_in(text),
                deadline_text=deadline_in(text, recurring=False) or "Thường xuyên",
                source=self.source(block, text),
                key=section_of(block.labels[:-1]) if block.label else block.section,
            )
        )
        return current_unit

    def review_clauses(self, block: Block) -> None:
        for clause in split_clauses(block.text):
            words = clause.lstrip("- ")
            if not REVIEW_OPENING.match(words):
                continue
            deadline = deadline_in(words)
            if not deadline:
                continue
            years = re.findall(r"20\d\d", words)
            if years and re.search(r"sơ kết|tổng kết|giữa kỳ", words, re.I):
                self.reviews.append(
                    {
                        "name": _review_name(words),
                        "year": max(int(y) for y in years),
                        "source": self.source(block, clause),
                    }
                )
            if section_kind(block) != "organisation":
                self.tasks.append(
                    TaskDraft(
                        name=words,
                        section=f"Mục {block.section}. {block.titles[-1]}",
                        lead=[],
                        deadline_text=deadline,
                        source=self.source(block, clause),
                        note="Đơn vị chủ trì: cơ quan đầu mối của kế hoạch",
                        key=block.section,
                    )
                )

    def phase_heading(self, block: Block) -> None:
        following = []
        for other in self.blocks[self.blocks.index(block) + 1 :]:
            if other.kind == "heading" and other.label:
                break
            if other.kind == "text":
                following.append(other.text)
        years = None
        for text in following:
            if re.match(r"^thời gian", text, re.I):
                found = [int(y) for y in re.findall(r"20\d\d", text)]
                years = (min(found), max(found)) if found else None
        description = " ".join(t for t in following if not re.match(r"^thời gian", t, re.I))
        found = meta.phase(f"{block.text}: {description}", years)
        if found:
            self.phases.append({**found, "source": self.source(block, block.text)})

    def phase_text(self, block: Block, index: int) -> None:
        if re.match(r"^giai đoạn\s*\d+\s*\(", block.text, re.I):
            found = meta.phase(block.text)
            if found:
                self.phases.append({**found, "source": self.source(block, block.text)})

    def table(self, block: Block, kind: str) -> None:
        header = block.rows[0]
        folded = [strip_accents(h) for h in header]
        if any("diem" in h for h in folded):
            self.unplaced.append(
                f"mục {block.section}: bảng chấm điểm ({', '.join(header)}) — bộ chỉ số KPI dùng "
                "chung ở data/frameworks/, không lập chỉ tiêu riêng"
            )
            return
        cols = columns(block.rows, self.start)
        if cols is not None and (not is_task_table(header) or "chi tieu" in folded[cols.name]):
            self.target_table(block, cols)
            return
        if is_task_table(header):
            tasks, unplaced = table_tasks(block.rows, block.year or _header_year(header), block.section)
            appendix = re.sub(r"[^0-9A-Z]", "", block.section.split(",")[0].replace("Phụ lục", "PL"))
            for task in tasks:
                task.key = "-".join(k for k in (appendix or "BANG", task.key, str(block.year or "")) if k)
                task.source = self.source(f"{block.section}, {task.section}", task.name)
                task.section = f"{block.section}, {task.section}" if block.section else task.section
                if REVIEW_OPENING.match(task.name) and (m := re.search(r"20\d\d", task.deadline_text)):
                    self.reviews.append({"name": task.name, "year": int(m.group(0)), "source": task.source})
            self.tasks.extend(tasks)
            self.unplaced.extend(unplaced)
            return
        self.unplaced.append(
            f"mục {block.section}: bảng ({', '.join(header)}) không nhận ra là bảng chỉ tiêu hay nhiệm vụ"
        )

    def target_table(self, block: Block, cols: Columns) -> None:
        found = read_table(block.rows, cols, block.section)
        self.unplaced.extend(found.unplaced)
        for target, roman, row, index in found.targets:
            group = self.table_group(block, roman, found.groups[roman]) if roman else self.group_of(block, "objectives")
            self.targets.append(_Found(target, block, group, row, block.row_lines[index - 1], found.leads.get(index)))

    def table_group(self, block: Block, roman: str, title: str) -> str:
        """The group a table's Roman-numbered row opens: "PL1.II" in an appendix, "II" elsewhere."""
        appendix = (
            re.sub(r"[^0-9A-Z]", "", block.section.split(",")[0].replace("Phụ lục", "PL"))
            if block.section.startswith("Phụ lục")
            else ""
        )
        code = f"{appendix}.{roman}" if appendix else roman
        if code not in self.groups:
            self.groups[code] = {"code": code, "name": title, "source": self.source(block, f"{roman}. {title}")}
        return code

    # -- results ---------------------------------------------------------------------------------
    def focal_unit(self) -> str | None:
        for task in self.tasks:
            if "đầu mối" in task.name.lower() and task.lead:
                return unit_code(task.lead[0]) or slug(task.lead[0])
        for line in self.lines:
            if m := re.search(r"\(qua\s+(phòng[^)]+)\)", line, re.I):
                return self.add_unit(m.group(1), "", line)
        return next(iter(self.units), None)


def _header_year(header: tuple[str, ...]) -> int | None:
    for cell in header:
        if m := re.search(r"năm\s+(20\d\d)", cell, re.I):
            return int(m.group(1))
    return None


def _review_name(clause: str) -> str:
    text = re.sub(r"^tổ chức\s+", "", clause.strip(" .;"), flags=re.I)
    text = re.sub(r"\s*(?:vào|trong)\s+năm\s+20\d\d.*$", "", text, flags=re.I)
    return text[:1].upper() + text[1:]


def _initials(name: str) -> str:
    return "".join(word[0] for word in strip_accents(name).split()).upper() or "DP"


def build_draft(
    lines: list[str],
    file_name: str,
    measures: tuple[Measure, ...],
    name: str | None = None,
    confidence: list[float | None] | None = None,
) -> Draft:
    """The draft plan of a document's lines (see the module docstring)."""
    b = _Builder(lines, measures, name, confidence or [None] * len(lines))
    b.run()
    official = b.locality.unit
    bare = official.bare_name if official else b.locality.written
    pid = locality_id(official) if official else slug(bare or file_name)
    prefix = _initials(bare or pid)
    b.unplaced[:0] = _locality_notes(b.locality)
    focal = b.focal_unit()
    units = list(b.units.values())
    if not units:
        b.unplaced.append("không tìm thấy đơn vị nào ở mục “Tổ chức thực hiện”")
    start, end = b.start or b.date["year"], b.end or b.date["year"]
    doc: dict[str, Any] = {
        "id": pid,
        "ward_code": official.code if official else None,
        "aliases": sorted(
            {a for a in (bare, b.locality.written, f"{official.kind} {bare}" if official else None) if a}
        ),
        "plan": {
            "number": meta.plan_number(b.lines) or "",
            "date_text": b.date["date_text"],
            "year": b.date["year"],
            "month": b.date["month"],
            **({"day": b.date["day"]} if b.date["day"] else {}),
            "signer": "",
            "signer_title": "",
            "title": b.title,
            "start_year": start,
            "end_year": end,
            "seed": file_name,
            "source": f"{b.cite}, phần mở đầu và chữ ký",
        },
    }
    doc["plan"]["signer"], doc["plan"]["signer_title"] = meta.signer(b.lines)
    doc["phases"] = _dedupe(b.phases, ("start_year", "end_year")) or [
        {
            "name": f"Năm {start}" if start == end else f"Giai đoạn {start} – {end}",
            "start_year": start,
            "end_year": end,
            "description": "",
            "source": f"{b.cite}, tiêu đề",
        }
    ]
    doc["report_deadlines"] = _dedupe(b.reports, ("day", "month"))
    doc["reviews"] = _dedupe(b.reviews, ("year", "name"))
    indicators, proposed = _indicators(b, prefix, start, end, focal)
    doc["groups"] = [g for g in b.groups.values() if any(i["group"] == g["code"] for i in indicators)]
    doc["units"] = [{"code": u.code, "name": u.name, "source": u.source} for u in b.units.values()]
    doc["indicators"] = indicators
    doc["tasks"] = _tasks(b, prefix, focal)
    doc["units"] = [{"code": u.code, "name": u.name, "source": u.source} for u in b.units.values()]
    if proposed:
        doc["proposed_measures"] = proposed
    return Draft(doc, b.unplaced)


def _locality_notes(match: LocalityMatch) -> list[str]:
    """What the review must check about the locality the importer chose."""
    official = match.unit
    if official is None:
        return [
            f"không nhận ra địa phương trong danh sách {fmt_number(len(all_units()))} đơn vị hành chính cấp xã "
            f"của cả nước (đã đọc: “{match.written or '—'}”); hãy chọn địa phương"
        ]
    notes = []
    if not match.exact:
        notes.append(f"tên địa phương viết “{match.written}”, danh sách chính thức: “{official.name}”")
    if match.others:
        why = "theo tỉnh, thành phố nêu trong kế hoạch" if match.by_province else "ưu tiên Hải Phòng"
        listed = "; ".join(u.label for u in match.others[:5]) + ("; …" if len(match.others) > 5 else "")
        notes.append(
            f"tên “{match.written}” có ở {len(match.others) + 1} đơn vị; đã chọn {official.label} ({why}); "
            f"các đơn vị khác: {listed} — hãy kiểm tra"
        )
    return notes


def _dedupe(items: list[dict], keys: tuple[str, ...]) -> list[dict]:
    seen, out = set(), []
    for item in items:
        key = tuple(item.get(k) for k in keys)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _indicators(b: _Builder, prefix: str, start: int, end: int, focal: str | None) -> tuple[list[dict], list[dict]]:
    out: list[dict] = []
    proposed: dict[str, dict] = {}
    seen: set[tuple] = set()
    numbers: dict[str, int] = {}
    for found in b.targets:
        target, block, group = found.target, found.block, found.group
        match = match_measure(target.name, target.unit, target.reduction, b.measures, target.noun)
        measure = b.by_code.get(match.code or "")
        every_year = target.every_year or bool(
            measure
            and match.confidence >= THRESHOLD
            and measure.accumulation == "sum_year"
            and target.unit == "count"
            and not target.year_column
        )
        year = start if every_year else (target.year or block.year or end)
        if match.confidence >= THRESHOLD and measure:
            code, confidence = measure.code, match.confidence
        else:
            code = slug(target.name, 40)
            confidence = match.confidence
            proposed.setdefault(code, _proposal(code, target, measure, every_year))
        key = (strip_accents(target.name), target.comparator, target.target, year)
        if key in seen:
            b.unplaced.append(f"mục {block.section}: “{target.text[:80]}” trùng một chỉ tiêu đã có, bỏ qua")
            continue
        seen.add(key)
        numbers[group] = numbers.get(group, 0) + 1
        unit = (
            b.add_unit(split_units(found.lead)[0], block.section, found.row or "")
            if found.lead
            else _responsible(b, code, proposed, focal)
        )
        out.append(
            {
                "code": f"{prefix}-{group}-{numbers[group]:02d}",
                "name": target.name,
                "text": target.text,
                "group": group,
                "measure": code,
                "measure_confidence": confidence,
                "comparator": target.comparator,
                "target": int(target.target) if float(target.target).is_integer() else target.target,
                "target_year": year,
                "every_year": every_year,
                "responsible_unit": unit,
                "source": b.source(block, target.text),
                "note": None if code in b.by_code else "Đại lượng mới đề xuất: chọn trong từ điển hoặc giữ đề xuất",
                "ocr_confidence": b.ocr_confidence(found),
                "table_row": found.row,
            }
        )
    return out, list(proposed.values())


def _responsible(b: _Builder, measure_code: str, proposed: dict[str, dict], focal: str | None) -> str:
    """The measure's usual reporting unit when the plan has it, else the plan's focal unit."""
    measure = b.by_code.get(measure_code)
    default = measure.default_unit if measure else proposed[measure_code]["default_unit"]
    if default in b.units:
        return default
    return focal or next(iter(b.units), "vhxh")


def _proposal(code: str, target: Target, near: Measure | None, every_year: bool) -> dict:
    kind = "reduction" if target.reduction else {"%": "rate", "count": "count", "yes/no": "yes_no"}[target.unit]
    return {
        "code": code,
        "name": target.name,
        "unit": target.unit,
        "kind": kind,
        "accumulation": "sum_year" if every_year and target.unit == "count" else "latest",
        "combine": {"%": "ratio", "count": "sum", "yes/no": "any"}[target.unit],
        "common_group": near.common_group if near else "cqs",
        "default_unit": "vhxh",
    }


def _tasks(b: _Builder, prefix: str, focal: str | None) -> list[dict]:
    out = []
    numbers: dict[str, int] = {}
    for task in b.tasks:
        leads = [b.add_unit(name, task.section, task.name) for name in task.lead] or ([focal] if focal else [])
        if not leads:
            b.unplaced.append(f"{task.section}: nhiệm vụ “{task.name[:80]}” chưa có đơn vị chủ trì")
            continue
        deadline = task.deadline_text
        try:
            parse_deadline(deadline)
        except DeadlineError:
            b.unplaced.append(
                f"{task.section}: thời hạn “{deadline}” của “{task.name[:60]}” không đọc được, tạm ghi “Thường xuyên”"
            )
            deadline = "Thường xuyên"
        key = re.sub(r"[^0-9A-Za-z.\-]+", "", task.key) or "NV"
        numbers[key] = numbers.get(key, 0) + 1
        out.append(
            {
                "code": f"{prefix}-{key}-{numbers[key]:02d}",
                "name": task.name,
                "section": task.section,
                "lead_units": leads,
                "coordinating_units": task.coordinating,
                "output": task.output,
                "deadline_text": deadline,
                "note": task.note,
                "source": task.source,
            }
        )
    return out
