"""Measures against targets and the monthly scorecard, checked by hand and by property."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.policy_file import default_policy
from cs_console.domain.measures import (
    MeasureCounts,
    MeasureKind,
    Tally,
    format_measure,
    format_target,
    measure_symbol,
    measures,
)
from cs_console.domain.scorecard import (
    AgentMonth,
    Band,
    Handover,
    Rating,
    measured_score,
    owner_at,
    scorecard,
)

POLICY = default_policy()
SCORING, TARGETS = POLICY.scoring, POLICY.targets

# 19 of 20 answered in time, 9 of 10 resolved at first contact, scores 5+4+5+4 = 4.5.
HAND = MeasureCounts(
    answered=Tally(19, 20),
    first_contact=Tally(9, 10),
    satisfaction=Tally(18, 4),
    responded=Tally(47, 50),
    closed=Tally(7, 10),
)


def test_measures_against_the_policy_targets_by_hand() -> None:
    rows = {m.kind: m for m in measures(HAND, TARGETS)}
    assert rows[MeasureKind.ANSWERED_IN_TIME].value == pytest.approx(0.95)
    assert rows[MeasureKind.ANSWERED_IN_TIME].met is True  # exactly on target counts
    assert rows[MeasureKind.FIRST_CONTACT_RESOLUTION].met is True
    assert rows[MeasureKind.SATISFACTION].value == pytest.approx(4.5)
    assert rows[MeasureKind.SATISFACTION].met is True
    assert rows[MeasureKind.RESPONDED_IN_TIME].value == pytest.approx(0.94)
    assert rows[MeasureKind.RESPONDED_IN_TIME].met is False
    assert rows[MeasureKind.CLOSED_IN_TIME].met is False
    assert [measure_symbol(m) for m in measures(HAND, TARGETS)] == ["✓", "✓", "✓", "▲", "▲"]


def test_nothing_counted_is_neither_met_nor_missed() -> None:
    empty = measures(MeasureCounts(), TARGETS)
    assert all(m.value is None and m.met is None for m in empty)
    assert {measure_symbol(m) for m in empty} == {"-"}
    assert format_measure(None, True) == "-"
    assert format_measure(0.961, True) == "96.1 %"
    assert format_measure(4.625, False) == "4.62"
    assert (format_target(0.95, True), format_target(4.5, False)) == ("≥95 %", "≥4.5")


def test_scorecard_by_hand() -> None:
    # measured: 0.4 x 95 + 0.3 x 90 + 0.3 x 87.5 (4.5 of 5) = 91.25; rated: (80 + 90) / 2
    # = 85; score: 0.6 x 91.25 + 0.4 x 85 = 88.75 -> 88.8, a pass.
    card = scorecard(AgentMonth(HAND), Rating(80, 90), SCORING)
    assert card.measured == pytest.approx(91.25)
    assert card.rated == pytest.approx(85)
    assert (card.score, card.band, card.deductions, card.retraining) == (
        88.8,
        Band.PASS,
        0,
        False,
    )
    # one complaint by a breach of the standard (5) and one escalated by late handling (8)
    late = scorecard(AgentMonth(HAND, 1, 1, 0), Rating(80, 90), SCORING)
    assert (late.deductions, late.score) == (13, 75.8)
    best = scorecard(AgentMonth(HAND), Rating(100, 100), SCORING)
    assert (best.score, best.band) == (94.8, Band.EXCELLENT)  # 54.75 + 40
    poor = scorecard(AgentMonth(HAND, 4, 2, 0), Rating(60, 60), SCORING)
    assert (poor.score, poor.band) == (42.8, Band.FAIL)  # 54.75 + 24 - 20 - 16


def test_band_edges_follow_the_rounded_score() -> None:
    month = AgentMonth(MeasureCounts(answered=Tally(1, 1)))  # measured 100
    assert scorecard(month, Rating(75, 75), SCORING).band is Band.EXCELLENT  # 60 + 30 = 90
    assert scorecard(month, Rating(0, 0), SCORING).band is Band.PASS  # 60
    card = scorecard(replace(month, breach_complaints=1), Rating(0, 0), SCORING)
    assert (card.score, card.band) == (55.0, Band.FAIL)


def test_three_attitude_complaints_flag_retraining() -> None:
    assert not scorecard(AgentMonth(HAND, attitude_complaints=2), None, SCORING).retraining
    assert scorecard(AgentMonth(HAND, attitude_complaints=3), None, SCORING).retraining


def test_no_score_without_the_rating_or_without_measures() -> None:
    unrated = scorecard(AgentMonth(HAND), None, SCORING)
    assert (unrated.score, unrated.band) == (None, None)
    assert unrated.measured == pytest.approx(91.25)
    idle = scorecard(AgentMonth(MeasureCounts()), Rating(90, 90), SCORING)
    assert (idle.measured, idle.score) == (None, None)


def test_a_measure_with_nothing_counted_gives_its_weight_to_the_others() -> None:
    only_speed = MeasureCounts(answered=Tally(3, 4))
    assert measured_score(only_speed, SCORING) == pytest.approx(75)
    # speed 50 (0.4) and satisfaction 5 = 100 (0.3): (20 + 30) / 0.7
    mixed = MeasureCounts(answered=Tally(1, 2), satisfaction=Tally(5, 1))
    assert measured_score(mixed, SCORING) == pytest.approx(50 / 0.7)


tallies = st.integers(0, 50).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))
scores = st.integers(0, 30).flatmap(
    lambda n: st.tuples(st.integers(n, 5 * n), st.just(n))  # n scores of 1-5
)


@st.composite
def agent_months(draw: st.DrawFn) -> AgentMonth:
    counts = MeasureCounts(
        answered=Tally(*draw(tallies)),
        first_contact=Tally(*draw(tallies)),
        satisfaction=Tally(*draw(scores)),
    )
    return AgentMonth(counts, *(draw(st.integers(0, 5)) for _ in range(3)))


ratings = st.builds(Rating, st.integers(0, 100), st.integers(0, 100))


@given(agent_months(), ratings)
def test_score_stays_within_0_and_100_and_agrees_with_its_band(
    month: AgentMonth, rating: Rating
) -> None:
    card = scorecard(month, rating, SCORING)
    if card.measured is None:
        assert card.score is None
        return
    assert 0 <= card.measured <= 100
    assert card.score is not None and 0 <= card.score <= 100
    expected = Band.EXCELLENT if card.score >= 90 else Band.PASS if card.score >= 60 else Band.FAIL
    assert card.band is expected


@given(agent_months(), ratings, st.integers(1, 3))
def test_another_attributed_complaint_never_raises_the_score(
    month: AgentMonth, rating: Rating, extra: int
) -> None:
    before = scorecard(month, rating, SCORING)
    worse = replace(month, late_complaints=month.late_complaints + extra)
    after = scorecard(worse, rating, SCORING)
    if before.score is not None:
        assert after.score is not None and after.score <= before.score
        assert after.deductions == before.deductions + 8 * extra


@given(agent_months(), ratings, ratings)
def test_a_better_rating_never_lowers_the_score(
    month: AgentMonth, low: Rating, high: Rating
) -> None:
    top = Rating(max(low.attitude, high.attitude), max(low.compliance, high.compliance))
    a, b = scorecard(month, low, SCORING), scorecard(month, top, SCORING)
    if a.score is not None:
        assert b.score is not None and b.score >= a.score


T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_owner_at_follows_the_hand_overs() -> None:
    h = timedelta(hours=1)
    moves = [Handover(T0 + h, 1, 2), Handover(T0 + 3 * h, 2, 3)]
    assert owner_at(3, moves, T0) == 1  # before the first hand-over
    assert owner_at(3, moves, T0 + h) == 2
    assert owner_at(3, moves, T0 + 2 * h) == 2
    assert owner_at(3, moves, T0 + 5 * h) == 3
    assert owner_at(7, [], T0) == 7
