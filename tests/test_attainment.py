"""Target attainment and progress statuses, hand-computed."""
from __future__ import annotations

import pytest

from loaders.periods import Period
from scoring import statuses as st
from scoring.attainment import attainment_ratio, evaluate, is_met

P = Period.parse


@pytest.mark.parametrize("actual, comparator, target, met", [
    (80, ">", 80, False), (80.5, ">", 80, True), (80, ">=", 80, True), (79.9, ">=", 80, False),
    (1, "=", 1, True), (0, "=", 1, False), (0, "<=", 0, True), (1, "<=", 0, False),
    (9.9, "<", 10, True), (10, "<", 10, False),
])
def test_is_met(actual, comparator, target, met) -> None:
    assert is_met(actual, comparator, target) is met


@pytest.mark.parametrize("actual, comparator, target, ratio", [
    (52.5, ">=", 70, 0.75),     # 52,5% of a 70% target
    (3, ">=", 8, 0.375),        # 3 of 8 initiatives
    (120, ">=", 100, 1.0),      # capped for display
    (20, "<=", 10, 0.5),        # lower is better: 10 ÷ 20
    (0, "<=", 0, 1.0),
    (80, ">", 80, 1.0),         # 80 ÷ 80 although "> 80" is not met: ratio is capped, status says more
])
def test_attainment_ratio(actual, comparator, target, ratio) -> None:
    assert attainment_ratio(actual, comparator, target) == pytest.approx(ratio)


# Path: baseline 10 in 2026-12, target 50 at the end of 2027 → at 2027-06 expected 30, R = (A − 10) ÷ 20.
@pytest.mark.parametrize("actual, status", [
    (50, st.MET),
    (29, st.ON_TRACK),        # R = 0.95
    (28.9, st.SPEED_UP),      # R = 0.945
    (22, st.SPEED_UP),        # R = 0.60
    (21.9, st.BEHIND),        # R = 0.595
    (10, st.BEHIND),          # R = 0
    (9, st.REGRESSING),       # R = −0.05
])
def test_progress_bands(actual, status) -> None:
    result = evaluate(actual, ">=", 50, 2027, P("2027-06"), 10, P("2026-12"))
    assert result.status == status
    assert result.expected == pytest.approx(30 if status != st.MET else 50)


def test_progress_ratio_value() -> None:
    result = evaluate(28.9, ">=", 50, 2027, P("2027-06"), 10, P("2026-12"))
    assert result.progress == pytest.approx(0.945)


@pytest.mark.parametrize("actual, period, status", [
    (90, "2026-11", st.ON_TRACK),    # expected 95 × 11/12 = 87.08; R = 90 ÷ 87.08 = 1.03
    (80, "2026-11", st.SPEED_UP),    # R = 80 ÷ 87.08 = 0.92
    (90, "2026-12", st.NOT_MET),     # the target year is over
    (90, "2027-03", st.NOT_MET),
])
def test_target_year_over(actual, period, status) -> None:
    # ≥ 95% in 2026, baseline 0 at 2025-12
    assert evaluate(actual, ">=", 95, 2026, P(period), 0, P("2025-12")).status == status


def test_greater_than_is_strict_at_year_end() -> None:
    assert evaluate(80, ">", 80, 2030, P("2030-12"), 50, P("2026-01")).status == st.NOT_MET
    assert evaluate(80, ">=", 80, 2030, P("2030-12"), 50, P("2026-01")).status == st.MET


def test_not_reported() -> None:
    result = evaluate(None, ">=", 100, 2030, P("2026-06"), None, None)
    assert result.status == st.NOT_REPORTED and result.actual is None


@pytest.mark.parametrize("actual, status", [
    (0, st.MET),             # no serious incident
    (1, st.REGRESSING),      # mid-year, one incident: nothing was allowed, it went the wrong way
])
def test_no_incident_target_mid_year(actual, status) -> None:
    assert evaluate(actual, "<=", 0, 2026, P("2026-06"), 0, P("2025-12")).status == status


def test_no_incident_target_at_year_end() -> None:
    assert evaluate(2, "<=", 0, 2026, P("2026-12"), 0, P("2025-12")).status == st.NOT_MET


# Lower is better with a path: baseline 30 (2026-12) → ≤ 10 by end 2027; at 2027-06 expected 20.
@pytest.mark.parametrize("actual, status", [(20, st.ON_TRACK), (25, st.BEHIND), (35, st.REGRESSING), (10, st.MET)])
def test_lower_is_better_path(actual, status) -> None:
    assert evaluate(actual, "<=", 10, 2027, P("2027-06"), 30, P("2026-12")).status == status


def test_first_report_is_on_track_when_nothing_expected_yet() -> None:
    assert evaluate(40, ">=", 100, 2030, P("2026-03"), 40, P("2026-03")).status == st.ON_TRACK
