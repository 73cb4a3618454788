"""The plans as data: checks that would catch a wrong transcription."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import pickle
import shutil
import weakref

import pytest

from plans.catalog import DATA_DIR, cache_file, data_dir, load_catalog, stamp
from plans.localities import hai_phong_units
from plans.model import Catalog
from plans.text import normalise_name, strip_accents
from plans.vocabulary import Comparator, MeasureUnit


def test_five_localities_with_official_codes_and_names(catalog: Catalog) -> None:
    got = {p.id: (p.ward_code, p.name, p.kind) for p in catalog.plans.values()}
    assert got == {
        "tan_an": (11167, "Xã Tân An", "xã"),
        "hung_dao": (11689, "Phường Hưng Đạo", "phường"),
        "binh_giang": (10966, "Xã Bình Giang", "xã"),
        "ke_sat": (10945, "Xã Kẻ Sặt", "xã"),
        "nam_thanh_mien": (11284, "Xã Nam Thanh Miện", "xã"),
    }


def test_ke_sat_accepts_both_spellings(catalog: Catalog) -> None:
    aliases = {normalise_name(a) for a in catalog.plan("ke_sat").aliases}
    assert {"kè sắt", "kẻ sặt"} <= aliases
    assert strip_accents("Kè Sắt") == strip_accents("Kẻ Sặt") == "ke sat"


def test_hai_phong_has_114_commune_level_units() -> None:
    units = hai_phong_units()
    assert len(units) == 114
    assert sum(u.kind == "xã" for u in units) == 67
    assert sum(u.kind == "phường" for u in units) == 45


def test_kpi_framework_sums_to_100_in_five_groups(catalog: Catalog) -> None:
    fw = catalog.framework_for(2026)
    assert [g["max_points"] for g in fw.groups] == [15, 20, 20, 30, 15]
    assert len(fw.items) == 23
    assert sum(i.max_points for i in fw.items) == 100
    for group in fw.groups:
        assert sum(i.max_points for i in fw.items if i.group == group["code"]) == group["max_points"]
    assert [i.code for i in fw.items][:5] == ["1.1", "1.2", "1.3", "1.4", "2.1"]
    assert fw.items[-1].code == "5.4"


def test_rating_bands(catalog: Catalog) -> None:
    assert [(r["name"], r["min_points"]) for r in catalog.framework_for(2026).ratings] == [
        ("Xuất sắc", 90),
        ("Tốt", 75),
        ("Khá", 60),
        ("Trung bình", 50),
        ("Chưa đạt", 0),
    ]


@pytest.mark.parametrize(
    "code, measure, comparator, threshold, points, rule",
    [
        ("1.1", "plan_issued", "=", 1, 3, "yes_no"),
        ("1.3", "propaganda_campaigns", ">=", 4, 3, "proportional"),
        ("1.4", "mgmt_initiatives", ">=", 8, 5, "proportional"),
        ("2.2", "staff_digital_signature_share", ">=", 90, 4, "proportional"),
        ("2.3", "tthc_records_digitised", ">=", 80, 5, "proportional"),
        ("3.3", "tthc_time_reduction", ">=", 20, 5, "proportional"),
        ("3.4", "satisfaction_rate", ">=", 90, 5, "proportional"),
        ("4.1", "hitech_agri_models", ">=", 3, 6, "proportional"),
        ("5.1", "dvc_online_usage", ">=", 70, 5, "proportional"),
        ("5.4", "biz_innovation_share", ">=", 30, 3, "proportional"),
    ],
)
def test_kpi_items_transcribed(catalog: Catalog, code, measure, comparator, threshold, points, rule) -> None:
    item = next(i for i in catalog.framework_for(2026).items if i.code == code)
    assert (item.measure, item.comparator, item.threshold, item.max_points, item.rule) == (
        measure,
        comparator,
        threshold,
        points,
        rule,
    )


# (locality, indicator code, measure, comparator, target, target year) checked by hand against the plans.
HAND_CHECKED = [
    ("tan_an", "TA-a-01", "dvc_online_usage", ">", 80, 2030),  # III.2.a "Trên 80%"
    ("tan_an", "TA-a-02", "dvc_full_online_share", ">=", 90, 2030),  # III.2.a "90% ... toàn trình"
    ("tan_an", "TA-a-07", "satisfaction_rate", ">", 95, 2030),  # III.2.a "trên 95%"
    ("tan_an", "TA-b-01", "hitech_agri_models", ">=", 1, 2030),  # III.2.b "tối thiểu 01 mô hình"
    ("tan_an", "TA-c-01", "adult_dvc_account", ">=", 98, 2030),  # III.2.c "98% người dân trưởng thành"
    ("tan_an", "TA-c-03", "household_broadband", ">=", 90, 2030),  # III.2.c "90% hộ gia đình"
    ("tan_an", "TA-d-04", "public_wifi_coverage", ">=", 100, 2027),  # III.2.d Wi-Fi "đến năm 2027"
    ("tan_an", "TA-e-02", "tthc_time_reduction", ">=", 20, 2030),  # III.2.e "ít nhất 20%"
    ("tan_an", "TA-V-02", "fraud_awareness_sessions", ">=", 2, 2026),  # V.4.d "02 buổi/năm"
    ("tan_an", "TA-a-08", "staff_trained_this_year", ">=", 100, 2026),  # III.2.a "ít nhất 01 lần/năm"
    ("tan_an", "TA-e-03", "staff_digital_trained", ">=", 100, 2030),  # III.2.e "100% cán bộ ... được đào tạo"
    ("hung_dao", "HD-a-01", "dvc_online_usage", ">", 80, 2030),
    ("hung_dao", "HD-a-08", "staff_trained_this_year", ">=", 100, 2026),  # II.2.a "ít nhất 01 lần/năm"
    ("hung_dao", "HD-b-01", "hitech_agri_models", ">=", 2, 2030),  # II.2.b "tối thiểu 02 mô hình"
    ("hung_dao", "HD-c-01", "adult_dvc_account", ">=", 100, 2030),  # II.2.c "100% người dân trưởng thành"
    ("binh_giang", "BG-a-04", "dvc_full_online_city_specific", ">=", 80, 2026),  # bảng, STT 4 "≥80%"
    ("binh_giang", "BG-a-05", "once_only_share", ">=", 80, 2026),  # STT 5 "≥80%"
    ("binh_giang", "BG-a-08", "it_staff_data_cert", ">=", 50, 2026),  # STT 8 "50%"
    ("binh_giang", "BG-a-10", "satisfaction_rate", ">=", 95, 2026),  # STT 10 "95%"
    ("binh_giang", "BG-b-03", "mgmt_initiatives", ">=", 5, 2026),  # II.1.2.b "Tối thiểu 05 sáng kiến"
    ("ke_sat", "KS-2.1-01", "dvc_full_online_share", ">=", 100, 2030),
    ("ke_sat", "KS-2.4-01", "innovation_models", ">=", 1, 2026),  # 2.4 "Mỗi năm ... ít nhất 01"
    ("ke_sat", "KS-2.2-02", "zalo_mini_app", "=", 1, 2030),
    ("nam_thanh_mien", "NTM-5-02", "dvc_online_usage", ">", 70, 2030),  # II.2 "trên 70%"
    ("nam_thanh_mien", "NTM-4-01", "hitech_agri_models", ">=", 3, 2030),
    ("nam_thanh_mien", "NTM-4-04", "biz_household_digital_share", ">", 50, 2030),
    ("nam_thanh_mien", "NTM-4-05", "initiatives_applied", ">=", 8, 2026),
]


@pytest.mark.parametrize("locality, code, measure, comparator, target, year", HAND_CHECKED)
def test_hand_checked_targets(catalog: Catalog, locality, code, measure, comparator, target, year) -> None:
    ind = next(i for i in catalog.plan(locality).indicators if i.code == code)
    assert (ind.measure, ind.comparator, ind.target, ind.target_year) == (measure, comparator, target, year)
    assert ind.source.startswith("KH ")


def test_online_service_use_is_one_measure_across_plans(catalog: Catalog) -> None:
    targets = {
        i.locality_id: (i.comparator, i.target)
        for p in catalog.plans.values()
        for i in p.indicators
        if i.measure == "dvc_online_usage"
    }
    assert targets == {"tan_an": (">", 80), "hung_dao": (">", 80), "nam_thanh_mien": (">", 70)}


def test_every_indicator_points_at_a_known_measure_and_unit(catalog: Catalog) -> None:
    for plan in catalog.plans.values():
        unit_codes = {u["code"] for u in plan.units}
        for ind in plan.indicators:
            assert ind.measure in catalog.measures, ind.code
            assert catalog.measures[ind.measure].unit in tuple(MeasureUnit)
            assert ind.comparator in tuple(Comparator)
            assert ind.responsible_unit in unit_codes, ind.code
            assert ind.source, ind.code


def test_every_task_deadline_parses(catalog: Catalog) -> None:
    for plan in catalog.plans.values():
        for task in plan.tasks:
            assert (task.deadline is None) != (task.recurrence is None), task.code
            assert task.lead_units, task.code


@pytest.mark.parametrize(
    "code, deadline, recurrence",
    [
        ("BG-PL1-01", dt.date(2026, 6, 30), None),  # Tháng 6/2026
        ("BG-PL1-05b", dt.date(2026, 3, 31), None),  # Quý I/2026
        ("BG-PL1-06", dt.date(2026, 6, 30), None),  # Quý II/2026
        ("BG-PL1-08", dt.date(2026, 4, 30), None),  # Tháng 4/2026
        ("BG-PL2-08", None, "yearly"),  # Hàng năm
        ("BG-PL2-24", None, "monthly"),  # Nhiệm vụ thường xuyên; định kỳ hàng tháng báo cáo
        ("BG-PL2-01", None, "continuous"),  # Thường xuyên
        ("NTM-2026-Q3-01", dt.date(2026, 9, 30), None),  # Quý III/2026
        ("NTM-2030-Q4-03", dt.date(2030, 12, 31), None),  # Quý IV/2030
        ("TA-VII.9-b", dt.date(2028, 12, 31), None),  # sơ kết năm 2028
    ],
)
def test_task_deadlines(catalog: Catalog, code, deadline, recurrence) -> None:
    task = next(t for p in catalog.plans.values() for t in p.tasks if t.code == code)
    assert (task.deadline, task.recurrence) == (deadline, recurrence)


def test_task_counts_per_appendix(catalog: Catalog) -> None:
    bg = catalog.plan("binh_giang").tasks
    assert sum(t.code.startswith("BG-PL1-") for t in bg) == 14  # 12 numbered rows + 2 sub-rows of row 5
    assert sum(t.code.startswith("BG-PL2-") for t in bg) == 32  # 29 numbered rows + 3 unnumbered
    # mục II "Tổ chức thực hiện": 1 (2 duties of all units), 2 (2 of Phòng VH-XH), 3 KT, 4 TTDVSNC, 5 CA
    duties = {t.code: (t.lead_units, t.recurrence) for t in bg if t.code.startswith("BG-TCTH-")}
    assert duties == {
        "BG-TCTH-1a": (("cac_don_vi",), "continuous"),
        "BG-TCTH-1b": (("cac_don_vi",), "continuous"),
        "BG-TCTH-2a": (("vhxh",), "continuous"),
        "BG-TCTH-2b": (("vhxh",), "continuous"),
        "BG-TCTH-3": (("kt",), "continuous"),
        "BG-TCTH-4": (("ttdvsnc",), "continuous"),
        "BG-TCTH-5": (("ca",), "continuous"),
    }
    roadmap = [t for t in catalog.plan("nam_thanh_mien").tasks if t.code.startswith("NTM-20")]
    assert len(roadmap) == 63
    assert {t.deadline.year for t in roadmap} == {2026, 2027, 2028, 2029, 2030}


def test_phases_deadlines_and_reviews(catalog: Catalog) -> None:
    ta, hd = catalog.plan("tan_an"), catalog.plan("hung_dao")
    assert [(p["start_year"], p["end_year"]) for p in ta.phases] == [(2026, 2027), (2028, 2030)]
    assert [(p["start_year"], p["end_year"]) for p in hd.phases] == [(2026, 2026), (2027, 2030)]
    assert [(d["day"], d["month"]) for d in ta.report_deadlines] == [(15, 6), (15, 12)]
    assert [(d["day"], d["month"]) for d in hd.report_deadlines] == [(10, 6), (10, 12)]
    assert [r["year"] for r in ta.reviews] == [2028, 2030]
    assert hd.meta["number"] == "178/KH-UBND" and hd.meta["signer"] == "Phạm Văn Minh"
    ntm = catalog.plan("nam_thanh_mien")
    assert [(p["start_year"], p["end_year"]) for p in ntm.phases] == [(2026, 2026), (2027, 2028), (2029, 2030)]


def test_plan_groups_of_section_v_are_its_numbered_groups(catalog: Catalog) -> None:
    groups = {i.code: i.group for i in catalog.plan("tan_an").indicators if i.code.startswith("TA-V-")}
    assert groups == {"TA-V-01": "V.1", "TA-V-02": "V.4"}  # V.1.c ký số; V.4.d 02 buổi/năm
    assert {g["code"] for g in catalog.plan("tan_an").groups} >= {"V.1", "V.4"}


def test_catalog_is_parsed_once_and_cached_by_the_files_stamp(tmp_path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", ".cache"))
    first = load_catalog(data)
    cached = cache_file(data, stamp(data))
    assert cached.exists() and list(cached.parent.iterdir()) == [cached]
    assert load_catalog(data) == first
    plan = data / "plans" / "tan_an.yaml"
    before = stamp(data)
    plan.write_text(plan.read_text(encoding="utf-8").replace("target: 80,", "target: 85,", 1), encoding="utf-8")
    assert stamp(data) != before  # same size: the modification time tells
    changed = load_catalog(data)
    assert changed.fingerprint != first.fingerprint
    assert changed.plan("tan_an").indicators[0].target == 85.0 and first.plan("tan_an").indicators[0].target == 80.0
    assert list(cached.parent.iterdir()) == [cache_file(data, stamp(data))]
    cache_file(data, stamp(data)).write_bytes(b"damaged")
    assert load_catalog(data) == changed
    monkeypatch.setenv("DMST_DATA", str(data))  # the app's data directory: its own cache beside its plans
    assert data_dir() == data and load_catalog(data_dir()) == changed
    assert cache_file(data_dir(), stamp(data)).read_bytes() != b"damaged"


def test_reloading_the_catalog_frees_what_the_previous_load_froze(tmp_path) -> None:
    """A cache entry alive at one load (and so frozen with the catalog) that later becomes a
    garbage cycle, with the catalog it holds, is freed by the next load: it was pinned for good."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", ".cache"))
    load_catalog(data)  # parse and write the cache file: the loads below read it

    class Entry:
        pass

    entry = Entry()
    entry.catalog = load_catalog(data)
    entry.me = entry  # a cycle: only the collector can free it
    gone = weakref.ref(entry)
    del entry
    assert gone() is not None  # frozen at that load, so collections pass it by
    gc.collect()
    assert gone() is not None
    load_catalog(data)
    assert gone() is None


def test_equal_texts_of_a_plan_are_kept_once(tmp_path) -> None:
    """Tân An's tasks of one section carry its title: one string, in the parsed and the cached catalog."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", ".cache"))
    for catalog in (load_catalog(data), load_catalog(data)):  # parsed, then read from the cache file
        tasks = catalog.plan("tan_an").tasks
        first = next(t for t in tasks if t.section)
        same = [t for t in tasks if t.section == first.section]
        assert len(same) > 1 and all(t.section is first.section for t in same)
        assert all(t.locality_id is tasks[0].locality_id for t in tasks)


def test_a_cached_plan_unpickles_its_tasks_when_first_asked(tmp_path) -> None:
    """Tasks are most of a plan's text: a plan read from the cache file keeps them pickled until
    they are used, and then they are the parsed ones (Bình Giang: 14 + 32 appendix tasks among them)."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", ".cache"))
    parsed = load_catalog(data).plan("binh_giang")
    cached = load_catalog(data).plan("binh_giang")
    assert not cached.tasks.unpickled and len(cached.tasks) == len(parsed.tasks)
    again = pickle.loads(pickle.dumps(cached))  # pickled again before its tasks were asked for
    assert sum(t.code.startswith(("BG-PL1-", "BG-PL2-")) for t in cached.tasks) == 46
    assert cached.tasks.unpickled and cached.tasks == parsed.tasks and not again.tasks.unpickled
    assert again == parsed and dataclasses.replace(cached, name="x").tasks == parsed.tasks
