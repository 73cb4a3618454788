#!/usr/bin/env bash
# Install the app's packages in .venv and start it on the embedded DuckDB file
# (data/dmst.duckdb, or $DMST_DB), created and filled with the plans on first start.
# serve.py is `streamlit run app.py` with every page address working from the first visit.
# Listens on 127.0.0.1:8501 (this machine only); DMST_ADDRESS=0.0.0.0 (or the server's address)
# and DMST_PORT serve the city's network, normally behind a reverse proxy with HTTPS (README).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
exec .venv/bin/python serve.py --server.address "${DMST_ADDRESS:-127.0.0.1}" --server.port "${DMST_PORT:-8501}" "$@"
