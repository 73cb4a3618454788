"""Read a plan document and propose a draft plan file (``data/plans/<id>.yaml``) for review.

The pipeline follows the modules: ``extract`` (document → lines; ``ocr`` for scanned pages, ``layout``
for tables laid out with spaces and wrapped lines) → ``cleanup`` (messy text) →
``structure`` (headings, items, tables) → ``sections`` (what each part is for) → ``indicators``,
``target_table``, ``tasks``, ``units``, ``meta`` (the rules) → ``measures`` (dictionary match) → ``draft`` (the
YAML). :func:`import_plan` is the one entry point for the command line and the page.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from loaders.plan_import.draft import Draft, build_draft
from loaders.plan_import.extract import SUFFIXES, ExtractError, extract
from loaders.plan_import.ocr import Progress
from plans.model import Measure

__all__ = ["Draft", "ExtractError", "Progress", "SUFFIXES", "import_plan", "measure_refs", "to_yaml"]


def measure_refs(measures_file: Path) -> tuple[Measure, ...]:
    """The measure dictionary, as the catalog reads it (``plans.catalog``)."""
    doc = yaml.safe_load(measures_file.read_text(encoding="utf-8"))
    return tuple(Measure(**m) for m in doc["measures"])


def import_plan(
    data: bytes, file_name: str, measures_file: Path, name: str | None = None, progress: Progress | None = None
) -> Draft:
    """The draft of one plan document; ``ExtractError`` when it cannot be read as text.
    ``progress`` hears of each scanned page read by OCR (pages read, pages to read)."""
    extracted = extract(data, file_name, progress)
    if not any(line.strip() for line in extracted.lines):
        raise ExtractError(f"{file_name}: tài liệu không có chữ nào")
    draft = build_draft(extracted.lines, file_name, measure_refs(measures_file), name, extracted.confidence)
    draft.unplaced[:0] = extracted.notes
    draft.ocr_seconds = extracted.ocr_seconds
    return draft


def to_yaml(doc: dict) -> str:
    """The draft as YAML, keys in the order of data/plans/*.yaml, Vietnamese left readable."""
    header = (
        "# Bản nháp do `python -m loaders plan-import` đề xuất từ kế hoạch gốc: cần rà soát trước khi dùng.\n"
        "# measure_confidence: độ tin cậy khi ghép với từ điển đại lượng (0–1); proposed_measures: đại lượng\n"
        "# mới đề xuất cho chỉ tiêu không ghép được.\n"
    )
    return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
