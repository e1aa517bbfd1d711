"""A complaint's clocks, derived from its stored timestamps (never from counters)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cs_console.domain.clocks import Clock, clock_state
from cs_console.domain.enums import ClockKind, ClockState
from cs_console.domain.policy import ClockPolicy


@dataclass(frozen=True)
class ComplaintTimes:
    """The timestamps a complaint's clocks are derived from."""

    registered_at: datetime
    verify_due: datetime
    verified_at: datetime | None
    resolve_due: datetime
    resolved_at: datetime | None
    followup_due: datetime | None
    followup_done_at: datetime | None
    second_followup_due: datetime | None
    closed_at: datetime | None


def all_clocks(times: ComplaintTimes, policy: ClockPolicy) -> tuple[Clock, ...]:
    """Every clock the complaint has started, done or not, in the order of its life.

    The follow-up counts from the resolution; the second follow-up from the unsatisfied
    follow-up that scheduled it, and it is done when the complaint closes.
    """
    clocks = [
        Clock(ClockKind.VERIFY, times.registered_at, times.verify_due, times.verified_at),
        Clock(ClockKind.RESOLVE, times.registered_at, times.resolve_due, times.resolved_at),
    ]
    if times.followup_due is not None:
        start = clock_start(ClockKind.FOLLOWUP, times.followup_due, times.resolved_at, policy)
        clocks.append(Clock(ClockKind.FOLLOWUP, start, times.followup_due, times.followup_done_at))
    if times.second_followup_due is not None:
        due = times.second_followup_due
        start = clock_start(ClockKind.SECOND_FOLLOWUP, due, None, policy)
        clocks.append(Clock(ClockKind.SECOND_FOLLOWUP, start, due, times.closed_at))
    return tuple(clocks)


def assumed_length(kind: ClockKind, policy: ClockPolicy) -> timedelta | None:
    """The length of a clock whose start is not stored: the policy's follow-up (for a
    follow-up without a resolution time) or second follow-up; None for the verify and
    resolve clocks, which start at the registration, always stored."""
    if kind is ClockKind.FOLLOWUP:
        return policy.followup
    if kind is ClockKind.SECOND_FOLLOWUP:
        return policy.second_followup
    return None


def clock_start(
    kind: ClockKind, due: datetime, stored: datetime | None, policy: ClockPolicy
) -> datetime:
    """When a clock started: its stored start (the registration, or the resolution for the
    follow-up), else its due time less its ``assumed_length``."""
    if stored is not None:
        return stored
    length = assumed_length(kind, policy)
    if length is None:
        raise ValueError(f"a {kind.value} clock always has its start stored")
    return due - length


def pending_clocks(times: ComplaintTimes, policy: ClockPolicy) -> tuple[Clock, ...]:
    """The clocks still running, soonest due first."""
    running = [c for c in all_clocks(times, policy) if c.done_at is None]
    return tuple(sorted(running, key=lambda c: c.due))


# How urgent each state is, most urgent first: the order of every list of clocks (the
# overview's SQL ranks clocks by the same numbers).
URGENCY = {
    ClockState.BREACHED: 0,
    ClockState.RED: 1,
    ClockState.AMBER: 2,
    ClockState.OK: 3,
    ClockState.DONE: 4,
}


def urgency_key(clock: Clock, now: datetime, policy: ClockPolicy) -> tuple[int, datetime]:
    """Sort key putting breached first, then red, amber, ok; soonest due within a state."""
    return URGENCY[clock_state(clock, now, policy)], clock.due
