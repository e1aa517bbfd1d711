"""Claims: the evidence each kind needs, the payable amount by the compensation rules (with
the rule that produced it), and the working-day clocks across 2026's holidays."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.policy_file import default_policy
from cs_console.domain.claims import (
    ClaimFacts,
    ClaimKind,
    EvidenceItem,
    EvidenceStatus,
    PayRule,
    decision_due,
    missing_evidence,
    payable_amount,
    payout_due,
    required_evidence,
)

POLICY = default_policy()
SHANGHAI = ZoneInfo("Asia/Shanghai")
P, PH, INS, ID = (
    EvidenceItem.PROOF_OF_VALUE,
    EvidenceItem.PHOTOS,
    EvidenceItem.INSURANCE_RECORD,
    EvidenceItem.IDENTITY,
)
R, W = EvidenceStatus.RECEIVED, EvidenceStatus.WAIVED


def facts(kind: ClaimKind, claimed: int = 200_000, **changes: object) -> ClaimFacts:
    values: dict = {
        "declared_value_fen": 80_000,
        "insured": False,
        "insured_amount_fen": 0,
        "shipping_fee_fen": 1_200,
    }
    values.update(changes)
    return ClaimFacts(kind, claimed, **values)


def pay(claim: ClaimFacts, *settled: EvidenceItem) -> tuple[int, PayRule]:
    found = payable_amount(claim, dict.fromkeys(settled, R), POLICY.compensation)
    return found.amount_fen, found.rule


def test_the_checklist_follows_the_kind_and_asks_the_insurance_record_only_if_insured() -> None:
    policy = POLICY.claims
    assert required_evidence(ClaimKind.LOSS, False, policy) == (P, ID)
    assert required_evidence(ClaimKind.LOSS, True, policy) == (P, INS, ID)
    assert required_evidence(ClaimKind.DAMAGE, False, policy) == (P, PH, ID)
    assert required_evidence(ClaimKind.PARTIAL_LOSS, True, policy) == (P, PH, INS, ID)
    assert missing_evidence((P, PH, ID), {P: R, ID: W}) == (PH,)


def test_an_uninsured_loss_pays_the_declared_value_with_proof_capped_at_500() -> None:
    assert pay(facts(ClaimKind.LOSS)) == (0, PayRule.NO_PROOF)
    assert pay(facts(ClaimKind.LOSS), P) == (50_000, PayRule.UNINSURED_CAP)
    assert pay(facts(ClaimKind.LOSS, declared_value_fen=30_000), P) == (
        30_000,
        PayRule.DECLARED_VALUE,
    )


def test_an_insured_loss_pays_the_insured_amount_with_its_record() -> None:
    insured = facts(ClaimKind.LOSS, insured=True, insured_amount_fen=150_000)
    assert pay(insured, P, INS) == (150_000, PayRule.INSURED_AMOUNT)
    # Without the record it is paid like an uninsured parcel.
    assert pay(insured, P) == (50_000, PayRule.UNINSURED_CAP)


def test_damage_pays_the_declared_value_never_less_than_three_times_the_fee() -> None:
    assert pay(facts(ClaimKind.DAMAGE), P) == (80_000, PayRule.DECLARED_VALUE)
    assert pay(facts(ClaimKind.DAMAGE)) == (3_600, PayRule.FEE_MINIMUM)
    cheap = facts(ClaimKind.DAMAGE, declared_value_fen=2_000)
    assert pay(cheap, P) == (3_600, PayRule.FEE_MINIMUM)


def test_a_partial_loss_pays_the_part_claimed_and_never_more_than_claimed() -> None:
    assert pay(facts(ClaimKind.PARTIAL_LOSS, claimed=20_000), P) == (20_000, PayRule.DECLARED_VALUE)
    assert pay(facts(ClaimKind.LOSS, claimed=10_000), P) == (10_000, PayRule.CLAIMED)
    assert pay(facts(ClaimKind.DAMAGE, claimed=1_000)) == (1_000, PayRule.CLAIMED)


def test_a_waived_item_counts_as_settled() -> None:
    found = payable_amount(facts(ClaimKind.LOSS), {P: W}, POLICY.compensation)
    assert found.rule is PayRule.UNINSURED_CAP


@given(
    kind=st.sampled_from(ClaimKind),
    claimed=st.integers(0, 10**8),
    declared=st.integers(0, 10**8),
    insured=st.booleans(),
    insured_amount=st.integers(0, 10**8),
    fee=st.integers(0, 10**6),
    settled=st.sets(st.sampled_from(EvidenceItem)),
)
def test_never_more_than_claimed_and_never_negative(
    kind: ClaimKind,
    claimed: int,
    declared: int,
    insured: bool,
    insured_amount: int,
    fee: int,
    settled: set[EvidenceItem],
) -> None:
    claim = ClaimFacts(kind, claimed, declared, insured, insured_amount, fee)
    found = payable_amount(claim, dict.fromkeys(settled, R), POLICY.compensation)
    assert 0 <= found.amount_fen <= claimed
    if not insured and kind is not ClaimKind.DAMAGE:
        assert found.amount_fen <= POLICY.compensation.uninsured_loss_cap_fen


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(UTC)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Friday before the Spring Festival: Saturday the 14th is worked (调休), the 15th to
        # the 23rd are off, so the 3rd working day is Wednesday the 25th.
        ("2026-02-13 10:00", "2026-02-25 10:00"),
        # Thursday before: Friday, the make-up Saturday, then after the break.
        ("2026-02-12 16:30", "2026-02-24 16:30"),
        # Before National Day: the make-up Sunday 09-20 is worked, 10-01 to 10-07 are off,
        # Saturday 10-10 is a make-up working day.
        ("2026-09-18 09:00", "2026-09-22 09:00"),
        ("2026-09-29 09:00", "2026-10-09 09:00"),
        ("2026-09-30 09:00", "2026-10-10 09:00"),
        # An ordinary week: Friday + 3 working days is Wednesday.
        ("2026-03-06 11:00", "2026-03-11 11:00"),
    ],
)
def test_the_decision_is_due_three_working_days_later(start: str, due: str) -> None:
    found = decision_due(local(start), POLICY.claims, POLICY.calendar, SHANGHAI)
    assert found == local(due)
    assert found.tzinfo is UTC


def test_the_payout_counts_from_the_decision_on_the_local_calendar() -> None:
    # 00:30 on Friday in Shanghai is still Thursday in UTC: the local date counts (from a
    # Thursday, the 3rd working day would be the 24th).
    decided = local("2026-02-13 00:30")
    assert payout_due(decided, POLICY.claims, POLICY.calendar, SHANGHAI) == local(
        "2026-02-25 00:30"
    )
