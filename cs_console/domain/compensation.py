"""Compensation suggestions (赔偿建议): what the agent offers, per the policy.

The console suggests; the agent confirms and the customer must accept (a refusal starts a
negotiation recorded elsewhere). Amounts are in fen. Every figure comes from the policy's
``[compensation]`` table.
"""

from __future__ import annotations

from dataclasses import dataclass

from cs_console.domain.approvals import above_ceiling
from cs_console.domain.complaint_entry import ComplaintFacts
from cs_console.domain.enums import Category, CompensationKind
from cs_console.domain.policy import CompensationPolicy


@dataclass(frozen=True)
class Suggestion:
    """A suggested remedy; ``amount_fen`` is None when there is no sum (apology, repair).

    ``minimum_fen`` and ``maximum_fen`` are the bounds the policy puts on a negotiated sum:
    unrepairable damage is never paid less than the fee multiple, an uninsured loss never
    more than the cap.
    """

    kind: CompensationKind
    amount_fen: int | None
    minimum_fen: int | None = None
    maximum_fen: int | None = None


_APOLOGY = Suggestion(CompensationKind.APOLOGY, None)


def _delay_coupon(days_late: int, policy: CompensationPolicy) -> Suggestion:
    """The coupon of the row with the largest ``min_days`` not above the delay."""
    rows = [row for row in policy.delay_coupons if row.min_days <= days_late]
    if not rows:
        return _APOLOGY
    return Suggestion(CompensationKind.COUPON, max(rows, key=lambda row: row.min_days).amount_fen)


def _damage(facts: ComplaintFacts, policy: CompensationPolicy) -> Suggestion:
    if not facts.item_damaged:  # packaging only, the item intact: an apology
        return _APOLOGY
    if facts.repairable:
        return Suggestion(CompensationKind.REPAIR, None)
    minimum = policy.damage_min_fee_multiple * facts.shipping_fee_fen
    amount = max(facts.declared_value_fen, minimum)
    return Suggestion(CompensationKind.DECLARED_VALUE, amount, minimum_fen=minimum)


def _loss(facts: ComplaintFacts, policy: CompensationPolicy) -> Suggestion:
    if facts.insured:
        return Suggestion(CompensationKind.INSURED_AMOUNT, facts.insured_amount_fen)
    cap = policy.uninsured_loss_cap_fen
    amount = min(facts.declared_value_fen, cap)
    return Suggestion(CompensationKind.DECLARED_VALUE, amount, maximum_fen=cap)


def suggest_compensation(facts: ComplaintFacts, policy: CompensationPolicy) -> Suggestion:
    """Suggest the compensation the policy offers for a complaint's facts.

    Delay: a coupon from the row of ``delay_coupons`` with the largest ``min_days`` not
    above the days late (0 days late: an apology only). Damage: packaging only with the
    item intact, an apology; a repairable item, the repair (no sum); an unrepairable item,
    its declared value but never less than ``damage_min_fee_multiple`` times the shipping
    fee (that floor is ``minimum_fen``). Loss: insured, the insured amount; uninsured, the
    declared value capped at ``uninsured_loss_cap_fen`` (the cap is ``maximum_fen``).
    Attitude and other complaints: an apology and explanation.
    """
    if facts.category is Category.DELAY:
        return _delay_coupon(facts.days_late, policy)
    if facts.category is Category.DAMAGE:
        return _damage(facts, policy)
    if facts.category is Category.LOSS:
        return _loss(facts, policy)
    return _APOLOGY


def needs_approval(amount_fen: int | None, suggestion: Suggestion) -> bool:
    """Whether an offered sum is above what the policy suggests for the complaint.

    Such an offer needs a reason and the approval of someone else whose limit covers it
    (domain/approvals.py) before it counts as agreed.
    The ceiling is the suggestion's sum: the delay table's coupon, the uninsured loss
    capped at ``uninsured_loss_cap_fen`` (never above the declared value), the insured
    amount, the declared value of a damaged item (or its fee floor). A suggestion with no
    sum (an apology, a repair) has nothing to pay, so any sum offered is above it. No sum
    offered never needs approval.
    """
    return above_ceiling(amount_fen, suggestion.amount_fen)
