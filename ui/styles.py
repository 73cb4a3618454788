"""CSS for every page: Streamlit's own English words in Vietnamese where it has no option for
them, tables that wrap, print (A4) and phone (narrow screen) layouts. Injected once per run
by app.py; the presentation mode adds :data:`ui.controls.PRESENTATION_CSS`."""

from __future__ import annotations

from plans import settings

UPLOAD_BUTTON = "Chọn tệp"
UPLOAD_LIMIT = f"hoặc kéo thả tệp vào đây · tối đa {settings.integer('DMST_MAX_UPLOAD_MB')} MB một tệp"
SKIP_LINK = "Chuyển đến nội dung chính"

BASE_CSS = f"""
<style>
/* Streamlit's built-in English labels: hidden (not in the page's text), Vietnamese drawn instead */
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stSkipToContent"] {{ visibility: hidden; font-size: 0 !important; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{UPLOAD_BUTTON}"; visibility: visible; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{UPLOAD_LIMIT}"; visibility: visible; font-size: 0.875rem; }}
[data-testid="stSkipToContent"]:focus::after {{ content: "{SKIP_LINK}"; visibility: visible; font-size: 1rem; }}
/* a chosen file is named in full (Streamlit cuts it to "phieu_...026-11.xlsx", the whole name in its title) */
[data-testid="stFileChip"] {{ max-width: 100%; height: auto; }}
[data-testid="stFileChipName"] {{ font-size: 0 !important; white-space: normal; }}
[data-testid="stFileChipName"]::after {{ content: attr(title); font-size: 0.875rem; overflow-wrap: anywhere; }}
/* the table/chart toolbar (English tooltips: search, CSV, full screen) is not offered */
[data-testid="stElementToolbar"] {{ display: none !important; }}
/* static tables: long texts wrap, dark text */
[data-testid="stTable"] td, [data-testid="stTable"] th {{ white-space: normal; word-break: normal;
  overflow-wrap: anywhere; color: #111111; vertical-align: top; }}
/* the script that measures the page's width (ui/viewport.py) takes no room */
.st-key-viewport {{ display: none !important; }}
/* phone: charts take the column's width (laid out for it, ui/viewport.py); no toolbar over the titles */
@media (max-width: 640px) {{
  .js-plotly-plot .modebar-container {{ display: none !important; }}
  [data-testid="stMainBlockContainer"] {{ padding-left: 0.8rem; padding-right: 0.8rem; }}
}}
/* print (A4 landscape): no sidebar, header or widgets that cannot be used on paper; without the sidebar
   the charts, drawn for the screen's main column, fit the paper's width */
@media print {{
  @page {{ size: A4 landscape; margin: 10mm; }}
  section[data-testid="stSidebar"], header[data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"], [data-testid="stDecoration"],
  .js-plotly-plot .modebar-container, [data-testid="stFileUploader"], [data-testid="stStatusWidget"] {{
    display: none !important; }}
  [data-testid="stMain"], [data-testid="stAppViewContainer"] {{ margin-left: 0 !important; }}
  [data-testid="stMainBlockContainer"], .block-container {{ max-width: 100% !important; padding: 0 !important; }}
  .stPlotlyChart, [data-testid="stTable"], [data-testid="stDataFrame"] {{ break-inside: avoid; }}
}}
</style>
"""
