"""SLA clocks: lengths, states across time, formatting, breaches."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.policy_file import default_policy
from cs_console.domain.clocks import (
    STATE_SYMBOLS,
    Clock,
    breached_at_completion,
    clock_state,
    followup_clock,
    format_remaining,
    initial_clocks,
    remaining,
    second_followup_clock,
)
from cs_console.domain.enums import ClockKind, ClockState, Severity

POLICY = default_policy().clocks
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
H, M, S = timedelta(hours=1), timedelta(minutes=1), timedelta(seconds=1)
ORDER = [ClockState.OK, ClockState.AMBER, ClockState.RED, ClockState.BREACHED]


@pytest.mark.parametrize(
    ("severity", "verify", "resolve"),
    [(Severity.GENERAL, 1 * H, 24 * H), (Severity.MAJOR, 6 * H, 48 * H)],
)
def test_initial_clocks_count_from_registration(
    severity: Severity, verify: timedelta, resolve: timedelta
) -> None:
    assert initial_clocks(T0, severity, POLICY) == (
        Clock(ClockKind.VERIFY, T0, T0 + verify),
        Clock(ClockKind.RESOLVE, T0, T0 + resolve),
    )


def test_followup_clocks() -> None:
    assert followup_clock(T0, POLICY) == Clock(ClockKind.FOLLOWUP, T0, T0 + 24 * H)
    assert second_followup_clock(T0, POLICY) == Clock(ClockKind.SECOND_FOLLOWUP, T0, T0 + 12 * H)


@pytest.mark.parametrize(
    ("elapsed", "state"),
    [
        (timedelta(0), ClockState.OK),
        (48 * M - S, ClockState.OK),
        (48 * M, ClockState.AMBER),  # 12 min = 20 % left: amber includes the boundary
        (57 * M - S, ClockState.AMBER),
        (57 * M, ClockState.RED),  # 3 min = 5 % left
        (60 * M, ClockState.RED),  # exactly due: not yet breached
        (60 * M + timedelta(microseconds=1), ClockState.BREACHED),
        (30 * H, ClockState.BREACHED),
    ],
)
def test_general_verify_clock_states_across_the_hour(elapsed: timedelta, state: ClockState) -> None:
    verify, _ = initial_clocks(T0, Severity.GENERAL, POLICY)
    assert clock_state(verify, T0 + elapsed, POLICY) is state


def test_done_clock_is_done_even_when_late() -> None:
    clock = Clock(ClockKind.VERIFY, T0, T0 + H, done_at=T0 + 2 * H)
    assert clock_state(clock, T0 + 3 * H, POLICY) is ClockState.DONE
    assert breached_at_completion(clock)


def test_breached_at_completion() -> None:
    assert not breached_at_completion(Clock(ClockKind.VERIFY, T0, T0 + H, done_at=T0 + H))
    assert not breached_at_completion(Clock(ClockKind.VERIFY, T0, T0 + H))
    assert breached_at_completion(Clock(ClockKind.VERIFY, T0, T0 + H, done_at=T0 + H + S))


@given(st.timedeltas(min_value=timedelta(0), max_value=100 * H))
def test_states_only_move_forward_in_time(later: timedelta) -> None:
    _, resolve = initial_clocks(T0, Severity.MAJOR, POLICY)
    for elapsed in (timedelta(0), 40 * H, 47 * H):
        before = clock_state(resolve, T0 + elapsed, POLICY)
        after = clock_state(resolve, T0 + elapsed + later, POLICY)
        assert ORDER.index(after) >= ORDER.index(before)


def test_remaining_is_negative_after_due_and_independent_of_timezone() -> None:
    clock = Clock(ClockKind.VERIFY, T0, T0 + H)
    beijing = timezone(timedelta(hours=8))
    assert remaining(clock, T0.astimezone(beijing)) == H
    assert remaining(clock, T0 + 2 * H) == -H


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(hours=5, minutes=40, seconds=2), "05:40:02"),
        (timedelta(hours=41, minutes=2, seconds=55), "41:02:55"),
        (-timedelta(hours=1, minutes=3, seconds=10), "-01:03:10"),
        (timedelta(hours=100), "100:00:00"),
        (timedelta(days=9, seconds=1), "216:00:01"),
        (timedelta(0), "00:00:00"),
        (timedelta(seconds=5.9), "00:00:05"),
        (timedelta(seconds=-0.5), "00:00:00"),
        (timedelta(seconds=-1.5), "-00:00:01"),
    ],
)
def test_format_remaining(delta: timedelta, text: str) -> None:
    assert format_remaining(delta) == text


@given(st.timedeltas(min_value=-1000 * H, max_value=1000 * H))
def test_format_remaining_reads_back_as_whole_seconds(delta: timedelta) -> None:
    text = format_remaining(delta)
    hours, minutes, seconds = text.lstrip("-").split(":")
    assert len(minutes) == len(seconds) == 2 and len(hours) >= 2
    assert int(hours) * 3600 + int(minutes) * 60 + int(seconds) == abs(delta) // S
    assert text.startswith("-") == (delta <= -S)


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 3, 1, 9, 0)
    with pytest.raises(ValueError):
        Clock(ClockKind.VERIFY, naive, naive + H)
    with pytest.raises(ValueError):
        initial_clocks(naive, Severity.GENERAL, POLICY)
    with pytest.raises(ValueError):
        followup_clock(naive, POLICY)
    with pytest.raises(ValueError):
        clock_state(Clock(ClockKind.VERIFY, T0, T0 + H), naive, POLICY)
    with pytest.raises(ValueError):
        Clock(ClockKind.VERIFY, T0, T0 + H, done_at=naive)


def test_every_state_has_a_symbol() -> None:
    assert set(STATE_SYMBOLS) == set(ClockState)
    assert STATE_SYMBOLS[ClockState.BREACHED] == "✕"
    assert STATE_SYMBOLS[ClockState.DONE] == "✓"
