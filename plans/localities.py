"""Official identity of Vietnam's commune-level units (vietnam-provinces, post-2025 data).

The registry has 34 provinces and 3,321 communes, wards and special zones; Hải Phòng's 114 come
first everywhere (the city this dashboard was built for), then the others in the registry's order.
Names are normalised (NFC, single spaces: the registry writes "Phường  Tân An").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from vietnam_provinces import Province, ProvinceCode, Ward

HAI_PHONG = ProvinceCode.P_31

_KIND = {"XA": "xã", "PHUONG": "phường", "DAC_KHU": "đặc khu"}


@dataclass(frozen=True)
class OfficialUnit:
    """A commune, ward or special zone as the national registry names it."""

    code: int
    name: str
    kind: str
    codename: str
    province_code: int
    province: str

    @property
    def bare_name(self) -> str:
        """The name without its kind: "Xã Kẻ Sặt" → "Kẻ Sặt", "Đặc khu Cát Hải" → "Cát Hải"."""
        return self.name.split(" ", 2 if self.kind == "đặc khu" else 1)[-1]

    @property
    def province_short(self) -> str:
        """The province without "Thành phố"/"Tỉnh": "Hải Phòng", "Đồng Nai"."""
        return re.sub(r"^(?:Thành phố|Tỉnh)\s+", "", self.province)

    @property
    def label(self) -> str:
        """How a list shows it: "Xã Tân An — Hải Phòng (11167)"."""
        return f"{self.name} — {self.province_short} ({self.code})"


def _clean(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def _kind_of(ward: Ward) -> str:
    return _KIND.get(ward.division_type.name, ward.division_type.name.lower())


@lru_cache(maxsize=1)
def all_units() -> tuple[OfficialUnit, ...]:
    """Every commune-level unit of Vietnam (3,321), Hải Phòng's first."""
    provinces = {int(p.code): _clean(p.name) for p in Province.iter_all()}
    units = [
        OfficialUnit(
            int(w.code), _clean(w.name), _kind_of(w), w.codename, int(w.province_code), provinces[int(w.province_code)]
        )
        for w in Ward.iter_all()
    ]
    return tuple(sorted(units, key=lambda u: u.province_code != HAI_PHONG))


@lru_cache(maxsize=1)
def hai_phong_units() -> tuple[OfficialUnit, ...]:
    """All commune-level units of Hải Phòng (114 after the 2025 reorganisation)."""
    return tuple(u for u in all_units() if u.province_code == HAI_PHONG)


@lru_cache(maxsize=1)
def _by_code() -> dict[int, OfficialUnit]:
    return {u.code: u for u in all_units()}


def official_unit(code: int) -> OfficialUnit:
    """The registry entry for a commune code; ``KeyError`` if the registry has no such unit."""
    try:
        return _by_code()[code]
    except KeyError:
        raise KeyError(f"mã đơn vị hành chính {code} không có trong danh mục đơn vị hành chính cấp xã") from None


@lru_cache(maxsize=1)
def provinces() -> tuple[tuple[int, str], ...]:
    """(code, name without "Thành phố"/"Tỉnh") of the 34 provinces, Hải Phòng first."""
    seen: dict[int, str] = {}
    for unit in all_units():
        seen.setdefault(unit.province_code, unit.province_short)
    return tuple(seen.items())


def _base_id(unit: OfficialUnit) -> str:
    return re.sub(r"^(?:xa|phuong|dac_khu)_", "", unit.codename)


@lru_cache(maxsize=1)
def _ids() -> dict[int, str]:
    """The plan id of every unit: Hải Phòng's bare codename ("tan_an"), others' with their province
    ("tan_an_dong_nai"); two units of one province with one codename ("Cẩm Giang", "Cẩm Giàng") add
    their code."""
    shared = Counter((u.province_code, _base_id(u)) for u in all_units())
    ids = {}
    for unit in all_units():
        base = _base_id(unit)
        if shared[(unit.province_code, base)] > 1:
            base = f"{base}_{unit.code}"
        if unit.province_code != HAI_PHONG:
            base = f"{base}_{Province.from_code(ProvinceCode(unit.province_code)).codename}"
        ids[unit.code] = base
    return ids


def locality_id(unit: OfficialUnit) -> str:
    """The id (file name of ``data/plans/<id>.yaml``) a new plan of this unit gets; unique in the country."""
    return _ids()[unit.code]
