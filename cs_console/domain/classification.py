"""Severity of a complaint (一般投诉 / 重大投诉), classified from its facts and the policy.

The form shows the classification live while the agent types, with the reasons that made
it major, so the agent can explain it or override it (with a reason, recorded elsewhere).
Every threshold comes from the policy's ``[severity]`` table; nothing is hard-coded here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cs_console.domain.complaint_entry import ComplaintFacts
from cs_console.domain.enums import Category, Severity
from cs_console.domain.policy import SeverityPolicy


class SeverityReason(StrEnum):
    DELAY_DAYS = "delay_days"  # late by major_delay_days or more
    LOSS = "loss"  # the parcel is lost
    DAMAGE_VALUE = "damage_value"  # the item itself is damaged and worth the threshold or more
    REPEAT = "repeat"  # an earlier complaint by the same phone or tracking no is unresolved
    GENERAL = "general"  # none of the above


@dataclass(frozen=True)
class Classification:
    """A severity and the reasons for it (``(GENERAL,)`` when nothing made it major)."""

    severity: Severity
    reasons: tuple[SeverityReason, ...]


def classify(facts: ComplaintFacts, policy: SeverityPolicy) -> Classification:
    """Classify a complaint as major or general, naming every reason that makes it major.

    Major when any of these holds (docs/domain.md): a delay of ``major_delay_days`` or more; a
    loss, if ``loss_is_major``; damage to the item itself (not only its packaging) whose
    declared value is ``major_damage_value_fen`` or more (以上 includes the figure, so
    exactly 500 yuan is major); or an earlier unresolved complaint by the same phone or
    tracking number (``facts.repeat_of``), if ``repeat_unresolved_is_major``. The reasons
    are listed in that order; a general complaint has the single reason ``GENERAL``.
    """
    reasons: list[SeverityReason] = []
    if facts.category is Category.DELAY and facts.days_late >= policy.major_delay_days:
        reasons.append(SeverityReason.DELAY_DAYS)
    if facts.category is Category.LOSS and policy.loss_is_major:
        reasons.append(SeverityReason.LOSS)
    if (
        facts.category is Category.DAMAGE
        and facts.item_damaged
        and facts.declared_value_fen >= policy.major_damage_value_fen
    ):
        reasons.append(SeverityReason.DAMAGE_VALUE)
    if facts.repeat_of and policy.repeat_unresolved_is_major:
        reasons.append(SeverityReason.REPEAT)
    if not reasons:
        return Classification(Severity.GENERAL, (SeverityReason.GENERAL,))
    return Classification(Severity.MAJOR, tuple(reasons))
