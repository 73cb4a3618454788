"""The city report across many localities: charts keep both ends of a long ranking and stay on a page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from page_fixtures import JUNE
from PIL import Image

from plans.palette import SERIES_COLOURS, locality_colours
from reports import charts
from reports.blocks import Chart, Table
from reports.build import CITY, build
from reports.city import ends, extremes

pytestmark = pytest.mark.both_backends


def test_a_long_ranking_keeps_its_two_ends_and_says_how_many_are_left_out() -> None:
    rows = [(f"Xã {n:03d}", 100.0 - n * 0.5, "Tốt") for n in range(114)]
    shown = ends(rows)
    assert len(shown) == 41
    assert shown[:20] == rows[:20] and shown[21:] == rows[-20:]
    assert shown[20] == ("… 74 địa phương khác …", None, None)
    assert ends(rows[:40]) == rows[:40]


def test_the_ranking_chart_of_the_city_fits_a_page() -> None:
    """114 localities drawn in full made a chart 26 inches tall; with the gap row it is 41 bars."""
    rows = ends([(f"Xã {n:03d}", 100.0 - n * 0.5, "Tốt", "#0072B2") for n in range(114)])
    image = Image.open(io.BytesIO(charts.ranking(rows, "Điểm KPI")))
    width, height = image.size
    assert round(height / charts.DPI, 2) == round(0.22 * 41 + 1.2, 2)
    assert height / width < 25.7 / 16.5  # A4 within the margins of Nghị định 30: 16,5 × 25,7 cm


def _bars(png: bytes, colour: str) -> int:
    """How many horizontal bars of ``colour`` (#rrggbb) a chart draws: runs of image rows holding it."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    width, height = image.size
    pixels = image.load()
    rows = [any(pixels[x, y] == target for x in range(width)) for y in range(height)]
    return sum(1 for y in range(height) if rows[y] and (y == 0 or not rows[y - 1]))


def test_two_localities_with_one_name_get_a_bar_each() -> None:
    """Names repeat across the country (many a Xã Tân An): bars are placed by rank, not by name."""
    colour = SERIES_COLOURS[2]
    rows = [
        ("Xã Tân An", 90.0, "Xuất sắc", colour),
        ("Xã Hà Nam", 60.0, "Khá", colour),
        ("Xã Tân An", 30.0, "Chưa đạt", colour),
    ]
    assert _bars(charts.ranking(rows, "Điểm KPI"), colour) == 3
    rates = [("Xã Tân An", 40.0, colour), ("Xã Hà Nam", 70.0, colour), ("Xã Tân An", 100.0, colour)]
    assert _bars(charts.submission_rates(rates, "Tỷ lệ"), colour) == 3


def test_each_locality_has_its_app_colour_in_the_reports_charts() -> None:
    colours = locality_colours(["tan_an", "hung_dao", "binh_giang"])
    rows = [("Xã Bình Giang", 80.0, "Tốt", colours["binh_giang"]), ("Xã Tân An", 70.0, "Khá", colours["tan_an"])]
    png = charts.ranking(rows, "Điểm KPI")
    assert _bars(png, colours["binh_giang"]) == 1 and _bars(png, colours["tan_an"]) == 1
    assert _bars(png, colours["hung_dao"]) == 0


@pytest.mark.parametrize(
    "known, best, worst",
    [
        # a tie: one locality is not both the highest and the lowest (was: "Xã A (100%)" in both columns)
        ([("Xã A", 1.0), ("Xã B", 1.0)], "Xã A, Xã B (100%)", ""),
        ([("Xã A", 0.5)], "Xã A (50%)", ""),
        ([("Xã A", 0.5), ("Xã B", 0.8), ("Xã C", 0.5)], "Xã B (80%)", "Xã A, Xã C (50%)"),
        ([], "", ""),
    ],
)
def test_highest_and_lowest_of_the_shared_indicators(known, best, worst):
    assert extremes(known) == (best, worst)


def test_city_report_form(known_store, catalog):
    """The department's letterhead in lines that do not break inside a name ("THÀNH / PHỐ"), the
    framework titled for no single locality, the recipient named in the closing sentence."""
    content = build(known_store, catalog, CITY, JUNE, today=dt.date(2026, 7, 10)).content
    head = content.letterhead
    assert head.parent == ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẢI PHÒNG") and head.issuer == ("SỞ KHOA HỌC", "VÀ CÔNG NGHỆ")
    text = "\n".join(getattr(b, "text", "") for blocks in content.sections.values() for b in blocks)
    assert "Bộ chỉ số đánh giá “Xã, phường đổi mới sáng tạo”" in text and "Nam Thanh Miện đổi mới" not in text
    assert content.closing.endswith("gửi Ủy ban nhân dân thành phố Hải Phòng để báo cáo./.")
    assert not any(isinstance(b, (Table, Chart)) for blocks in content.sections.values() for b in blocks)
    assert len(content.charts) == 3
