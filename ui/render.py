"""Showing figures and tables the same way on every page."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from plans.palette import STATUS_STYLE, status_colour, status_label
from ui import viewport
from ui.charts import plot_config

STATUS_COLUMN = "Trạng thái"
COLUMN_WIDTHS = {  # px: each header and the usual values whole (a "small" column cut "Năm mục tiêu" to "Năm mục ti")
    "Mã": 95,
    "Kết quả": 80,
    "Mục tiêu": 85,
    "Năm mục tiêu": 110,
    "Mức đạt": 80,
    "Tiến độ": 75,
    "Trạng thái": 165,
    "Thời hạn": 110,
    "Chủ trì": 200,
    "Đơn vị chịu trách nhiệm": 200,
    "Báo cáo gần nhất": 135,
    "Chỉ tiêu": 380,
    "Nhiệm vụ": 380,
}
_BY_LABEL = {status_label(status): status for status in STATUS_STYLE}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?[\d.,\s]*\d[\d.,\s]*%?")
_UNSAFE_NAME = re.compile(r"[^\w.\- ]+")


def neutral(value: object) -> object:
    """A table cell safe for the CSV download of a table: text a spreadsheet would run as a formula
    (starting with = + - @, a tab or a carriage return) gets a leading apostrophe; numbers written
    as text ("-3,5") are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of a table made safe with :func:`neutral`."""
    text = [name for name in frame.columns if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name])]
    if not text:
        return frame
    safe = frame.copy()
    for name in text:
        safe[name] = safe[name].map(neutral)
    return safe


def safe_file_name(name: str, fallback: str) -> str:
    """A download name: the last part of ``name`` (never a path), with letters, digits, dot, dash,
    underscore and space only; ``fallback`` when nothing readable is left."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE_NAME.sub("_", last).strip(" ._")
    return cleaned if any(ch.isalnum() for ch in cleaned) else fallback


def plain(text: str) -> str:
    """Text typed by a user (file, village, account names) made safe for a markdown element:
    every markdown, HTML and Streamlit directive character is escaped, so it shows as written."""
    return _MARKDOWN.sub(r"\\\1", text)


def chart(fig: go.Figure, name: str, key: str | None = None) -> None:
    """A plotly chart whose modebar downloads a PNG named after ``name``."""
    st.plotly_chart(fig, config=plot_config(name), theme=None, key=key)


def tint(status: str) -> str:
    """CSS for a cell of this status: a light tint of the status colour, dark text."""
    return f"background-color: {status_colour(status)}40; color: #111111" if status else ""


def _status_cells(column: pd.Series) -> list[str]:
    return [tint(_BY_LABEL.get(value, "")) for value in column]


def styled(frame: pd.DataFrame, statuses: pd.DataFrame | None = None, whole_row: str | None = None) -> Styler:
    """Colour the ``Trạng thái`` column by status; or every cell from a parallel ``statuses``
    table; or, with ``whole_row`` (a status label), every row whose status is that label."""
    style = frame.style
    if statuses is not None:
        return style.apply(lambda _: statuses.map(tint).to_numpy(), axis=None)
    if whole_row is not None and STATUS_COLUMN in frame:
        css = tint(_BY_LABEL[whole_row])
        return style.apply(lambda row: [css if row[STATUS_COLUMN] == whole_row else ""] * len(row), axis=1)
    if STATUS_COLUMN in frame:
        style = style.apply(_status_cells, subset=[STATUS_COLUMN])
    return style


def as_lines(frame: pd.DataFrame) -> str:
    """A table as a markdown list for a phone, one item per row: the first cell in bold, then each
    other cell that says something with its column's name (``**tệp.xlsx** — Kết quả: ✖ Bị từ chối · …``)."""
    named = frame.index.name is not None  # a named index (a measure's name) is the first cell
    names = [frame.index.name, *frame.columns] if named else list(frame.columns)
    items = []
    for row in frame.itertuples(index=named):
        cells = [str(value) for value in row]
        rest = [
            f"{plain(name)}: {plain(value)}"
            for name, value in zip(names[1:], cells[1:])
            if value not in ("", "—", "nan", "None")
        ]
        items.append(f"- **{plain(cells[0])}**" + (" — " + " · ".join(rest) if rest else ""))
    return "\n".join(items)


def table(
    frame: pd.DataFrame,
    statuses: pd.DataFrame | None = None,
    whole_row: str | None = None,
    height: int | str = "auto",
    key: str | None = None,
    wrap: bool = False,
) -> None:
    """A full-width table without the index, status cells coloured (see :func:`styled`).

    Interactive (``st.dataframe``: sortable, scrolls) by default; a static table whose long texts
    wrap when ``wrap`` is set (messages, unit names, the file check) and always when presenting
    (large text that scales with the projector font); on a phone, a ``wrap`` table is a list, one
    item per row (:func:`as_lines`: eleven columns do not fit 364 px)."""
    if wrap and viewport.narrow() and not st.session_state.get("presentation"):
        st.markdown(as_lines(frame))
        return
    if wrap or st.session_state.get("presentation"):  # a static table writes its cells as markdown: "> 80%" as is
        shown = styled(frame, statuses, whole_row).format(lambda v: plain(v) if isinstance(v, str) else v)
        st.table(shown, hide_index=statuses is None)
        return
    config = {
        name: st.column_config.Column(width=COLUMN_WIDTHS[name]) for name in frame.columns if name in COLUMN_WIDTHS
    }
    st.dataframe(
        styled(neutral_frame(frame), statuses, whole_row),
        hide_index=statuses is None,
        width="stretch",
        height=height,
        key=key,
        column_config=config,
    )
