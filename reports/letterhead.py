"""The fixed parts of a report (Nghị định 30/2020 and how People's Committees write them, see
../shared/REPORT_FORM.md): issuing body, number and date with the number and the day left blank
for the signing day, the recipient (named in the closing sentence and first in "Nơi nhận"), the
signer and "Nơi nhận", from the plan file (the city report: the city's science and technology
department, which compiles the communes' reports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from plans.model import Plan
from plans.reporting import report_recipients, report_signer
from reports.names import place_name

CITY = "THÀNH PHỐ HẢI PHÒNG"
BLANK = " " * 6
"""Where the number and the day go, written by hand or by the signing system on the signing day."""
FILE_CODE = "Lưu: VT, VHXH."


@dataclass(frozen=True)
class Letterhead:
    """Who issues, who signs and who receives a report. ``parent``: the lines above the issuer (not
    bold); ``recipient``: who the report is sent to, and ``purpose`` what for ("để tổng hợp")."""

    parent: tuple[str, ...]
    issuer: tuple[str, ...]
    number: str
    place: str
    issuer_text: str
    recipient: str
    purpose: str
    signer_lines: tuple[str, ...]
    signer: str
    recipients: tuple[str, ...]


def date_line(place: str, day: dt.date) -> str:
    """``Tân An, ngày      tháng 12 năm 2026``: the day blank; months 1 and 2 with a leading zero
    (Nghị định 30/2020, as the header writes them)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày{BLANK}tháng {month} năm {day.year}"


def number_line(code: str) -> str:
    """``Số:      /BC-UBND``: the number blank."""
    return f"Số:{BLANK}/{code}"


def appendix_reference(head: Letterhead, day: dt.date) -> str:
    """``(Kèm theo Báo cáo số      /BC-UBND ngày      tháng 12 năm 2026 của Ủy ban nhân dân xã Tân An)``."""
    code = head.number.split("/", 1)[1]
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"(Kèm theo Báo cáo số{BLANK}/{code} ngày{BLANK}tháng {month} năm {day.year} của {head.issuer_text})"


def signer_lines(title: str) -> tuple[str, ...]:
    """``KT. Chủ tịch - Phó Chủ tịch`` → the capitalised lines of the block."""
    return tuple(part.strip().upper() for part in title.split(" - ") if part.strip())


def for_locality(plan: Plan) -> Letterhead:
    """A commune's or ward's report (``report_recipients`` and ``report_signer`` of its plan file)."""
    place = place_name(plan)
    sent_to = report_recipients(plan)
    signer = report_signer(plan)
    return Letterhead(
        parent=(CITY,),
        issuer=("ỦY BAN NHÂN DÂN", f"{plan.kind.upper()} {place.upper()}"),
        number=number_line("BC-UBND"),
        place=place,
        issuer_text=f"Ủy ban nhân dân {plan.kind} {place}",
        recipient=sent_to[0],
        purpose="để tổng hợp",
        signer_lines=signer_lines(signer.title),
        signer=signer.name,
        recipients=tuple(f"{name};" for name in sent_to) + (FILE_CODE,),
    )


def for_city() -> Letterhead:
    """The city's comparison report (Sở Khoa học và Công nghệ to the city People's Committee);
    the signer's name is left for the department to fill."""
    return Letterhead(
        parent=("ỦY BAN NHÂN DÂN", CITY),
        issuer=("SỞ KHOA HỌC", "VÀ CÔNG NGHỆ"),
        number=number_line("BC-SKHCN"),
        place="Hải Phòng",
        issuer_text="Sở Khoa học và Công nghệ",
        recipient="Ủy ban nhân dân thành phố Hải Phòng",
        purpose="để báo cáo",
        signer_lines=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        signer="",
        recipients=(
            "Ủy ban nhân dân thành phố Hải Phòng;",
            "Giám đốc, các Phó Giám đốc Sở;",
            "Các xã, phường, đặc khu;",
            "Lưu: VT, KHCN.",
        ),
    )
