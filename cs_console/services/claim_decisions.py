"""A claim's sum proposed, approved or refused, and its payout recorded; one transaction each.

The approval is the one mechanism compensation on complaints uses (domain/approvals.py,
services/resolutions.py): a sum above the proposer's limit, or above the payable amount the
policy computes (which also needs a reason), waits for someone else whose limit covers it.
Approvals and refusals are events with reasons, and audit entries. The payout, once
recorded, resolves the claim's complaint as an agreed resolution does (follow-up and all).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from cs_console.domain.approvals import above_ceiling, may_approve, needs_approval
from cs_console.domain.claims import (
    ClaimKind,
    ClaimStatus,
    EvidenceItem,
    EvidenceStatus,
    PayoutMethod,
    PayRule,
    missing_evidence,
    payable_amount,
    payout_due,
    required_evidence,
)
from cs_console.domain.enums import AuditAction, CompensationKind, ComplaintStatus
from cs_console.domain.permissions import Action
from cs_console.domain.text import clean_line
from cs_console.services.claims import (
    ClaimView,
    check_amount,
    check_status,
    claim_view,
    facts_of,
    load_claim,
    view_of,
)
from cs_console.services.context import (
    Actor,
    InvalidInput,
    NotFound,
    ServiceContext,
    ServiceError,
    require,
)
from cs_console.services.resolutions import agree, check_approver, check_reason, clear_proposal
from cs_console.storage import claims as queries
from cs_console.storage.audit import append_audit
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.events import append_event
from cs_console.storage.tables import Claim, ClaimEvidence, Complaint, max_chars


def _settled(session: Session, claim_id: int) -> dict[EvidenceItem, EvidenceStatus]:
    rows = session.exec(select(ClaimEvidence).where(col(ClaimEvidence.claim_id) == claim_id)).all()
    return {EvidenceItem(e.item): EvidenceStatus(e.status) for e in rows}


def _decided(console: ServiceContext, claim: Claim, decider: int, now: datetime) -> None:
    claim.status = ClaimStatus.APPROVED.value
    claim.decided_at, claim.decided_by = now, decider
    claim.payout_due = payout_due(now, console.policy.claims, console.policy.calendar, console.zone)


def propose_claim(
    console: ServiceContext,
    actor: Actor,
    claim_id: int,
    *,
    amount_fen: int | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> ClaimView:
    """Propose the sum to pay (by default the payable amount the policy computes), once
    every item of the checklist is received or waived. A sum above the payable amount needs
    a reason; above it or above the proposer's limit, it waits for someone whose limit covers
    it; else the claim is decided at once and its payout clock starts."""
    require(actor, Action.WORK_CLAIM)
    now = console.now()
    with write_session(console.engine) as session:
        claim = load_claim(session, actor, claim_id, expected_version)
        check_status(claim, ClaimStatus.OPEN)
        settled = _settled(session, claim_id)
        required = required_evidence(ClaimKind(claim.kind), claim.insured, console.policy.claims)
        if missing := missing_evidence(required, settled):
            raise ServiceError("claim_evidence_missing", items=", ".join(i.value for i in missing))
        payable = payable_amount(facts_of(claim), settled, console.policy.compensation)
        amount = payable.amount_fen if amount_fen is None else amount_fen
        check_amount(console, "amount", amount)
        above = above_ceiling(amount, payable.amount_fen)
        if above:
            check_reason(console, reason)
        waits = needs_approval(
            amount, payable.amount_fen, actor.role, console.policy.approval_limits
        )
        claim.proposed_fen, claim.proposed_by, claim.proposed_at = amount, actor.id, now
        claim.proposal_reason = reason.strip() if above else ""
        claim.version += 1
        if waits:
            claim.status = ClaimStatus.PENDING.value
        else:
            _decided(console, claim, actor.id, now)
        session.add(claim)
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="claim_proposed" if waits else "claim_decided",
            complaint_id=claim.complaint_id,
            claim=claim_id,
            amount_fen=amount,
            payable_fen=payable.amount_fen,
            rule=payable.rule.value,
            reason=claim.proposal_reason,
        )
    return claim_view(console, actor, claim_id)


def decide_claim(
    console: ServiceContext,
    actor: Actor,
    claim_id: int,
    *,
    approve: bool,
    reason: str,
    expected_version: int | None = None,
) -> ClaimView:
    """Approve (the claim is decided, its payout clock starts) or refuse (it goes back to
    its owner for another proposal) the sum waiting on a claim: someone other than its
    proposer whose limit covers it, with a reason either way."""
    require(actor, Action.APPROVE_COMPENSATION)
    check_reason(console, reason)
    reason = reason.strip()
    now = console.now()
    with write_session(console.engine) as session:
        claim = session.get(Claim, claim_id, with_for_update=True)
        if claim is None:
            raise NotFound("no_such_claim")
        if expected_version is not None and claim.version != expected_version:
            raise ServiceError("claim_changed", id=claim_id)
        if claim.status != ClaimStatus.PENDING.value:
            raise ServiceError("claim_nothing_to_approve", id=claim_id)
        check_approver(console, actor, claim.proposed_by, claim.proposed_fen)
        decision = "approved" if approve else "refused"
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="claim_approved" if approve else "claim_refused",
            complaint_id=claim.complaint_id,
            claim=claim_id,
            amount_fen=claim.proposed_fen,
            proposed_by=claim.proposed_by,
            reason=reason,
        )
        append_audit(
            session=session,
            at=now,
            actor_id=actor.id,
            action=AuditAction.APPROVAL,
            target=f"claim:{claim_id}",
            key=actor.data_key,
            decision=decision,
            amount_fen=claim.proposed_fen,
            proposed_by=claim.proposed_by,
        )
        claim.version += 1
        if approve:
            _decided(console, claim, actor.id, now)
        else:
            claim.status = ClaimStatus.OPEN.value
            claim.proposed_fen = claim.proposed_by = claim.proposed_at = None
            claim.proposal_reason = ""
        session.add(claim)
    return _as_decided(console, actor, claim_id)


def _as_decided(console: ServiceContext, actor: Actor, claim_id: int) -> ClaimView:
    """The claim as its decider left it, whether or not they see it from now on: a refused
    sum goes back to its owner, whose claims a specialist does not otherwise see."""
    with read_session(console.engine) as session:
        row = queries.claim_row(session=session, claim_id=claim_id)
    if row is None:
        raise NotFound("no_such_claim")
    return view_of(console, actor, row)


def approvals_waiting(console: ServiceContext, actor: Actor) -> list[ClaimView]:
    """Claims waiting for an approval the actor may give: not their own proposal, within
    their limit; soonest due first."""
    require(actor, Action.APPROVE_COMPENSATION)
    limits = console.policy.approval_limits
    with read_session(console.engine) as session:
        rows = queries.list_claims(session=session, owner_ids=None, pending_only=True)
    return [
        view_of(console, actor, row)
        for row in rows
        if may_approve(actor.id, actor.role, row.proposed_by, row.proposed_fen, limits) is None
    ]


def record_payout(
    console: ServiceContext,
    actor: Actor,
    claim_id: int,
    *,
    method: PayoutMethod,
    reference: str,
    paid_on: date,
    expected_version: int | None = None,
) -> ClaimView:
    """The decided sum paid (how, the payment's reference, the day): the claim is done, and
    its complaint is resolved with that sum as an agreed resolution (its follow-up follows)."""
    require(actor, Action.WORK_CLAIM)
    reference = clean_line(reference).strip()
    if not reference:
        raise InvalidInput({"reference": "required"})
    if len(reference) > max_chars(Claim, "payout_reference"):
        raise InvalidInput({"reference": "too_long"})
    now = console.now()
    if paid_on > now.astimezone(console.zone).date():
        raise InvalidInput({"date": "in_future"})
    with write_session(console.engine) as session:
        claim = load_claim(session, actor, claim_id, expected_version)
        check_status(claim, ClaimStatus.APPROVED)
        claim.status = ClaimStatus.PAID.value
        claim.paid_fen, claim.paid_at, claim.paid_by = claim.proposed_fen, now, actor.id
        claim.payout_method, claim.payout_reference = method.value, reference
        claim.payout_date = paid_on
        claim.version += 1
        session.add(claim)
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="claim_paid",
            complaint_id=claim.complaint_id,
            claim=claim_id,
            amount_fen=claim.paid_fen,
            method=method.value,
            reference=reference,
            paid_on=paid_on.isoformat(),
        )
        _resolve_complaint(session, console, claim, now)
    return claim_view(console, actor, claim_id)


def _resolve_complaint(
    session: Session, console: ServiceContext, claim: Claim, now: datetime
) -> None:
    """The claim's complaint, if still unresolved, resolved with the sum paid."""
    if claim.complaint_id is None:
        return
    complaint = session.get(Complaint, claim.complaint_id, with_for_update=True)
    if complaint is None or complaint.status in (
        ComplaintStatus.RESOLVED.value,
        ComplaintStatus.CLOSED.value,
    ):
        return
    settled = _settled(session, claim.id or 0)
    rule = payable_amount(facts_of(claim), settled, console.policy.compensation).rule
    kind = (
        CompensationKind.INSURED_AMOUNT
        if rule is PayRule.INSURED_AMOUNT
        else CompensationKind.DECLARED_VALUE
    )
    clear_proposal(complaint)
    complaint.version += 1
    append_event(
        session=session,
        at=now,
        actor_id=claim.paid_by,
        kind="resolution_accepted",
        complaint_id=complaint.id,
        compensation=kind.value,
        amount_fen=claim.paid_fen,
        claim=claim.id,
    )
    agree(session, console, complaint, kind, claim.paid_fen, now)
    session.add(complaint)
