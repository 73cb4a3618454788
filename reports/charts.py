"""The report's charts as PNG images, drawn on matplotlib ``Figure`` objects (Agg, no pyplot, no
browser, no display): KPI points by group against the maximum, indicator status counts, the series of the
lagging indicators against their path to target, and the city's ranking and submission rates.

A month axis spans the months shown (not the years up to a target far ahead), with at most
``MAX_MONTH_TICKS`` labels; a count is drawn on whole numbers; labels are not codes.

Text uses DejaVu Sans, which ships with matplotlib and has every Vietnamese glyph. Colours are
the app's colour-blind-safe Okabe–Ito palette (``plans/palette.py``); each bar also carries its
number, so a grey print still reads.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from plans.palette import RATING_COLOURS, SERIES_COLOURS, TARGET_COLOUR
from plans.text import fmt_number, wrap_words
from reports.wording import fmt_max_points, fmt_points

FONT = "DejaVu Sans"
DPI = 130
MAX_COLOUR, SERIES_COLOUR, GAP_COLOUR = "#E0E0E0", SERIES_COLOURS[0], "#9E9E9E"
MAX_MONTH_TICKS = 6
STYLE = {"font.family": FONT}
"""The charts' own matplotlib settings, in force only while a chart is drawn (never set for the
whole server: the app's other threads and libraries keep matplotlib's defaults)."""
P = ParamSpec("P")
R = TypeVar("R")


def _styled(draw: Callable[P, R]) -> Callable[P, R]:
    """Draw in :data:`STYLE` (``matplotlib.rc_context``) on a figure of its own (``Figure``, no pyplot)."""

    @functools.wraps(draw)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return drawn


@dataclass(frozen=True)
class SeriesPath:
    """One lagging indicator: its reported series (months ``YYYY-MM``), the start of its straight
    path to the target (``scoring.attainment.path_start``: month, value) and the target at
    ``target_month``; ``whole``: a count, drawn on whole numbers."""

    title: str
    months: tuple[str, ...]
    values: tuple[float, ...]
    start: tuple[str, float] | None
    target: float
    target_month: str
    whole: bool = False


def _figure(width: float, height: float, **margins: float) -> Figure:
    """A figure with fixed margins (in inches; matplotlib's automatic layout costs about half a
    second per chart)."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    left, right = margins.get("left", 0.6), margins.get("right", 0.2)
    top, bottom = margins.get("top", 0.45), margins.get("bottom", 0.5)
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
        hspace=margins.get("hspace", 0.2),
        wspace=margins.get("wspace", 0.2),
    )
    return fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


def _month(text: str) -> float:
    """``YYYY-MM`` → months since year 0 (a time axis with even spacing)."""
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def whole_numbers(ax) -> None:
    """A count's axis: from a whole number (never below 0) to a whole number, ticks on whole numbers
    only (a count flat at 1 is drawn from 1 to 2, not on 0,996 … 1,036)."""
    low, high = ax.get_ylim()
    low = max(0, math.floor(low))
    ax.set_ylim(low, max(math.ceil(high), low + 1))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))


def month_ticks(first: str, last: str) -> tuple[list[float], list[str]]:
    """Positions and labels ("6/2026") of at most ``MAX_MONTH_TICKS`` months from ``first`` to
    ``last`` (both ``YYYY-MM``), evenly stepped, the last month always labelled."""
    start, end = int(_month(first)), int(_month(last))
    step = max(1, math.ceil((end - start + 1) / MAX_MONTH_TICKS))
    months = list(range(end, start - 1, -step))[::-1]
    return [float(m) for m in months], [f"{m % 12 + 1}/{m // 12}" for m in months]


def _wrap(text: str, width: int) -> str:
    return "\n".join(wrap_words(text, width))


@_styled
def kpi_groups(groups: Sequence[tuple[str, float, float]], title: str) -> bytes:
    """Horizontal bars: each group's points over a grey bar of its maximum (``(name, points, max)``)."""
    fig = _figure(7.5, 0.55 * len(groups) + 1.3, left=2.3)
    ax = fig.add_subplot()
    names = [_wrap(name, 28) for name, _, _ in groups][::-1]
    points = [p for _, p, _ in groups][::-1]
    maxima = [m for _, _, m in groups][::-1]
    ax.barh(names, maxima, color=MAX_COLOUR, label="Điểm tối đa")
    ax.barh(names, points, color=SERIES_COLOUR, height=0.5, label="Điểm đạt")
    for y, (p, m) in enumerate(zip(points, maxima)):
        ax.text(m + 0.3, y, f"{fmt_points(p)} / {fmt_max_points(m)}", va="center", fontsize=8)
    ax.set_xlim(0, max(maxima) * 1.3)
    ax.set_xlabel("Điểm", fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    _style(ax)
    return _png(fig)


def _count_bars(
    fig: Figure, names: list[str], counts: list[int], colours: list[str], y_label: str, title: str
) -> Figure:
    """One upright bar per name with its count written on it, the axis on whole numbers."""
    ax = fig.add_subplot()
    bars = ax.bar(names, counts, color=colours)
    ax.bar_label(bars, fontsize=8)
    ax.set_ylabel(y_label, fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=10)
    ax.margins(y=0.15)
    _style(ax)
    return fig


@_styled
def status_counts_figure(counts: dict[str, tuple[int, str]], title: str) -> Figure:
    """One bar per indicator status (label → (count, colour)), with its count, on whole numbers."""
    fig = _count_bars(
        _figure(7.5, 3.0, bottom=0.6),
        [_wrap(name, 12) for name in counts],
        [n for n, _ in counts.values()],
        [colour for _, colour in counts.values()],
        "Số chỉ tiêu",
        title,
    )
    fig.axes[0].tick_params(axis="x", labelsize=7)
    return fig


@_styled
def status_counts(counts: dict[str, tuple[int, str]], title: str) -> bytes:
    """:func:`status_counts_figure` as a PNG."""
    return _png(status_counts_figure(counts, title))


def _path_at(path: SeriesPath, month: float) -> float:
    """The straight path's value at ``month`` (from its start to the target)."""
    (first, value), last = path.start, _month(path.target_month)
    begin = _month(first)
    return value if last == begin else value + (path.target - value) * (month - begin) / (last - begin)


@_styled
def lagging_figure(paths: Sequence[SeriesPath], title: str) -> Figure:
    """Small multiples: each lagging indicator's reported values and the part of its straight path
    to target over the same months (the axis spans the months shown; each title names the target
    and its month); one legend for the figure."""
    columns = 2 if len(paths) > 1 else 1
    rows = max(1, -(-len(paths) // columns))
    fig = _figure(7.5, 2.4 * rows + 1.1, top=1.3, bottom=0.45, hspace=1.0, wspace=0.3)
    fig.suptitle(title, fontsize=10)
    for n, path in enumerate(paths, start=1):
        ax = fig.add_subplot(rows, columns, n)
        first = min([path.months[0]] + ([path.start[0]] if path.start else []))
        xs = [_month(m) for m in path.months]
        ax.plot(xs, path.values, marker="o", color=SERIES_COLOUR, label="Kết quả báo cáo")
        if path.start is not None:
            ends = [_month(path.start[0]), xs[-1]]
            ax.plot(
                ends,
                [_path_at(path, x) for x in ends],
                linestyle="--",
                color=TARGET_COLOUR,
                label="Lộ trình đến mục tiêu",
            )
        target = f"mục tiêu {fmt_number(path.target)} ({int(path.target_month[5:])}/{path.target_month[:4]})"
        ax.set_title(_wrap(f"{path.title}; {target}", 46), fontsize=7.5)
        positions, labels = month_ticks(first, path.months[-1])
        ax.set_xticks(positions, labels, fontsize=6.5)
        ax.set_xlim(positions[0] - 0.5, positions[-1] + 0.5)
        if path.whole:
            whole_numbers(ax)
        ax.tick_params(axis="y", labelsize=7)
        _style(ax)
    if paths:
        handles, names = fig.axes[0].get_legend_handles_labels()
        fig.legend(
            handles,
            names,
            loc="upper center",
            bbox_to_anchor=(0.5, 1 - 0.45 / fig.get_figheight()),
            ncol=2,
            fontsize=7,
            frameon=False,
        )
    return fig


@_styled
def lagging_series(paths: Sequence[SeriesPath], title: str) -> bytes:
    """:func:`lagging_figure` as a PNG."""
    return _png(lagging_figure(paths, title))


def _locality_bars(
    rows: Sequence[tuple[str, float | None, str, str | None]], x_max: float, x_label: str, title: str
) -> bytes:
    """One horizontal bar per locality, the first on top, in its colour (as in the app), its label
    written at it (``(name, value, label, colour)``; a row without a value is a gap, as
    :func:`reports.city.ends` leaves between the two ends of a long list)."""
    fig = _figure(7.5, 0.22 * len(rows) + 1.2, left=2.0)
    ax = fig.add_subplot()
    ordered = list(rows)[::-1]
    bars = ax.barh(
        range(len(ordered)),
        [value or 0 for _, value, _, _ in ordered],
        color=[colour or GAP_COLOUR for _, _, _, colour in ordered],
    )
    ax.set_yticks(range(len(ordered)), [name for name, _, _, _ in ordered])  # by position: names repeat
    ax.bar_label(bars, labels=["" if value is None else label for _, value, label, _ in ordered], fontsize=6, padding=2)
    ax.set_xlim(0, x_max)
    ax.set_xlabel(x_label, fontsize=8)
    ax.tick_params(axis="y", labelsize=6 if len(rows) > 20 else 8)
    ax.set_title(title, fontsize=10)
    ax.margins(y=0.005)
    _style(ax)
    return _png(fig)


@_styled
def ranking(rows: Sequence[tuple[str, float | None, str, str | None]], title: str) -> bytes:
    """The city's KPI totals, highest first, points and rating written at each bar
    (``(name, points, rating, colour)``; see :func:`_locality_bars`)."""
    return _locality_bars(
        [
            (name, points, "" if points is None else f"{fmt_points(points)} · {rating}", colour)
            for name, points, rating, colour in rows
        ],
        125,
        "Điểm KPI /100",
        title,
    )


@_styled
def rating_counts(counts: dict[str, int], title: str) -> bytes:
    """How many localities have each rating."""
    return _png(
        _count_bars(
            _figure(7.5, 2.8),
            list(counts),
            list(counts.values()),
            [RATING_COLOURS.get(r, GAP_COLOUR) for r in counts],
            "Số địa phương",
            title,
        )
    )


@_styled
def submission_rates(rows: Sequence[tuple[str, float | None, str | None]], title: str) -> bytes:
    """Share of expected monthly sheets received, per locality, in the given order
    (``(name, percent, colour)``; see :func:`_locality_bars`)."""
    return _locality_bars(
        [(name, rate, "" if rate is None else f"{fmt_number(rate)}%", colour) for name, rate, colour in rows],
        115,
        "Tỷ lệ phiếu đã nhận (%)",
        title,
    )
