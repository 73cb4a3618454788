"""Targets in appendix tables (bench/plan_documents.py: a plan of "Xã Gia Lộc" written for these
tests, two appendices): the same 28 targets from the Word file, from its tables copied as
tab-separated text, laid out with spaces (as a PDF's text is), and from a PDF with a text layer
made by LibreOffice. Then the table rules one by one, on rows written here."""

from __future__ import annotations

import shutil

import pytest

from bench.plan_documents import table_plan_docx, table_plan_lines
from loaders.plan_import import import_plan
from loaders.plan_import.extract import extract
from loaders.plan_import.layout import Line, reflow, tabulate
from loaders.plan_import.target_table import columns, read_table
from plans.catalog import DATA_DIR
from reports.pdf import to_pdf

MEASURES = DATA_DIR / "measures.yaml"

# Read by hand from the two tables: (code, comparator, target, year, every year).
EXPECTED = [
    ("GL-PL1.I-01", ">=", 80, 2030, False),  # ≥ 80 %
    ("GL-PL1.I-02", ">=", 100, 2030, False),
    ("GL-PL1.I-03", ">=", 100, 2030, False),
    ("GL-PL1.I-04", ">=", 30, 2030, False),  # rút ngắn 30 %: a reduction
    ("GL-PL1.II-01", ">=", 100, 2030, False),
    ("GL-PL1.II-02", ">=", 24, 2030, False),  # 24 camera
    ("GL-PL1.II-03", ">", 85, 2030, False),  # "Trên 85"
    ("GL-PL1.III-01", ">=", 5, 2030, False),  # 05 mô hình
    ("GL-PL1.III-02", ">=", 100, 2030, False),
    ("GL-PL1.III-03", ">=", 4, 2026, True),  # 04 lớp/năm: every year, from the plan's first year
    ("GL-PL1.IV-01", ">=", 90, 2030, False),
    ("GL-PL1.IV-02", "=", 1, 2030, False),  # Có/Không: Có
    # Phụ lục 2: one column a year; "Hiện trạng năm 2025" is not a target, "-" is none
    *[
        (f"GL-phu_luc_2-{n:02d}", ">=", v, y, False)
        for n, (v, y) in enumerate(
            [
                (75, 2026),
                (80, 2027),
                (85, 2028),
                (90, 2029),
                (95, 2030),
                (50, 2026),
                (60, 2027),
                (70, 2028),
                (75, 2029),
                (80, 2030),
                (3, 2026),
                (3, 2027),
                (4, 2028),
                (4, 2029),
                (5, 2030),
            ],
            start=1,
        )
    ],
    ("GL-phu_luc_2-16", "=", 1, 2026, False),
]


@pytest.fixture(scope="module")
def documents() -> dict[str, tuple[bytes, str]]:
    assert shutil.which("soffice"), "LibreOffice (libreoffice-writer-nogui) is installed by scripts/test.sh"
    docx = table_plan_docx()
    return {
        "docx": (docx, "ke_hoach_gia_loc.docx"),
        "tab-separated text": ("\n".join(table_plan_lines("tabs")).encode(), "ke_hoach_gia_loc.txt"),
        "text laid out with spaces": ("\n".join(table_plan_lines("spaces")).encode(), "ke_hoach_gia_loc.md"),
        "PDF with text": (to_pdf(docx), "ke_hoach_gia_loc.pdf"),
    }


@pytest.mark.slow  # the documents are made with LibreOffice
@pytest.mark.parametrize("shape", ["docx", "tab-separated text", "text laid out with spaces", "PDF with text"])
def test_every_shape_gives_the_28_targets_of_the_appendices(documents, shape):
    data, name = documents[shape]
    draft = import_plan(data, name, MEASURES)
    got = [
        (i["code"], i["comparator"], i["target"], i["target_year"], i["every_year"]) for i in draft.doc["indicators"]
    ]
    assert got == EXPECTED
    assert [(g["code"], g["name"]) for g in draft.doc["groups"]] == [
        ("PL1.I", "Chính quyền số"),
        ("PL1.II", "Hạ tầng số"),
        ("PL1.III", "Kinh tế số và đổi mới sáng tạo"),
        ("PL1.IV", "Xã hội số"),
        ("phu_luc_2", "LỘ TRÌNH THỰC HIỆN MỘT SỐ CHỈ TIÊU CHỦ YẾU"),
    ]
    assert (draft.doc["id"], draft.doc["ward_code"]) == ("gia_loc", 10999)
    assert not [u for u in draft.unplaced if "bảng" in u or "chỉ tiêu" in u], draft.unplaced


@pytest.mark.slow
def test_each_target_keeps_its_table_row_and_its_source(documents):
    draft = import_plan(*documents["docx"], MEASURES)
    first, reduction, yes_no = (draft.doc["indicators"][i] for i in (0, 3, 11))
    assert first["table_row"] == (
        "dòng 3 (STT 1): 1 | Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn "
        "trình | Số hồ sơ nộp và trả kết quả trực tuyến toàn trình trên tổng số hồ sơ tiếp "
        "nhận trong năm | % | ≥ 80"
    )
    assert first["source"].startswith("KH Gia Lộc, mục Phụ lục 1: “1 — Tỷ lệ hồ sơ thủ tục hành chính")
    assert first["name"] == "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình"
    assert first["ocr_confidence"] is None
    assert reduction["measure"] == "tthc_time_reduction"
    proposed = {m["code"]: m for m in draft.doc["proposed_measures"]}
    assert proposed[yes_no["measure"]]["kind"] == "yes_no"
    camera = draft.doc["indicators"][5]
    assert (proposed[camera["measure"]]["unit"], camera["target"]) == ("count", 24)
    assert draft.doc["indicators"][12]["table_row"].startswith("dòng 3 (STT 1): 1 | Tỷ lệ người dân có tài khoản")


def test_a_word_table_with_merged_cells_gives_one_place_per_column():
    lines = extract(table_plan_docx(), "kh.docx").lines
    assert "STT\tTên chỉ tiêu\tĐơn vị tính\tHiện trạng năm 2025\tLộ trình thực hiện\t\t\t\t" in lines
    assert "\t\t\t\t2026\t2027\t2028\t2029\t2030" in lines  # the cells merged down give ""
    assert "II\tHạ tầng số (03 chỉ tiêu)\t\t\t" in lines


HEADER = ("STT", "Tên chỉ tiêu", "Giải thích chỉ tiêu", "Đơn vị tính", "Chỉ tiêu cụ thể")


def read(rows: list[tuple[str, ...]], start_year: int | None = 2026):
    rows = tuple(rows)
    cols = columns(rows, start_year)
    return cols, (read_table(rows, cols, "Phụ lục 1") if cols else None)


def test_the_explanation_column_is_never_the_target():
    cols, found = read(
        [HEADER, ("1", "Tỷ lệ thôn có wifi công cộng", "Số thôn có điểm wifi trên 80% diện tích", "%", "60")]
    )
    assert (cols.name, cols.targets, cols.unit) == (1, ((4, None),), 3)
    assert [(t.name, t.comparator, t.target, t.unit) for t, *_ in found.targets] == [
        ("Tỷ lệ thôn có wifi công cộng", ">=", 60, "%")
    ]


def test_group_rows_open_groups_and_their_announced_count_is_checked():
    cols, found = read(
        [
            HEADER,
            ("II. Hạ tầng số (03 chỉ tiêu)", "", "", "", ""),
            ("1", "Tỷ lệ thôn có sóng 5G", "", "%", "100"),
            ("2", "Số điểm wifi công cộng", "", "điểm", "12"),
            ("III", "Xã hội số", "", "", ""),
            ("3", "Tỷ lệ hộ có Internet", "", "%", "≥ 85"),
        ]
    )
    assert [(group, t.target) for t, group, *_ in found.targets] == [("II", 100), ("II", 12), ("III", 85)]
    assert found.groups == {"II": "Hạ tầng số", "III": "Xã hội số"}
    assert found.unplaced == ["mục Phụ lục 1: nhóm II “Hạ tầng số” ghi 03 chỉ tiêu, đọc được 2"]


def test_year_columns_skip_baselines_and_years_before_the_plan():
    header = ("TT", "Nội dung chỉ tiêu", "ĐVT", "Thực hiện năm 2025", "Ước 2026", "KH 2026", "Năm 2027", "2028")
    cols, found = read(
        [
            header,
            ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"),
            ("1", "Số lượt truy cập cổng thông tin", "lượt", "5.000", "6.000", "7.500", "—", "9.000"),
        ]
    )
    assert cols.targets == ((5, 2026), (6, 2027), (7, 2028))
    assert [(t.target, t.year, t.year_column, t.noun) for t, *_ in found.targets] == [
        (7500, 2026, True, "lượt"),
        (9000, 2028, True, "lượt"),
    ]


def test_a_cell_that_cannot_be_read_is_reported_with_its_row():
    _, found = read([HEADER, ("1", "Duy trì hệ thống truyền thanh thông minh", "", "", "Duy trì")])
    assert found.targets == []
    assert found.unplaced == [
        "mục Phụ lục 1, dòng 2 (STT 1): 1 | Duy trì hệ thống truyền thanh thông minh | Duy trì: "
        "chỉ tiêu “Duy trì” không đọc được"
    ]


def test_a_target_table_with_a_lead_column_gives_each_row_its_unit():
    lines = [
        "KẾ HOẠCH",
        "Chuyển đổi số xã Kẻ Sặt năm 2026",
        "II. MỤC TIÊU",
        "STT\tTên chỉ tiêu\tĐơn vị tính\tChỉ tiêu năm 2026\tĐơn vị chủ trì",
        "1\tTỷ lệ hồ sơ trực tuyến toàn trình\t%\t≥ 85\tTrung tâm Phục vụ hành chính công",
        "2\tSố tin bài trên trang thông tin điện tử\ttin\t120\tTrung tâm Dịch vụ sự nghiệp công",
    ]
    draft = import_plan("\n".join(lines).encode(), "kh.txt", MEASURES)
    assert [(i["target"], i["target_year"], i["responsible_unit"]) for i in draft.doc["indicators"]] == [
        (85, 2026, "ttpvhcc"),
        (120, 2026, "ttdvsnc"),
    ]
    assert draft.doc["tasks"] == []


def test_cells_two_spaces_apart_one_row_a_line_are_read_when_they_do_not_line_up():
    text = [
        "STT  Tên chỉ tiêu  Đơn vị tính  Chỉ tiêu",
        "1  Tỷ lệ hộ gia đình có Internet cáp quang  %  ≥ 80",
        "2  Số mô hình thôn thông minh  mô hình  02",
        "",
        "Các đơn vị tổ chức thực hiện.",
    ]
    assert [line.text for line in tabulate([Line(t) for t in text])] == [
        "STT\tTên chỉ tiêu\tĐơn vị tính\tChỉ tiêu",
        "1\tTỷ lệ hộ gia đình có Internet cáp quang\t%\t≥ 80",
        "2\tSố mô hình thôn thông minh\tmô hình\t02",
        "",
        "",
        "Các đơn vị tổ chức thực hiện.",
    ]


def test_a_laid_out_table_goes_on_over_a_page_break_and_a_repeated_header():
    text = [
        "STT   Tên chỉ tiêu          Đơn vị tính   Chỉ tiêu",
        "1     Tỷ lệ hồ sơ trực      %             ≥ 80",
        "      tuyến toàn trình",
        "",
        "STT   Tên chỉ tiêu          Đơn vị tính   Chỉ tiêu",
        "2     Số camera giám sát    camera        24",
        "      tại cổng thôn",
        "Ủy ban nhân dân xã giao các phòng tổ chức thực hiện Kế hoạch.",
    ]
    rows = [line.text for line in tabulate([Line(t, 0.9) for t in text])]
    assert rows == [
        "STT\tTên chỉ tiêu\tĐơn vị tính\tChỉ tiêu",
        "1\tTỷ lệ hồ sơ trực tuyến toàn trình\t%\t≥ 80",
        "2\tSố camera giám sát tại cổng thôn\tcamera\t24",
        "",
        "Ủy ban nhân dân xã giao các phòng tổ chức thực hiện Kế hoạch.",
    ]


def test_wrapped_lines_are_joined_into_paragraphs_but_items_stay_apart():
    text = [
        "- Phấn đấu đến năm 2030 tỷ lệ hồ sơ được giải quyết trực tuyến",
        "toàn trình đạt trên 80% trên tổng số hồ sơ tiếp nhận.",
        "- 100% thôn có điểm truy cập Internet công cộng.",
        "2. Nhiệm vụ",
        "a) Về hạ tầng số",
    ]
    assert [line.text for line in reflow([Line(t) for t in text])] == [
        "- Phấn đấu đến năm 2030 tỷ lệ hồ sơ được giải quyết trực tuyến toàn trình đạt trên 80% trên tổng số hồ sơ "
        "tiếp nhận.",
        "- 100% thôn có điểm truy cập Internet công cộng.",
        "2. Nhiệm vụ",
        "a) Về hạ tầng số",
    ]


def test_a_target_right_after_a_name_that_fills_its_cell_keeps_its_own_column():
    """No blank column between the names (wrapped up to the edge of their cell) and the targets: the
    three lines that start a second piece at one place show where the target column begins."""
    text = [
        "STT  Tên chỉ tiêu              Chỉ tiêu năm 2026",
        "1    Tỷ lệ cán bộ có chữ ký số  100%",
        "     cá nhân để giải quyết công việc",
        "2    Tỷ lệ hồ sơ xử lý trực     95%",
        "     tuyến trên môi trường điện tử",
        "3    Tỷ lệ thôn có wifi công    ≥ 80%",
        "     cộng",
    ]
    assert [line.text for line in tabulate([Line(t) for t in text])][:4] == [
        "STT\tTên chỉ tiêu\tChỉ tiêu năm 2026",
        "1\tTỷ lệ cán bộ có chữ ký số cá nhân để giải quyết công việc\t100%",
        "2\tTỷ lệ hồ sơ xử lý trực tuyến trên môi trường điện tử\t95%",
        "3\tTỷ lệ thôn có wifi công cộng\t≥ 80%",
    ]
