"""The app's catalog follows the plan files: a changed file is read again within ``STAMP_SECONDS``
(the folder is looked at again no more often), at once after ``plans_changed``."""

from __future__ import annotations

import shutil
import time

import streamlit as st

from plans.catalog import DATA_DIR
from ui import data


def test_a_changed_plan_file_is_seen_after_the_stamp_time_and_not_before(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("*.duckdb*", ".cache", "plan_documents"))
    monkeypatch.setenv("DMST_DATA", str(folder))
    st.cache_data.clear()
    first = data.catalog()
    st.cache_data.clear()  # the folder looked at again now (reading took a while)
    assert data.catalog() is first
    plan = folder / "plans" / "tan_an.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Bùi Văn Khoan", "Bùi Văn Khoa"), encoding="utf-8")
    assert data.catalog() is first  # looked at less than a second ago
    time.sleep(data.STAMP_SECONDS + 0.1)
    again = data.catalog()
    assert again is not first and again.plan("tan_an").report_signer.name == "Bùi Văn Khoa"
    assert first.plan("tan_an").report_signer.name == "Bùi Văn Khoan"
