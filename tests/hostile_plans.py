"""What the hostile-document tests run in a fresh interpreter: the plan importer's readers."""

from __future__ import annotations

from loaders.plan_import.extract import extract


def extract_docx(data: bytes) -> list[str]:
    return extract(data, "ke_hoach.docx").lines


def extract_pdf(data: bytes) -> list[str]:
    return extract(data, "ke_hoach.pdf").lines
