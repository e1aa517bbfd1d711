"""A complaint's clocks, derived from its stored timestamps (never from counters)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
        start = times.resolved_at or times.followup_due - policy.followup
        clocks.append(Clock(ClockKind.FOLLOWUP, start, times.followup_due, times.followup_done_at))
    if times.second_followup_due is not None:
        start = times.second_followup_due - policy.second_followup
        clocks.append(
            Clock(ClockKind.SECOND_FOLLOWUP, start, times.second_followup_due, times.closed_at)
        )
    return tuple(clocks)


def pending_clocks(times: ComplaintTimes, policy: ClockPolicy) -> tuple[Clock, ...]:
    """The clocks still running, soonest due first."""
    running = [c for c in all_clocks(times, policy) if c.done_at is None]
    return tuple(sorted(running, key=lambda c: c.due))


_URGENCY = {
    ClockState.BREACHED: 0,
    ClockState.RED: 1,
    ClockState.AMBER: 2,
    ClockState.OK: 3,
    ClockState.DONE: 4,
}


def urgency_key(clock: Clock, now: datetime, policy: ClockPolicy) -> tuple[int, datetime]:
    """Sort key putting breached first, then red, amber, ok; soonest due within a state."""
    return _URGENCY[clock_state(clock, now, policy)], clock.due
