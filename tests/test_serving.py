"""Serving: the app listens on this machine only unless told otherwise, with XSRF protection on."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def other_address() -> str | None:
    """An address of this machine that is not loopback (None when there is none)."""
    done = subprocess.run(["hostname", "-I"], capture_output=True, text=True)
    found = [a for a in done.stdout.split() if "." in a and not a.startswith("127.")]
    return found[0] if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_config_turns_xsrf_on_and_listens_on_loopback():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["address"] == "127.0.0.1"
    script = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
    assert '--server.address "${DMST_ADDRESS:-127.0.0.1}"' in script


def test_the_app_is_not_reachable_from_another_interface(tmp_path):
    address = other_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address")
    port = free_port()
    env = {**os.environ, "DMST_DB": str(tmp_path / "dmst.duckdb")}
    proc = subprocess.Popen(
        [sys.executable, "serve.py", "--server.port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.3)
        with pytest.raises(OSError), socket.create_connection((address, port), timeout=2):
            pass
    finally:
        proc.terminate()
        proc.wait(timeout=15)
