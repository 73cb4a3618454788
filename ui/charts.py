"""Chart builders: pure functions from data to plotly figures (no Streamlit here).

Every figure carries its own title (so a downloaded PNG explains itself), Vietnamese number
separators (``85,5``), dates as dd/mm/yyyy or mm/yyyy, status colours and symbols from
:mod:`plans.palette` (looked up by the vocabulary's codes), one colour per locality, and targets
drawn as lines or markers. ``large`` sizes the text for a projector.

``width`` is the width (px) the chart will be drawn at (:func:`ui.viewport.chart_width`; ``None``
while unknown: a desktop's). Plotly always fills its container; the width decides the layout
inside: how long a title or label line is, how many ticks an axis gets, and, narrower than
:data:`NARROW` (a phone), labels written above their bars instead of in a column beside them,
where on a 360 px screen they would leave no room for the bars.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from plans.palette import SERIES_COLOURS, TARGET_COLOUR, status_colour, status_label
from plans.periods import Period
from plans.text import fmt_date, fmt_number, fmt_value, strip_accents, wrap_words
from plans.vocabulary import NOT_REPORTED, TASK_OVERDUE, MeasureUnit, label
from scoring.kpi import KpiScore

FONT_FAMILY = "Arial, 'Liberation Sans', 'Helvetica Neue', sans-serif"
BASE_FONT = 15
LARGE_FONT = 22
HALF_WIDTH = 500
FULL_WIDTH = 900
NARROW = 440
CHAR_EM = 0.55  # average width of a character, in font sizes (Arial, Vietnamese text)
MAX_COLOUR = "#E0E0E0"
PATH_COLOUR = "#666666"
TODAY_COLOUR = "#000000"
NOT_REPORTED_TEXT = label(NOT_REPORTED)


def font_size(large: bool) -> int:
    return LARGE_FONT if large else BASE_FONT


# plotly's own words (modebar tooltips, notices), given with each chart so nothing reads in English
PLOTLY_VI = {  # the texts of the kept buttons and of plotly's notices, as Streamlit's plotly.js writes them
    "Download plot as a PNG": "Tải ảnh PNG của biểu đồ",
    "Download plot": "Tải ảnh biểu đồ",
    "Zoom": "Phóng to vùng chọn",
    "Pan": "Kéo",
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
    "Autoscale": "Tự co giãn",
    "Reset axes": "Đặt lại trục",
    "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
    "Sorry, there was a problem downloading your image!": "Không tải được ảnh biểu đồ",
    "Double-click on legend to isolate one trace": "Nhấp đúp vào chú giải để chỉ xem một dãy số liệu",
}
MODEBAR_BUTTONS = [["toImage", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d"]]


def plot_config(name: str) -> dict:
    """``st.plotly_chart`` config: the modebar's camera saves a 2× PNG named after the chart; the
    few buttons kept and plotly's notices speak Vietnamese."""
    slug = re.sub(r"[^a-z0-9]+", "-", strip_accents(name)).strip("-") or "bieu-do"
    return {
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": slug},
        "displaylogo": False,
        "modeBarButtons": MODEBAR_BUTTONS,
        "locale": "vi-dmst",
        "locales": {"vi-dmst": {"dictionary": PLOTLY_VI}},
    }


def _legend_rows(fig: go.Figure, size: int, width: int) -> int:
    """Rows a horizontal legend needs (0 when plotly shows no legend)."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    if len(names) < 2 and not any(t.showlegend for t in fig.data):
        return 0
    usable = max(120, width - 20)
    items = [len(name) * (size - 1) * 0.52 + 44 for name in names]  # symbol, gap, name (legend font: size − 1)
    if sum(items) <= usable:
        return 1
    per_row = max(1, int(usable // max(items)))  # on several rows plotly gives every item the widest's room
    return -(-len(items) // per_row)


def _style(
    fig: go.Figure, title: str, large: bool, plot_height: int, width: int = FULL_WIDTH, extra_top: int = 0
) -> go.Figure:
    """House style: wrapped title at the top, a horizontal legend between title and plot,
    Vietnamese separators, projector-sized text; ``plot_height`` excludes title and legend.
    ``width`` is the width the chart is drawn at (for wrapping); ``extra_top`` leaves room above
    the plot (subplot titles). The figure takes its container's width (``autosize``)."""
    size = font_size(large)
    narrow = width < NARROW
    wrapped = _wrap(title, max(20, int((width - 24) / ((size + 3) * CHAR_EM))))
    title_px = (wrapped.count("<br>") + 1) * (size + 10) + 26
    rows = _legend_rows(fig, size, width)
    legend_px = rows * (size + 9) + (10 if rows else 0)
    fig.update_layout(
        title={
            "text": wrapped,
            "font": {"size": size + 3},
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 20},
        },
        font={"family": FONT_FAMILY, "size": size, "color": "#222222"},
        separators=",.",
        template="plotly_white",
        autosize=True,
        height=plot_height + title_px + legend_px + extra_top + 40,
        margin={
            "l": 6 if narrow else 10,
            "r": 12 if narrow else 40,
            "t": title_px + legend_px + extra_top + 14,
            "b": 30,
        },
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0 + extra_top / plot_height,
            "yref": "paper",
            "x": 0,
            "title": None,
            "font": {"size": size - 1},
        },
        hoverlabel={"font": {"size": size, "family": FONT_FAMILY}},
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True, ticklabelstandoff=6)
    return fig


def _width(width: int | None, large: bool, half: bool = False) -> int:
    """The width to lay a chart out for: the measured one, else a desktop guess (half the page for
    a chart drawn beside another; presenting shows every chart alone, full width)."""
    if width:
        return width
    return HALF_WIDTH if half and not large else FULL_WIDTH


def _chars(px: float, size: int) -> int:
    """How many characters of text at font ``size`` fit in ``px``."""
    return max(8, int(px / (size * CHAR_EM)))


def _bar_height(rows: int, large: bool, minimum: int = 180) -> int:
    """Plot height for ``rows`` horizontal bars."""
    return max(minimum, 70 + rows * (50 if large else 36))


def _wrap(text: str, width: int, breaks: str = "") -> str:
    """Break a long label into lines of about ``width`` characters (plotly's ``<br>``; :func:`wrap_words`)."""
    return "<br>".join(wrap_words(text, width, breaks))


def _lines(text: str) -> int:
    return text.count("<br>") + 1


@dataclass(frozen=True)
class _Rows:
    """Where the names of a horizontal bar chart go: in a column beside the bars (a wide chart) or
    written above each bar from the left edge (a narrow one: a phone has no room for both)."""

    keys: list[str]  # the y values of the traces (the wrapped names when beside the bars)
    above: list[str]  # the text written above each bar (empty when beside)
    plot_height: int
    bargap: float | None

    @property
    def narrow(self) -> bool:
        return bool(self.above)


def _rows(
    names: Sequence[str],
    width: int,
    large: bool,
    side_chars: int,
    notes: Sequence[str] = (),
    band_px: int | None = None,
) -> _Rows:
    """Lay out the names of horizontal bars for ``width``: beside the bars, wrapped at ``side_chars``
    (then ``notes`` are not used: the chart writes its values at the bars); or, narrower than
    :data:`NARROW`, above each bar (each name wrapped to the width, its note on the next line), the
    bars ``band_px`` thick (one bar, or a group of bars side by side)."""
    size = font_size(large)
    if width >= NARROW:
        keys = [_wrap(name, max(side_chars, _chars(width * 0.26, size))) for name in names]
        # categories are evenly spaced: every row is as tall as the name with the most lines
        row_px = max(50 if large else 36, max((_lines(k) for k in keys), default=1) * (size + 5) + 8)
        return _Rows(keys, [], max(180, 70 + len(keys) * row_px), None)
    chars = _chars(width - 24, size)
    above = [
        _wrap(name, chars) + (f"<br>{_wrap(note, chars)}" if note else "")
        for name, note in zip(names, list(notes) or [""] * len(names))
    ]
    band = band_px or size + 12
    row_px = max(_lines(a) for a in above) * int(size * 1.3) + band + 14
    return _Rows(list(names), above, 20 + len(names) * row_px, 1 - band / row_px)


def _write_above(fig: go.Figure, rows: _Rows, large: bool) -> None:
    """For a narrow chart: hide the y tick labels and write each bar's name above it."""
    if not rows.narrow:
        return
    fig.update_yaxes(showticklabels=False)
    band = (1 - rows.bargap) * (rows.plot_height - 20) / len(rows.keys)
    for key, text in zip(rows.keys, rows.above):
        fig.add_annotation(
            x=0,
            xref="paper",
            y=key,
            yref="y",
            xanchor="left",
            yanchor="bottom",
            align="left",
            yshift=band / 2 + 1,
            text=text,
            showarrow=False,
            font={"size": font_size(large)},
            bgcolor="rgba(255,255,255,0.85)",
        )
    fig.update_layout(bargap=rows.bargap)


def empty_figure(title: str, message: str, large: bool = False, width: int | None = None) -> go.Figure:
    """A figure that says why there is nothing to draw."""
    fig = go.Figure()
    chars = _chars(_width(width, large) - 40, font_size(large) + 2)
    fig.add_annotation(
        text=_wrap(message, chars),
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": font_size(large) + 2, "color": "#555555"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, title, large, 160, _width(width, large))


# ---------- KPI ----------


def kpi_groups(kpi: KpiScore, title: str, large: bool = False, width: int | None = None) -> go.Figure:
    """Points per KPI group (bars) against the group's maximum (grey bar and a marker)."""
    width = _width(width, large, half=True)
    rows = _rows([f"{g.code}. {g.name}" for g in kpi.groups], width, large, 24)
    fig = go.Figure()
    fig.add_bar(
        y=rows.keys,
        x=[g.max_points for g in kpi.groups],
        orientation="h",
        name="Điểm tối đa",
        marker={"color": MAX_COLOUR},
        hoverinfo="skip",
    )
    fig.add_bar(
        y=rows.keys,
        x=[g.points for g in kpi.groups],
        orientation="h",
        name="Điểm đạt được",
        marker={"color": SERIES_COLOURS[0]},
        text=[f"{fmt_number(g.points, 2)} / {fmt_number(g.max_points)}" for g in kpi.groups],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}<br>%{text} điểm<extra></extra>",
    )
    fig.update_layout(barmode="overlay", bargap=0.35)
    _write_above(fig, rows, large)
    fig.update_yaxes(autorange="reversed")
    top = max((g.max_points for g in kpi.groups), default=1)
    fig.update_xaxes(title="Điểm", range=[0, top * (1.5 if rows.narrow else 1.3)], nticks=5 if rows.narrow else None)
    return _style(fig, title, large, rows.plot_height + 30 * large, width)


def rating_bands(bands: Sequence[dict]) -> str:
    """``Xuất sắc ≥ 90 · Tốt 75 – < 90 · … · Chưa đạt < 50``."""
    by_floor = sorted(bands, key=lambda b: b["min_points"])
    parts = []
    for index, band in enumerate(by_floor):
        upper = by_floor[index + 1]["min_points"] if index + 1 < len(by_floor) else None
        if upper is None:
            parts.append(f"{band['name']} ≥ {fmt_number(band['min_points'])}")
        elif band["min_points"] <= 0:
            parts.append(f"{band['name']} < {fmt_number(upper)}")
        else:
            parts.append(f"{band['name']} {fmt_number(band['min_points'])} – < {fmt_number(upper)}")
    return " · ".join(reversed(parts))


def kpi_ranking(
    rows: Sequence[tuple[str, KpiScore]],
    bands: Sequence[dict],
    title: str,
    large: bool = False,
    unreported: Collection[str] = (),
    colours: Mapping[str, str] | None = None,
    width: int | None = None,
) -> go.Figure:
    """KPI totals, highest first, each bar in its locality's colour (``colours``: name → colour, as on
    every chart) with points and rating written at the bar; the rating thresholds are the x ticks
    (dotted grid lines) and are spelled out under the axis. A locality in ``unreported`` (nothing
    reported yet) comes last and reads "Chưa báo cáo", not 0 points."""
    width = _width(width, large)
    ordered = sorted(rows, key=lambda r: (r[0] in unreported, -r[1].points))
    colours = colours or {}

    def text(name: str, kpi: KpiScore) -> str:
        if name in unreported:
            return NOT_REPORTED_TEXT
        return f"{fmt_number(kpi.points, 2)} — {kpi.rating}{' (tạm tính)' if kpi.provisional else ''}"

    texts = [text(name, kpi) for name, kpi in ordered]
    layout = _rows([name for name, _ in ordered], width, large, 40, notes=texts)
    fig = go.Figure(
        go.Bar(
            y=layout.keys,
            x=[kpi.points for _, kpi in ordered],
            orientation="h",
            marker={
                "color": [
                    status_colour(NOT_REPORTED) if name in unreported else colours.get(name, SERIES_COLOURS[0])
                    for name, _ in ordered
                ]
            },
            text=None if layout.narrow else texts,
            textposition="outside",
            cliponaxis=False,
            customdata=texts,
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    _write_above(fig, layout, large)
    ticks = sorted({0.0, 100.0} | {float(b["min_points"]) for b in bands})
    fig.update_yaxes(autorange="reversed")
    axis = f"Tổng điểm KPI (thang 100). Xếp loại: {rating_bands(bands)}"
    names_px = (
        0
        if layout.narrow
        else max(len(line) for k in layout.keys for line in k.split("<br>")) * font_size(large) * CHAR_EM + 30
    )  # the axis title is centred under the plot, right of the names
    fig.update_xaxes(
        title=_wrap(axis, _chars(width - names_px - 60, font_size(large))),
        range=[0, 104 if layout.narrow else 140],
        tickvals=ticks,
        ticktext=[fmt_number(t) for t in ticks],
        gridcolor="#888888",
        griddash="dot",
        tickangle=0,
    )
    return _style(fig, title, large, layout.plot_height + 40, width)


def kpi_groups_compare(
    rows: Sequence[tuple[str, KpiScore]],
    title: str,
    large: bool = False,
    colours: Mapping[str, str] | None = None,
    width: int | None = None,
) -> go.Figure:
    """Points per KPI group, one bar per locality side by side in its colour, on a light grey band
    that ends at the group's maximum (the values written at the bars stay readable on it)."""
    if not rows:
        return empty_figure(title, "Các địa phương đã chọn chưa báo cáo", large, width)
    width = _width(width, large)
    colours = colours or {}
    groups = rows[0][1].groups
    bar = 24 if large else 18
    band = len(rows) * bar
    layout = _rows(
        [f"{g.code}. {g.name} (tối đa {fmt_number(g.max_points)})" for g in groups], width, large, 22, band_px=band
    )
    fig = go.Figure()
    for index, (name, kpi) in enumerate(rows):
        fig.add_bar(
            y=layout.keys,
            x=[g.points for g in kpi.groups],
            name=name,
            orientation="h",
            marker={"color": colours.get(name, SERIES_COLOURS[index % len(SERIES_COLOURS)])},
            text=[fmt_number(g.points, 1) for g in kpi.groups],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"{name}<br>%{{y}}: %{{x:.2f}} điểm<extra></extra>",
        )
    fig.add_scatter(
        x=[None],
        y=[None],
        mode="markers",
        name="Điểm tối đa của nhóm",
        marker={"symbol": "square", "size": 14, "color": MAX_COLOUR},
    )
    half = (1 - (layout.bargap if layout.narrow else 0.25)) / 2 + 0.04  # the band spans the bars, not their name
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        shapes=[
            {
                "type": "rect",
                "layer": "below",
                "xref": "x",
                "yref": "y",
                "x0": 0,
                "x1": g.max_points,
                "y0": index - half,
                "y1": index + half,
                "fillcolor": MAX_COLOUR,
                "line": {"width": 0},
            }
            for index, g in enumerate(groups)
        ],
    )
    if layout.narrow:
        _write_above(fig, layout, large)
        plot_height = layout.plot_height
    else:
        plot_height = 60 + len(groups) * int(band / 0.75 + 16)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Điểm", range=[0, max(g.max_points for g in groups) * (1.25 if layout.narrow else 1.15)])
    return _style(fig, title, large, plot_height, width)


# ---------- statuses ----------


def status_counts(counts: dict[str, int], title: str, large: bool = False, width: int | None = None) -> go.Figure:
    """How many items have each status (colour plus symbol and label)."""
    width = _width(width, large, half=True)
    statuses = list(counts)
    fig = go.Figure(
        go.Bar(
            y=[status_label(s) for s in statuses],
            x=[counts[s] for s in statuses],
            orientation="h",
            marker={"color": [status_colour(s) for s in statuses]},
            text=[str(counts[s]) for s in statuses],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Số chỉ tiêu", range=[0, max(max(counts.values(), default=1), 1) * 1.2], dtick=5)
    return _style(fig, title, large, _bar_height(len(statuses), large), width)


def attainment_bars(rows: pd.DataFrame, title: str, large: bool = False, width: int | None = None) -> go.Figure:
    """Attainment (actual ÷ target, 0–100%) per indicator, coloured by status; 100% target line.

    ``rows`` columns: label, attainment (0–1 or NaN), status, actual_text, target_text. Each
    indicator's status, result and target are written in a column right of the target line (bars
    end at 100%, so nothing crosses them), or on a phone under its name, above the bar.
    """
    if rows.empty:
        return empty_figure(title, "Không có chỉ tiêu nào trong nhóm này", large, width)
    width = _width(width, large)
    size = font_size(large)
    percent = (rows["attainment"].astype(float) * 100).fillna(0)
    text = [
        f"{status_label(s)} · {a} / {t}" for s, a, t in zip(rows["status"], rows["actual_text"], rows["target_text"])
    ]
    layout = _rows(list(rows["label"]), width, large, 34 if large else 40, notes=text)
    fig = go.Figure(
        go.Bar(
            y=layout.keys,
            x=percent,
            orientation="h",
            marker={"color": [status_colour(s) for s in rows["status"]]},
            customdata=text,
            hovertemplate="%{y}<br>Mức đạt: %{x:.1f}%<br>%{customdata}<extra></extra>",
        )
    )
    _write_above(fig, layout, large)
    fig.add_vline(x=100, line={"color": TARGET_COLOUR, "dash": "dash", "width": 2})
    fig.add_annotation(
        x=100,
        y=0,
        yref="paper",
        yanchor="bottom",
        xanchor="right",
        text="Mục tiêu (100%) ",
        showarrow=False,
        font={"color": TARGET_COLOUR},
        bgcolor="rgba(255,255,255,0.8)",
    )
    if layout.narrow:
        top = 104
    else:
        label_px = max(len(line) for key in layout.keys for line in key.split("<br>")) * size * CHAR_EM + 30
        text_px = max(len(t) for t in text) * size * CHAR_EM + 16
        plot_px = max(200.0, width - label_px - 50)
        top = 100 * plot_px / max(plot_px - text_px, plot_px * 0.4)
        for key, note in zip(layout.keys, text):
            fig.add_annotation(x=101.5, y=key, xanchor="left", text=note, showarrow=False, font={"size": size})
    fig.update_yaxes(autorange="reversed")
    ticks = [0, 25, 50, 75, 100]
    fig.update_xaxes(
        title="Mức đạt so với mục tiêu (%)", range=[0, top], tickvals=ticks, ticktext=[f"{t}%" for t in ticks]
    )
    return _style(fig, title, large, layout.plot_height, width)


def heatmap_fits(statuses: pd.DataFrame, width: int | None, large: bool = False, label_chars: int = 48) -> bool:
    """Whether :func:`status_heatmap` can write every column name across its column (no word cut or
    turned) at ``width``; if not, the page shows the same cells as a table."""
    if statuses.empty:
        return True
    plan = _grid(statuses, _width(width, large), large, label_chars)
    return plan.column_chars >= max(len(word) for c in statuses.columns for word in re.findall(r"[^\s/]+/?", str(c)))


def recent_columns(
    statuses: pd.DataFrame, width: int | None, large: bool = False, label_chars: int = 48, least: int = 3
) -> int:
    """How many of the last columns of a status grid (months, oldest first) :func:`status_heatmap`
    can write across at ``width`` (all of them when they fit; at least ``least``)."""
    count = len(statuses.columns)
    while count > least and not heatmap_fits(statuses.iloc[:, -count:], width, large, label_chars):
        count -= 1
    return count


class _Grid(NamedTuple):
    """How a status grid fits its width: the wrapped row names, their column's px, and the characters per
    line a column name gets."""

    names: list[str]
    label_px: float
    column_chars: int


def _grid(statuses: pd.DataFrame, width: int, large: bool, label_chars: int) -> _Grid:
    """Lay a status grid out for ``width`` px."""
    size = font_size(large)
    chars = min(label_chars, _chars(width * 0.34, size))
    index = [_wrap(str(r), chars) for r in statuses.index]
    label_px = max(len(line) for r in index for line in r.split("<br>")) * size * CHAR_EM + 24
    per_column = int((width - label_px - 30) / len(statuses.columns) / (size * 0.62))
    return _Grid(index, label_px, per_column)


def status_heatmap(
    statuses: pd.DataFrame,
    hover: pd.DataFrame,
    order: Sequence[str],
    title: str,
    large: bool = False,
    x_title: str = "",
    y_title: str = "",
    width: int | None = None,
    label_chars: int = 48,
    notes_in_cells: bool = False,
) -> go.Figure:
    """A grid coloured by status with the status symbol in each cell and a legend of statuses.

    ``statuses``: rows × columns of status codes (empty string or NaN = not applicable);
    ``hover``: the same shape, the cell's text (value and target), with ``notes_in_cells`` also
    written in the cell when the cells are wide enough. Row names wrap at ``label_chars`` (at most a third of the
    width); column names are written across, wrapped at spaces (and after a "/", so "01/2026" becomes "01/"
    over "2026") to fit their column when the chart is ``width`` px wide — never turned: check
    :func:`heatmap_fits` first and show a table where it does not fit.
    """
    if statuses.empty:
        return empty_figure(title, "Không có dữ liệu để vẽ", large, width)
    width = _width(width, large)
    size = font_size(large)
    codes = {status: index for index, status in enumerate(order)}
    z = statuses.map(lambda s: codes.get(s) if isinstance(s, str) else None)
    index, label_px, per_column = _grid(statuses, width, large, label_chars)
    per_column = max(4, per_column)
    written = hover.fillna("").astype(str)
    cell_chars = int((width - label_px - 30) / len(statuses.columns) / (size * CHAR_EM)) - 1

    def cell(status: object, note: str) -> str:
        if not (isinstance(status, str) and status in codes):
            return ""
        symbol = status_label(status).split(" ")[0]
        if not (notes_in_cells and note and len(note) <= 3 * cell_chars):
            return symbol
        return _wrap(note if note.startswith(symbol) else f"{symbol} {note}", cell_chars)

    symbols = [
        [cell(status, note) for status, note in zip(srow, hrow)]
        for srow, hrow in zip(statuses.to_numpy(), written.to_numpy())
    ]
    steps = len(order)
    scale = []
    for position, status in enumerate(order):
        scale += [[position / steps, status_colour(status)], [(position + 1) / steps, status_colour(status)]]
    columns = [_wrap(str(c), per_column, "/") for c in statuses.columns]
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(dtype=float),
            x=columns,
            y=index,
            zmin=-0.5,
            zmax=steps - 0.5,
            colorscale=scale,
            showscale=False,
            xgap=2,
            ygap=2,
            text=symbols,
            texttemplate="%{text}",
            textfont={"size": size},
            customdata=written.to_numpy(),
            hovertemplate="%{y}<br>%{x}<br>%{customdata}<extra></extra>",
        )
    )
    for status in order:
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=status_label(status),
            marker={"color": status_colour(status), "size": 14, "symbol": "square"},
        )
    fig.update_yaxes(autorange="reversed", title=y_title, type="category")
    fig.update_xaxes(title=x_title, tickangle=0, type="category")
    fig.update_layout(plot_bgcolor="#FFFFFF")
    lines = max(_lines(c) for c in columns)
    cell_lines = max((_lines(t) for row in symbols for t in row if t), default=1)
    row_px = max(max(_lines(r) for r in index), cell_lines) * (size + 4) + 10
    height = 40 + len(index) * max(row_px, 42 if large else 32) + lines * (size + 4)
    return _style(fig, title, large, max(200, height), width)


# ---------- time ----------


def _month_start(period: str) -> dt.date:
    return Period.parse(period).first_day


def _month_step(first: dt.date, last: dt.date, width: float, large: bool) -> str:
    """A plotly ``dtick`` of whole months such that "mm/yyyy" labels fit side by side in ``width`` px."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    room = max(1, int(width / (7 * font_size(large) * CHAR_EM + 14)))
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60) if -(-months // s) <= room or s == 60)
    return f"M{step}"


def measure_trend(
    series: pd.DataFrame,
    targets: pd.DataFrame,
    unit: str,
    title: str,
    large: bool = False,
    colours: Mapping[str, str] | None = None,
    width: int | None = None,
) -> go.Figure:
    """Monthly value of one measure for each locality in its colour (``colours``: name → colour),
    each locality's target as a dashed line of the same colour.

    ``series`` columns: name, period, value; ``targets`` columns: name, target, label.
    """
    if series.empty:
        return empty_figure(title, "Các địa phương đã chọn chưa báo cáo đại lượng này", large, width)
    width = _width(width, large)
    colours = colours or {}
    fig = go.Figure()
    names = list(dict.fromkeys(list(series["name"]) + list(targets["name"])))
    first = _month_start(series["period"].min())
    last = _month_start(series["period"].max())
    for index, name in enumerate(names):
        colour = colours.get(name, SERIES_COLOURS[index % len(SERIES_COLOURS)])
        mine = series[series["name"] == name].sort_values("period")
        if not mine.empty:
            fig.add_scatter(
                x=[_month_start(p) for p in mine["period"]],
                y=mine["value"],
                mode="lines+markers",
                name=name,
                line={"color": colour, "width": 3},
                marker={"size": 9},
                customdata=[fmt_value(v, unit) for v in mine["value"]],
                hovertemplate=f"{name}<br>%{{x|%m/%Y}}: %{{customdata}}<extra></extra>",
            )
        for row in targets[targets["name"] == name].itertuples(index=False):
            fig.add_scatter(
                x=[first, last],
                y=[row.target, row.target],
                mode="lines",
                name=f"Mục tiêu {name}: {row.label}",
                line={"color": colour, "dash": "dash", "width": 2},
                hoverinfo="name",
            )
    fig.update_xaxes(tickformat="%m/%Y", dtick=_month_step(first, last, width - 80, large), title="Tháng", tickangle=0)
    _value_axis(fig, unit)
    return _style(fig, title, large, 460 if large else (300 if width < NARROW else 380), width)


def _value_axis_props(unit: str) -> dict:
    """y-axis settings for a measure's unit: percent suffix, Có/Không ticks, or from zero."""
    if unit == MeasureUnit.PERCENT:
        return {"ticksuffix": "%", "rangemode": "tozero"}
    if unit == MeasureUnit.YES_NO:
        return {"tickvals": [0, 1], "ticktext": ["Không", "Có"], "range": [-0.15, 1.25]}
    return {"rangemode": "tozero"}


def _value_axis(fig: go.Figure, unit: str) -> None:
    fig.update_yaxes(**_value_axis_props(unit))


def _vline_date(
    fig: go.Figure, day: dt.date, text: str, colour: str, large: bool, span: tuple[dt.date, dt.date]
) -> int:
    """A dotted line at ``day`` with its label just above the plot (never over the bars), starting
    at the line near the left end of ``span`` (the axis range) and ending at it near the right end, so
    that it is never cut at the chart's edge; returns the room (px) the label needs above the plot,
    for :func:`_style`'s ``extra_top``."""
    fig.add_shape(
        type="line", x0=day, x1=day, y0=0, y1=1, yref="paper", line={"color": colour, "width": 2, "dash": "dot"}
    )
    where = (day - span[0]).days / max(1, (span[1] - span[0]).days)
    anchor = "left" if where < 0.3 else "right" if where > 0.7 else "center"
    fig.add_annotation(
        x=day,
        y=1,
        yref="paper",
        yanchor="bottom",
        xanchor=anchor,
        text=text,
        showarrow=False,
        font={"color": colour, "size": font_size(large) - 1},
        bgcolor="rgba(255,255,255,0.8)",
    )
    return font_size(large) + 12


def phase_timeline(
    phases: Sequence[dict],
    milestones: pd.DataFrame,
    today: dt.date,
    title: str,
    large: bool = False,
    width: int | None = None,
) -> go.Figure:
    """The plan's phases as bars on a calendar, today as a line, reviews and report deadlines as markers.
    On a phone the rows go unnamed (the phases are named on their bars, the markers in the legend),
    so that nothing is written where the line of today passes.

    ``milestones`` columns: row (the timeline row), date, label, kind ("review" or "report").
    """
    width = _width(width, large)
    fig = go.Figure()
    for index, phase in enumerate(phases):
        start = dt.date(int(phase["start_year"]), 1, 1)
        end = dt.date(int(phase["end_year"]), 12, 31)
        fig.add_bar(
            y=["Giai đoạn"],
            x=[(pd.Timestamp(end) - pd.Timestamp(start)).total_seconds() * 1000],
            base=[start.isoformat()],
            orientation="h",
            name=phase["name"],
            marker={"color": SERIES_COLOURS[index % len(SERIES_COLOURS)], "opacity": 0.85},
            text=[_wrap(phase["name"], 28 if width >= NARROW else 12)],
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate=f"{phase['name']}<br>{fmt_date(start)} – {fmt_date(end)}<extra></extra>",
        )
    symbols = {"review": "diamond", "report": "triangle-down"}
    colours = {"review": TARGET_COLOUR, "report": "#0072B2"}
    for kind, legend_name in (("review", "Sơ kết, tổng kết"), ("report", "Hạn báo cáo định kỳ")):
        rows = milestones[milestones["kind"] == kind]
        if rows.empty:
            continue
        fig.add_scatter(
            x=list(rows["date"]),
            y=list(rows["row"]),
            mode="markers",
            name=legend_name,
            marker={
                "symbol": symbols[kind],
                "size": 18 if large else 14,
                "color": colours[kind],
                "line": {"color": "#FFFFFF", "width": 1},
            },
            customdata=[f"{lab}: {fmt_date(d)}" for lab, d in zip(rows["label"], rows["date"])],
            hovertemplate="%{customdata}<extra></extra>",
        )
    years = [int(p["start_year"]) for p in phases] + [int(p["end_year"]) for p in phases] or [today.year]
    span = (dt.date(min(years), 1, 1), dt.date(max(years), 12, 31))
    room = _vline_date(fig, today, f"Hôm nay {fmt_date(today)}", TODAY_COLOUR, large, span)
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(type="date", tickformat="%Y", dtick="M12", ticklabelmode="period", showgrid=True)
    fig.update_yaxes(
        autorange="reversed",
        categoryorder="array",
        showticklabels=width >= NARROW,
        categoryarray=["Giai đoạn", "Sơ kết, tổng kết", "Hạn báo cáo"],
    )
    return _style(fig, title, large, 260 if large else 210, width, extra_top=room)


@dataclass(frozen=True)
class IndicatorPath:
    """What one small chart of :func:`indicator_paths` needs."""

    title: str
    unit: str
    status: str
    periods: tuple[str, ...]
    values: tuple[float, ...]
    target: float
    target_label: str
    target_date: dt.date
    path_start: tuple[dt.date, float] | None


def indicator_paths(
    items: Sequence[IndicatorPath],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    title: str,
    large: bool = False,
    columns: int = 2,
    width: int | None = None,
) -> go.Figure:
    """Small multiples: each indicator's monthly values, the straight path from its baseline to
    the target, the target as a dotted line and the target date as a star. Narrower than
    :data:`NARROW` (a phone) they are stacked one per row; each small chart's title is wrapped to
    its width, never cut."""
    if not items:
        return empty_figure(title, "Không có chỉ tiêu nào trong giai đoạn đã chọn", large, width)
    width = _width(width, large)
    columns = 1 if len(items) == 1 or width < NARROW else columns
    rows = -(-len(items) // columns)
    size = font_size(large)
    chars = _chars(width / columns - 30, size - 1)
    titles = []
    for item in items:
        head, _, name = item.title.partition("<br>")
        titles.append(f"{head}<br>{_wrap(name, chars)}" if name else head)
    title_px = max(_lines(t) for t in titles) * (size + 6) + 6
    gap = title_px + size + 2 * (size // 2 + 4) + 8  # the titles and the x labels of the chart above
    panel = 300 if large else 250
    height = rows * panel + (rows - 1) * gap
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        vertical_spacing=gap / height if rows > 1 else 0.1,
        horizontal_spacing=0.08,
    )
    traces, where, shapes, axes = [], ([], []), [], {}
    for index, item in enumerate(items):
        row, col = index // columns + 1, index % columns + 1
        legend = index == 0
        mine = [
            go.Scatter(
                x=[start, end],
                y=[item.target, item.target],
                mode="lines",
                name="Mục tiêu",
                line={"color": TARGET_COLOUR, "dash": "dot", "width": 2},
                showlegend=legend,
                legendgroup="target",
                hovertemplate=f"Mục tiêu {item.target_label}<extra></extra>",
            ),
            go.Scatter(
                x=[item.target_date],
                y=[item.target],
                mode="markers",
                name="Năm mục tiêu",
                marker={"symbol": "star", "size": 16, "color": TARGET_COLOUR},
                showlegend=legend,
                cliponaxis=False,
                legendgroup="year",
                hovertemplate=f"Hạn: {fmt_date(item.target_date)}<extra></extra>",
            ),
        ]
        if item.path_start is not None:
            mine.append(
                go.Scatter(
                    x=[item.path_start[0], item.target_date],
                    y=[item.path_start[1], item.target],
                    mode="lines",
                    name="Lộ trình đến mục tiêu",
                    hoverinfo="skip",
                    showlegend=legend,
                    line={"color": PATH_COLOUR, "dash": "dash"},
                    legendgroup="path",
                )
            )
        if item.values:
            mine.append(
                go.Scatter(
                    x=[_month_start(p) for p in item.periods],
                    y=list(item.values),
                    mode="lines+markers",
                    name="Kết quả hằng tháng",
                    line={"color": SERIES_COLOURS[0], "width": 3},
                    marker={"size": 8, "color": status_colour(item.status)},
                    showlegend=legend,
                    legendgroup="actual",
                    customdata=[fmt_value(v, item.unit) for v in item.values],
                    hovertemplate="%{x|%m/%Y}: %{customdata}<extra></extra>",
                )
            )
        traces += mine
        where[0].extend([row] * len(mine))
        where[1].extend([col] * len(mine))
        suffix = str(index + 1) if index else ""
        axes[f"yaxis{suffix}"] = _value_axis_props(item.unit)
        shapes.append(
            {
                "type": "line",
                "x0": today,
                "x1": today,
                "y0": 0,
                "y1": 1,
                "xref": f"x{suffix}",
                "yref": f"y{suffix} domain",
                "line": {"color": TODAY_COLOUR, "width": 1, "dash": "dot"},
            }
        )
    fig.add_traces(traces, rows=where[0], cols=where[1])
    fig.update_layout(shapes=shapes, **axes)
    fig.update_xaxes(
        range=[start, end],
        tickformat="%m/%Y",
        ticklabelstandoff=size // 2 + 4,
        tickangle=0,
        dtick=_month_step(start, end, width / columns - 70, large),
    )
    for annotation in fig.layout.annotations:
        annotation.font = {"size": size - 1}
    return _style(fig, title, large, height, width, extra_top=title_px)


def task_gantt(
    rows: pd.DataFrame, today: dt.date, title: str, large: bool = False, width: int | None = None
) -> go.Figure:
    """Tasks as bars over the quarter (or year) they are due in, coloured by status, today marked.

    ``rows`` columns: label, start, end, status, hover.
    """
    if rows.empty:
        return empty_figure(title, "Không có nhiệm vụ nào theo bộ lọc đã chọn", large, width)
    width = _width(width, large)
    labels = list(dict.fromkeys(rows["label"]))
    layout = _rows(labels, width, large, 60)
    key = dict(zip(labels, layout.keys))
    fig = go.Figure()
    for status in dict.fromkeys(rows["status"]):
        mine = rows[rows["status"] == status]
        widths = [
            (pd.Timestamp(e) - pd.Timestamp(s)).total_seconds() * 1000 for s, e in zip(mine["start"], mine["end"])
        ]
        fig.add_bar(
            y=[key[label] for label in mine["label"]],
            x=widths,
            base=[d.isoformat() for d in mine["start"]],
            orientation="h",
            name=status_label(status),
            marker={"color": status_colour(status)},
            customdata=list(mine["hover"]),
            hovertemplate="%{customdata}<extra></extra>",
        )
    first = min(min(rows["start"]), Period(today.year, (today.month - 1) // 3 * 3 + 1).first_day)
    last = max(max(rows["end"]), today)
    above = _vline_date(fig, today, f"Hôm nay {fmt_date(today)}", TODAY_COLOUR, large, (first, last))
    quarters = [
        Period(year, month).first_day
        for year in range(first.year, last.year + 1)
        for month in (1, 4, 7, 10)
        if first <= Period(year, month).first_day <= last
    ]
    size = font_size(large)
    names_px = 0 if layout.narrow else max(len(line) for k in layout.keys for line in k.split("<br>")) * size * CHAR_EM
    room = max(1, int((width - names_px - 50) / (12 * size * CHAR_EM + 12)))  # "Quý III/2026" side by side
    step = next(s for s in (1, 2, 4) if -(-len(quarters) // s) <= room or s == 4)
    ticks = [t for t in quarters if t.month == 1] if step == 4 else quarters[::step]
    roman = {1: "I", 4: "II", 7: "III", 10: "IV"}
    text = [str(t.year) if step == 4 else f"Quý {roman[t.month]}/{t.year}" for t in ticks]
    fig.update_xaxes(
        type="date", tickvals=ticks, ticktext=text, showgrid=True, gridcolor="#CCCCCC", range=[first, last], tickangle=0
    )
    fig.update_layout(barmode="overlay", bargap=0.3)
    _write_above(fig, layout, large)
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=layout.keys)
    return _style(fig, title, large, layout.plot_height, width, extra_top=above)


def overdue_by_unit(rows: pd.DataFrame, title: str, large: bool = False, width: int | None = None) -> go.Figure:
    """Overdue tasks per lead unit (``rows`` columns: unit, overdue, total), in the overdue colour."""
    if rows.empty:
        return empty_figure(title, "Không có nhiệm vụ quá hạn", large, width)
    width = _width(width, large, half=True)
    layout = _rows(list(rows["unit"]), width, large, 30)
    fig = go.Figure(
        go.Bar(
            y=layout.keys,
            x=rows["overdue"],
            orientation="h",
            marker={"color": status_colour(TASK_OVERDUE)},
            name=status_label(TASK_OVERDUE),
            text=[f"{o} / {t} nhiệm vụ" for o, t in zip(rows["overdue"], rows["total"])],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    _write_above(fig, layout, large)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(
        title="Số nhiệm vụ quá hạn",
        range=[0, max(rows["overdue"].max(), 1) * (2 if layout.narrow else 1.5)],
        dtick=1 if rows["overdue"].max() <= 5 else None,
    )
    return _style(fig, title, large, layout.plot_height, width)
