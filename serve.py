"""Start the app as ``streamlit run app.py`` does, with one thing set first.

app.py declares its pages with ``st.navigation``, and the page scripts live in ``pages/``.
Seeing that folder, Streamlit runs the first visit after a start as an old-style app whose
pages are named after their files, so a link such as ``/so-sanh?thang=2026-06`` opened right
after a restart shows Streamlit's English "Page not found". Telling Streamlit up front that
the app uses ``st.navigation`` makes every page's own address work from the first visit.

Usage: ``python serve.py [streamlit options]`` (scripts/run.sh does this).
"""
from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(Path(__file__).resolve().parent / "app.py"), *sys.argv[1:]]
    sys.exit(cli.main())
