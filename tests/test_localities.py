"""Every commune of Vietnam (vietnam-provinces 2025.10.1): the registry, the plan ids, recognising
the locality a plan names (Hải Phòng first when a name is shared), and a plan from another
province saved and read back by the catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders.plan_import import import_plan
from loaders.plan_import.meta import match_locality
from loaders.plan_import.save import save_draft
from plans.catalog import DATA_DIR, load_catalog
from plans.localities import all_units, hai_phong_units, locality_id, official_unit, provinces
from ui.plan_review import set_locality


def test_the_registry_has_every_commune_of_the_34_provinces_hai_phong_first():
    units = all_units()
    assert (len(units), len(provinces()), len(hai_phong_units())) == (3321, 34, 114)
    assert {u.province for u in units[:114]} == {"Thành phố Hải Phòng"}
    assert all("  " not in u.name for u in units)  # "Phường  Tân An" in the registry
    tan_an = official_unit(26179)
    assert (tan_an.name, tan_an.province, tan_an.label) == ("Xã Tân An", "Đồng Nai", "Xã Tân An — Đồng Nai (26179)")


def test_plan_ids_are_unique_in_the_country_and_hai_phong_keeps_its_short_ones():
    ids = [locality_id(u) for u in all_units()]
    assert len(set(ids)) == len(ids)
    assert [locality_id(official_unit(c)) for c in (11167, 10945, 26179, 10888, 10903)] == [
        "tan_an",
        "ke_sat",
        "tan_an_dong_nai",
        "cam_giang_10888",
        "cam_giang_10903",
    ]  # Cẩm Giang, Cẩm Giàng


@pytest.mark.parametrize(
    "text, name, code",
    [
        ("Kế hoạch của Ủy ban nhân dân xã Tân An, tỉnh Đồng Nai. Xã Tân An phát triển…", None, 26179),
        ("Kế hoạch chuyển đổi số trên địa bàn xã Tân An.", None, 11167),  # no province: Hải Phòng first
        ("Thực hiện Đề án “Hải Phòng - Thành phố Đổi mới sáng tạo” tại xã Tân An.", None, 11167),
        ("Kế hoạch chuyển đổi số phường Buôn Ma Thuột.", None, 24133),  # "Phường  Buôn Ma Thuột"
        ("", "Xã Tân An, tỉnh Vĩnh Long", 29278),
    ],
)
def test_the_locality_is_found_in_the_whole_country(text, name, code):
    assert match_locality(text, "", name).unit.code == code


def test_a_shared_name_is_reported_with_the_other_units():
    match = match_locality("Kế hoạch chuyển đổi số trên địa bàn xã Tân An.", "")
    assert (match.unit.code, match.by_province, len(match.others)) == (11167, False, 5)
    assert {u.province_short for u in match.others} == {"Tuyên Quang", "Nghệ An", "Đồng Nai", "Vĩnh Long", "An Giang"}


def test_a_plan_of_another_province_is_saved_and_read_by_the_catalog(tmp_path: Path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", "plan_documents"))
    monkeypatch.setenv("DMST_DATA", str(data))
    text = (Path(__file__).parent / "assets" / "ke_hoach_thien_huong.txt").read_text(encoding="utf-8")
    text = (
        text.replace("phường Thiên Hương giai đoạn", "xã Tân An, tỉnh Đồng Nai giai đoạn")
        .replace("Thiên Hương", "Tân An")
        .replace("phường", "xã")
        .replace("Phường", "Xã")
    )
    draft = import_plan(text.encode(), "ke_hoach_tan_an.txt", data / "measures.yaml")
    assert (draft.doc["id"], draft.doc["ward_code"]) == ("tan_an_dong_nai", 26179)
    assert any(
        "đã chọn Xã Tân An — Đồng Nai (26179) (theo tỉnh, thành phố nêu trong kế hoạch)" in note
        for note in draft.unplaced
    ), draft.unplaced
    assert save_draft(draft.doc, data) == []
    plan = load_catalog(data).plan("tan_an_dong_nai")
    assert (plan.name, plan.kind, plan.ward_code) == ("Xã Tân An", "xã", 26179)


def test_the_office_can_pick_a_unit_of_another_province_on_the_review():
    doc = {"ward_code": 11167, "id": "tan_an", "aliases": ["Tân An"]}
    assert set_locality(doc, 30388) == {"ward_code": 30388, "id": "tan_an_an_giang", "aliases": ["Tân An", "xã Tân An"]}
