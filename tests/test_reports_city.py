"""The city report across many localities: charts keep both ends of a long ranking and stay on a page."""
from __future__ import annotations

import io

from PIL import Image

from reports import charts
from reports.city import ends


def test_a_long_ranking_keeps_its_two_ends_and_says_how_many_are_left_out() -> None:
    rows = [(f"Xã {n:03d}", 100.0 - n * 0.5, "Tốt") for n in range(114)]
    shown = ends(rows)
    assert len(shown) == 41
    assert shown[:20] == rows[:20] and shown[21:] == rows[-20:]
    assert shown[20] == ("… 74 địa phương khác …", None, None)
    assert ends(rows[:40]) == rows[:40]


def test_the_ranking_chart_of_the_city_fits_a_page() -> None:
    """114 localities drawn in full made a chart 26 inches tall; with the gap row it is 41 bars."""
    rows = ends([(f"Xã {n:03d}", 100.0 - n * 0.5, "Tốt") for n in range(114)])
    image = Image.open(io.BytesIO(charts.ranking(rows, "Điểm KPI")))
    width, height = image.size
    assert round(height / charts.DPI, 2) == round(0.22 * 41 + 1.2, 2)
    assert height / width < 25.7 / 16.5   # A4 within the margins of Nghị định 30: 16,5 × 25,7 cm
