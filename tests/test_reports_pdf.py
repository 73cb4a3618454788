"""Tân An's report rendered to PDF by LibreOffice, page 1 turned into a PNG for a person to look
at (test-output/reports/bao_cao_trang_1.png); the page flow read back from the PDF: no heading
alone at the foot of a page, the signature block on one page. CI installs LibreOffice (scripts/test.sh)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from page_fixtures import JUNE

from reports.blocks import Heading
from reports.build import build
from reports.pdf import to_pdf
from reports.template import SECTIONS

pytestmark = [pytest.mark.slow, pytest.mark.both_backends]  # LibreOffice
OUT = Path(__file__).resolve().parent.parent / "test-output" / "reports"


def test_report_renders_to_pdf_and_page_one_to_png(known_store, catalog):
    OUT.mkdir(parents=True, exist_ok=True)
    built = build(known_store, catalog, "tan_an", JUNE)
    (OUT / "bao_cao_tan_an_2026-06.docx").write_bytes(built.docx)
    pdf = OUT / "bao_cao_tan_an_2026-06.pdf"
    pdf.write_bytes(to_pdf(built.docx))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.3" in info and "841.89" in info  # A4 in points
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 5
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "XÃ TÂN AN",
        "BÁO CÁO",
        "/BC-UBND",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
    ):
        assert text in first
    assert "Kính gửi" not in first
    second = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert second.split()[0] == "2"  # the page number heads page 2, not page 1
    assert not first.split()[0].isdigit()
    png = OUT / "bao_cao_trang_1"
    subprocess.run(
        ["pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png)], check=True
    )
    assert png.with_suffix(".png").stat().st_size > 20_000
    assert shutil.which("soffice")
    _appendices_are_landscape_with_page_numbers(pdf, pages)
    _no_lone_heading_and_one_page_signature(pdf, pages, built.content)


def _no_lone_heading_and_one_page_signature(pdf: Path, pages: int, content) -> None:
    """No heading is the last line of a page (keep-with-next); "Nơi nhận" and the signer's name are
    on the same page (the signature block is one row that cannot split)."""
    headings = {h.split(" ", 1)[1] for h in SECTIONS.values()} | {
        b.text.split(" ", 1)[1] for blocks in content.sections.values() for b in blocks if isinstance(b, Heading)
    }
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for n in range(1, pages + 1)
    ]
    for n, text in enumerate(texts, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert not any(lines[-1].endswith(h) for h in headings), (n, lines[-1])
    signed = [n for n, text in enumerate(texts) if "Nơi nhận:" in text]
    assert len(signed) == 1 and content.letterhead.signer in texts[signed[0]]


def _appendices_are_landscape_with_page_numbers(pdf: Path, pages: int) -> None:
    """The body is A4 portrait; from "PHỤ LỤC I" on, the wide tables sit on A4 landscape pages that
    still carry their page number (png of the first one kept for a person to look at)."""
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for n in range(1, pages + 1)
    ]
    first = next(n for n, text in enumerate(texts, start=1) if "(Kèm theo Báo cáo số" in text)
    sizes = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(pages), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    size_of = {
        int(line.split()[1]): line.split(":", 1)[1]
        for line in sizes.splitlines()
        if line.startswith("Page ") and "size:" in line
    }
    assert size_of[first - 1].split()[:3] == ["595.304", "x", "841.89"]
    assert all(size_of[n].split()[:3] == ["841.89", "x", "595.304"] for n in range(first, pages + 1))
    assert texts[first - 1].split()[0] == str(first)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "70",
            "-png",
            "-f",
            str(first),
            "-l",
            str(first),
            "-singlefile",
            str(pdf),
            str(OUT / "bao_cao_phu_luc"),
        ],
        check=True,
    )
