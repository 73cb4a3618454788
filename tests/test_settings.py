"""Every DMST_* setting is declared once (plans/settings.py), and the README's table says the same."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from plans import settings
from plans.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def readme_rows() -> list[tuple[str, str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Cài đặt (biến môi trường)", 1)[1].split("\n## ", 1)[0]
    return [
        tuple(cell.strip() for cell in line.strip("|").split("|"))
        for line in section.splitlines()
        if line.startswith("| `DMST_")
    ]


def test_the_readme_table_is_the_declared_settings():
    expected = [(f"`{s.name}`", f"`{s.default}`" if s.default else "(trống)", s.meaning) for s in SETTINGS]
    assert readme_rows() == expected


def test_every_setting_the_code_reads_is_declared():
    declared = {s.name for s in SETTINGS}
    used = set()
    for path in [
        *ROOT.glob("*.py"),
        *ROOT.glob("scripts/*.sh"),
        *(
            p
            for folder in ("plans", "store", "loaders", "scoring", "reports", "ui", "views")
            for p in (ROOT / folder).rglob("*.py")
        ),
    ]:
        used |= set(re.findall(r"\bDMST_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    assert used - declared == set()


@pytest.mark.parametrize("value, expected", [(None, 120.0), ("30", 30.0), ("abc", 120.0), ("-5", 0.0), (" ", 120.0)])
def test_a_number_falls_back_to_its_default_and_stays_above_its_least(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("DMST_WRITE_WAIT", raising=False)
    else:
        monkeypatch.setenv("DMST_WRITE_WAIT", value)
    assert settings.number("DMST_WRITE_WAIT") == expected


def test_the_upload_limit_is_one_value(monkeypatch):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert "maxUploadSize" not in config["server"]  # serve.py gives it from DMST_MAX_UPLOAD_MB
    assert settings.max_upload_bytes() == 20 * 1024 * 1024
    monkeypatch.setenv("DMST_MAX_UPLOAD_MB", "7")
    assert settings.max_upload_bytes() == 7 * 1024 * 1024
    monkeypatch.setenv("DMST_TRUSTED_PROXIES", " 10.0.0.1, ,10.0.0.0/8 ")
    assert settings.listed("DMST_TRUSTED_PROXIES") == ("10.0.0.1", "10.0.0.0/8")
