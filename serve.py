"""The app's server: Streamlit's ``st.App`` around ``app.py``, with :class:`ui.web.Guard` in front.

Usage: ``python serve.py [streamlit options]`` (scripts/run.sh does this); it is ``streamlit run
serve.py``, which serves the ``app`` below (ASGI, uvicorn), with the upload limit of
``$DMST_MAX_UPLOAD_MB`` and ``X-Forwarded-For`` believed only from ``$DMST_TRUSTED_PROXIES``. The page scripts live in
``views/``, a folder name Streamlit gives no meaning of its own, so every page address declared with
``st.navigation`` works from the first visit after a start.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from plans import settings
from ui.web import ROUTES, Guard, trust_only_listed_proxies

ROOT = Path(__file__).resolve().parent

app = st.App(str(ROOT / "app.py"), routes=ROUTES, middleware=[Middleware(Guard)])

if __name__ == "__main__":
    from streamlit.web import cli

    trust_only_listed_proxies()
    upload_limit = f"--server.maxUploadSize={settings.integer('DMST_MAX_UPLOAD_MB')}"
    sys.argv = ["streamlit", "run", str(Path(__file__).resolve()), upload_limit, *sys.argv[1:]]
    sys.exit(cli.main())
