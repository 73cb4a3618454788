"""Danh mục chỉ tiêu: the plans as the software knows them, searchable, on the shared locality."""

from __future__ import annotations

import pytest
from page_fixtures import assert_clean, open_page

pytestmark = pytest.mark.both_backends

PAGE = "views/catalog.py"


def test_indicators_tasks_framework_and_measures(empty_db, catalog):
    at = open_page(PAGE)
    assert_clean(at)
    indicators, tasks, framework, measures = (t.value for t in at.dataframe)
    plan = catalog.plan("tan_an")
    assert list(indicators["Mã"]) == [i.code for i in plan.indicators]
    assert indicators.set_index("Mã").at["TA-a-01", "Mục tiêu"] == "> 80%"
    assert len(tasks) == len(plan.tasks)
    assert len(framework) == len(catalog.framework_for(2026).items)
    assert len(measures) == len(catalog.measures)


def test_search_and_locality(empty_db, catalog):
    at = open_page(PAGE, locality="hung_dao")
    at.text_input(key="catalog_search").input("tài khoản").run()
    assert_clean(at)
    codes = set(at.dataframe[0].value["Mã"])
    assert codes and all(code.startswith("HD-") for code in codes)
    assert all("tài khoản" in " ".join(map(str, row)).casefold() for row in at.dataframe[0].value.itertuples())
