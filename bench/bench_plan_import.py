"""How well the plan importer reads plans in every shape they come in, and how long OCR takes a page.

    .venv/bin/python -m bench.bench_plan_import [--seeds ../shared/seeds] [--show-misses] [--ocr-seeds N]

First the five seed plans as text, each against its hand-made data/plans/*.yaml (targets, tasks,
units). Then recall and precision of the targets per shape: the seeds as text, as PDFs with a text
layer (Word file → LibreOffice) and as scans (pages rendered to images, read with OCR; the first
``--ocr-seeds`` seeds, all by default, 0 for none); the appendix plan of bench/plan_documents.py (28
targets read by hand) as a Word file, as tab-separated text, as text laid out with spaces, as a
PDF with text and as a scan. OCR seconds per page are printed for the scanned shapes.

For each plan the importer's draft is compared with the hand-made one:

- targets: a draft indicator and a hand-made one are paired by the similarity of their name and
  sentence (syllables without diacritics, best pairs first, at least 0.5); a pair is right when
  comparator, target and year are the same. Recall = right pairs ÷ hand-made indicators,
  precision = right pairs ÷ draft indicators.
- tasks: paired the same way; right when the lead units and the deadline (as parsed) are the same.
- units: the unit codes found ÷ the hand-made ones (recall) and the codes proposed that the
  hand-made file also has (precision).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.plan_documents import EXPECTED, scanned, seed_docx, table_plan_docx, table_plan_lines
from loaders.plan_import import Draft, import_plan
from plans.catalog import DATA_DIR
from plans.deadlines import DeadlineError, parse_deadline
from plans.text import strip_accents
from reports.pdf import to_pdf

ROOT = Path(__file__).resolve().parent.parent
PAIR_THRESHOLD = 0.5


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", strip_accents(text)))


def similarity(a: dict, b: dict) -> float:
    """Overlap of two items' names and sentences (the larger of name–name and text–text)."""
    best = 0.0
    for key in ("name", "text"):
        x, y = _words(a.get(key) or ""), _words(b.get(key) or "")
        if x and y:
            best = max(best, len(x & y) / min(len(x), len(y)) * (len(x & y) / max(len(x), len(y))) ** 0.5)
    return best


def pair(
    gold: list[dict], draft: list[dict], same: Callable[[dict, dict], bool] | None = None
) -> list[tuple[dict, dict]]:
    """Best one-to-one pairs by similarity (greedy, most similar first; between equally similar
    ones, such as the year columns of one row, a pair that is ``same`` first)."""
    scored = sorted(
        (
            (similarity(g, d), bool(same and same(g, d)), -i, -j)
            for i, g in enumerate(gold)
            for j, d in enumerate(draft)
        ),
        reverse=True,
    )
    used_g, used_d, pairs = set(), set(), []
    for score, _, i, j in scored:
        i, j = -i, -j
        if score < PAIR_THRESHOLD:
            break
        if i in used_g or j in used_d:
            continue
        used_g.add(i)
        used_d.add(j)
        pairs.append((gold[i], draft[j]))
    return pairs


def same_target(g: dict, d: dict) -> bool:
    return (
        g["comparator"] == d["comparator"]
        and float(g["target"]) == float(d["target"])
        and int(g["target_year"]) == int(d["target_year"])
    )


def _deadline(text: str):
    try:
        return parse_deadline(text)
    except DeadlineError:
        return text


def _same_task(g: dict, d: dict) -> bool:
    return set(g["lead_units"]) == set(d["lead_units"]) and _deadline(g["deadline_text"]) == _deadline(
        d["deadline_text"]
    )


def _ratio(n: int, d: int) -> float:
    return n / d if d else 1.0


def target_counts(gold: list[dict], draft: list[dict], show: bool) -> dict:
    """Targets of a draft against the hand-made ones: counts, recall, precision (and misses printed)."""
    pairs = pair(gold, draft, same_target)
    right = [(g, d) for g, d in pairs if same_target(g, d)]
    if show:
        paired_gold = {id(g) for g, _ in right}
        paired_draft = {id(d) for _, d in right}
        for g in gold:
            if id(g) not in paired_gold:
                d = next((d for gg, d in pairs if gg is g), None)
                got = f"{d['comparator']} {d['target']} {d['target_year']}" if d else "không tìm thấy"
                print(
                    f"    thiếu  {g.get('code', ''):10} {g['comparator']} {g['target']} {g['target_year']} ← {got}: "
                    f"{g['text'][:70]}"
                )
        for d in draft:
            if id(d) not in paired_draft:
                print(f"    thừa   {d['code']:10} {d['comparator']} {d['target']} {d['target_year']}: {d['text'][:70]}")
    return {
        "gold": len(gold),
        "draft": len(draft),
        "right": len(right),
        "recall": _ratio(len(right), len(gold)),
        "precision": _ratio(len(right), len(draft)),
    }


def compare(gold: dict, draft: dict, show: bool) -> dict:
    targets = target_counts(gold["indicators"], draft["indicators"], show)
    task_pairs = pair(gold["tasks"], draft["tasks"], _same_task)
    task_right = [(g, d) for g, d in task_pairs if _same_task(g, d)]
    gold_units, draft_units = {u["code"] for u in gold["units"]}, {u["code"] for u in draft["units"]}
    if show:
        for g, d in task_pairs:
            if (g, d) not in task_right:
                print(
                    f"    nhiệm vụ {g['code']}: {g['lead_units']} {g['deadline_text']} "
                    f"← {d['lead_units']} {d['deadline_text']}"
                )
    return {
        **targets,
        "tasks_gold": len(gold["tasks"]),
        "tasks_draft": len(draft["tasks"]),
        "tasks_right": len(task_right),
        "units_gold": len(gold_units),
        "units_draft": len(draft_units),
        "units_right": len(gold_units & draft_units),
    }


@dataclass
class Shape:
    """One shape's totals over its documents."""

    name: str
    gold: int = 0
    draft: int = 0
    right: int = 0
    seconds: float = 0.0
    ocr_pages: list[float] = field(default_factory=list)

    def add(self, label: str, gold: list[dict], doc: Draft, seconds: float, show: bool) -> None:
        if show:
            print(f"  {label} ({self.name}):")
        counts = target_counts(gold, doc.doc["indicators"], show)
        self.gold, self.draft, self.right = (
            self.gold + counts["gold"],
            self.draft + counts["draft"],
            self.right + counts["right"],
        )
        self.seconds += seconds
        self.ocr_pages += doc.ocr_seconds

    def line(self) -> str:
        ocr = (
            f"{statistics.fmean(self.ocr_pages):>6.2f} {max(self.ocr_pages):>6.2f} {len(self.ocr_pages):>4}"
            if self.ocr_pages
            else f"{'—':>6} {'—':>6} {'—':>4}"
        )
        return (
            f"{self.name:38} {self.gold:>5}/{self.draft:>4}/{self.right:>4} {_ratio(self.right, self.gold):>8.1%} "
            f"{_ratio(self.right, self.draft):>9.1%} {self.seconds:>7.1f}  {ocr}"
        )


def _timed(data: bytes, name: str) -> tuple[Draft, float]:
    tic = time.perf_counter()
    draft = import_plan(data, name, DATA_DIR / "measures.yaml")
    return draft, time.perf_counter() - tic


def shapes(seeds: list[tuple[Path, dict]], ocr_seeds: int, show: bool) -> list[Shape]:
    """Every shape's totals (see the module docstring)."""
    text, pdf, scan = Shape("văn xuôi, .txt"), Shape("văn xuôi, PDF có chữ"), Shape("văn xuôi, bản quét (OCR)")
    for index, (seed, gold) in enumerate(seeds):
        text.add(gold["id"], gold["indicators"], *_timed(seed.read_bytes(), seed.name), show)
        with_text = to_pdf(seed_docx(seed))
        pdf.add(gold["id"], gold["indicators"], *_timed(with_text, seed.with_suffix(".pdf").name), show)
        if index < ocr_seeds:
            scan.add(gold["id"], gold["indicators"], *_timed(scanned(with_text), seed.with_suffix(".pdf").name), show)
    expected = [
        {"name": name, "text": name, "comparator": c, "target": t, "target_year": y} for name, c, t, y, _ in EXPECTED
    ]
    docx = table_plan_docx()
    table_pdf = to_pdf(docx)
    tables = [
        ("bảng phụ lục, .docx", docx, "kh.docx"),
        ("bảng phụ lục, chữ cách bằng tab", "\n".join(table_plan_lines("tabs")).encode(), "kh.txt"),
        ("bảng phụ lục, chữ cách bằng dấu cách", "\n".join(table_plan_lines("spaces")).encode(), "kh.txt"),
        ("bảng phụ lục, PDF có chữ", table_pdf, "kh.pdf"),
    ]
    if ocr_seeds:
        tables.append(("bảng phụ lục, bản quét (OCR)", scanned(table_pdf), "kh.pdf"))
    out = [text, pdf, *([scan] if ocr_seeds else [])]
    for name, data, file_name in tables:
        shape = Shape(name)
        shape.add("Gia Lộc", expected, *_timed(data, file_name), show)
        out.append(shape)
    return out


def _seed_dir() -> Path:
    """The shared seeds beside the repository (or beside the worktrees' folder)."""
    return next(
        (d for d in (ROOT.parent / "shared" / "seeds", ROOT.parent.parent / "shared" / "seeds") if d.is_dir()),
        ROOT.parent / "shared" / "seeds",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=_seed_dir())
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--ocr-seeds", type=int, default=5, help="how many seed plans to scan and OCR (0: none)")
    args = parser.parse_args(argv)
    plans = {
        yaml.safe_load(p.read_text(encoding="utf-8"))["plan"]["seed"]: p for p in (DATA_DIR / "plans").glob("*.yaml")
    }
    seeds = [
        (seed, yaml.safe_load(plans[seed.name].read_text(encoding="utf-8")))
        for seed in sorted(args.seeds.glob("*.txt"))
        if seed.name in plans
    ]
    if not seeds:
        parser.error(f"không có kế hoạch mẫu nào trong {args.seeds}")
    rows, totals = [], {}
    started = time.perf_counter()
    for seed, gold in seeds:
        tic = time.perf_counter()
        draft = import_plan(seed.read_bytes(), seed.name, DATA_DIR / "measures.yaml").doc
        seconds = time.perf_counter() - tic
        if args.show_misses:
            print(f"  {gold['id']}:")
        result = compare(gold, draft, args.show_misses)
        rows.append((gold["id"], result, seconds))
        for key, value in result.items():
            if isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
    head = (
        f"{'địa phương':16} {'chỉ tiêu (mẫu/nháp/đúng)':>25} {'recall':>7} {'precision':>9}  "
        f"{'nhiệm vụ (mẫu/nháp/đúng)':>25} {'đơn vị (mẫu/nháp/đúng)':>23} {'giây':>5}"
    )
    print(head)
    print("-" * len(head))
    for pid, r, seconds in rows:
        print(
            f"{pid:16} {r['gold']:>11}/{r['draft']:>3}/{r['right']:>3}      "
            f"{r['recall']:>7.1%} {r['precision']:>9.1%}  "
            f"{r['tasks_gold']:>13}/{r['tasks_draft']:>3}/{r['tasks_right']:>3}      "
            f"{r['units_gold']:>13}/{r['units_draft']:>2}/{r['units_right']:>2}      {seconds:>5.2f}"
        )
    t = totals
    print("-" * len(head))
    print(
        f"{'tổng':16} {t['gold']:>11}/{t['draft']:>3}/{t['right']:>3}      {_ratio(t['right'], t['gold']):>7.1%} "
        f"{_ratio(t['right'], t['draft']):>9.1%}  "
        f"{t['tasks_gold']:>13}/{t['tasks_draft']:>3}/{t['tasks_right']:>3}      "
        f"{t['units_gold']:>13}/{t['units_draft']:>2}/{t['units_right']:>2}      {time.perf_counter() - started:>5.2f}"
    )
    print(
        f"nhiệm vụ đúng (chủ trì và thời hạn): recall {_ratio(t['tasks_right'], t['tasks_gold']):.1%}, precision "
        f"{_ratio(t['tasks_right'], t['tasks_draft']):.1%}; "
        f"đơn vị: recall {_ratio(t['units_right'], t['units_gold']):.1%}, "
        f"precision {_ratio(t['units_right'], t['units_draft']):.1%}"
    )
    print()
    head = (
        f"{'dạng tài liệu':38} {'chỉ tiêu mẫu/nháp/đúng':>16} {'recall':>8} {'precision':>9} {'giây':>7}  "
        f"{'OCR giây/trang (tb, max, số trang)':>20}"
    )
    print(head)
    print("-" * len(head))
    for shape in shapes(seeds, args.ocr_seeds, args.show_misses):
        print(shape.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
