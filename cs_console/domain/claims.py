"""Claims (理赔): a lost or damaged parcel paid against evidence, within someone's authority.

A claim names its kind (loss, damage, partial loss), the amount claimed and whether the
parcel was insured. The policy's ``[claims.evidence]`` lists the evidence each kind needs
(the insurance record only for an insured parcel); each item is received (with a note of
what and where it is kept) or waived with a reason. The payable amount follows DOMAIN.md's
compensation rules from the evidence settled so far, with the rule that produced it. The
decision is due within the policy's working days of the evidence being requested, the
payout within its working days of the decision (domain/working_days.py). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from cs_console.domain.policy import CalendarPolicy, ClaimPolicy, CompensationPolicy
from cs_console.domain.working_days import add_working_days


class ClaimKind(StrEnum):
    LOSS = "loss"  # 丢失
    DAMAGE = "damage"  # 破损
    PARTIAL_LOSS = "partial_loss"  # 部分丢失 (内件短少)


class EvidenceItem(StrEnum):
    PROOF_OF_VALUE = "proof_of_value"  # invoice or order record
    PHOTOS = "photos"  # of the item and its packaging
    INSURANCE_RECORD = "insurance_record"  # 保价记录
    IDENTITY = "identity"  # the claimant's, for the payout


class EvidenceStatus(StrEnum):
    RECEIVED = "received"  # with a note of what and where it is kept
    WAIVED = "waived"  # with a reason


class ClaimStatus(StrEnum):
    """What is stored: collecting evidence, a proposal awaiting approval, decided, paid."""

    OPEN = "open"
    PENDING = "pending"
    APPROVED = "approved"
    PAID = "paid"


class PayoutMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    ALIPAY = "alipay"
    WECHAT = "wechat"
    CASH = "cash"


class PayRule(StrEnum):
    """The compensation rule that produced a payable amount."""

    INSURED_AMOUNT = "insured_amount"  # insured, with the insurance record
    DECLARED_VALUE = "declared_value"  # the declared value, with proof
    UNINSURED_CAP = "uninsured_cap"  # uninsured: the declared value, capped
    FEE_MINIMUM = "fee_minimum"  # damage: never less than a multiple of the fee
    CLAIMED = "claimed"  # never more than the claimant asked for
    NO_PROOF = "no_proof"  # nothing proves the value yet


@dataclass(frozen=True)
class ClaimFacts:
    """What a claim's payable amount is computed from (money in fen)."""

    kind: ClaimKind
    claimed_fen: int
    declared_value_fen: int
    insured: bool
    insured_amount_fen: int
    shipping_fee_fen: int


@dataclass(frozen=True)
class Payable:
    amount_fen: int
    rule: PayRule


def required_evidence(
    kind: ClaimKind, insured: bool, policy: ClaimPolicy
) -> tuple[EvidenceItem, ...]:
    """The evidence a claim of ``kind`` needs, in the policy's order: the insurance record
    only for an insured parcel."""
    listed = getattr(policy.evidence, kind.value)
    items = tuple(EvidenceItem(item) for item in listed)
    return tuple(i for i in items if insured or i is not EvidenceItem.INSURANCE_RECORD)


def missing_evidence(
    required: tuple[EvidenceItem, ...], settled: Mapping[EvidenceItem, EvidenceStatus]
) -> tuple[EvidenceItem, ...]:
    """The required items neither received nor waived yet."""
    return tuple(item for item in required if item not in settled)


def _value_paid(facts: ClaimFacts, proven: bool, policy: CompensationPolicy) -> Payable:
    """Loss or partial loss without an insurance record: the declared value with proof (for a
    partial loss, the part claimed), at most the uninsured cap; nothing without proof."""
    if not proven:
        return Payable(0, PayRule.NO_PROOF)
    value = facts.declared_value_fen
    if facts.kind is ClaimKind.PARTIAL_LOSS:
        value = min(value, facts.claimed_fen)
    cap = policy.uninsured_loss_cap_fen
    if value > cap:
        return Payable(cap, PayRule.UNINSURED_CAP)
    return Payable(value, PayRule.DECLARED_VALUE)


def payable_amount(
    facts: ClaimFacts,
    settled: Mapping[EvidenceItem, EvidenceStatus],
    policy: CompensationPolicy,
) -> Payable:
    """What the policy pays for a claim, given the evidence settled (received or waived),
    and the rule that produced it.

    Loss and partial loss: insured with the insurance record, the insured amount (for a
    partial loss, the part claimed up to it); else the declared value with proof of value,
    at most ``uninsured_loss_cap_fen``; nothing without proof. Damage: the declared value
    with proof, never less than ``damage_min_fee_multiple`` times the shipping fee (without
    proof, that minimum). Never more than the amount claimed.
    """
    proven = EvidenceItem.PROOF_OF_VALUE in settled
    insured = facts.insured and EvidenceItem.INSURANCE_RECORD in settled
    if facts.kind is ClaimKind.DAMAGE:
        minimum = policy.damage_min_fee_multiple * facts.shipping_fee_fen
        if proven and facts.declared_value_fen >= minimum:
            found = Payable(facts.declared_value_fen, PayRule.DECLARED_VALUE)
        else:
            found = Payable(minimum, PayRule.FEE_MINIMUM)
    elif insured:
        amount = facts.insured_amount_fen
        if facts.kind is ClaimKind.PARTIAL_LOSS:
            amount = min(amount, facts.claimed_fen)
        found = Payable(amount, PayRule.INSURED_AMOUNT)
    else:
        found = _value_paid(facts, proven, policy)
    if found.amount_fen > facts.claimed_fen:
        return Payable(facts.claimed_fen, PayRule.CLAIMED)
    return found


def working_days_later(
    start: datetime, days: int, calendar: CalendarPolicy, zone: ZoneInfo
) -> datetime:
    """``days`` working days after ``start``, at the same local time in ``zone`` (the
    company's): the days are counted on the local calendar, the result is in UTC like
    ``start``."""
    local = start.astimezone(zone)
    later = add_working_days(local.replace(tzinfo=None), days, calendar).replace(tzinfo=zone)
    return later.astimezone(start.tzinfo)


def decision_due(
    requested_at: datetime, policy: ClaimPolicy, calendar: CalendarPolicy, zone: ZoneInfo
) -> datetime:
    """When the decision on a claim whose evidence was requested at ``requested_at`` is due."""
    return working_days_later(requested_at, policy.decision_working_days, calendar, zone)


def payout_due(
    decided_at: datetime, policy: ClaimPolicy, calendar: CalendarPolicy, zone: ZoneInfo
) -> datetime:
    """When the payout of a claim decided at ``decided_at`` is due."""
    return working_days_later(decided_at, policy.payout_working_days, calendar, zone)
