"""The report's charts as PNG images, drawn with matplotlib's Agg backend (no browser, no
display): KPI points by group against the maximum, indicator status counts, the series of the
lagging indicators against their path to target, and the city's ranking and submission rates.

Text uses DejaVu Sans, which ships with matplotlib and has every Vietnamese glyph. Colours are
the app's colour-blind-safe Okabe–Ito palette (``plans/palette.py``); each bar also carries its
number, so a grey print still reads.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from plans.palette import RATING_COLOURS, SERIES_COLOURS, TARGET_COLOUR, status_colour  # noqa: E402
from plans.text import fmt_number  # noqa: E402
from plans.vocabulary import label  # noqa: E402

FONT = "DejaVu Sans"
DPI = 130
MAX_COLOUR, SERIES_COLOUR = "#E0E0E0", SERIES_COLOURS[0]


@dataclass(frozen=True)
class SeriesPath:
    """One lagging indicator: its reported series and the straight path from its start to the target."""

    title: str
    months: tuple[str, ...]
    values: tuple[float, ...]
    start: tuple[str, float] | None
    target: float
    target_month: str


def _figure(width: float, height: float, **margins: float) -> Figure:
    """A figure with fixed margins (in inches; matplotlib's automatic layout costs about half a
    second per chart)."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    left, right = margins.get("left", 0.6), margins.get("right", 0.2)
    top, bottom = margins.get("top", 0.45), margins.get("bottom", 0.5)
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height,
                        hspace=margins.get("hspace", 0.2), wspace=margins.get("wspace", 0.2))
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


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def kpi_groups(groups: Sequence[tuple[str, float, float]], title: str) -> bytes:
    """Horizontal bars: each group's points over a grey bar of its maximum (``(name, points, max)``)."""
    matplotlib.rcParams["font.family"] = FONT
    fig = _figure(7.5, 0.55 * len(groups) + 1.3, left=2.3)
    ax = fig.add_subplot()
    names = [_wrap(name, 28) for name, _, _ in groups][::-1]
    points = [p for _, p, _ in groups][::-1]
    maxima = [m for _, _, m in groups][::-1]
    ax.barh(names, maxima, color=MAX_COLOUR, label="Điểm tối đa")
    ax.barh(names, points, color=SERIES_COLOUR, height=0.5, label="Điểm đạt")
    for y, (p, m) in enumerate(zip(points, maxima)):
        ax.text(m + 0.3, y, f"{fmt_number(p, 2)} / {fmt_number(m)}", va="center", fontsize=8)
    ax.set_xlim(0, max(maxima) * 1.3)
    ax.set_xlabel("Điểm", fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    _style(ax)
    return _png(fig)


def status_counts(counts: dict[str, int], title: str) -> bytes:
    """One bar per indicator status (codes, shown with their Vietnamese labels), with its count."""
    matplotlib.rcParams["font.family"] = FONT
    fig = _figure(7.5, 3.0, bottom=0.6)
    ax = fig.add_subplot()
    labels = list(counts)
    bars = ax.bar([_wrap(label(code), 10) for code in labels], list(counts.values()),
                  color=[status_colour(code) for code in labels])
    ax.bar_label(bars, fontsize=8)
    ax.set_ylabel("Số chỉ tiêu", fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.margins(y=0.15)
    _style(ax)
    return _png(fig)


def lagging_series(paths: Sequence[SeriesPath], title: str) -> bytes:
    """Small multiples: each lagging indicator's reported values and its straight path to target."""
    matplotlib.rcParams["font.family"] = FONT
    columns = 2 if len(paths) > 1 else 1
    rows = max(1, -(-len(paths) // columns))
    fig = _figure(7.5, 2.3 * rows + 0.6, top=0.9, bottom=0.35, hspace=0.75, wspace=0.25)
    fig.suptitle(title, fontsize=10)
    for n, path in enumerate(paths, start=1):
        ax = fig.add_subplot(rows, columns, n)
        ax.plot([_month(m) for m in path.months], path.values, marker="o", color=SERIES_COLOUR, label="Kết quả báo cáo")
        ticks = [path.months[0]]
        if path.start is not None:
            ax.plot([_month(path.start[0]), _month(path.target_month)], [path.start[1], path.target], linestyle="--",
                    color=TARGET_COLOUR, label="Lộ trình đến mục tiêu")
            ticks.append(path.target_month)
        ax.axhline(path.target, color=TARGET_COLOUR, linewidth=0.6, alpha=0.5)
        ax.set_title(_wrap(path.title, 48), fontsize=7.5)
        if abs(_month(path.months[-1]) - _month(ticks[-1])) >= 4 and abs(_month(path.months[-1]) - _month(ticks[0])) >= 4:
            ticks.append(path.months[-1])
        ticks = sorted(set(ticks))
        ax.set_xticks([_month(m) for m in ticks], [f"{m[5:7]}/{m[:4]}" for m in ticks], fontsize=6)
        ax.tick_params(axis="y", labelsize=7)
        _style(ax)
        if n == 1:
            ax.legend(fontsize=6, frameon=False)
    return _png(fig)


def ranking(rows: Sequence[tuple[str, float | None, str]], title: str) -> bytes:
    """The city's KPI totals, highest first, coloured by rating (``(name, points, rating)``; a row
    without points is a gap, as :func:`reports.city.ends` leaves between the two ends of a long list)."""
    matplotlib.rcParams["font.family"] = FONT
    fig = _figure(7.5, 0.22 * len(rows) + 1.2, left=2.0)
    ax = fig.add_subplot()
    names = [name for name, _, _ in rows][::-1]
    points = [p for _, p, _ in rows][::-1]
    bars = ax.barh(range(len(names)), [p or 0 for p in points],
                   color=[RATING_COLOURS.get(r, "#9E9E9E") for _, _, r in rows][::-1])
    ax.set_yticks(range(len(names)), names)   # by position: two localities may share a name
    ax.bar_label(bars, labels=["" if p is None else fmt_number(p, 2) for p in points], fontsize=6, padding=2)
    ax.set_xlim(0, 110)
    ax.set_xlabel("Điểm KPI /100", fontsize=8)
    ax.tick_params(axis="y", labelsize=6 if len(rows) > 20 else 8)
    ax.set_title(title, fontsize=10)
    ax.margins(y=0.005)
    _style(ax)
    return _png(fig)


def rating_counts(counts: dict[str, int], title: str) -> bytes:
    """How many localities have each rating."""
    matplotlib.rcParams["font.family"] = FONT
    fig = _figure(7.5, 2.8)
    ax = fig.add_subplot()
    bars = ax.bar(list(counts), list(counts.values()), color=[RATING_COLOURS.get(r, "#9E9E9E") for r in counts])
    ax.bar_label(bars, fontsize=8)
    ax.set_ylabel("Số địa phương", fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.margins(y=0.15)
    _style(ax)
    return _png(fig)


def submission_rates(rows: Sequence[tuple[str, float | None]], title: str) -> bytes:
    """Share of expected monthly sheets received, per locality (``(name, percent)``), in the given
    order (a row without a percent is a gap, as in :func:`ranking`)."""
    matplotlib.rcParams["font.family"] = FONT
    fig = _figure(7.5, 0.22 * len(rows) + 1.2, left=2.0)
    ax = fig.add_subplot()
    ordered = list(rows)[::-1]
    bars = ax.barh(range(len(ordered)), [rate or 0 for _, rate in ordered], color=SERIES_COLOUR)
    ax.set_yticks(range(len(ordered)), [name for name, _ in ordered])
    ax.bar_label(bars, labels=["" if rate is None else f"{fmt_number(rate)}%" for _, rate in ordered],
                 fontsize=6, padding=2)
    ax.set_xlim(0, 115)
    ax.set_xlabel("Tỷ lệ phiếu đã nhận (%)", fontsize=8)
    ax.tick_params(axis="y", labelsize=6 if len(rows) > 20 else 8)
    ax.set_title(title, fontsize=10)
    ax.margins(y=0.005)
    _style(ax)
    return _png(fig)
