#!/usr/bin/env bash
# Install everything the tests need (Python packages in .venv, Debian's chromium and
# Vietnamese-capable fonts for the browser test, LibreOffice and poppler to render a report to PDF
# and PNG, Tesseract with its Vietnamese model to read scanned plans, PostgreSQL's server binaries for the
# tests on both store backends: they start their own server on a free port in a temporary folder, nginx for
# the test of several app processes behind it) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-liberation2 >/dev/null 2>&1 \
   || ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 \
   || ! command -v tesseract >/dev/null 2>&1 || ! dpkg -s tesseract-ocr-vie >/dev/null 2>&1 \
   || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! [ -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-liberation2 >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui \
    poppler-utils tesseract-ocr tesseract-ocr-vie postgresql nginx >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
