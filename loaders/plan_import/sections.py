"""What a section of a plan is for, read from its heading titles (innermost first)."""

from __future__ import annotations

from loaders.plan_import.structure import Block
from plans.text import strip_accents

# (kind, words in a heading title without diacritics); the first rule that matches the innermost
# matching title wins, so "Phân công nhiệm vụ" is organisation and "Mục tiêu tổng quát" is general.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("closing", ("noi nhan",)),
    ("organisation", ("to chuc thuc hien", "phan cong nhiem vu")),
    ("funding", ("kinh phi",)),
    ("purpose", ("muc dich", "yeu cau", "pham vi", "doi tuong", "nguyen tac")),
    ("general", ("muc tieu tong quat", "muc tieu chung", "muc tieu tong the")),
    ("objectives", ("muc tieu", "chi tieu")),
    ("reporting", ("bao cao", "so ket", "tong ket", "kiem tra")),
    ("roadmap", ("lo trinh", "tien do")),
    ("tasks", ("nhiem vu", "giai phap", "noi dung")),
)


def section_kind(block: Block) -> str:
    """One of the RULES' kinds, or "other" (the preamble, an appendix's scoring frame…)."""
    for title in reversed(block.titles):
        folded = strip_accents(title)
        for kind, words in RULES:
            if any(word in folded for word in words):
                return kind
    return "other"
