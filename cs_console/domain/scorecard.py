"""The monthly agent scorecard of docs/domain.md ("Measures"), weights and bands from the policy.

score = measured_weight x measured + rated_weight x rated - deductions, kept within 0-100
and rounded to one decimal (the band is read from the rounded score, so the number shown
and its band always agree).

- measured (0-100): response speed (the share of the agent's contacts answered in time),
  first-contact resolution (the share of their contacts left with nothing to follow up)
  and satisfaction (their follow-up scores' mean, 1 = 0 points, 5 = 100), weighted by the
  policy. A measure with nothing to count is left out and the others share its weight; with
  none at all there is no measured part.
- rated (0-100): the supervisor's attitude and rule-compliance ratings for the month.
- deductions: ``breach_deduction`` points for each complaint of the month caused by the
  agent's breach of the service standard (responsibility "agent", the agent named as the
  one responsible), ``late_escalation_deduction`` for each complaint of the month whose
  verify clock ran out while the agent owned it (late handling escalates a complaint).
- retraining: at least ``attitude_retraining_count`` attitude complaints of the month name
  the agent as the one responsible.

Without the supervisor's rating, or without anything measured, the card has no score yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cs_console.domain.measures import MeasureCounts
from cs_console.domain.policy import ScoringPolicy


class Band(StrEnum):
    EXCELLENT = "excellent"  # 优秀
    PASS = "pass"  # 合格
    FAIL = "fail"  # 不合格


@dataclass(frozen=True)
class Rating:
    """The supervisor's part: attitude and rule compliance, each 0-100."""

    attitude: int
    compliance: int


@dataclass(frozen=True)
class AgentMonth:
    """What the records say about one agent's month."""

    counts: MeasureCounts
    breach_complaints: int = 0  # caused by the agent's breach of the service standard
    late_complaints: int = 0  # verify clock ran out while the agent owned it
    attitude_complaints: int = 0  # attitude complaints naming the agent


@dataclass(frozen=True)
class Scorecard:
    measured: float | None  # 0-100
    rated: float | None  # 0-100
    deductions: int
    score: float | None  # 0-100, one decimal
    band: Band | None
    retraining: bool


def measured_score(counts: MeasureCounts, policy: ScoringPolicy) -> float | None:
    """The measured part (0-100): the weighted mean of the measures that counted anything."""
    parts: list[tuple[float, float]] = []
    if (speed := counts.answered.ratio) is not None:
        parts.append((policy.response_speed_weight, speed * 100))
    if (first := counts.first_contact.ratio) is not None:
        parts.append((policy.first_contact_weight, first * 100))
    if (mean := counts.satisfaction.ratio) is not None:
        parts.append((policy.satisfaction_weight, (mean - 1) / 4 * 100))
    weight = sum(w for w, _ in parts)
    if not parts or weight <= 0:
        return None
    return sum(w * value for w, value in parts) / weight


def rated_score(rating: Rating | None, policy: ScoringPolicy) -> float | None:
    """The supervisor's part (0-100), None before it is entered."""
    if rating is None:
        return None
    return policy.attitude_weight * rating.attitude + policy.compliance_weight * rating.compliance


def band_of(score: float, policy: ScoringPolicy) -> Band:
    """90 and above excellent, 60 and above pass, below fail (thresholds from the policy)."""
    if score >= policy.excellent_from:
        return Band.EXCELLENT
    if score >= policy.pass_from:
        return Band.PASS
    return Band.FAIL


def scorecard(month: AgentMonth, rating: Rating | None, policy: ScoringPolicy) -> Scorecard:
    """One agent's card for the month; see the module text for every rule."""
    measured = measured_score(month.counts, policy)
    rated = rated_score(rating, policy)
    deductions = (
        month.breach_complaints * policy.breach_deduction
        + month.late_complaints * policy.late_escalation_deduction
    )
    retraining = month.attitude_complaints >= policy.attitude_retraining_count
    if measured is None or rated is None:
        return Scorecard(measured, rated, deductions, None, None, retraining)
    raw = policy.measured_weight * measured + policy.rated_weight * rated - deductions
    score = round(min(max(raw, 0.0), 100.0), 1)
    return Scorecard(measured, rated, deductions, score, band_of(score, policy), retraining)


@dataclass(frozen=True)
class Handover:
    """A recorded hand-over of a complaint: when, from whom, to whom (user ids)."""

    at: datetime
    from_user: int
    to_user: int


def owner_at(current_owner: int, handovers: list[Handover], at: datetime) -> int:
    """Who owned a complaint at ``at``, from its hand-overs (oldest first) and its owner now.

    The last hand-over at or before ``at`` names the owner; before the first hand-over the
    owner was the one it was handed from; with no hand-over, the owner now.
    """
    before = [h for h in handovers if h.at <= at]
    if before:
        return before[-1].to_user
    if handovers:
        return handovers[0].from_user
    return current_owner
