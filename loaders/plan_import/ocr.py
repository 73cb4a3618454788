"""Read scanned pages with OCR: Debian's ``pdftoppm`` renders a page to an image, Tesseract with its
Vietnamese model (``tesseract-ocr``, ``tesseract-ocr-vie``) reads it, page by page.

Each page's words are put back on lines at their position on the page (so that a table's columns
stay apart and :mod:`loaders.plan_import.layout` can read it like a PDF's text layer), and every
line carries Tesseract's confidence (0–1): the lower of the line's mean and of its weakest word
holding a digit, since a misread number is what matters in a plan.

Bounds (environment, read at each import): ``DMST_OCR_MAX_PAGES`` pages to read (default 40;
a longer scan is refused before any page is read) and ``DMST_OCR_MAX_SECONDS`` for the whole
document (default 600; no page is started once it is spent — the first always is — and the draft
says which pages were left); one page may take :data:`PAGE_TIMEOUT` seconds and :data:`MEMORY_MB`
of memory at most. Nothing goes to the network.
"""

from __future__ import annotations

import csv
import io
import math
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loaders.plan_import.layout import Line
from plans import settings as app_settings
from plans.text import fmt_number

DPI = 300
MAX_PIXELS = 40_000_000  # an A3 page at 300 dpi is 17 million
LANGUAGE = "vie"
INSTALL = "sudo apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils"
PARAGRAPH_GAP = 0.9  # a vertical gap over this many line heights is a blank line
PAGE_TIMEOUT = 120  # seconds for one page (rendering or reading) before the document is refused
MEMORY_MB = 1536  # for pdftoppm or Tesseract on one page (an A4 page at 300 dpi needs a few hundred)
REVIEW_BELOW = 0.9  # a target read with less confidence is marked for the review to check first
_RULES = "|¦[]"  # what a table's ruling lines are read as
CELL_GAP = 1.2  # a gap between words this many characters wide or wider parts two cells
CHARS_PER_INCH = 12  # one scale on every page, so that a table's columns line up across pages

Progress = Callable[[int, int], None]
"""Called after each page: (pages read, pages to read)."""


class OcrError(RuntimeError):
    """OCR cannot run or was refused; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class OcrSettings:
    max_pages: int
    max_seconds: float


@dataclass
class OcrResult:
    """The lines of every page read (by 0-based page index), and what was left unread."""

    pages: dict[int, list[Line]] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    left: list[int] = field(default_factory=list)


def to_check(indicator: dict) -> bool:
    """Whether OCR read a draft indicator's lines with less than :data:`REVIEW_BELOW` confidence."""
    confidence = indicator.get("ocr_confidence")
    return confidence is not None and confidence < REVIEW_BELOW


def summary(doc: dict, seconds: list[float]) -> str:
    """What OCR did, for the page and the command line: pages, time per page, indicators to check first."""
    marked = [item["code"] for item in doc["indicators"] if to_check(item)]
    text = (
        f"Đã nhận dạng chữ (OCR) {len(seconds)} trang bản quét, trung bình "
        f"{fmt_number(sum(seconds) / max(1, len(seconds)))} giây/trang."
    )
    if marked:
        text += (
            f" {len(marked)} chỉ tiêu đọc chưa chắc (độ tin cậy dưới {fmt_number(REVIEW_BELOW, 2)}, dấu ⚠), "
            f"hãy đối chiếu với bản giấy trước: {', '.join(marked)}."
        )
    return text


def settings() -> OcrSettings:
    """The bounds from ``DMST_OCR_MAX_PAGES`` and ``DMST_OCR_MAX_SECONDS`` (defaults 40 and 600)."""
    return OcrSettings(app_settings.integer("DMST_OCR_MAX_PAGES"), app_settings.number("DMST_OCR_MAX_SECONDS"))


def missing() -> list[str]:
    """What this server lacks to OCR (Debian package names); [] when OCR can run."""
    lacking = [
        package
        for program, package in (("pdftoppm", "poppler-utils"), ("tesseract", "tesseract-ocr"))
        if shutil.which(program) is None
    ]
    if "tesseract-ocr" not in lacking:
        languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
        if LANGUAGE not in languages.split():
            lacking.append("tesseract-ocr-vie")
    return lacking


def _environment() -> dict[str, str]:
    """One thread per Tesseract (the server's few cores are shared) and no locale surprises."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1", "LC_ALL": "C.UTF-8"}


def _words(tsv: str) -> list[dict]:
    """The recognised words of a page; a table's ruling lines read as "|" are dropped."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip().strip(_RULES)
        if row.get("level") == "5" and text:
            words.append(
                {
                    "text": text,
                    "left": int(row["left"]),
                    "top": int(row["top"]),
                    "width": int(row["width"]),
                    "height": int(row["height"]),
                    "conf": float(row["conf"]),
                    "line": (row["block_num"], row["par_num"], row["line_num"]),
                }
            )
    return words


def _skew(words: list[dict]) -> float:
    """How much the text lines climb or fall across the page (dy/dx, the median over Tesseract's
    lines of four words or more)."""
    by_line: dict[tuple, list[dict]] = {}
    for word in words:
        by_line.setdefault(word["line"], []).append(word)
    slopes = []
    for line in by_line.values():
        if len(line) < 4:
            continue
        xs = [w["left"] + w["width"] / 2 for w in line]
        ys = [w["top"] + w["height"] for w in line]
        mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
        spread = sum((x - mean_x) ** 2 for x in xs)
        if spread:
            slopes.append(sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread)
    return statistics.median(slopes) if slopes else 0.0


def _straighten(words: list[dict]) -> list[dict]:
    """The words as on a page put straight (a scan turned by a small angle, undone)."""
    slope = _skew(words)
    return [
        {**w, "left": round(w["left"] + slope * w["top"]), "top": round(w["top"] - slope * w["left"])} for w in words
    ]


def _confidence(words: list[dict]) -> float:
    mean = statistics.fmean(w["conf"] for w in words)
    digits = [w["conf"] for w in words if any(ch.isdigit() for ch in w["text"])]
    return round(max(0.0, min([mean, *digits])) / 100, 2)


def page_lines(tsv: str) -> list[Line]:
    """A page's words (Tesseract TSV) as lines laid out by position, with their confidence.

    The page is put straight first; a word starts at its place on the page counted in characters
    (:data:`CHARS_PER_INCH`),
    one space after the word before it unless a gap of :data:`CELL_GAP` characters or more (the next
    cell of a table) puts it two spaces or more apart."""
    words = _straighten(_words(tsv))
    if not words:
        return []
    height = statistics.median(w["height"] for w in words)
    char = DPI / CHARS_PER_INCH
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["top"] + w["height"] / 2):
        middle = word["top"] + word["height"] / 2
        if rows and abs(middle - statistics.fmean(w["top"] + w["height"] / 2 for w in rows[-1])) < 0.6 * height:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines: list[Line] = []
    bottom = None
    for row in rows:
        top = min(w["top"] for w in row)
        if bottom is not None and top - bottom > PARAGRAPH_GAP * height:
            lines.append(Line(""))
        bottom = max(w["top"] + w["height"] for w in row)
        text, right = "", 0
        for word in sorted(row, key=lambda w: w["left"]):
            column = max(0, round(word["left"] / char))
            if not text:
                text = " " * column
            elif word["left"] - right >= CELL_GAP * char:
                text += " " * max(2, column - len(text))
            else:
                text += " "
            text += word["text"]
            right = word["left"] + word["width"]
        lines.append(Line(text, _confidence(row)))
    return lines


def _run(command: list[str]) -> str:
    """A program's output, run with at most :data:`MEMORY_MB` of memory (``prlimit``, util-linux) and
    :data:`PAGE_TIMEOUT` seconds: the page comes from an uploaded file."""
    bounded = ["prlimit", f"--as={MEMORY_MB * 1024 * 1024}", "--", *command] if shutil.which("prlimit") else command
    done = subprocess.run(bounded, capture_output=True, text=True, timeout=PAGE_TIMEOUT, env=_environment())
    if done.returncode != 0:
        raise OcrError(f"{command[0]} dừng với lỗi (mã {done.returncode}): {done.stderr.strip()[:200]}")
    return done.stdout


def dpi_for(width: float, height: float) -> int:
    """The resolution to render a page of this size (in points) at: :data:`DPI`, lower for a page so
    large that it would make more than :data:`MAX_PIXELS` pixels (a hostile or odd PDF)."""
    pixels = (width / 72 * DPI) * (height / 72 * DPI)
    return DPI if pixels <= MAX_PIXELS else max(1, int(DPI * math.sqrt(MAX_PIXELS / pixels)))


def read_pages(
    pdf: bytes,
    pages: dict[int, tuple[float, float]],
    name: str,
    bounds: OcrSettings | None = None,
    progress: Progress | None = None,
) -> OcrResult:
    """OCR the given pages of a PDF (0-based index → width and height in points), in order,
    within the bounds."""
    bounds = bounds or settings()
    lacking = missing()
    if lacking:
        raise OcrError(
            f"{name}: tệp PDF này là bản quét (ảnh), cần nhận dạng chữ (OCR) nhưng máy chủ chưa cài "
            f"{', '.join(lacking)}. Người quản trị máy chủ cài bằng lệnh: {INSTALL}; hoặc gửi bản Word "
            "(.docx) hay PDF có chữ (xuất trực tiếp từ Word)."
        )
    order = sorted(pages)
    if len(pages) > bounds.max_pages:
        raise OcrError(
            f"{name}: bản quét có {len(pages)} trang cần nhận dạng chữ, quá giới hạn {bounds.max_pages} "
            "trang (DMST_OCR_MAX_PAGES). Hãy tách riêng phần kế hoạch và phụ lục chỉ tiêu, nhiệm vụ "
            "rồi tải lên, hoặc nâng giới hạn."
        )
    result = OcrResult()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dmst-ocr-") as tmp:
        source = Path(tmp) / "plan.pdf"
        source.write_bytes(pdf)
        for done, page in enumerate(order):
            if done and time.monotonic() - started >= bounds.max_seconds:
                result.left = order[done:]
                break
            tic = time.monotonic()
            image = Path(tmp) / "page"
            try:
                _run(
                    [
                        "pdftoppm",
                        "-r",
                        str(dpi_for(*pages[page])),
                        "-gray",
                        "-png",
                        "-singlefile",
                        "-f",
                        str(page + 1),
                        "-l",
                        str(page + 1),
                        str(source),
                        str(image),
                    ]
                )
                tsv = _run(["tesseract", f"{image}.png", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"])
            except subprocess.TimeoutExpired as err:
                raise OcrError(
                    f"{name}: trang {page + 1} không nhận dạng được chữ trong {PAGE_TIMEOUT} giây; "
                    "hãy kiểm tra bản quét (trang quá lớn hoặc hỏng)"
                ) from err
            except OcrError as err:
                raise OcrError(
                    f"{name}: trang {page + 1} không nhận dạng được chữ ({err}); hãy kiểm tra bản quét "
                    "(trang quá lớn hoặc hỏng)"
                ) from err
            result.pages[page] = page_lines(tsv)
            result.seconds.append(time.monotonic() - tic)
            if progress:
                progress(done + 1, len(pages))
    return result
