"""The report's wording rules as tables of cases (reports/wording.py, reports/body.py): targets in
words, a count's noun, changes, status words that respect which way is better, dates and points
written one way, a subject broken into even lines, and sentences of results that say the right thing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from plans import vocabulary as vocab
from plans.periods import Period
from reports.body import result_sentence
from reports.lines import IndicatorLine
from reports.projection import Projection, verdict
from reports.wording import (
    balanced_lines,
    body_date,
    change_words,
    count_noun,
    fmt_points,
    joined,
    lowered,
    status_word,
    target_words,
)

pytestmark = pytest.mark.both_backends

JUNE = Period(2026, 6)


@pytest.mark.parametrize(
    "comparator, target, unit, noun, words",
    [
        (">", 80, "%", "", "trên 80%"),
        (">=", 90, "%", "", "từ 90% trở lên"),
        (">=", 100, "%", "", "đạt 100%"),
        ("<=", 5, "%", "", "không quá 5%"),
        (">=", 1, "count", "mô hình", "ít nhất 01 mô hình"),
        (">=", 8, "count", "sáng kiến, giải pháp", "ít nhất 08 sáng kiến, giải pháp"),
        (">=", 12, "count", "buổi", "ít nhất 12 buổi"),
        ("<=", 0, "count", "sự cố", "không để xảy ra sự cố"),
        ("<=", 2, "count", "sự cố", "không quá 02 sự cố"),
        ("=", 1, "yes/no", "", "hoàn thành"),
    ],
)
def test_targets_in_words_never_symbols(comparator, target, unit, noun, words):
    assert target_words(comparator, target, unit, noun) == words


@pytest.mark.parametrize(
    "name, noun",
    [
        ("Số mô hình sản xuất nông nghiệp ứng dụng công nghệ cao", "mô hình"),
        ("Số sự cố an toàn thông tin, an ninh mạng nghiêm trọng trong năm", "sự cố"),
        ("Số mô hình/sáng kiến đổi mới sáng tạo triển khai trong năm", "mô hình/sáng kiến"),
        ("Số sáng kiến, giải pháp cải tiến được áp dụng trong năm", "sáng kiến, giải pháp"),
        ("Số đợt tuyên truyền, phổ biến kỹ năng số cho người dân trong năm", "đợt"),
        ("Tỷ lệ hộ gia đình có kết nối Internet", ""),
        ("Số hóa hồ sơ", ""),
    ],
)
def test_a_count_is_named_by_its_noun(name, noun):
    assert count_noun(name) == noun


@pytest.mark.parametrize(
    "now, before, unit, noun, words",
    [
        (85.5, 70, "%", "", "tăng 15,5 điểm phần trăm"),
        (45, 50, "%", "", "giảm 5 điểm phần trăm"),
        (1, 0, "count", "sự cố", "tăng 1 sự cố"),
        (3, 3, "count", "mô hình", "không thay đổi"),
        (1, 0, "yes/no", "", ""),
    ],
)
def test_changes_in_points_of_percent_or_in_the_counts_noun(now, before, unit, noun, words):
    assert change_words(now, before, unit, noun) == words


@pytest.mark.parametrize(
    "status, comparator, word",
    [
        (vocab.REGRESSING, ">=", "Giảm, xa mục tiêu hơn"),
        (vocab.REGRESSING, "<=", "Tăng, xa mục tiêu hơn"),  # 0 → 1 incident is not a good "đi xuống"
        (vocab.REGRESSING, "=", "Xa mục tiêu hơn"),
        (vocab.MET, "<=", "Đạt"),
        (vocab.NOT_MET, ">=", "Không đạt"),
        (vocab.BEHIND, ">=", "Chậm tiến độ"),
        (vocab.NOT_REPORTED, ">", "Chưa có số liệu"),
    ],
)
def test_status_words_respect_which_way_is_better(status, comparator, word):
    assert status_word(status, comparator) == word


@pytest.mark.parametrize(
    "value, text", [(4.725, "4,73"), (66.05, "66,05"), (6.1, "6,10"), (0, "0,00"), (89.995, "90,00")]
)
def test_points_have_one_rule_two_decimals_half_up(value, text):
    assert fmt_points(value) == text


@pytest.mark.parametrize(
    "day, text",
    [(dt.date(2026, 6, 14), "14/6/2026"), (dt.date(2026, 12, 6), "06/12/2026"), (dt.date(2025, 7, 2), "02/7/2025")],
)
def test_dates_in_the_body_have_no_leading_zero_in_the_month(day, text):
    assert body_date(day) == text


@pytest.mark.parametrize(
    "items, text", [([], ""), (["a"], "a"), (["a", "b"], "a và b"), (["a", "b", "c"], "a, b và c")]
)
def test_lists_join_with_va(items, text):
    assert joined(items) == text


@pytest.mark.parametrize("name, text", [("Tỷ lệ cán bộ", "tỷ lệ cán bộ"), ("TTHC được số hóa", "TTHC được số hóa")])
def test_names_inside_a_sentence(name, text):
    assert lowered(name) == text


def test_the_subject_is_broken_into_even_lines():
    subject = (
        "Kết quả thực hiện Kế hoạch triển khai Đề án “Hải Phòng - Thành phố Đổi mới sáng tạo” trên địa bàn xã "
        "Tân An 6 tháng đầu năm 2026 và phương hướng, nhiệm vụ 6 tháng cuối năm 2026"
    )
    lines = balanced_lines(subject)
    assert " ".join(lines) == subject and len(lines) == 3
    assert max(len(line) for line in lines) - min(len(line) for line in lines) <= 8
    assert balanced_lines("Kết quả năm 2026") == ["Kết quả năm 2026"]


def line(
    name="Tỷ lệ sử dụng dịch vụ công trực tuyến",
    unit="%",
    comparator=">=",
    target=100.0,
    year=2030,
    actual=52.7,
    status=vocab.ON_TRACK,
    before=None,
    before_label="",
    attainment=None,
    projection=None,
    accumulation="latest",
    every_year=False,
    baseline_period=None,
) -> IndicatorLine:
    return IndicatorLine(
        code="X-1",
        name=name,
        group="a",
        measure="m",
        unit=unit,
        comparator=comparator,
        target=target,
        target_year=year,
        every_year=every_year,
        accumulation=accumulation,
        responsible_unit="vhxh",
        actual=actual,
        baseline=None,
        baseline_period=baseline_period,
        attainment=attainment,
        status=status,
        noun=count_noun(name),
        before=before,
        before_label=before_label,
        series=pd.Series(dtype=float),
        projection=projection,
        verdict=verdict(status, comparator, projection),
    )


LATE = Projection("X-1", 6, 0.5, Period(2031, 2), False, "")


@pytest.mark.parametrize(
    "indicator, sentence",
    [
        (
            line(before=50.0, before_label="tháng 12/2025", attainment=0.527),
            "Tỷ lệ sử dụng dịch vụ công trực tuyến đạt 52,7%, tăng 2,7 điểm phần trăm so với tháng 12/2025, bằng 52,7% "
            "mục tiêu đến năm 2030 (đạt 100%).",
        ),
        # on its path, but its pace misses 2030: said so, not "đúng tiến độ"
        (
            line(actual=34.9, attainment=0.349, projection=LATE),
            "Tỷ lệ sử dụng dịch vụ công trực tuyến đạt 34,9%, bằng 34,9% mục tiêu đến năm 2030 (đạt 100%), cần đẩy "
            "nhanh để kịp mục tiêu.",
        ),
        (
            line(comparator=">", target=80, actual=85.5, status=vocab.MET, attainment=1.0),
            "Tỷ lệ sử dụng dịch vụ công trực tuyến đạt 85,5%, vượt mục tiêu đến năm 2030 (trên 80%).",
        ),
        (
            line(
                name="Số sự cố an toàn thông tin trong năm",
                unit="count",
                comparator="<=",
                target=0,
                year=2026,
                actual=1,
                status=vocab.REGRESSING,
                accumulation="sum_year",
                every_year=True,
                baseline_period=Period(2025, 12),
            ),
            "Số sự cố an toàn thông tin trong năm là 1 sự cố, chưa đạt kế hoạch năm 2026 (không để xảy ra sự cố).",
        ),
        (
            line(
                name="Số mô hình nông nghiệp công nghệ cao",
                unit="count",
                target=3,
                actual=1,
                status=vocab.BEHIND,
                attainment=1 / 3,
                before=0.0,
                before_label="tháng 1/2026",
            ),
            "Số mô hình nông nghiệp công nghệ cao đạt 1 mô hình, tăng 1 mô hình so với tháng 1/2026, bằng 33,3% mục "
            "tiêu đến năm 2030 (ít nhất 03 mô hình), còn chậm so với lộ trình.",
        ),
        (
            line(
                name="Xây dựng ứng dụng Zalo Mini App của xã",
                unit="yes/no",
                comparator="=",
                target=1,
                actual=0,
                status=vocab.BEHIND,
            ),
            "Nội dung “xây dựng ứng dụng Zalo Mini App của xã” chưa hoàn thành (mục tiêu đến năm 2030).",
        ),
        (
            line(actual=None, status=vocab.NOT_REPORTED),
            "Tỷ lệ sử dụng dịch vụ công trực tuyến chưa có số liệu báo cáo (mục tiêu đến năm 2030: đạt 100%).",
        ),
    ],
)
def test_result_sentences(indicator, sentence):
    text = result_sentence(indicator, JUNE)
    assert text == sentence
    assert not any(symbol in text for symbol in ("≥", "≤", ">", "<", "—", "dự kiến"))
