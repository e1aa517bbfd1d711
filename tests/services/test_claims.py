"""Claims on both engines: opened from a loss complaint, evidence, the payable amount, the
approval limits (shared with compensation on complaints), the payout and the clocks."""

from __future__ import annotations

from datetime import date

import pytest

from cs_console.domain.claims import (
    ClaimKind,
    ClaimStatus,
    EvidenceItem,
    EvidenceStatus,
    PayoutMethod,
    PayRule,
)
from cs_console.domain.enums import CompensationKind, ComplaintStatus, Role
from cs_console.services.claim_decisions import (
    approvals_waiting,
    decide_claim,
    propose_claim,
    record_payout,
)
from cs_console.services.claims import claim_view, list_claims, open_claim, record_evidence
from cs_console.services.complaint_progress import record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import (
    Actor,
    InvalidInput,
    PermissionDenied,
    ServiceContext,
    ServiceError,
)
from cs_console.services.resolutions import decide_compensation
from cs_console.services.worklists import complaint_view
from cs_console.storage.tables import AuditEntry, Event
from tests.conftest import FakeClock, add_person
from tests.services.claim_cases import KEPT, claim_with_evidence, insured_loss
from tests.services.helpers import delay_form, rows

OK_REASON = "保价记录与发票一致"


@pytest.fixture
def staff(console: ServiceContext) -> dict[str, Actor]:
    return {
        "agent": add_person(console, "wangfang", agent_no="1024", team="一组"),
        "mate": add_person(console, "lina", agent_no="1025", team="一组"),
        "specialist": add_person(console, "zhoumin", Role.SPECIALIST, agent_no="6001"),
        "boss": add_person(console, "chenjun", Role.SUPERVISOR, agent_no="9001"),
    }


def test_a_claim_takes_the_complaints_facts_and_asks_the_evidence_of_its_kind(
    console: ServiceContext, staff: dict[str, Actor]
) -> None:
    agent = staff["agent"]
    claim = open_claim(console, agent, insured_loss(console, agent), ClaimKind.LOSS, 250_000)
    assert claim.status is ClaimStatus.OPEN
    assert claim.required == (
        EvidenceItem.PROOF_OF_VALUE,
        EvidenceItem.INSURANCE_RECORD,
        EvidenceItem.IDENTITY,
    )
    assert claim.payable.rule is PayRule.NO_PROOF and claim.payable.amount_fen == 0
    claim = record_evidence(
        console, agent, claim.id, EvidenceItem.PROOF_OF_VALUE, EvidenceStatus.RECEIVED, KEPT
    )
    assert claim.payable.rule is PayRule.UNINSURED_CAP  # no insurance record yet: capped
    claim = record_evidence(
        console, agent, claim.id, EvidenceItem.INSURANCE_RECORD, EvidenceStatus.WAIVED,
        "系统中保价记录可查",
    )  # fmt: skip
    assert claim.payable.amount_fen == 200_000 and claim.payable.rule is PayRule.INSURED_AMOUNT
    assert claim.missing == (EvidenceItem.IDENTITY,)
    with pytest.raises(ServiceError) as refused:
        propose_claim(console, agent, claim.id)
    assert refused.value.code == "claim_evidence_missing"
    with pytest.raises(InvalidInput) as vague:
        record_evidence(console, agent, claim.id, EvidenceItem.IDENTITY, EvidenceStatus.WAIVED, "x")
    assert vague.value.fields == {"note": "reason_too_vague"}
    with pytest.raises(ServiceError) as again:
        open_claim(console, agent, claim.complaint_reference, ClaimKind.LOSS, 1)
    assert again.value.code == "claim_exists"


def test_only_loss_and_damage_complaints_open_claims(
    console: ServiceContext, staff: dict[str, Actor]
) -> None:
    reference = register_complaint(console, staff["agent"], delay_form(3)).reference
    with pytest.raises(ServiceError) as refused:
        open_claim(console, staff["agent"], reference, ClaimKind.LOSS, 10_000)
    assert refused.value.code == "claim_needs_loss_or_damage"


def test_a_sum_above_the_specialists_limit_waits_for_a_supervisor(
    console: ServiceContext, staff: dict[str, Actor], clock: FakeClock
) -> None:
    agent, specialist, boss = staff["agent"], staff["specialist"], staff["boss"]
    claim = claim_with_evidence(console, agent)  # payable: the insured ¥2,000
    proposed = propose_claim(console, agent, claim.id)
    assert proposed.status is ClaimStatus.PENDING and proposed.proposed_fen == 200_000
    assert proposed.waiting_for is Role.SUPERVISOR
    # The agent may not approve (their own, and above 100); the specialist not above 1,000.
    for who, code in ((agent, "own_proposal"), (staff["mate"], "over_limit"),
                      (specialist, "over_limit")):  # fmt: skip
        with pytest.raises(PermissionDenied) as refused:
            decide_claim(console, who, claim.id, approve=True, reason=OK_REASON)
        assert refused.value.code == code
    assert approvals_waiting(console, specialist) == []
    assert [c.id for c in approvals_waiting(console, boss)] == [claim.id]
    with pytest.raises(InvalidInput):  # an approval is an event with a reason
        decide_claim(console, boss, claim.id, approve=True, reason="")
    decided = decide_claim(console, boss, claim.id, approve=True, reason=OK_REASON)
    assert decided.status is ClaimStatus.APPROVED and decided.approver == "chenjun"
    assert decided.payout_due is not None and decided.decided_at == clock.now
    kinds = [e.kind for e in rows(console, Event, Event.complaint_id == claim.complaint_id)]
    assert kinds[-2:] == ["claim_proposed", "claim_approved"]
    audit = rows(console, AuditEntry, AuditEntry.target == f"claim:{claim.id}")
    assert [a.action for a in audit] == ["approval"]

    paid = record_payout(console, agent, claim.id, method=PayoutMethod.ALIPAY,
                         reference="2026120722001", paid_on=clock.now.date())  # fmt: skip
    assert paid.status is ClaimStatus.PAID and paid.paid_fen == 200_000
    complaint = complaint_view(console, agent, claim.complaint_id or 0)
    assert complaint.status == ComplaintStatus.RESOLVED.value
    assert complaint.compensation_kind == CompensationKind.INSURED_AMOUNT.value
    assert complaint.compensation_fen == 200_000


def test_within_the_proposers_limit_and_the_payable_it_is_decided_at_once(
    console: ServiceContext, staff: dict[str, Actor]
) -> None:
    claim = claim_with_evidence(console, staff["specialist"], claimed_fen=80_000, insured="800")
    decided = propose_claim(console, staff["specialist"], claim.id)
    assert decided.status is ClaimStatus.APPROVED and decided.proposed_fen == 80_000


def test_a_refusal_sends_the_claim_back_and_above_the_payable_needs_a_reason(
    console: ServiceContext, staff: dict[str, Actor]
) -> None:
    agent, boss = staff["agent"], staff["boss"]
    claim = claim_with_evidence(console, agent, claimed_fen=300_000)
    with pytest.raises(InvalidInput) as refused:
        propose_claim(console, agent, claim.id, amount_fen=250_000)
    assert refused.value.fields == {"reason": "required"}
    propose_claim(console, agent, claim.id, amount_fen=250_000, reason="另有包装与运费损失")
    back = decide_claim(console, boss, claim.id, approve=False, reason="超出保价金额不予支持")
    assert back.status is ClaimStatus.OPEN and back.proposed_fen is None
    with pytest.raises(ServiceError) as not_decided:
        record_payout(console, agent, claim.id, method=PayoutMethod.CASH, reference="R1",
                      paid_on=date(2026, 1, 1))  # fmt: skip
    assert not_decided.value.code == "claim_open"


def test_a_specialist_who_refuses_a_sum_is_answered_though_the_claim_leaves_their_sight(
    console: ServiceContext, staff: dict[str, Actor]
) -> None:
    """Refused, the claim goes back to its owner, whose claims a specialist does not see:
    the refusal (written) was answered with "not yours" (the screen and the CLI said so)."""
    agent, specialist = staff["agent"], staff["specialist"]
    claim = claim_with_evidence(console, agent, claimed_fen=60_000, insured="500")
    propose_claim(console, agent, claim.id, amount_fen=60_000, reason="另有包装与运费损失")
    back = decide_claim(console, specialist, claim.id, approve=False, reason="金额超出应赔")
    assert back.status is ClaimStatus.OPEN and back.proposed_fen is None
    with pytest.raises(PermissionDenied):
        claim_view(console, specialist, claim.id)  # theirs to see no more


def test_people_see_claims_as_they_see_complaints(
    console: ServiceContext, staff: dict[str, Actor]
) -> None:
    claim = claim_with_evidence(console, staff["agent"])
    assert [c.id for c in list_claims(console, staff["mate"])] == [claim.id]  # same team
    assert list_claims(console, staff["specialist"]) == []
    assert [c.id for c in list_claims(console, staff["boss"])] == [claim.id]
    with pytest.raises(PermissionDenied):
        claim_view(console, staff["specialist"], claim.id)
    with pytest.raises(PermissionDenied):  # seeing is not working it
        record_evidence(console, staff["mate"], claim.id, EvidenceItem.IDENTITY,
                        EvidenceStatus.RECEIVED, KEPT)  # fmt: skip
    assert claim.claimant.startswith("张")  # masked name


def test_compensation_on_a_complaint_follows_the_same_limits(
    console: ServiceContext, staff: dict[str, Actor]
) -> None:
    agent, specialist = staff["agent"], staff["specialist"]
    small = register_complaint(console, agent, delay_form(3)).id
    record_resolution(console, agent, small, kind=CompensationKind.COUPON, amount_fen=5_000,
                      accepted=True, reason="客户多次延误加赔")  # fmt: skip
    decide_compensation(console, specialist, small, approve=True)  # ¥50: within 1,000
    big = register_complaint(console, staff["mate"], delay_form(4)).id
    record_resolution(console, staff["mate"], big, kind=CompensationKind.COUPON,
                      amount_fen=999_900, accepted=True, reason="客户多次延误加赔")  # fmt: skip
    with pytest.raises(PermissionDenied) as refused:
        decide_compensation(console, specialist, big, approve=True)
    assert refused.value.code == "over_limit"
    decide_compensation(console, staff["boss"], big, approve=True)
