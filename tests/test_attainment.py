"""Target attainment and progress statuses, hand-computed."""

from __future__ import annotations

import pytest

from plans import vocabulary as vocab
from plans.periods import Period
from scoring.attainment import NOT_MET_CAP, attainment_ratio, evaluate, is_met, plan_path_start

P = Period.parse


@pytest.mark.parametrize(
    "actual, comparator, target, met",
    [
        (80, ">", 80, False),
        (80.5, ">", 80, True),
        (80, ">=", 80, True),
        (79.9, ">=", 80, False),
        (1, "=", 1, True),
        (0, "=", 1, False),
        (0, "<=", 0, True),
        (1, "<=", 0, False),
        (9.9, "<", 10, True),
        (10, "<", 10, False),
    ],
)
def test_is_met(actual, comparator, target, met) -> None:
    assert is_met(actual, comparator, target) is met


@pytest.mark.parametrize(
    "actual, comparator, target, ratio",
    [
        (52.5, ">=", 70, 0.75),  # 52,5% of a 70% target
        (3, ">=", 8, 0.375),  # 3 of 8 initiatives
        (120, ">=", 100, 1.0),  # capped for display
        (20, "<=", 10, 0.5),  # lower is better: 10 ÷ 20
        (0, "<=", 0, 1.0),
        (80, ">", 80, 0.999),  # 80 ÷ 80 = 1 but "> 80" is not met: capped just under 1 (99,9%)
        (10, "<", 10, 0.999),  # 10 ÷ 10 = 1 but "< 10" is not met
        (79.99, ">=", 80, 0.999),  # 79,99 ÷ 80 = 0,999875 would print 100,0% with one decimal
        (79.2, ">=", 80, 0.99),  # 79,2 ÷ 80 = 0,99: below the cap, unchanged
        (0, "=", 1, 0.0),  # yes/no "Không" against "Có"
        (2, "=", 1, 0.5),  # "=": overshoot counts as a miss, 1 ÷ 2
        (40, "=", 50, 0.8),  # "=": 40 ÷ 50
    ],
)
def test_attainment_ratio(actual, comparator, target, ratio) -> None:
    assert attainment_ratio(actual, comparator, target) == pytest.approx(ratio)


def test_cap_is_just_under_one() -> None:
    assert NOT_MET_CAP < 1 and f"{NOT_MET_CAP * 100:.1f}" == "99.9"


# Paths from 2026-12 to the end of 2027, at 2027-06 (6 of 12 months): (comparator, target, baseline, expected).
# Higher: baseline 10 → ≥ 50, expected E = 10 + (50 − 10) × 6/12 = 30, so R = (A − 10) ÷ 20.
# Lower: baseline 30 → ≤ 10, expected E = 30 + (10 − 30) × 6/12 = 20, so R = (A − 30) ÷ (20 − 30) = (30 − A) ÷ 10.
# "=": the good direction runs from the baseline towards the target. Baseline 10 → "= 50": E = 30,
# R = (A − 10) ÷ 20 (as for "≥"); baseline 90 → "= 50": E = 90 + (50 − 90) × 6/12 = 70, R = (90 − A) ÷ 20.
HIGHER = (">=", 50, 10, 30)
LOWER = ("<=", 10, 30, 20)
EQUAL_UP = ("=", 50, 10, 30)
EQUAL_DOWN = ("=", 50, 90, 70)
RISING = (  # on "≥ 50" and on "= 50" from below alike
    (50, vocab.MET),
    (29, vocab.ON_TRACK),  # R = 0.95
    (28.9, vocab.SPEED_UP),  # R = 0.945
    (22, vocab.SPEED_UP),  # R = 0.60
    (21.9, vocab.BEHIND),  # R = 0.595
    (10, vocab.BEHIND),  # R = 0
    (9, vocab.REGRESSING),  # R = −0.05
)


@pytest.mark.parametrize(
    "path, actual, status",
    [
        *[(path, actual, status) for path in (HIGHER, EQUAL_UP) for actual, status in RISING],
        (LOWER, 10, vocab.MET),
        (LOWER, 20, vocab.ON_TRACK),  # R = 1
        (LOWER, 20.5, vocab.ON_TRACK),  # R = 0.95
        (LOWER, 20.6, vocab.SPEED_UP),  # R = 0.94
        (LOWER, 24, vocab.SPEED_UP),  # R = 0.60
        (LOWER, 24.1, vocab.BEHIND),  # R = 0.59
        (LOWER, 25, vocab.BEHIND),  # R = 0.5
        (LOWER, 30, vocab.BEHIND),  # R = 0
        (LOWER, 30.1, vocab.REGRESSING),  # R = −0.01
        (LOWER, 35, vocab.REGRESSING),  # R = −0.5
        (EQUAL_DOWN, 71, vocab.ON_TRACK),  # R = 0.95
        (EQUAL_DOWN, 71.1, vocab.SPEED_UP),  # R = 0.945
        (EQUAL_DOWN, 78, vocab.SPEED_UP),  # R = 0.6
        (EQUAL_DOWN, 78.1, vocab.BEHIND),  # R = 0.595
        (EQUAL_DOWN, 90, vocab.BEHIND),  # R = 0
        (EQUAL_DOWN, 91, vocab.REGRESSING),  # R = −0.05
    ],
)
def test_progress_bands(path, actual, status) -> None:
    comparator, target, baseline, expected = path
    result = evaluate(actual, comparator, target, 2027, P("2027-06"), baseline, P("2026-12"))
    assert result.status == status
    assert result.expected == pytest.approx(target if status == vocab.MET else expected)


def test_progress_ratio_value() -> None:
    result = evaluate(28.9, ">=", 50, 2027, P("2027-06"), 10, P("2026-12"))
    assert result.progress == pytest.approx(0.945)


@pytest.mark.parametrize(
    "actual, period, status",
    [
        (90, "2026-11", vocab.ON_TRACK),  # expected 95 × 11/12 = 87.08; R = 90 ÷ 87.08 = 1.03
        (80, "2026-11", vocab.SPEED_UP),  # R = 80 ÷ 87.08 = 0.92
        (90, "2026-12", vocab.NOT_MET),  # the target year is over
        (90, "2027-03", vocab.NOT_MET),
    ],
)
def test_target_year_over(actual, period, status) -> None:
    # ≥ 95% in 2026, baseline 0 at 2025-12
    assert evaluate(actual, ">=", 95, 2026, P(period), 0, P("2025-12")).status == status


def test_greater_than_is_strict_at_year_end() -> None:
    assert evaluate(80, ">", 80, 2030, P("2030-12"), 50, P("2026-01")).status == vocab.NOT_MET
    assert evaluate(80, ">=", 80, 2030, P("2030-12"), 50, P("2026-01")).status == vocab.MET


def test_not_reported() -> None:
    result = evaluate(None, ">=", 100, 2030, P("2026-06"), None, None)
    assert result.status == vocab.NOT_REPORTED and result.actual is None


@pytest.mark.parametrize(
    "actual, status",
    [
        (0, vocab.MET),  # no serious incident
        (1, vocab.REGRESSING),  # mid-year, one incident: nothing was allowed, it went the wrong way
    ],
)
def test_no_incident_target_mid_year(actual, status) -> None:
    assert evaluate(actual, "<=", 0, 2026, P("2026-06"), 0, P("2025-12")).status == status


def test_no_incident_target_at_year_end() -> None:
    assert evaluate(2, "<=", 0, 2026, P("2026-12"), 0, P("2025-12")).status == vocab.NOT_MET


# Baseline already at or past the target: no room in the good direction, so the target itself is
# what is expected (E = t); worse than the baseline → Đi xuống, equal to it → Chậm tiến độ (R = 0).
@pytest.mark.parametrize(
    "actual, comparator, target, baseline, status, progress",
    [
        (75, ">=", 80, 90, vocab.REGRESSING, None),  # first report 90 ≥ 80, now 75: fell below the target
        (60, ">=", 80, 90, vocab.REGRESSING, None),
        (85, ">=", 80, 90, vocab.MET, None),  # lower than the baseline but still meets it
        (80, ">", 80, 80, vocab.BEHIND, 0.0),  # baseline = target under ">": no progress
        (79, ">", 80, 80, vocab.REGRESSING, None),
        (80, ">", 80, 85, vocab.REGRESSING, None),  # back from 85 to 80: "> 80" no longer met
        (15, "<=", 10, 5, vocab.REGRESSING, None),  # lower is better: first report 5 ≤ 10, now 15
        (10, "<", 10, 10, vocab.BEHIND, 0.0),  # baseline = target under "<"
        (12, "<", 10, 10, vocab.REGRESSING, None),
        (1, "<=", 0, 0, vocab.REGRESSING, None),  # "no serious incident" and one happened
        (0, "=", 1, 1, vocab.REGRESSING, None),  # "=" on its target at the baseline, moved off it
        (2, "=", 1, 1, vocab.REGRESSING, None),
    ],
)
def test_baseline_at_or_past_target(actual, comparator, target, baseline, status, progress) -> None:
    result = evaluate(actual, comparator, target, 2030, P("2026-06"), baseline, P("2026-01"))
    assert (result.status, result.progress) == (status, progress)
    assert result.expected == target


def test_baseline_equal_to_target_is_behind_from_the_first_month() -> None:
    # the first report is 80 under "> 80": nothing was gained yet, and nothing has to be gained
    # along a path — the target is what is expected from the start.
    result = evaluate(80, ">", 80, 2030, P("2026-03"), 80, P("2026-03"))
    assert (result.status, result.progress, result.expected) == (vocab.BEHIND, 0.0, 80)


@pytest.mark.parametrize(
    "args",
    [
        (80, ">", 80, 2030, "2026-06", 80, "2026-01"),  # at the target under ">": not met
        (79.99, ">=", 80, 2030, "2026-06", 50, "2026-01"),
        (10, "<", 10, 2030, "2026-06", 20, "2026-01"),
        (80, ">", 80, 2026, "2026-12", 50, "2026-01"),  # target year over, exactly at the target
        (80, ">=", 80, 2030, "2026-06", 50, "2026-01"),
        (0, "<=", 0, 2026, "2026-06", 0, "2025-12"),
    ],
)
def test_attainment_is_full_only_when_met(args) -> None:
    actual, comparator, target, year, period, baseline, base_period = args
    result = evaluate(actual, comparator, target, year, P(period), baseline, P(base_period))
    assert (result.attainment == 1.0) == (result.status == vocab.MET)
    assert result.attainment <= NOT_MET_CAP or result.status == vocab.MET


def test_first_report_is_on_track_when_nothing_expected_yet() -> None:
    # first month: E = B = 40, nothing expected yet on the path to 100 in 2030
    result = evaluate(40, ">=", 100, 2030, P("2026-03"), 40, P("2026-03"))
    assert (result.status, result.expected, result.progress) == (vocab.ON_TRACK, 40, None)


def test_a_first_report_close_to_its_deadline_is_measured_from_the_plan_start() -> None:
    # TA-a-08: 65% against ≥ 100% due 12/2026, first reported in 11/2026, plan from 2026 (S = 12/2025):
    # E = 100 × 11 ÷ 12 = 91,67; R = 65 ÷ 91,67 = 0,709 → Cần đẩy nhanh (it read "Đúng tiến độ")
    result = evaluate(65, ">=", 100, 2026, P("2026-11"), 65, P("2026-11"), P("2025-12"))
    assert result.status == vocab.SPEED_UP
    assert result.expected == pytest.approx(100 * 11 / 12)
    assert result.progress == pytest.approx(65 / (100 * 11 / 12))
    assert (result.baseline, result.since) == (0, P("2025-12"))


@pytest.mark.parametrize(
    "actual, comparator, target, period, status",
    [
        (40, ">=", 100, "2026-03", vocab.ON_TRACK),  # E = 100 × 3/60 = 5: far ahead of the path
        (2, ">=", 100, "2026-06", vocab.BEHIND),  # E = 10, R = 0,2
        (0, "=", 1, "2026-06", vocab.BEHIND),  # "Không" against "Có" in 2030: E = 0,1, R = 0
        (25, "<=", 10, "2026-06", vocab.ON_TRACK),  # lower is better: no origin, first report on track
    ],
)
def test_first_reports_on_the_path_from_the_plan_start(actual, comparator, target, period, status) -> None:
    assert evaluate(actual, comparator, target, 2030, P(period), actual, P(period), P("2025-12")).status == status


def test_every_year_path_starts_at_the_later_of_the_plan_and_the_year() -> None:
    assert plan_path_start(2026, True, P("2027-05")) == P("2026-12")
    assert plan_path_start(2026, False, P("2027-05")) == P("2025-12")
    assert plan_path_start(2026, True, P("2026-05")) == P("2025-12")
