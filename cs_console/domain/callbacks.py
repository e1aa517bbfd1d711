"""Retrying unreached callbacks (回拨/回访): when to try again, and when to give up.

A callback that is not reached (no answer, wrong number) is due again ``retry_after``
later, until ``max_attempts`` unreached attempts have been made; then it is given up and
shows in the supervisor's overview. The due time is derived from the time of the attempt,
never from a counter ticking in the UI.
"""

from __future__ import annotations

from datetime import datetime

from cs_console.domain.enums import CallbackKind
from cs_console.domain.policy import CallbackPolicy

FOLLOWUP_KINDS = (CallbackKind.FOLLOWUP.value, CallbackKind.SECOND_FOLLOWUP.value)
"""The kinds that follow up a resolved complaint: reached, they need the satisfaction score."""


def next_attempt_due(now: datetime, attempts_made: int, policy: CallbackPolicy) -> datetime | None:
    """Return when an unreached callback is due again, or None when it is to be given up.

    Called right after recording an unreached attempt at ``now``, with ``attempts_made``
    the number of unreached attempts so far, that one included. While fewer than
    ``policy.max_attempts`` have been made the callback is due ``policy.retry_after`` after
    ``now``; once ``max_attempts`` is reached it is given up (None). ``now`` must be
    timezone-aware and ``attempts_made`` not negative, else ValueError.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if attempts_made < 0:
        raise ValueError(f"attempts_made must not be negative, got {attempts_made}")
    if attempts_made >= policy.max_attempts:
        return None
    return now + policy.retry_after


def retry_not_due(attempts_made: int, due_at: datetime, now: datetime) -> bool:
    """Whether an unreached attempt now would come before the retry an earlier one set.

    A pending callback with attempts made was not reached yet (a reached one is done), and
    its due time is the retry they set: calling again before it and finding no answer again
    says nothing new, so it is not recorded (it would use up the attempts in minutes).
    """
    return attempts_made > 0 and now < due_at
