"""A whole plan nobody on the team wrote rules for (tests/assets/ke_hoach_thien_huong.txt): the
draft, the command line, and saving into a temporary copy of data/ (never the repo's data/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from loaders.__main__ import main
from loaders.plan_import import import_plan
from loaders.plan_import.meta import match_locality
from loaders.plan_import.save import check_draft, save_draft
from plans.catalog import DATA_DIR, load_catalog

PLAN = Path(__file__).parent / "assets" / "ke_hoach_thien_huong.txt"


@pytest.fixture(scope="module")
def draft():
    return import_plan(PLAN.read_bytes(), PLAN.name, DATA_DIR / "measures.yaml")


@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.duckdb*", "plan_documents"))
    monkeypatch.setenv("DMST_DATA", str(target))
    return target


def test_plan_facts_and_locality(draft):
    doc = draft.doc
    assert (doc["id"], doc["ward_code"]) == ("thien_huong", 11557)
    plan = doc["plan"]
    assert (plan["number"], plan["year"], plan["month"], plan["day"]) == ("45/KH-UBND", 2026, 7, 20)
    assert (plan["start_year"], plan["end_year"], plan["signer"], plan["signer_title"]) == (
        2026,
        2029,
        "Trần Văn Bình",
        "TM. Ủy ban nhân dân - Chủ tịch",
    )
    assert [(p["start_year"], p["end_year"]) for p in doc["phases"]] == [(2026, 2027), (2028, 2029)]
    assert [(r["day"], r["month"]) for r in doc["report_deadlines"]] == [(20, 6), (20, 12)]
    assert [r["year"] for r in doc["reviews"]] == [2027]


def test_indicators_with_comparator_target_year_and_measure(draft):
    got = [
        (i["comparator"], i["target"], i["target_year"], i["every_year"], i["measure"]) for i in draft.doc["indicators"]
    ]
    assert got == [
        (">", 85, 2029, False, "online_dossier_share"),
        (">", 92, 2029, False, "satisfaction_rate"),
        (">=", 25, 2029, False, "tthc_time_reduction"),
        (">=", 3, 2026, True, "staff_training_classes"),
        (">=", 100, 2027, False, "staff_digital_signature_share"),
        (">=", 90, 2026, False, "networked_computers_share"),
        (">=", 4, 2026, False, "ocop_digital_products"),
    ]
    assert all(
        i["source"].startswith("KH Thiên Hương, mục I.2.") and "“" in i["source"] for i in draft.doc["indicators"]
    )


def test_units_and_tasks_from_prose_and_appendix_table(draft):
    doc = draft.doc
    assert {u["code"] for u in doc["units"]} >= {"vhxh", "ca", "vp", "ttdvsnc"}
    tasks = [(t["lead_units"], t["deadline_text"], t["name"][:30]) for t in doc["tasks"]]
    assert (["vhxh"], "Thường xuyên", "Là cơ quan đầu mối tham mưu UB") in tasks
    assert (["ca"], "Thường xuyên", "Bảo đảm an ninh mạng trên địa ") in tasks
    assert (["vhxh"], "Năm 2027", "Tổ chức sơ kết vào năm 2027.") in tasks
    assert (["vp"], "Quý III/2026", "Nâng cấp đường truyền Internet") in tasks
    assert (["vhxh"], "Tháng 12/2026", "Rà soát nhu cầu của người dân") in tasks
    assert (["ttdvsnc"], "Thường xuyên", "Tuyên truyền kỹ năng số cho ng") in tasks


@pytest.mark.parametrize(
    "written, name, code",
    [
        ("Kè Sắt", None, 10945),
        ("Kẻ Sặt", None, 10945),
        ("Kẽ Sắt", None, 10945),
        ("", "Xã Kẻ Sặt", 10945),
        ("Thuỷ Nguyên", None, 11560),
        ("Thủy Nguyên", None, 11560),
    ],
)
def test_locality_spellings_find_the_official_unit(written, name, code):
    match = match_locality(f"trên địa bàn xã {written}" if written else "", written, name)
    assert match.unit is not None and match.unit.code == code


def test_the_draft_passes_the_catalog_checks_and_is_saved_with_its_document(draft, data_copy):
    assert check_draft(draft.doc, data_copy) == []
    assert save_draft(draft.doc, data_copy, PLAN.read_bytes(), PLAN.name) == []
    catalog = load_catalog(data_copy)
    plan = catalog.plan("thien_huong")
    assert (plan.name, len(plan.indicators), len(plan.tasks)) == ("Phường Thiên Hương", 7, len(draft.doc["tasks"]))
    assert (data_copy / "plan_documents" / "thien_huong.txt").read_bytes() == PLAN.read_bytes()
    assert save_draft(draft.doc, data_copy)[0].startswith("đã có kế hoạch của địa phương mã 'thien_huong'")


def test_saving_refuses_what_the_catalog_would_refuse(draft, data_copy):
    broken = {**draft.doc, "indicators": [{**draft.doc["indicators"][0], "responsible_unit": "khong_co"}]}
    problems = check_draft(broken, data_copy)
    assert problems == ["plans/thien_huong.yaml/TH-a-01: đơn vị 'khong_co' không có trong units"]
    assert not (data_copy / "plans" / "thien_huong.yaml").exists()


def test_command_line_writes_the_draft_and_prints_what_it_found(tmp_path, data_copy, capsys):
    out = tmp_path / "nhap" / "draft.yaml"
    assert main(["plan-import", str(PLAN), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Tìm thấy: 7 chỉ tiêu;" in printed and "2 giai đoạn; 2 hạn báo cáo" in printed
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["ward_code"] == 11557


@pytest.mark.parametrize(
    "argv, code", [(["plan-import", "khong_co.docx", "--out", "x.yaml"], 1), (["plan-import", str(PLAN)], 2)]
)
def test_command_line_exit_codes(argv, code, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    if code == 2:
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
    else:
        assert main(argv) == code
        assert "không đọc được khong_co.docx (không có tệp này)" in capsys.readouterr().err


def test_a_reader_failure_no_rule_foresaw_is_a_vietnamese_line_not_a_traceback(tmp_path, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise KeyError("w:tbl")

    monkeypatch.setattr("loaders.__main__.import_plan", broken)
    assert main(["plan-import", str(PLAN), "--out", str(tmp_path / "x.yaml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Lỗi: không đọc được kế hoạch {PLAN.name}: bộ đọc gặp lỗi không lường trước (KeyError)")
    assert "Traceback" not in err and not (tmp_path / "x.yaml").exists()
