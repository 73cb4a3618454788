"""Rules for reading targets from sentences and table cells, one row per case (expected values
written by hand from the sentence)."""

from __future__ import annotations

import pytest

from loaders.plan_import.indicators import cell_target, clause_targets, split_clauses


def targets(text: str, numbers_only: bool = False) -> list[tuple]:
    return [
        (t.comparator, t.target, t.unit, t.year, t.every_year, t.reduction)
        for clause in split_clauses(text)
        for t in clause_targets(clause, numbers_only)
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # comparators
        ("Trên 80% tỷ lệ hộ gia đình có điện thoại thông minh.", [(">", 80, "%", None, False, False)]),
        ("Tỷ lệ người dân hài lòng đạt trên 95%.", [(">", 95, "%", None, False, False)]),
        ("Ít nhất 70% hộ kinh doanh dùng hóa đơn điện tử.", [(">=", 70, "%", None, False, False)]),
        ("Có tối thiểu 85% hồ sơ được số hóa.", [(">=", 85, "%", None, False, False)]),
        ("Tỷ lệ hồ sơ số hóa ≥ 80%.", [(">=", 80, "%", None, False, False)]),
        ("Tỷ lệ hồ sơ trực tuyến không dưới 60%.", [(">=", 60, "%", None, False, False)]),
        ("90% người dân có tài khoản định danh điện tử.", [(">=", 90, "%", None, False, False)]),
        ("Tỷ lệ hồ sơ trễ hạn dưới 2%.", [("<", 2, "%", None, False, False)]),
        ("Tỷ lệ hồ sơ trễ hạn không quá 3%.", [("<=", 3, "%", None, False, False)]),
        ("Xây dựng tối thiểu 02 mô hình chuyển đổi số tiêu biểu.", [(">=", 2, "count", None, False, False)]),
        ("Tổ chức ít nhất 1 - 2 lớp tập huấn cho cán bộ.", [(">=", 1, "count", None, False, False)]),
        ("Có 6,5% doanh nghiệp tham gia sàn giao dịch.", [(">=", 6.5, "%", None, False, False)]),
        ("Hỗ trợ 7.500 hộ dân cài đặt ứng dụng.", [(">=", 7500, "count", None, False, False)]),
        # reductions
        (
            "Rút ngắn thời gian giải quyết thủ tục hành chính ít nhất 30% so với quy định.",
            [(">=", 30, "%", None, False, True)],
        ),
        ("Thời gian xử lý hồ sơ giảm 15%.", [(">=", 15, "%", None, False, True)]),
        # every year
        ("Hằng năm tổ chức ít nhất 03 hội nghị về chuyển đổi số.", [(">=", 3, "count", None, True, False)]),
        ("Tổ chức 04 buổi/năm tuyên truyền về an toàn thông tin.", [(">=", 4, "count", None, True, False)]),
        ("Mỗi năm có ít nhất 05 sáng kiến được công nhận.", [(">=", 5, "count", None, True, False)]),
        ("100% cán bộ được tập huấn ít nhất 02 lần/năm.", [(">=", 100, "%", None, True, False)]),
        ("Phấn đấu mỗi năm có sáng kiến được áp dụng tại thôn.", [(">=", 1, "count", None, True, False)]),
        ("Không để xảy ra sự cố mất an toàn thông tin nghiêm trọng.", [("<=", 0, "count", None, True, False)]),
        # each unit has at least one → 100% of units
        ("Mỗi thôn có ít nhất 01 tổ công nghệ số cộng đồng hoạt động.", [(">=", 100, "%", None, False, False)]),
        ("Thành lập ít nhất 01 câu lạc bộ sáng tạo tại mỗi tổ dân phố.", [(">=", 100, "%", None, False, False)]),
        # a year written in the sentence
        ("Phấn đấu đến năm 2027, 100% trường học có Wi-Fi miễn phí.", [(">=", 100, "%", 2027, False, False)]),
        # two targets in one sentence, split at ";"
        (
            "Trên 60% hộ dùng ví điện tử; 100% chợ có thanh toán không dùng tiền mặt.",
            [(">", 60, "%", None, False, False), (">=", 100, "%", None, False, False)],
        ),
        # not targets: brackets, references, 5G, durations, dates, years
        ("100% doanh nghiệp dùng hóa đơn điện tử (100% nộp thuế điện tử).", [(">=", 100, "%", None, False, False)]),
        ("Triển khai các nhiệm vụ của Đề án 06 và Nghị quyết số 57-NQ/TW.", []),
        ("Phủ sóng 5G tại khu dân cư.", []),
        ("Báo cáo định kỳ 6 tháng trước ngày 15/6.", []),
        ("Giai đoạn 2026 - 2030 tập trung xây dựng hạ tầng.", []),
    ],
)
def test_sentence_rules(text, expected):
    assert targets(text) == [(c, float(t), u, y, e, r) for c, t, u, y, e, r in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Triển khai 100% văn bản được ký số.", [(">=", 100, "%", None, False, False)]),
        ("Định kỳ 02 buổi/năm tuyên truyền về lừa đảo trực tuyến.", [(">=", 2, "count", None, True, False)]),
        ("Thí điểm tại 01-02 mô hình trồng trọt.", []),
        ("Phân công 01 cán bộ chuyên trách.", []),
    ],
)
def test_in_task_sections_only_rates_and_yearly_counts_are_targets(text, expected):
    assert targets(text, numbers_only=True) == [(c, float(t), u, y, e, r) for c, t, u, y, e, r in expected]


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("≥80%", (">=", 80.0, "%")),
        ("100%", (">=", 100.0, "%")),
        ("Trên 50%", (">", 50.0, "%")),
        ("7.500", (">=", 7500.0, "count")),
        ("Tối thiểu 05", (">=", 5.0, "count")),
        ("Có", ("=", 1.0, "yes/no")),
        ("≤ 5", ("<=", 5.0, "count")),
        ("Theo kế hoạch", None),
    ],
)
def test_table_cells(cell, expected):
    assert cell_target(cell) == expected


def test_names_say_what_is_counted():
    [rate] = clause_targets("Phấn đấu tỷ lệ hài lòng của người dân đạt trên 95%")
    [count] = clause_targets("Xây dựng tối thiểu 03 mô hình nông nghiệp thông minh (nhà màng...)")
    [reduction] = clause_targets("nhằm rút ngắn thời gian giải quyết hồ sơ ít nhất 20% so với quy định")
    assert (rate.name, count.name, reduction.name) == (
        "Tỷ lệ hài lòng của người dân",
        "Số mô hình nông nghiệp thông minh",
        "Mức rút ngắn thời gian giải quyết hồ sơ",
    )
