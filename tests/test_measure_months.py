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


def send(db: Path, catalog: Catalog, unit: str, period: str, values: dict, locality: str = "tan_an",
         tasks: dict | None = None) -> None:
    result = ingest_file(db, f"{locality}_{unit}_{period}.xlsx",
                         filled(catalog, locality, unit, period, values, tasks), catalog=catalog)
    assert result.accepted, result.problems


def latest(db: Path, locality_id: str) -> tuple[str | None, dict, dict]:
    """(latest month kept, measure → kept row, task code → kept line) of a locality."""
    with connection(db) as con:
        through = con.execute("SELECT through FROM measure_month_versions WHERE locality_id = ?",
                              [locality_id]).fetchone()
        values = con.execute("SELECT measure, value, last_period, first_period, first_value, year_first_period, "
                             "year_first_value FROM latest_values WHERE locality_id = ?", [locality_id]).fetchall()
        tasks = con.execute("SELECT task_code, unit_code, period, status, percent FROM latest_tasks "
                            "WHERE locality_id = ?", [locality_id]).fetchall()
    return through and through[0], {m: tuple(rest) for m, *rest in values}, {c: tuple(rest) for c, *rest in tasks}


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


def test_each_upload_keeps_its_localitys_values_and_task_lines_as_of_its_latest_month(db: Path, catalog: Catalog
                                                                                    ) -> None:
    send(db, catalog, "kt", "2026-03", {"sme_digital_share": 30})
    send(db, catalog, "ca", "2026-03", {"fraud_awareness_sessions": 2})
    send(db, catalog, "ca", "2026-04", {"fraud_awareness_sessions": 1})
    send(db, catalog, "vhxh", "2026-04", {}, tasks={"TA-VII.2-a": {"Tình trạng": "Đang thực hiện",
                                                                   "Tỷ lệ hoàn thành (%)": 40}})
    through, values, tasks = latest(db, "tan_an")
    assert through == "2026-04"
    assert values == {  # value, last month, first month and value, first month and value of the year
        "sme_digital_share": (30.0, "2026-03", "2026-03", 30.0, "2026-03", 30.0),
        "fraud_awareness_sessions": (3.0, "2026-04", "2026-03", 2.0, "2026-03", 2.0)}   # 2 + 1 this year
    assert tasks["TA-VII.2-a"] == ("vhxh", "2026-04", "in_progress", 40.0)
    send(db, catalog, "vhxh", "2026-05", {}, tasks={"TA-VII.2-a": {"Tình trạng": "Hoàn thành"}})
    through, values, tasks = latest(db, "tan_an")
    assert through == "2026-05" and values["fraud_awareness_sessions"][:2] == (3.0, "2026-04")
    assert tasks["TA-VII.2-a"] == ("vhxh", "2026-05", "done", 100.0)


def test_a_later_month_of_the_same_year_is_answered_from_the_kept_latest_month(db: Path, catalog: Catalog) -> None:
    """The kept rows are what answers from the latest month to December; an earlier month or
    another year is aggregated from the months (a kept row altered by hand shows which path answered)."""
    send(db, catalog, "kt", "2026-03", {"sme_digital_share": 30})
    send(db, catalog, "vhxh", "2026-04", {}, tasks={"TA-VII.2-a": {"Tình trạng": "Đang thực hiện",
                                                                   "Tỷ lệ hoàn thành (%)": 40}})
    with connection(db) as con:
        con.execute("UPDATE latest_values SET value = 99 WHERE locality_id = 'tan_an' AND measure = 'sme_digital_share'")
        con.execute("UPDATE latest_tasks SET percent = 77 WHERE task_code = 'TA-VII.2-a'")

        def value(period: str) -> float:
            return queries.values_as_of(con, ["tan_an", "hung_dao"], period).set_index("measure").loc[
                "sme_digital_share", "value"]

        def percent(period: str) -> list[float]:
            return [percent for code, _, _, percent in queries.task_updates(con, ["tan_an", "hung_dao"], period)
                    if code == "TA-VII.2-a"]

        assert [value(p) for p in ("2026-03", "2026-04", "2026-12", "2027-01")] == [30.0, 99.0, 99.0, 30.0]
        assert [percent(p) for p in ("2026-03", "2026-04", "2026-12", "2027-01")] == [[], [77.0], [77.0], [77.0]]


def test_a_schema_5_store_gets_its_latest_months_kept_on_start(db: Path, catalog: Catalog) -> None:
    send(db, catalog, "ca", "2026-03", {"fraud_awareness_sessions": 2})
    send(db, catalog, "ca", "2026-04", {"fraud_awareness_sessions": 1})
    with connection(db) as con:   # the store as schema 5 left it
        con.execute("ALTER TABLE measure_month_versions DROP COLUMN through")
        con.execute("DROP TABLE latest_values")
        con.execute("DROP TABLE latest_tasks")
        con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    prepare(db, catalog)
    through, values, _ = latest(db, "tan_an")
    assert through == "2026-04" and values["fraud_awareness_sessions"] == (3.0, "2026-04", "2026-03", 2.0, "2026-03", 2.0)
