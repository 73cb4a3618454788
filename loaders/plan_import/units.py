"""Units of a plan: named in "Tổ chức thực hiện" and in the lead/coordinating columns of task tables.

A commune's units follow the national pattern after the 2025 reorganisation (Văn phòng HĐND và
UBND, Phòng Văn hóa - Xã hội, Phòng Kinh tế, Công an, Trung tâm Phục vụ hành chính công,
Trung tâm Dịch vụ sự nghiệp công, thôn/tổ dân phố, Mặt trận and the mass organisations); each
known kind gets the code the measure dictionary already uses as ``default_unit``. Others get a
code made from their name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plans.text import strip_accents

KNOWN_UNITS: tuple[tuple[str, str], ...] = (
    # (code, pattern over the name without diacritics, lower case)
    ("vp", r"\bvan phong\b|\bvp\b"),
    ("vhxh", r"van hoa\s*[-–&,]?\s*xa hoi|vh\s*-?\s*xh"),
    ("kt", r"phong kinh te"),
    ("ttpvhcc", r"phuc vu hanh chinh cong|\btt\s*pvhcc\b|\bpvhcc\b"),
    ("ttdvsnc", r"dich vu su nghiep cong|\btt\s*dvsn"),
    ("ca", r"\bcong an (?:xa|phuong|dac khu)\b|^cong an$"),
    ("bchqs", r"quan su"),
    ("mttq", r"mat tran|mttq"),
    ("doan_tn", r"doan thanh nien"),
    ("hoi_nd", r"hoi nong dan"),
    ("hoi_pn", r"hoi phu nu|hoi lien hiep phu nu"),
    ("hoi_ccb", r"cuu chien binh"),
    ("doan_the_khac", r"doan the khac|to chuc hoi"),
    ("thon", r"^(?:cac )?(?:thon|to dan pho|khu dan cu)\b"),
    ("cac_don_vi", r"^(?:thu truong )?cac (?:phong|co quan|don vi|ban)|phong chuyen mon"),
    ("ubnd", r"^(?:ubnd|uy ban nhan dan)(?: xa| phuong| dac khu)?$"),
)
_ORG_PREFIX = re.compile(r"^(?:đề nghị|giao|đối với)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    source: str


def unit_code(name: str) -> str | None:
    """The code of a unit named ``name`` ("Phòng VH-XH" → "vhxh"), None if not a known kind."""
    folded = strip_accents(_ORG_PREFIX.sub("", name)).strip(" .:;,")
    for code, pattern in KNOWN_UNITS:
        if re.search(pattern, folded):
            return code
    return None


def slug(name: str, limit: int = 24) -> str:
    """An ASCII code made from a name ("Ban Chỉ đạo xã" → "ban_chi_dao_xa")."""
    words = re.findall(r"[a-z0-9]+", strip_accents(name))
    return "_".join(words)[:limit].strip("_") or "don_vi"


def looks_like_unit(text: str) -> bool:
    """Does a heading or an opening phrase name a unit (rather than a topic)?"""
    return unit_code(text) is not None or bool(
        re.match(
            r"^(?:đề nghị\s+)?(?:phòng|ban|trung tâm|văn phòng|công an|hội|đoàn|ủy ban|ubnd|các thôn|thôn|"
            r"tổ dân phố|các tổ chức|các phòng|các cơ quan)\b",
            text,
            re.IGNORECASE,
        )
    )


def split_units(cell: str) -> list[str]:
    """Names in a lead/coordinating cell: "Phòng Văn hóa -Xã hội; Phòng Kinh tế," → two names."""
    parts = re.split(r";|\n|,\s*(?=(?:Phòng|Trung tâm|Văn phòng|Công an|Ban|Hội|Đoàn|UBND|Ủy ban|TT|VP)\b)", cell)
    return [p.strip(" ,.;") for p in parts if p.strip(" ,.;")]
