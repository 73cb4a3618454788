"""The combined monthly values the writers keep (``store.measure_months``): written with the sheets
that change them, only for the localities written, recomputed when a measure's rule changes, and
never trusted when stale (a read-only store answers from the values themselves)."""
from __future__ import annotations

import shutil
from pathlib import Path

from sheet_factory import filled

from loaders.ingest import ingest_file
from plans.catalog import DATA_DIR, load_catalog
from plans.model import Catalog
from store import measure_months, queries
from store.db import connection, prepare


def kept(db: Path, locality_id: str) -> dict[tuple[str, str], tuple[str, float]]:
    """(measure, month) → (accumulation, value) kept for a locality."""
    with connection(db) as con:
        rows = con.execute("SELECT measure, period, accumulation, value FROM measure_months WHERE locality_id = ?",
                           [locality_id]).fetchall()
    return {(m, p): (a, v) for m, p, a, v in rows}


def version(db: Path, locality_id: str) -> int | None:
    with connection(db) as con:
        row = con.execute("SELECT version FROM measure_month_versions WHERE locality_id = ?", [locality_id]).fetchone()
    return row[0] if row else None


def send(db: Path, catalog: Catalog, unit: str, period: str, values: dict, locality: str = "tan_an") -> None:
    result = ingest_file(db, f"{locality}_{unit}_{period}.xlsx", filled(catalog, locality, unit, period, values),
                         catalog=catalog)
    assert result.accepted, result.problems


def test_each_upload_keeps_its_localitys_months_in_the_same_transaction(db: Path, catalog: Catalog) -> None:
    send(db, catalog, "kt", "2026-03", {"sme_digital_share": 30})
    send(db, catalog, "ca", "2026-03", {"fraud_awareness_sessions": 2})
    send(db, catalog, "ca", "2026-04", {"fraud_awareness_sessions": 1})
    assert kept(db, "tan_an") == {("sme_digital_share", "2026-03"): ("latest", 30.0),
                                  ("fraud_awareness_sessions", "2026-03"): ("sum_year", 2.0),
                                  ("fraud_awareness_sessions", "2026-04"): ("sum_year", 1.0)}
    send(db, catalog, "kt", "2026-03", {"sme_digital_share": 35})   # a re-sent March replaces the first
    assert kept(db, "tan_an")[("sme_digital_share", "2026-03")] == ("latest", 35.0)
    with connection(db) as con:
        newest = con.execute("SELECT max(id) FROM submissions WHERE locality_id = 'tan_an'").fetchone()[0]
        assert measure_months.stale(con) == []
        as_of = queries.values_as_of(con, ["tan_an"], "2026-04").set_index("measure")
    assert version(db, "tan_an") == newest
    assert as_of.loc["sme_digital_share", "value"] == 35.0 and as_of.loc["sme_digital_share", "last_period"] == "2026-03"
    assert as_of.loc["fraud_awareness_sessions", "value"] == 3.0   # 2 in March + 1 in April


def test_an_upload_for_one_locality_leaves_the_others_months_alone(db: Path, catalog: Catalog) -> None:
    send(db, catalog, "vhxh", "2026-05", {"propaganda_campaigns": 4}, locality="hung_dao")
    before = version(db, "hung_dao"), kept(db, "hung_dao")
    send(db, catalog, "ca", "2026-05", {"fraud_awareness_sessions": 2})
    assert (version(db, "hung_dao"), kept(db, "hung_dao")) == before
    assert version(db, "tan_an") is not None and version(db, "tan_an") > before[0]


def test_a_changed_measure_rule_recomputes_every_locality(db: Path, catalog: Catalog, tmp_path: Path) -> None:
    send(db, catalog, "ca", "2026-05", {"fraud_awareness_sessions": 2})
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", ".cache"))
    measures = data / "measures.yaml"
    text = measures.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "code: fraud_awareness_sessions" in x)
    measures.write_text(text.replace(line, line.replace("accumulation: sum_year", "accumulation: latest")),
                        encoding="utf-8")
    prepare(db, load_catalog(data))
    assert kept(db, "tan_an")[("fraud_awareness_sessions", "2026-05")] == ("latest", 2.0)


def test_rows_written_around_the_writers_are_combined_until_prepare_keeps_them(db: Path, catalog: Catalog) -> None:
    send(db, catalog, "kt", "2026-03", {"sme_digital_share": 30})
    with connection(db) as con:   # a sheet's rows written straight into the tables (a tool, an old release)
        con.execute("INSERT INTO submissions (locality_id, unit_code, period, file_sha256, uploaded_at, is_current) "
                    "VALUES ('tan_an', 'kt', '2026-04', 'abc', now(), TRUE)")
        sub = con.execute("SELECT max(id) FROM submissions").fetchone()[0]
        con.execute("INSERT INTO submission_values (submission_id, measure, value) VALUES (?, 'sme_digital_share', 50)",
                    [sub])
        assert measure_months.split_fresh(con, ["tan_an", "hung_dao"]) == ([], ["tan_an"])
        assert queries.values_as_of(con, ["tan_an"], "2026-04").set_index("measure").loc[
            "sme_digital_share", "value"] == 50.0
    prepare(db, catalog)
    assert kept(db, "tan_an")[("sme_digital_share", "2026-04")] == ("latest", 50.0)
    assert version(db, "tan_an") == sub
