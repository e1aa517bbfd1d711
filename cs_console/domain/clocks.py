"""The SLA clocks of a complaint (核实, 处理, 回访, 二次回访) as live countdowns.

A clock is a start, a due time and, once the step is done, the time it was done. Its state
and remaining time are always derived from those and the current time, never by counting
down (timers skip late ticks, see docs/pitfalls.md). All datetimes must be timezone-aware: a
naive one raises ValueError, since comparing naive local time with stored UTC is how
deadlines silently move by hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cs_console.domain.enums import ClockKind, ClockState, Severity
from cs_console.domain.policy import ClockPolicy

STATE_SYMBOLS: dict[ClockState, str] = {
    ClockState.OK: "●",
    ClockState.AMBER: "▲",
    ClockState.RED: "■",
    ClockState.BREACHED: "✕",
    ClockState.DONE: "✓",
}


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value


@dataclass(frozen=True)
class Clock:
    """One SLA clock: when it started, when the step is due and when it was done, if it was."""

    kind: ClockKind
    start: datetime
    due: datetime
    done_at: datetime | None = None

    def __post_init__(self) -> None:
        _aware(self.start, "start")
        _aware(self.due, "due")
        if self.done_at is not None:
            _aware(self.done_at, "done_at")


def initial_clocks(
    registered_at: datetime, severity: Severity, policy: ClockPolicy
) -> tuple[Clock, Clock]:
    """Return the verify and resolve clocks of a complaint registered at ``registered_at``.

    Both count from registration; their lengths depend on the severity (defaults: verify
    1 h general, 6 h major; resolve 24 h general, 48 h major).
    """
    _aware(registered_at, "registered_at")
    major = severity is Severity.MAJOR
    verify = policy.verify_major if major else policy.verify_general
    resolve = policy.resolve_major if major else policy.resolve_general
    return (
        Clock(ClockKind.VERIFY, registered_at, registered_at + verify),
        Clock(ClockKind.RESOLVE, registered_at, registered_at + resolve),
    )


def followup_clock(resolved_at: datetime, policy: ClockPolicy) -> Clock:
    """Return the follow-up call clock (回访), counting from the resolution (default 24 h)."""
    _aware(resolved_at, "resolved_at")
    return Clock(ClockKind.FOLLOWUP, resolved_at, resolved_at + policy.followup)


def second_followup_clock(at: datetime, policy: ClockPolicy) -> Clock:
    """Return the second follow-up clock, counting from the unsatisfied follow-up (12 h).

    ``at`` is when the customer said at the follow-up that they were not satisfied, which
    reopens the negotiation.
    """
    _aware(at, "at")
    return Clock(ClockKind.SECOND_FOLLOWUP, at, at + policy.second_followup)


def remaining(clock: Clock, now: datetime) -> timedelta:
    """Return the time left until the clock is due at ``now``: negative once it is past due.

    Meant for clocks still running; for a done clock it is the time that was left at ``now``
    all the same (use ``breached_at_completion`` to learn whether it was done late).
    """
    return clock.due - _aware(now, "now")


def clock_state(clock: Clock, now: datetime, policy: ClockPolicy) -> ClockState:
    """Return the clock's state at ``now``, for colour and symbol in the console.

    DONE once the step is done (late or not); BREACHED when ``now`` is past due; RED when
    the time left is at most ``red_fraction`` of the clock's whole length (exactly at due
    is still red, not breached), AMBER when at most ``amber_fraction``; OK otherwise.
    """
    return deadline_state(clock.start, clock.due, clock.done_at, now, policy)


def deadline_state(
    start: datetime, due: datetime, done_at: datetime | None, now: datetime, policy: ClockPolicy
) -> ClockState:
    """The state of any deadline from ``start`` to ``due`` (a complaint's clock, a work
    order's due time) at ``now``, by the same rule and fractions as ``clock_state``."""
    if done_at is not None:
        return ClockState.DONE
    left = due - _aware(now, "now")
    if left < timedelta(0):
        return ClockState.BREACHED
    length = due - start
    if left <= length * policy.red_fraction:
        return ClockState.RED
    if left <= length * policy.amber_fraction:
        return ClockState.AMBER
    return ClockState.OK


def format_remaining(delta: timedelta) -> str:
    """Return a remaining time as hours:minutes:seconds, "-" in front when past due.

    Hours are not wrapped at 24 ("41:02:55", "100:00:00") and fractions of a second are
    dropped toward zero, so a clock shows "00:00:00" rather than "-00:00:00" in the second
    around its due time: "05:40:02", "-01:03:10".
    """
    micro = delta // timedelta(microseconds=1)
    seconds = abs(micro) // 1_000_000
    hours, rest = divmod(seconds, 3600)
    sign = "-" if micro < 0 and seconds else ""
    return f"{sign}{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def breached_at_completion(clock: Clock) -> bool:
    """Return whether the step was done after its clock was due: a breach for reports.

    A clock still running is not (yet) breached at completion; ask ``clock_state`` for its
    live state.
    """
    return clock.done_at is not None and clock.done_at > clock.due
