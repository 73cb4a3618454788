"""Chart builders: pure functions from data to plotly figures (no Streamlit here).

Every figure carries its own title (so a downloaded PNG explains itself), Vietnamese number
separators (``85,5``), dates as dd/mm/yyyy or mm/yyyy, status colours and symbols from
:mod:`plans.palette`, and targets drawn as lines or markers. ``large`` sizes the text for a
projector.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from plans.palette import (
    RATING_COLOURS,
    SERIES_COLOURS,
    TARGET_COLOUR,
    status_colour,
    status_label,
)
from plans.periods import Period
from plans.text import fmt_date, fmt_number, fmt_value, strip_accents
from plans.vocabulary import NOT_REPORTED, MeasureUnit, label
from scoring.kpi import KpiScore

FONT_FAMILY = "Arial, 'Liberation Sans', 'Helvetica Neue', sans-serif"
BASE_FONT = 15
LARGE_FONT = 22
HALF_WIDTH = 500
MAX_COLOUR = "#E0E0E0"
PATH_COLOUR = "#666666"
TODAY_COLOUR = "#000000"
NOT_REPORTED_TEXT = label(NOT_REPORTED)


def font_size(large: bool) -> int:
    return LARGE_FONT if large else BASE_FONT


# plotly's own words (modebar tooltips, notices), given with each chart so nothing reads in English
PLOTLY_VI = {
    "Download plot as a PNG": "Tải ảnh PNG của biểu đồ", "Download plot as a png": "Tải ảnh PNG của biểu đồ",
    "Download plot": "Tải ảnh biểu đồ", "Zoom": "Phóng to vùng chọn", "Pan": "Kéo", "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ", "Autoscale": "Tự co giãn", "Reset axes": "Đặt lại trục",
    "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
    "Taking snapshot - this may take a few seconds": "Đang chụp ảnh biểu đồ, xin chờ vài giây",
    "Snapshot succeeded": "Đã chụp ảnh biểu đồ", "Sorry, there was a problem downloading your snapshot!":
        "Không tải được ảnh biểu đồ", "Double-click on legend to isolate one trace":
        "Nhấp đúp vào chú giải để chỉ xem một dãy số liệu",
}
MODEBAR_BUTTONS = [["toImage", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d"]]


def plot_config(name: str) -> dict:
    """``st.plotly_chart`` config: the modebar's camera saves a 2× PNG named after the chart; the
    few buttons kept and plotly's notices speak Vietnamese."""
    slug = re.sub(r"[^a-z0-9]+", "-", strip_accents(name)).strip("-") or "bieu-do"
    return {"toImageButtonOptions": {"format": "png", "scale": 2, "filename": slug},
            "displaylogo": False, "modeBarButtons": MODEBAR_BUTTONS,
            "locale": "vi-dmst", "locales": {"vi-dmst": {"dictionary": PLOTLY_VI}}}


def _legend_rows(fig: go.Figure, size: int, width: int) -> int:
    """Rows a horizontal legend needs (0 when plotly shows no legend)."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    if len(names) < 2 and not any(t.showlegend for t in fig.data):
        return 0
    chars = sum(len(n) + 6 for n in names)
    return max(1, -(-int(chars * size * 0.55) // width))


def _style(fig: go.Figure, title: str, large: bool, plot_height: int, width: int = 900,
           extra_top: int = 0) -> go.Figure:
    """House style: wrapped title at the top, a horizontal legend between title and plot,
    Vietnamese separators, projector-sized text; ``plot_height`` excludes title and legend.
    ``width`` is the narrowest the chart is expected to be drawn (for wrapping); ``extra_top``
    leaves room above the plot (subplot titles)."""
    size = font_size(large)
    wrapped = _wrap(title, max(30, int(width / ((size + 3) * 0.55))))
    title_px = (wrapped.count("<br>") + 1) * (size + 10) + 26
    legend_px = _legend_rows(fig, size, width) * (size + 12)
    fig.update_layout(
        title={"text": wrapped, "font": {"size": size + 3}, "x": 0.01, "xanchor": "left", "xref": "container",
               "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 20}},
        font={"family": FONT_FAMILY, "size": size, "color": "#222222"},
        separators=",.", template="plotly_white", height=plot_height + title_px + legend_px + extra_top + 40,
        margin={"l": 10, "r": 40, "t": title_px + legend_px + extra_top + 14, "b": 30},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0 + extra_top / plot_height, "yref": "paper",
                "x": 0, "title": None, "font": {"size": size - 1}},
        hoverlabel={"font": {"size": size, "family": FONT_FAMILY}},
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True, ticklabelstandoff=6)
    return fig


def _half_width(large: bool) -> int:
    """Width to wrap a chart drawn in half the page; presenting shows it alone, full width."""
    return 900 if large else HALF_WIDTH


def _bar_height(rows: int, large: bool, minimum: int = 180) -> int:
    """Plot height for ``rows`` horizontal bars."""
    return max(minimum, 70 + rows * (50 if large else 36))


def _wrap(text: str, width: int) -> str:
    """Break a long label into lines of about ``width`` characters (plotly's ``<br>``)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def _wrap_tick(text: str, width: int) -> str:
    """Like :func:`_wrap`, but a word longer than ``width`` may also break after a "/"."""
    pieces: list[tuple[str, str]] = []
    for w_index, word in enumerate(text.split()):
        parts = re.findall(r"[^/]+/?|/", word) if len(word) > width else [word]
        pieces += [(part, " " if p_index == 0 and w_index else "") for p_index, part in enumerate(parts)]
    lines, line = [], ""
    for part, sep in pieces:
        if line and len(line) + len(sep) + len(part) > width:
            lines.append(line)
            line = part
        else:
            line = f"{line}{sep}{part}" if line else part
    lines.append(line)
    return "<br>".join(lines)


def empty_figure(title: str, message: str, large: bool = False) -> go.Figure:
    """A figure that says why there is nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": font_size(large) + 2, "color": "#555555"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, title, large, 160, _half_width(large))


# ---------- KPI ----------

def kpi_groups(kpi: KpiScore, title: str, large: bool = False) -> go.Figure:
    """Points per KPI group (bars) against the group's maximum (grey bar and a marker)."""
    labels = [_wrap(f"{g.code}. {g.name}", 24) for g in kpi.groups]
    fig = go.Figure()
    fig.add_bar(y=labels, x=[g.max_points for g in kpi.groups], orientation="h", name="Điểm tối đa",
                marker={"color": MAX_COLOUR}, hoverinfo="skip")
    fig.add_bar(y=labels, x=[g.points for g in kpi.groups], orientation="h", name="Điểm đạt được",
                marker={"color": SERIES_COLOURS[0]},
                text=[f"{fmt_number(g.points, 2)} / {fmt_number(g.max_points)}" for g in kpi.groups],
                textposition="outside", cliponaxis=False,
                hovertemplate="%{y}<br>%{text} điểm<extra></extra>")
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_yaxes(autorange="reversed")
    top = max((g.max_points for g in kpi.groups), default=1)
    fig.update_xaxes(title="Điểm", range=[0, top * 1.3])
    return _style(fig, title, large, _bar_height(len(labels), large) + 30 * large, _half_width(large))


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


def kpi_ranking(rows: Sequence[tuple[str, KpiScore]], bands: Sequence[dict], title: str,
                large: bool = False, unreported: Collection[str] = ()) -> go.Figure:
    """KPI totals, highest first, coloured by rating and named on each bar; the rating
    thresholds are the x ticks (dotted grid lines) and are spelled out under the axis. A locality
    in ``unreported`` (nothing reported yet) comes last and reads "Chưa báo cáo", not 0 points."""
    ordered = sorted(rows, key=lambda r: (r[0] in unreported, -r[1].points))

    def text(name: str, kpi: KpiScore) -> str:
        if name in unreported:
            return NOT_REPORTED_TEXT
        return f"{fmt_number(kpi.points, 2)} — {kpi.rating}{' (tạm tính)' if kpi.provisional else ''}"

    fig = go.Figure(go.Bar(
        y=[name for name, _ in ordered], x=[kpi.points for _, kpi in ordered], orientation="h",
        marker={"color": [status_colour(NOT_REPORTED) if name in unreported else RATING_COLOURS.get(kpi.rating, "#999999")
                          for name, kpi in ordered]},
        text=[text(name, kpi) for name, kpi in ordered],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    ticks = sorted({0.0, 100.0} | {float(b["min_points"]) for b in bands})
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=_wrap(f"Tổng điểm KPI (thang 100). Xếp loại: {rating_bands(bands)}", 80),
                     range=[0, 140], tickvals=ticks, ticktext=[fmt_number(t) for t in ticks], gridcolor="#888888",
                     griddash="dot", tickangle=0)
    return _style(fig, title, large, _bar_height(len(ordered), large) + 40)


def kpi_groups_compare(rows: Sequence[tuple[str, KpiScore]], title: str, large: bool = False) -> go.Figure:
    """Points per KPI group, one bar per locality side by side, the group maximum as a black tick."""
    fig = go.Figure()
    if not rows:
        return empty_figure(title, "Chưa chọn địa phương", large)
    groups = rows[0][1].groups
    labels = [_wrap(f"{g.code}. {g.name}", 22) for g in groups]
    for index, (name, kpi) in enumerate(rows):
        fig.add_bar(y=labels, x=[g.points for g in kpi.groups], name=name, orientation="h",
                    marker={"color": SERIES_COLOURS[index % len(SERIES_COLOURS)]},
                    text=[fmt_number(g.points, 1) for g in kpi.groups], textposition="outside", cliponaxis=False,
                    hovertemplate=f"{name}<br>%{{y}}: %{{x:.2f}} điểm<extra></extra>")
    per_group = len(rows) * (30 if large else 22) + 16
    fig.add_scatter(y=labels, x=[g.max_points for g in groups], mode="markers", name="Điểm tối đa",
                    marker={"symbol": "line-ns-open", "size": per_group * 0.75, "color": "#000000",
                            "line": {"width": 3}},
                    hovertemplate="%{y}: tối đa %{x} điểm<extra></extra>")
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Điểm", range=[0, max(g.max_points for g in groups) * 1.15])
    return _style(fig, title, large, 60 + len(groups) * per_group)


# ---------- statuses ----------

def status_counts(counts: dict[str, int], title: str, large: bool = False) -> go.Figure:
    """How many items have each status (colour plus symbol and label)."""
    statuses = list(counts)
    fig = go.Figure(go.Bar(
        y=[status_label(s) for s in statuses], x=[counts[s] for s in statuses], orientation="h",
        marker={"color": [status_colour(s) for s in statuses]}, text=[str(counts[s]) for s in statuses],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{x}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Số chỉ tiêu", range=[0, max(max(counts.values(), default=1), 1) * 1.2], dtick=5)
    return _style(fig, title, large, _bar_height(len(statuses), large), _half_width(large))


def attainment_bars(rows: pd.DataFrame, title: str, large: bool = False) -> go.Figure:
    """Attainment (actual ÷ target, 0–100%) per indicator, coloured by status; 100% target line.

    ``rows`` columns: label, attainment (0–1 or NaN), status, actual_text, target_text.
    """
    if rows.empty:
        return empty_figure(title, "Không có chỉ tiêu nào trong nhóm này", large)
    percent = (rows["attainment"].astype(float) * 100).fillna(0)
    text = [f"{status_label(s)} · {a} / {t}" for s, a, t in zip(rows["status"], rows["actual_text"], rows["target_text"])]
    labels = [_wrap(label, 34 if large else 48) for label in rows["label"]]
    fig = go.Figure(go.Bar(
        y=labels, x=percent, orientation="h",
        marker={"color": [status_colour(s) for s in rows["status"]]}, text=text, textposition="outside",
        cliponaxis=False, hovertemplate="%{y}<br>Mức đạt: %{x:.1f}%<br>%{text}<extra></extra>",
    ))
    fig.add_vline(x=100, line={"color": TARGET_COLOUR, "dash": "dash", "width": 2})
    fig.add_annotation(x=100, y=0, yref="paper", yanchor="bottom", xanchor="left", text=" Mục tiêu (100%)",
                       showarrow=False, font={"color": TARGET_COLOUR}, bgcolor="rgba(255,255,255,0.8)")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Mức đạt so với mục tiêu (%)", range=[0, 175], ticksuffix="%", dtick=25)
    lines = sum(label.count("<br>") + 1 for label in labels)
    return _style(fig, title, large, _bar_height(len(rows), large) + lines * (font_size(large) + 2))


def status_heatmap(statuses: pd.DataFrame, hover: pd.DataFrame, order: Sequence[str], title: str,
                   large: bool = False, x_title: str = "", y_title: str = "", width: int = 980,
                   label_chars: int = 48) -> go.Figure:
    """A grid coloured by status with the status symbol in each cell and a legend of statuses.

    ``statuses``: rows × columns of status labels (empty string or NaN = not applicable);
    ``hover``: the same shape, text shown on hover. Column labels are wrapped (also after a "/",
    so "01/2026" becomes "01/" over "2026") to fit their column when the chart is ``width`` px
    wide, and turned only when a single word is still too long; row labels wrap at ``label_chars``.
    """
    if statuses.empty:
        return empty_figure(title, "Không có dữ liệu để vẽ", large)
    codes = {status: index for index, status in enumerate(order)}
    z = statuses.map(lambda s: codes.get(s) if isinstance(s, str) else None)
    symbols = statuses.map(lambda s: status_label(s).split(" ")[0] if isinstance(s, str) and s in codes else "")
    steps = len(order)
    scale = []
    for index, status in enumerate(order):
        scale += [[index / steps, status_colour(status)], [(index + 1) / steps, status_colour(status)]]
    index = [_wrap(str(r), label_chars) for r in statuses.index]
    size = font_size(large)
    label_px = max(len(line) for r in index for line in r.split("<br>")) * size * 0.55 + 24
    per_column = max(4, int((width - label_px) / len(statuses.columns) / (size * 0.62)) - 1)
    columns = [_wrap_tick(str(c), per_column) for c in statuses.columns]
    fig = go.Figure(go.Heatmap(
        z=z.to_numpy(dtype=float), x=columns, y=index, zmin=-0.5,
        zmax=steps - 0.5, colorscale=scale, showscale=False, xgap=2, ygap=2, text=symbols.to_numpy(),
        texttemplate="%{text}", textfont={"size": font_size(large) + 1},
        customdata=hover.fillna("").to_numpy(), hovertemplate="%{y}<br>%{x}<br>%{customdata}<extra></extra>",
    ))
    for status in order:
        fig.add_scatter(x=[None], y=[None], mode="markers", name=status_label(status),
                        marker={"color": status_colour(status), "size": 14, "symbol": "square"})
    fig.update_yaxes(autorange="reversed", title=y_title, type="category")
    upright = all(len(line) <= per_column for c in columns for line in c.split("<br>"))
    fig.update_xaxes(title=x_title, tickangle=0 if upright else -60, type="category")
    fig.update_layout(plot_bgcolor="#FFFFFF")
    lines = max(c.count("<br>") + 1 for c in columns) if upright else 6
    row_px = max(r.count("<br>") + 1 for r in index) * (font_size(large) + 4) + 8
    height = 40 + len(index) * max(row_px, 42 if large else 32) + lines * (font_size(large) + 4)
    return _style(fig, title, large, max(200, height), width)


# ---------- time ----------

def _month_start(period: str) -> dt.date:
    return Period.parse(period).first_day


def measure_trend(series: pd.DataFrame, targets: pd.DataFrame, unit: str, title: str,
                  large: bool = False) -> go.Figure:
    """Monthly value of one measure for each locality, each locality's target as a dashed line.

    ``series`` columns: name, period, value; ``targets`` columns: name, target, label.
    """
    if series.empty:
        return empty_figure(title, "Các địa phương đã chọn chưa báo cáo đại lượng này", large)
    fig = go.Figure()
    names = list(dict.fromkeys(list(series["name"]) + list(targets["name"])))
    first = _month_start(series["period"].min())
    last = _month_start(series["period"].max())
    for index, name in enumerate(names):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        mine = series[series["name"] == name].sort_values("period")
        if not mine.empty:
            fig.add_scatter(
                x=[_month_start(p) for p in mine["period"]], y=mine["value"], mode="lines+markers", name=name,
                line={"color": colour, "width": 3}, marker={"size": 9},
                customdata=[fmt_value(v, unit) for v in mine["value"]],
                hovertemplate=f"{name}<br>%{{x|%m/%Y}}: %{{customdata}}<extra></extra>",
            )
        for row in targets[targets["name"] == name].itertuples(index=False):
            fig.add_scatter(x=[first, last], y=[row.target, row.target], mode="lines", name=f"Mục tiêu {name}: {row.label}",
                            line={"color": colour, "dash": "dash", "width": 2}, hoverinfo="name")
    fig.update_xaxes(tickformat="%m/%Y", dtick="M1", title="Tháng")
    _value_axis(fig, unit)
    return _style(fig, title, large, 460 if large else 380)


def _value_axis_props(unit: str) -> dict:
    """y-axis settings for a measure's unit: percent suffix, Có/Không ticks, or from zero."""
    if unit == MeasureUnit.PERCENT:
        return {"ticksuffix": "%", "rangemode": "tozero"}
    if unit == MeasureUnit.YES_NO:
        return {"tickvals": [0, 1], "ticktext": ["Không", "Có"], "range": [-0.15, 1.25]}
    return {"rangemode": "tozero"}


def _value_axis(fig: go.Figure, unit: str) -> None:
    fig.update_yaxes(**_value_axis_props(unit))


def _vline_date(fig: go.Figure, day: dt.date, text: str, colour: str, large: bool) -> int:
    """A dotted line at ``day`` with its label just above the plot (never over the bars); returns
    the room (px) the label needs above the plot, for :func:`_style`'s ``extra_top``."""
    fig.add_shape(type="line", x0=day, x1=day, y0=0, y1=1, yref="paper",
                  line={"color": colour, "width": 2, "dash": "dot"})
    fig.add_annotation(x=day, y=1, yref="paper", yanchor="bottom", xanchor="center", text=text, showarrow=False,
                       font={"color": colour, "size": font_size(large) - 1}, bgcolor="rgba(255,255,255,0.8)")
    return font_size(large) + 12


def phase_timeline(phases: Sequence[dict], milestones: pd.DataFrame, today: dt.date, title: str,
                   large: bool = False) -> go.Figure:
    """The plan's phases as bars on a calendar, today as a line, reviews and report deadlines as markers.

    ``milestones`` columns: row (the timeline row), date, label, kind ("review" or "report").
    """
    fig = go.Figure()
    for index, phase in enumerate(phases):
        start = dt.date(int(phase["start_year"]), 1, 1)
        end = dt.date(int(phase["end_year"]), 12, 31)
        fig.add_bar(
            y=["Giai đoạn"], x=[(pd.Timestamp(end) - pd.Timestamp(start)).total_seconds() * 1000],
            base=[start.isoformat()], orientation="h", name=phase["name"],
            marker={"color": SERIES_COLOURS[index % len(SERIES_COLOURS)], "opacity": 0.85},
            text=[_wrap(phase["name"], 28)], textposition="inside", insidetextanchor="middle",
            hovertemplate=f"{phase['name']}<br>{fmt_date(start)} – {fmt_date(end)}<extra></extra>",
        )
    symbols = {"review": "diamond", "report": "triangle-down"}
    colours = {"review": TARGET_COLOUR, "report": "#0072B2"}
    for kind, label in (("review", "Sơ kết, tổng kết"), ("report", "Hạn báo cáo định kỳ")):
        rows = milestones[milestones["kind"] == kind]
        if rows.empty:
            continue
        fig.add_scatter(
            x=list(rows["date"]), y=list(rows["row"]), mode="markers", name=label,
            marker={"symbol": symbols[kind], "size": 18 if large else 14, "color": colours[kind],
                    "line": {"color": "#FFFFFF", "width": 1}},
            customdata=[f"{lab}: {fmt_date(d)}" for lab, d in zip(rows["label"], rows["date"])],
            hovertemplate="%{customdata}<extra></extra>",
        )
    room = _vline_date(fig, today, f"Hôm nay {fmt_date(today)}", TODAY_COLOUR, large)
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(type="date", tickformat="%Y", dtick="M12", ticklabelmode="period", showgrid=True)
    fig.update_yaxes(autorange="reversed", categoryorder="array",
                     categoryarray=["Giai đoạn", "Sơ kết, tổng kết", "Hạn báo cáo"])
    return _style(fig, title, large, 260 if large else 210, extra_top=room)


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


def indicator_paths(items: Sequence[IndicatorPath], start: dt.date, end: dt.date, today: dt.date,
                    title: str, large: bool = False, columns: int = 2) -> go.Figure:
    """Small multiples: each indicator's monthly values, the straight path from its baseline to
    the target, the target as a dotted line and the target date as a star."""
    if not items:
        return empty_figure(title, "Không có chỉ tiêu nào trong giai đoạn đã chọn", large)
    columns = 1 if len(items) == 1 else columns
    rows = -(-len(items) // columns)
    size = font_size(large)
    gap = 3 * (size + 8) + size // 2 + 4     # two title lines and the x labels pushed below "0%"
    height = rows * (300 if large else 250) + (rows - 1) * gap
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[item.title for item in items],
                        vertical_spacing=gap / height if rows > 1 else 0.1, horizontal_spacing=0.08)
    traces, where, shapes, axes = [], ([], []), [], {}
    for index, item in enumerate(items):
        row, col = index // columns + 1, index % columns + 1
        legend = index == 0
        mine = [go.Scatter(x=[start, end], y=[item.target, item.target], mode="lines", name="Mục tiêu",
                           line={"color": TARGET_COLOUR, "dash": "dot", "width": 2}, showlegend=legend,
                           legendgroup="target", hovertemplate=f"Mục tiêu {item.target_label}<extra></extra>"),
                go.Scatter(x=[item.target_date], y=[item.target], mode="markers", name="Năm mục tiêu",
                           marker={"symbol": "star", "size": 16, "color": TARGET_COLOUR}, showlegend=legend,
                           legendgroup="year", hovertemplate=f"Hạn: {fmt_date(item.target_date)}<extra></extra>")]
        if item.path_start is not None:
            mine.append(go.Scatter(x=[item.path_start[0], item.target_date], y=[item.path_start[1], item.target],
                                   mode="lines", name="Lộ trình đến mục tiêu", hoverinfo="skip", showlegend=legend,
                                   line={"color": PATH_COLOUR, "dash": "dash"}, legendgroup="path"))
        if item.values:
            mine.append(go.Scatter(
                x=[_month_start(p) for p in item.periods], y=list(item.values), mode="lines+markers",
                name="Kết quả hằng tháng", line={"color": SERIES_COLOURS[0], "width": 3},
                marker={"size": 8, "color": status_colour(item.status)}, showlegend=legend, legendgroup="actual",
                customdata=[fmt_value(v, item.unit) for v in item.values],
                hovertemplate="%{x|%m/%Y}: %{customdata}<extra></extra>"))
        traces += mine
        where[0].extend([row] * len(mine))
        where[1].extend([col] * len(mine))
        suffix = str(index + 1) if index else ""
        axes[f"yaxis{suffix}"] = _value_axis_props(item.unit)
        shapes.append({"type": "line", "x0": today, "x1": today, "y0": 0, "y1": 1, "xref": f"x{suffix}",
                       "yref": f"y{suffix} domain", "line": {"color": TODAY_COLOUR, "width": 1, "dash": "dot"}})
    fig.add_traces(traces, rows=where[0], cols=where[1])
    fig.update_layout(shapes=shapes, **axes)
    fig.update_xaxes(range=[start, end], tickformat="%m/%Y", ticklabelstandoff=size // 2 + 4)
    for annotation in fig.layout.annotations:
        annotation.font = {"size": font_size(large) - 1}
    return _style(fig, title, large, height, extra_top=2 * (size + 8) + 6)


def task_gantt(rows: pd.DataFrame, today: dt.date, title: str, large: bool = False) -> go.Figure:
    """Tasks as bars over the quarter (or year) they are due in, coloured by status, today marked.

    ``rows`` columns: label, start, end, status, hover.
    """
    if rows.empty:
        return empty_figure(title, "Không có nhiệm vụ nào theo bộ lọc đã chọn", large)
    fig = go.Figure()
    for status in dict.fromkeys(rows["status"]):
        mine = rows[rows["status"] == status]
        widths = [(pd.Timestamp(e) - pd.Timestamp(s)).total_seconds() * 1000 for s, e in zip(mine["start"], mine["end"])]
        fig.add_bar(y=list(mine["label"]), x=widths, base=[d.isoformat() for d in mine["start"]], orientation="h",
                    name=status_label(status), marker={"color": status_colour(status)},
                    customdata=list(mine["hover"]), hovertemplate="%{customdata}<extra></extra>")
    room = _vline_date(fig, today, f"Hôm nay {fmt_date(today)}", TODAY_COLOUR, large)
    first = min(min(rows["start"]), Period(today.year, (today.month - 1) // 3 * 3 + 1).first_day)
    last = max(max(rows["end"]), today)
    months = (1, 4, 7, 10) if last.year - first.year < 3 else (1,)
    ticks = [Period(year, month).first_day for year in range(first.year, last.year + 1) for month in months
             if first <= Period(year, month).first_day <= last]
    roman = {1: "I", 4: "II", 7: "III", 10: "IV"}
    fig.update_xaxes(type="date", tickvals=ticks, ticktext=[f"Quý {roman[t.month]}/{t.year}" for t in ticks],
                     showgrid=True, gridcolor="#CCCCCC", range=[first, last], tickangle=0)
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=list(dict.fromkeys(rows["label"])))
    fig.update_layout(barmode="overlay", bargap=0.3)
    return _style(fig, title, large, _bar_height(rows["label"].nunique(), large), extra_top=room)


def overdue_by_unit(rows: pd.DataFrame, title: str, large: bool = False) -> go.Figure:
    """Overdue tasks per lead unit (``rows`` columns: unit, overdue, total)."""
    if rows.empty:
        return empty_figure(title, "Không có nhiệm vụ quá hạn", large)
    fig = go.Figure(go.Bar(
        y=[_wrap(u, 30) for u in rows["unit"]], x=rows["overdue"], orientation="h",
        marker={"color": status_colour("Quá hạn")}, name=status_label("Quá hạn"),
        text=[f"{o} / {t} nhiệm vụ" for o, t in zip(rows["overdue"], rows["total"])], textposition="outside",
        cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Số nhiệm vụ quá hạn", range=[0, max(rows["overdue"].max(), 1) * 1.5])
    return _style(fig, title, large, _bar_height(len(rows), large), _half_width(large))
