"""The report's charts drawn as a reader needs them: a month axis that spans the months shown with
labels that do not overlap, whole numbers for counts, each path to target starting where the app
starts it (``scoring.attainment.path_start``)."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from plans import vocabulary as vocab
from plans.periods import Period
from reports import charts
from reports.appendix import lagging_paths
from reports.lines import IndicatorLine
from reports.projection import verdict

pytestmark = pytest.mark.both_backends


def months(first: str, count: int) -> tuple[str, ...]:
    start = Period.parse(first)
    return tuple(str(start.shift(n)) for n in range(count))


def figure(count: int, whole: bool = False, values: tuple[float, ...] | None = None):
    shown = months("2026-01", count)
    path = charts.SeriesPath(
        "Tỷ lệ (chậm tiến độ)",
        shown,
        values or tuple(float(n) for n in range(count)),
        ("2025-12", 0.0),
        100.0,
        "2030-12",
        whole,
    )
    fig = charts.lagging_figure([path], "Chỉ tiêu còn chậm")
    FigureCanvasAgg(fig).draw()
    return fig, fig.axes[0]


@pytest.mark.parametrize("count", [2, 6, 12, 24])
def test_the_month_axis_spans_the_months_shown_not_the_target_year(count):
    """Was: six months squeezed against an axis running to 12/2030."""
    _, ax = figure(count)
    low, high = ax.get_xlim()
    assert high <= charts._month(months("2026-01", count)[-1]) + 0.5
    assert low >= charts._month("2025-12") - 0.5
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) <= charts.MAX_MONTH_TICKS and labels[-1] == f"{(count - 1) % 12 + 1}/{2026 + (count - 1) // 12}"
    assert not any(label.endswith("/2030") for label in labels)


@pytest.mark.parametrize("count", [6, 12, 24])
def test_month_labels_do_not_overlap(count):
    fig, ax = figure(count)
    boxes = [t.get_window_extent(fig.canvas.get_renderer()) for t in ax.get_xticklabels() if t.get_text()]
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:]))


@pytest.mark.parametrize("values", [(0, 1, 1, 1, 1, 1), (1, 1, 1, 1, 1, 1), (2, 5, 9, 12, 14, 15)])
def test_a_count_is_drawn_on_whole_numbers(values):
    """Was: a count of 0 then 1 incident drawn on a 0.0–1.0 axis (and one flat at 1 on 0,996 … 1,036)."""
    _, ax = figure(6, whole=True, values=values)
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks) and ax.get_ylim()[0] >= 0  # no −1 for a count
    assert all(
        float(t).is_integer()
        for t in charts.status_counts_figure({"Đạt": (2, "#009E73"), "Chậm tiến độ": (1, "#D55E00")}, "t")
        .axes[0]
        .get_yticks()
    )


def line(baseline: float, baseline_period: Period, comparator: str = ">=", target: float = 80.0) -> IndicatorLine:
    series = pd.Series({"2026-01": baseline, "2026-02": baseline - 2, "2026-03": baseline - 3})
    return IndicatorLine(
        code="X-1",
        name="Tỷ lệ",
        group="a",
        measure="m",
        unit="%",
        comparator=comparator,
        target=target,
        target_year=2030,
        every_year=False,
        accumulation="latest",
        responsible_unit="vhxh",
        actual=baseline - 3,
        baseline=baseline,
        baseline_period=baseline_period,
        attainment=0.5,
        status=vocab.REGRESSING,
        noun="",
        before=None,
        before_label="",
        series=series,
        projection=None,
        verdict=verdict(vocab.REGRESSING, comparator, None),
    )


@pytest.mark.parametrize(
    "baseline, start",
    [
        (50.0, ("2026-01", 50.0)),  # room to the target: the path starts at the first report
        (90.0, ("2026-01", 80.0)),  # already past it at the first report: the path is the target itself (as the app)
    ],
)
def test_the_path_starts_where_the_app_starts_it(baseline, start):
    """Was: the report started each path at the first reported value, the app at the target."""
    [path] = lagging_paths([line(baseline, Period(2026, 1))])
    assert path.start == start and path.target_month == "2030-12"


def test_a_chart_writes_in_dejavu_sans_and_leaves_matplotlib_settings_as_they_were():
    """The server draws charts in several threads: a chart sets nothing for the others."""
    with matplotlib.rc_context({"font.family": "serif"}):  # what another part of the process may use
        before = matplotlib.rcParams.copy()
        fig = charts.status_counts_figure({"Đạt": (3, "#000000"), "Chậm tiến độ": (1, "#E69F00")}, "Chỉ tiêu")
        assert matplotlib.rcParams == before
    texts = [fig.axes[0].title, *fig.axes[0].texts]
    assert len(texts) > 1 and all(t.get_fontfamily() == [charts.FONT] for t in texts)
