"""What the agent reads out about a parcel: where it is now, since when, and whether it is
late against the promised delivery time.

The promise is the policy's ``[tracking] promised_days`` counted from the first event (the
pick-up). A parcel is late by the calendar days (in the console's zone) from the promised
day to the day it was signed (or today, while it is not signed), at least 1 once the
promised moment has passed: promised 11-18 09:00, signed 11-18 20:00 is 1 day late, signed
11-21 08:00 is 3.
Pure: the words are the UI's (i18n keys with these values as placeholders).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum

from cs_console.domain.tracking import Tracking, TrackingState

# The events' words that say the parcel left the place it names (else it arrived there).
_DEPARTED = ("已发出", "发往", "离开")


class Lateness(StrEnum):
    ON_TIME = "on_time"  # not signed, promise still ahead
    LATE = "late"  # not signed, promise passed
    SIGNED_ON_TIME = "signed_on_time"
    SIGNED_LATE = "signed_late"


class Move(StrEnum):
    """What the newest event says happened at its place."""

    ARRIVED = "arrived"
    DEPARTED = "departed"


@dataclass(frozen=True)
class ParcelStatus:
    """One tracking, read for the call: the state, the newest event, the promise."""

    state: TrackingState
    place: str  # the newest event's place ("" when it names none)
    at: datetime  # the newest event's time
    move: Move
    promised: datetime  # first event + the promise
    lateness: Lateness
    days_late: int  # 0 when on time
    signed_at: datetime | None


def signed_at(tracking: Tracking) -> datetime | None:
    """When the parcel was signed for (its newest event), if its state says so."""
    if tracking.state is TrackingState.SIGNED and tracking.events:
        return tracking.events[0].at
    return None


def late_days(promised: datetime, until: datetime, zone: tzinfo) -> int:
    """Days late at ``until``: calendar days in ``zone`` after the promised day, at least 1
    once ``promised`` has passed; 0 if ``until`` is not after it."""
    if until <= promised:
        return 0
    return max(1, days_from_today(until, promised, zone))


def read_status(
    tracking: Tracking, promise: timedelta, now: datetime, zone: tzinfo
) -> ParcelStatus | None:
    """The parcel's status for the call at ``now``; None without events (another carrier's
    number)."""
    if not tracking.events:
        return None
    newest, first = tracking.events[0], tracking.events[-1]
    promised = first.at + promise
    signed = signed_at(tracking)
    days = late_days(promised, signed or now, zone)
    if signed is not None:
        lateness = Lateness.SIGNED_LATE if days else Lateness.SIGNED_ON_TIME
    else:
        lateness = Lateness.LATE if days else Lateness.ON_TIME
    move = Move.DEPARTED if any(word in newest.text for word in _DEPARTED) else Move.ARRIVED
    place = newest.place or (tracking.hubs[-1] if tracking.hubs else "")
    return ParcelStatus(
        state=tracking.state,
        place=place,
        at=newest.at,
        move=move,
        promised=promised,
        lateness=lateness,
        days_late=days,
        signed_at=signed,
    )


def days_from_today(moment: datetime, now: datetime, zone: tzinfo) -> int:
    """Calendar days from today to ``moment`` in ``zone`` (0 today, 1 tomorrow, -1 …)."""
    return (moment.astimezone(zone).date() - now.astimezone(zone).date()).days
