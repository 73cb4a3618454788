"""Who reports what: the measures and tasks each unit's sheet carries, and who must send one."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml
from page_fixtures import JUNE, on_time, sheet

from loaders.ingest import ingest_files
from plans.catalog import DATA_DIR, load_catalog
from plans.reporting import PERCENT, YES_NO, SpecError, reporting_units, sheet_spec
from plans.vocabulary import ALL_UNITS, SUBMITTED_ON_TIME
from scoring.report import locality_reports

pytestmark = pytest.mark.both_backends


@pytest.mark.parametrize("locality", ["tan_an", "hung_dao", "binh_giang", "ke_sat", "nam_thanh_mien"])
def test_every_measure_is_on_exactly_one_unit_sheet(catalog, locality):
    whole = {line.code for line in sheet_spec(catalog, locality, ALL_UNITS, 2026).lines}
    per_unit = [
        line.code
        for unit in reporting_units(catalog, locality, 2026)
        for line in sheet_spec(catalog, locality, unit, 2026).lines
    ]
    plan = catalog.plan(locality)
    expected = {i.measure for i in plan.indicators} | {it.measure for it in catalog.framework_for(2026).items}
    assert whole == expected
    assert sorted(per_unit) == sorted(expected)


def test_plan_indicator_names_the_unit(catalog):
    codes = {line.code for line in sheet_spec(catalog, "tan_an", "ttpvhcc", 2026).lines}
    assert {"dvc_online_usage", "tthc_records_digitised", "satisfaction_rate"} <= codes
    line = next(
        line for line in sheet_spec(catalog, "tan_an", "ttpvhcc", 2026).lines if line.code == "dvc_online_usage"
    )
    assert [i.code for i in line.indicators] == ["TA-a-01"]
    assert [it.code for it in line.framework_items] == ["5.1"]


def test_framework_measure_goes_to_default_unit_or_vhxh(catalog):
    # networked_computers_share defaults to vp; Kè Sắt has no vp, so Phòng Văn hóa - Xã hội reports it.
    assert "networked_computers_share" in {line.code for line in sheet_spec(catalog, "tan_an", "vp", 2026).lines}
    assert "networked_computers_share" in {line.code for line in sheet_spec(catalog, "ke_sat", "vhxh", 2026).lines}


def test_village_answers_share_measure_yes_or_no(catalog):
    village = sheet_spec(catalog, "nam_thanh_mien", "thon", 2026)
    line = next(line for line in village.lines if line.code == "village_innovation_team_share")
    assert village.is_village and line.entry == YES_NO and line.stores_share_of_yes
    whole = sheet_spec(catalog, "nam_thanh_mien", ALL_UNITS, 2026)
    assert next(line for line in whole.lines if line.code == "village_innovation_team_share").entry == PERCENT


def test_tasks_follow_lead_units(catalog):
    plan = catalog.plan("binh_giang")
    assert {t.code for t in sheet_spec(catalog, "binh_giang", "ca", 2026).tasks} == {
        t.code for t in plan.tasks if "ca" in t.lead_units
    }
    assert len(sheet_spec(catalog, "binh_giang", ALL_UNITS, 2026).tasks) == len(plan.tasks)


def test_reporting_units_are_those_with_something_to_report(catalog):
    units = reporting_units(catalog, "nam_thanh_mien", 2026)
    assert "thon" in units and "vhxh" in units
    assert all(not sheet_spec(catalog, "nam_thanh_mien", u, 2026).is_empty for u in units)


@pytest.mark.parametrize(
    "locality, unit, message",
    [("atlantis", "vhxh", "không có địa phương mã 'atlantis'"), ("ke_sat", "vp", "Xã Kẻ Sặt không có đơn vị mã 'vp'")],
)
def test_unknown_locality_or_unit(catalog, locality, unit, message):
    with pytest.raises(SpecError, match=message):
        sheet_spec(catalog, locality, unit, 2026)


def test_the_sheet_of_a_month_carries_the_measures_of_that_years_framework(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    doc = yaml.safe_load((data / "frameworks" / "ntm_kpi.yaml").read_text(encoding="utf-8"))
    doc.update(id="ntm_kpi_2027", valid_from=2027, valid_to=2027)
    next(i for i in doc["items"] if str(i["code"]) == "5.4")["measure"] = "zalo_mini_app"
    (data / "frameworks" / "ntm_kpi_2027.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    catalog = load_catalog(data)
    # Tân An's plan has no Zalo Mini App target: only the 2027 framework (item 5.4 here) puts it on the sheet
    assert "zalo_mini_app" not in {line.code for line in sheet_spec(catalog, "tan_an", ALL_UNITS, 2026).lines}
    in_2027 = {line.code: line for line in sheet_spec(catalog, "tan_an", ALL_UNITS, 2027).lines}
    assert [it.code for it in in_2027["zalo_mini_app"].framework_items] == ["5.4"]


@pytest.mark.parametrize("locality", ["tan_an", "hung_dao", "binh_giang", "ke_sat", "nam_thanh_mien"])
def test_one_rule_for_who_reports(catalog, db, locality):
    """The units offered a template are exactly the units the completeness counts expect (the rule
    used to differ: "Các phòng, ban, đơn vị" got a sheet but was never counted)."""
    report = locality_reports(db, catalog, JUNE, [locality], today=dt.date(2026, 7, 20))[locality]
    units = reporting_units(catalog, locality, 2026)
    assert tuple(report.submissions["unit_code"]) == units
    assert report.submission_counts == {"expected": len(units), "received": 0, "on_time": 0}


@pytest.mark.parametrize("locality", ["binh_giang", "ke_sat"])
def test_the_collective_units_sheet_counts_as_received(catalog, db, locality):
    assert "cac_don_vi" in reporting_units(catalog, locality, 2026)
    data = sheet(catalog, locality, "cac_don_vi", JUNE, {})
    [result] = ingest_files(db, [("cac_don_vi.xlsx", data, on_time(JUNE))], catalog=catalog, today=dt.date(2026, 7, 3))
    assert result.accepted, [str(p) for p in result.problems]
    report = locality_reports(db, catalog, JUNE, [locality], today=dt.date(2026, 7, 20))
    rows = report[locality].submissions.set_index("unit_code")
    assert rows.at["cac_don_vi", "status"] == SUBMITTED_ON_TIME
    assert report[locality].submission_counts["on_time"] == 1
