"""Official identity of Hải Phòng's commune-level units (vietnam-provinces, post-2025 data)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vietnam_provinces import ProvinceCode, Ward

HAI_PHONG = ProvinceCode.P_31

_KIND = {"XA": "xã", "PHUONG": "phường", "DAC_KHU": "đặc khu"}


@dataclass(frozen=True)
class OfficialUnit:
    """A commune, ward or special zone as the national registry names it."""

    code: int
    name: str
    kind: str
    codename: str


def _kind_of(ward: Ward) -> str:
    return _KIND.get(ward.division_type.name, ward.division_type.name.lower())


@lru_cache(maxsize=1)
def hai_phong_units() -> tuple[OfficialUnit, ...]:
    """All commune-level units of Hải Phòng (114 after the 2025 reorganisation)."""
    return tuple(
        OfficialUnit(int(w.code), " ".join(w.name.split()), _kind_of(w), w.codename)
        for w in Ward.iter_by_province(HAI_PHONG)
    )


def official_unit(code: int) -> OfficialUnit:
    """The registry entry for a commune code; ``KeyError`` if it is not in Hải Phòng."""
    for unit in hai_phong_units():
        if unit.code == code:
            return unit
    raise KeyError(f"mã đơn vị hành chính {code} không thuộc Hải Phòng")
