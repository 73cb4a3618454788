"""How wide the page's main column is in the browser, so that charts are laid out for it.

Plotly fills the width its container gives it, but what goes where inside a chart (a label beside
its bar or above it, how long a title line is, how many ticks an axis has, one small chart per row
or two) is decided when the figure is built, on the server. A small script in the page measures
the main column, rounds it down to :data:`STEP` px and tells the server when that changes (on
opening, on turning a phone, on resizing a window); the page then runs again with charts laid out
for that width. Until the first measure arrives (and under AppTest, which runs no script) the
width is unknown and charts keep their desktop layout.
"""

from __future__ import annotations

import streamlit as st

from ui.charts import NARROW

STEP = 40
KEY = "viewport"
STACKED_BELOW = 640
"""Streamlit puts the columns of ``st.columns`` under one another on screens narrower than this (px)."""

_SCRIPT = f"""
export default function(component) {{
  const {{ setStateValue, data }} = component;
  const measure = () => {{
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    const style = getComputedStyle(main);
    const inner = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const width = Math.floor(inner / {STEP}) * {STEP};
    const screen = Math.floor(window.innerWidth / {STEP}) * {STEP};
    if (!data || data.width !== width || data.screen !== screen) setStateValue("size", {{width, screen}});
  }};
  let timer = null;
  const later = () => {{ clearTimeout(timer); timer = setTimeout(measure, 250); }};
  // the first measure waits (up to 3 s) for the page's images: the run it starts would take away an
  // image not yet fetched, such as the one that sets the session cookie after signing in
  let waited = 0;
  const first = () => {{
    if ([...document.images].every(img => img.complete) || waited >= 3000) {{ measure(); return; }}
    waited += 100; timer = setTimeout(first, 100);
  }};
  first();
  window.addEventListener("resize", later);
  return () => {{ clearTimeout(timer); window.removeEventListener("resize", later); }};
}}
"""
_measure = st.components.v2.component("dmst_viewport", js=_SCRIPT)


def _noop() -> None:
    """The measure is read from the component's state; nothing else to do when it changes."""


def watch() -> None:
    """Mount the measuring script (once per run, before any chart) and keep its last measure."""
    result = _measure(key=KEY, data=st.session_state.get("viewport_size"), on_size_change=_noop)
    size = getattr(result, "size", None)
    if isinstance(size, dict) and isinstance(size.get("width"), (int, float)) and size["width"] > 0:
        st.session_state["viewport_size"] = {"width": int(size["width"]), "screen": int(size.get("screen") or 0)}


def narrow() -> bool:
    """Is the main column known to be narrower than a chart's desktop layout needs (a phone)?"""
    width = chart_width()
    return width is not None and width < NARROW


def chart_width(share: float = 1.0) -> int | None:
    """The width (px) of a chart that takes ``share`` of the main column (½ in two columns), or
    ``None`` while unknown; on a screen where Streamlit stacks columns every chart has the whole width."""
    size = st.session_state.get("viewport_size")
    if not size:
        return None
    stacked = 0 < size["screen"] < STACKED_BELOW
    return max(STEP, int(size["width"] * (1.0 if stacked else share)))
