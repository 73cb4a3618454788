"""A locality's report reads only that locality from the store (values, monthly series for the
projections, submission log); the city report reads every locality."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_fixtures import JUNE

from plans.model import Catalog
from reports.build import CITY, read_inputs, report_content
from store.db import Target, connection, writing

pytestmark = pytest.mark.both_backends


def test_a_locality_report_reads_only_that_locality(known_store: Path, catalog: Catalog) -> None:
    with connection(known_store) as con:
        one = read_inputs(con, catalog, "tan_an", JUNE)
        city = read_inputs(con, catalog, CITY, JUNE)
    assert list(one.reports) == ["tan_an"] and list(city.reports) == list(catalog.plans)
    assert set(one.monthly["locality_id"]) == {"tan_an"} and len(one.monthly) > 0
    assert set(one.as_of["locality_id"]) == {"tan_an"} and len(one.as_of) > 0
    assert [code for code, _, _ in one.evidence] == ["TA-VII.1-a"]  # the one task reported done
    assert set(one.log["locality_id"]) == {"tan_an"}
    assert city.monthly.empty and one.sheets.empty
    # the known sheets: Tân An's whole-locality sheets for May and June, Hưng Đạo's ttpvhcc and vhxh for June
    assert list(zip(city.log["locality_id"], city.log["unit_code"], city.log["period"])) == [
        ("tan_an", "all", "2026-05"),
        ("hung_dao", "ttpvhcc", "2026-06"),
        ("hung_dao", "vhxh", "2026-06"),
        ("tan_an", "all", "2026-06"),
    ]
    assert list(zip(city.sheets["period"], city.sheets["locality_id"], city.sheets["sheets"])) == [
        ("2026-05", "tan_an", 1),
        ("2026-06", "hung_dao", 2),
        ("2026-06", "tan_an", 1),
    ]
    assert one.reports["tan_an"].kpi == city.reports["tan_an"].kpi


def test_the_city_reads_the_uploads_of_the_months_its_report_covers(known_store: Path, catalog: Catalog) -> None:
    """A monthly city report for June reads June's uploads only; its sources are counted per
    locality and month, with the months before June, since its figures come from them too."""
    with connection(known_store) as con:
        month = read_inputs(con, catalog, CITY, JUNE, kind="thang")
    assert set(month.log["period"]) == {"2026-06"} and len(month.log) == 3
    content = report_content(catalog, month, CITY, JUNE, "thang")
    assert [(r["month"], r["locality"], r["sheets"]) for r in content.sheets.rows] == [
        ("Tháng 05/2026", "Xã Tân An", 1),
        ("Tháng 06/2026", "Phường Hưng Đạo", 2),
        ("Tháng 06/2026", "Xã Tân An", 1),
    ]
    rates = {r["name"]: (r["expected"], r["received"]) for r in content.appendices[2].tables[0].rows}
    # June only: Tân An's whole-locality sheet stands for its 12 reporting units; Hưng Đạo expects 11, has 2
    assert rates["Xã Tân An"] == (12, 12) and rates["Phường Hưng Đạo"] == (11, 2)


def test_other_localities_data_does_not_change_a_locality_report(
    known_store: Target, known_db: Target, catalog: Catalog
) -> None:
    alone = known_db
    with writing(alone) as con:
        others = con.execute("SELECT count(*) FROM submissions WHERE locality_id <> 'tan_an'").fetchone()[0]
        con.execute(
            "DELETE FROM submission_values WHERE submission_id IN "
            "(SELECT id FROM submissions WHERE locality_id <> 'tan_an')"
        )
        con.execute(
            "DELETE FROM task_updates WHERE submission_id IN (SELECT id FROM submissions WHERE locality_id <> 'tan_an')"
        )
        con.execute("DELETE FROM submissions WHERE locality_id <> 'tan_an'")
    assert others > 0
    contents = []
    for db in (known_store, alone):
        with connection(db) as con:
            inputs = read_inputs(con, catalog, "tan_an", JUNE)
        contents.append(report_content(catalog, inputs, "tan_an", JUNE))
    full, only = contents
    assert [t.rows for a in full.appendices for t in a.tables] == [t.rows for a in only.appendices for t in a.tables]
    assert full.sections == only.sections
    assert full.sheets.rows == only.sheets.rows and len(full.sheets.rows) > 0
