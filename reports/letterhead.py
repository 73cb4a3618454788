"""The fixed parts of a Nghị định 30/2020 report: issuing body, number, place and date,
recipient, signer and "Nơi nhận", from the plan file (the city report: the city's science and
technology department, which compiles the communes' reports).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from plans.model import Plan

CITY = "THÀNH PHỐ HẢI PHÒNG"
UPWARD = "Sở Khoa học và Công nghệ thành phố Hải Phòng"
FILE_CODE = "Lưu: VT, VHXH."


@dataclass(frozen=True)
class Letterhead:
    """Who issues, who signs and who receives a report."""

    parent: str
    issuer: tuple[str, ...]
    number: str
    place: str
    recipient: str
    issuer_text: str
    signer_lines: tuple[str, ...]
    signer: str
    recipients: tuple[str, ...]


def place_name(plan: Plan) -> str:
    """``Xã Tân An`` → ``Tân An``."""
    first, _, rest = plan.name.partition(" ")
    return rest if first.lower() == plan.kind and rest else plan.name


def date_line(place: str, day: dt.date) -> str:
    """``Tân An, ngày 01 tháng 12 năm 2026``: days below 10 and months 1–2 with a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def signer_lines(title: str) -> tuple[str, ...]:
    """``TM. Ủy ban nhân dân - KT. Chủ tịch - Phó Chủ tịch`` → the capitalised lines of the block."""
    return tuple(part.strip().upper() for part in title.split(" - ") if part.strip())


def for_locality(plan: Plan) -> Letterhead:
    """A commune's or ward's report to the city."""
    place = place_name(plan)
    meta = plan.meta
    return Letterhead(
        parent=CITY, issuer=("ỦY BAN NHÂN DÂN", f"{plan.kind.upper()} {place.upper()}"),
        number="Số:        /BC-UBND", place=place, recipient=UPWARD,
        issuer_text=f"Ủy ban nhân dân {plan.kind} {place}",
        signer_lines=signer_lines(str(meta.get("signer_title") or "TM. Ủy ban nhân dân - Chủ tịch")),
        signer=str(meta.get("signer") or ""),
        recipients=("Như trên;", "Sở Khoa học và Công nghệ thành phố (để báo cáo);", "Thường trực Đảng ủy;",
                    f"Lãnh đạo UBND {plan.kind};", f"Các phòng, cơ quan, đơn vị trên địa bàn {plan.kind};", FILE_CODE),
    )


def for_city() -> Letterhead:
    """The city's comparison report (Sở Khoa học và Công nghệ to the city People's Committee);
    the signer's name is left for the department to fill."""
    return Letterhead(
        parent="ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", issuer=("SỞ KHOA HỌC VÀ CÔNG NGHỆ",),
        number="Số:        /BC-SKHCN", place="Hải Phòng", recipient="Ủy ban nhân dân thành phố Hải Phòng",
        issuer_text="Sở Khoa học và Công nghệ", signer_lines=("GIÁM ĐỐC",), signer="",
        recipients=("Như trên;", "Các xã, phường, đặc khu;", "Lưu: VT, KHCN."),
    )
