"""Agreeing a resolution, and the approval of one above the policy's suggestion.

A resolution the customer accepted that pays more than the policy suggests
(domain.compensation.needs_approval) is held on the complaint (``approval_status``
pending, with its reason and who proposed it) and counts as agreed only once someone other
than the proposer whose approval limit covers the sum approves it (domain/approvals.py, the
same check a claim's payout passes: ``check_approver``): only then is the complaint
resolved, the resolve clock met and the follow-up scheduled. The decision is an event and
an audit entry.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from cs_console.domain.approvals import approval_limit, may_approve
from cs_console.domain.clocks import followup_clock
from cs_console.domain.compensation import Suggestion, suggest_compensation
from cs_console.domain.complaint_entry import ComplaintFacts
from cs_console.domain.enums import (
    Approval,
    AuditAction,
    CallbackKind,
    Category,
    CompensationKind,
    ComplaintStatus,
)
from cs_console.domain.permissions import Action
from cs_console.domain.policy import CompensationPolicy
from cs_console.i18n import money
from cs_console.services.callbacks import followup_callback
from cs_console.services.complaint_lock import ComplaintChanged
from cs_console.services.context import (
    Actor,
    NotFound,
    PermissionDenied,
    ServiceContext,
    ServiceError,
    require,
)
from cs_console.services.owners import typed_note
from cs_console.services.recorded_reasons import checked_reason
from cs_console.storage.audit import append_audit
from cs_console.storage.engine import write_session
from cs_console.storage.events import append_event
from cs_console.storage.tables import Complaint, max_chars


class ResolutionOutcome(StrEnum):
    """What a recorded round came to; ``event`` is the kind of its history entry."""

    RESOLVED = "resolved"
    NEGOTIATED = "negotiated"
    AWAITING_APPROVAL = "awaiting_approval"

    @property
    def event(self) -> str:
        return {
            ResolutionOutcome.RESOLVED: "resolution_accepted",
            ResolutionOutcome.NEGOTIATED: "negotiation_round",
            ResolutionOutcome.AWAITING_APPROVAL: "resolution_proposed",
        }[self]


def suggestion_for(complaint: Complaint, policy: CompensationPolicy) -> Suggestion:
    """What the policy suggests for the complaint's facts as stored."""
    facts = ComplaintFacts(
        Category(complaint.category),
        complaint.days_late,
        complaint.declared_value_fen,
        complaint.insured,
        complaint.insured_amount_fen,
        complaint.shipping_fee_fen,
        complaint.item_damaged,
        complaint.repairable,
    )
    return suggest_compensation(facts, policy)


def check_reason(console: ServiceContext, reason: str) -> None:
    """Refuse a reason for paying above the policy that is not a few real words."""
    checked_reason(console, reason, limit=max_chars(Complaint, "approval_reason"))


def clear_proposal(complaint: Complaint) -> None:
    """No proposal waits any more (a newer round replaces it)."""
    complaint.approval_status = Approval.NONE.value
    complaint.approval_reason, complaint.proposed_kind = "", ""
    complaint.proposed_fen = complaint.proposed_by = None


def hold_for_approval(
    complaint: Complaint,
    kind: CompensationKind,
    amount_fen: int | None,
    reason: str,
    proposed_by: int | None,
) -> None:
    """Keep an accepted resolution above the policy until a supervisor decides."""
    complaint.approval_status = Approval.PENDING.value
    complaint.approval_reason, complaint.proposed_kind = reason, kind.value
    complaint.proposed_fen, complaint.proposed_by = amount_fen, proposed_by


def agree(
    session: Session,
    console: ServiceContext,
    complaint: Complaint,
    kind: CompensationKind,
    amount_fen: int | None,
    now: datetime,
) -> None:
    """The resolution counts as agreed: resolved, the remedy kept, the follow-up scheduled
    (once: a later round after a reopening keeps the first resolution time)."""
    if complaint.verified_at is None:
        complaint.verified_at = now
    complaint.status = ComplaintStatus.RESOLVED.value
    complaint.compensation_kind, complaint.compensation_fen = kind.value, amount_fen
    first_resolution = complaint.resolved_at is None
    complaint.resolved_at = complaint.resolved_at or now
    if first_resolution:
        clock = followup_clock(now, console.policy.clocks)
        complaint.followup_due = clock.due
        session.add(followup_callback(complaint, CallbackKind.FOLLOWUP, clock.due, now))


def check_approver(console: ServiceContext, actor: Actor, proposer: int | None,
                   amount_fen: int | None) -> None:  # fmt: skip
    """Refuse an approval by the proposer, or by someone whose limit does not cover it."""
    limits = console.policy.approval_limits
    problem = may_approve(actor.id, actor.role, proposer, amount_fen, limits)
    if problem == "over_limit":
        raise PermissionDenied(
            "over_limit",
            amount=money(amount_fen or 0),
            limit=money(approval_limit(actor.role, limits)),
        )
    if problem is not None:
        raise PermissionDenied(problem)


def decide_compensation(
    console: ServiceContext,
    actor: Actor,
    complaint_id: int,
    *,
    approve: bool,
    note: str = "",
    expected_version: int | None = None,
) -> None:
    """Someone whose approval limit covers the sum approves (the resolution is agreed) or
    rejects (negotiation goes on) the resolution waiting on ``complaint_id``; never their
    own proposal. The approver need not own the complaint."""
    require(actor, Action.APPROVE_COMPENSATION)
    note = typed_note(console, "note", note)
    now = console.now()
    with write_session(console.engine) as session:
        complaint = session.get(Complaint, complaint_id, with_for_update=True)
        if complaint is None:
            raise NotFound("no_such_complaint")
        if expected_version is not None and complaint.version != expected_version:
            raise ComplaintChanged("complaint_changed", reference=complaint.reference)
        if complaint.approval_status != Approval.PENDING.value:
            raise ServiceError("nothing_to_approve")
        check_approver(console, actor, complaint.proposed_by, complaint.proposed_fen)
        kind, amount = CompensationKind(complaint.proposed_kind), complaint.proposed_fen
        decision = Approval.APPROVED if approve else Approval.REJECTED
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            complaint_id=complaint_id,
            kind=f"compensation_{decision.value}",
            compensation=kind.value,
            amount_fen=amount,
            proposed_by=complaint.proposed_by,
            note=note,
        )
        # The audit trail outlives the purge: facts only, never the typed reason or note.
        append_audit(
            session=session,
            at=now,
            actor_id=actor.id,
            action=AuditAction.APPROVAL,
            target=f"complaint:{complaint.reference}",
            key=actor.data_key,
            decision=decision.value,
            compensation=kind.value,
            amount_fen=amount,
            proposed_by=complaint.proposed_by,
        )
        complaint.approval_status = decision.value
        complaint.version += 1
        if approve:
            agree(session, console, complaint, kind, amount, now)
        session.add(complaint)
