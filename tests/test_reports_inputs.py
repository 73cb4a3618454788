"""A locality's report reads only that locality from the store (values, monthly series for the
projections, submission log); the city report reads every locality."""
from __future__ import annotations

import shutil
from pathlib import Path

from page_fixtures import JUNE

from plans.model import Catalog
from reports.build import CITY, read_inputs, report_content
from store.db import connection


def test_a_locality_report_reads_only_that_locality(known_store: Path, catalog: Catalog) -> None:
    with connection(known_store) as con:
        one = read_inputs(con, catalog, "tan_an", JUNE)
        city = read_inputs(con, catalog, CITY, JUNE)
    assert list(one.reports) == ["tan_an"] and list(city.reports) == list(catalog.plans)
    assert set(one.monthly["locality_id"]) == {"tan_an"} and len(one.monthly) > 0
    assert set(one.log["locality_id"]) == {"tan_an"}
    assert len(set(city.log["locality_id"])) > 1 and city.monthly.empty
    mine = city.log[city.log["locality_id"] == "tan_an"].reset_index(drop=True)
    assert one.log.reset_index(drop=True).equals(mine)
    assert one.reports["tan_an"].kpi == city.reports["tan_an"].kpi


def test_other_localities_data_does_not_change_a_locality_report(known_store: Path, catalog: Catalog,
                                                                 tmp_path: Path) -> None:
    alone = tmp_path / "alone.duckdb"
    shutil.copyfile(known_store, alone)
    with connection(alone) as con:
        others = con.execute("SELECT count(*) FROM submissions WHERE locality_id <> 'tan_an'").fetchone()[0]
        con.execute("DELETE FROM submission_values WHERE submission_id IN "
                    "(SELECT id FROM submissions WHERE locality_id <> 'tan_an')")
        con.execute("DELETE FROM task_updates WHERE submission_id IN "
                    "(SELECT id FROM submissions WHERE locality_id <> 'tan_an')")
        con.execute("DELETE FROM submissions WHERE locality_id <> 'tan_an'")
    assert others > 0
    contents = []
    for db in (known_store, alone):
        with connection(db) as con:
            inputs = read_inputs(con, catalog, "tan_an", JUNE)
        contents.append(report_content(catalog, inputs, "tan_an", JUNE))
    full, only = contents
    assert [a.table.rows for a in full.appendices] == [a.table.rows for a in only.appendices]
    assert full.source_sheets.rows == only.source_sheets.rows and len(full.source_sheets.rows) > 0
