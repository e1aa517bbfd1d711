"""The service measures of docs/domain.md ("Measures") against the policy's targets.

Storage counts; this module turns the counts into rates and says whether each meets its
target. What each measure counts, over a period (a day for the overview, a month for the
report):

- answered in time: phone and online contacts started in the period and answered (or
  given up) since; in time when answered within the rings (phone) or seconds (online) of
  the policy. A contact still ringing is not counted yet; walk-ins never.
- first-contact resolution: contacts started in the period and ended; resolved at first
  contact when they left nothing to follow up: no callback promised from them and no
  complaint registered during them that was not resolved before the contact ended.
- satisfaction: the mean score (1-5) of the follow-up calls reached in the period.
- responded within 24 h / closed within 48 h: complaints registered in the period whose
  outcome is known (verified / closed, or the hours have passed); in time when verified
  (the first response: the facts checked) / closed within those hours of registration.

A measure with nothing to count has no value and is neither met nor missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cs_console.domain.policy import Targets


class MeasureKind(StrEnum):
    ANSWERED_IN_TIME = "answered_in_time"
    FIRST_CONTACT_RESOLUTION = "first_contact_resolution"
    SATISFACTION = "satisfaction"
    RESPONDED_IN_TIME = "responded_in_time"
    CLOSED_IN_TIME = "closed_in_time"


@dataclass(frozen=True)
class Tally:
    """How many of ``total`` met the condition (``hits``); a mean's sum is ``hits``."""

    hits: float = 0
    total: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.hits + other.hits, self.total + other.total)

    @property
    def ratio(self) -> float | None:
        """``hits / total``; None when nothing was counted."""
        return self.hits / self.total if self.total else None


@dataclass(frozen=True)
class MeasureCounts:
    """The raw counts behind the five measures, for one period (and one agent or all)."""

    answered: Tally = Tally()
    first_contact: Tally = Tally()
    satisfaction: Tally = Tally()  # hits: the sum of the scores
    responded: Tally = Tally()
    closed: Tally = Tally()


@dataclass(frozen=True)
class Measure:
    """One measure: its value (a share 0-1, or a mean score), its target, whether met."""

    kind: MeasureKind
    value: float | None
    target: float
    counted: int  # how many contacts, scores or complaints it is computed from

    @property
    def met(self) -> bool | None:
        """Whether the value reaches the target (≥); None with nothing counted."""
        if self.value is None:
            return None
        return self.value >= self.target - 1e-12

    @property
    def is_share(self) -> bool:
        return self.kind is not MeasureKind.SATISFACTION


def measures(counts: MeasureCounts, targets: Targets) -> tuple[Measure, ...]:
    """The five measures of docs/domain.md, in its order, against ``targets``."""
    return (
        Measure(
            MeasureKind.ANSWERED_IN_TIME,
            counts.answered.ratio,
            targets.answered_in_time,
            counts.answered.total,
        ),
        Measure(
            MeasureKind.FIRST_CONTACT_RESOLUTION,
            counts.first_contact.ratio,
            targets.first_contact_resolution,
            counts.first_contact.total,
        ),
        Measure(
            MeasureKind.SATISFACTION,
            counts.satisfaction.ratio,
            targets.satisfaction,
            counts.satisfaction.total,
        ),
        Measure(
            MeasureKind.RESPONDED_IN_TIME,
            counts.responded.ratio,
            targets.responded_in_time,
            counts.responded.total,
        ),
        Measure(
            MeasureKind.CLOSED_IN_TIME,
            counts.closed.ratio,
            targets.closed_in_time,
            counts.closed.total,
        ),
    )


MET_SYMBOL, MISSED_SYMBOL, NO_DATA_SYMBOL = "✓", "▲", "-"


def measure_symbol(measure: Measure) -> str:
    """✓ met, ▲ below target, - nothing counted: read without colour."""
    met = measure.met
    if met is None:
        return NO_DATA_SYMBOL
    return MET_SYMBOL if met else MISSED_SYMBOL


def format_measure(value: float | None, is_share: bool) -> str:
    """A share as "96.1 %", a mean score as "4.62", nothing counted as "-"."""
    if value is None:
        return "-"
    return f"{value * 100:.1f} %" if is_share else f"{value:.2f}"


def format_target(target: float, is_share: bool) -> str:
    """A target as the policy states it: "≥95 %", "≥4.5"."""
    return f"≥{target * 100:g} %" if is_share else f"≥{target:g}"
