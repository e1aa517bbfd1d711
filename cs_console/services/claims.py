"""Claims (理赔): opened from a loss or damage complaint, their evidence recorded, listed
and shown; one transaction each. Proposals, approvals and payouts: services/claim_decisions.py.

A claim belongs to whoever opened it (the complaint's owner, or a supervisor); people see
claims as they see complaints: an agent their own and their team's, a specialist their own,
a supervisor all. The decision clock starts when the evidence is requested (the claim is
opened), in working days (domain/claims.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from cs_console.domain.approvals import lowest_approver
from cs_console.domain.claims import (
    ClaimFacts,
    ClaimKind,
    ClaimStatus,
    EvidenceItem,
    EvidenceStatus,
    Payable,
    decision_due,
    missing_evidence,
    payable_amount,
    required_evidence,
)
from cs_console.domain.clocks import Clock
from cs_console.domain.enums import Category, ClockKind, Role
from cs_console.domain.masking import mask_name
from cs_console.domain.permissions import VIEW_SCOPE, Action, Scope, may_work
from cs_console.domain.reasons import reason_problem
from cs_console.domain.validation import normalize_reference
from cs_console.services.complaint_lock import load_for_update
from cs_console.services.context import (
    Actor,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceContext,
    ServiceError,
    data_key_of,
    require,
)
from cs_console.services.owners import typed_note
from cs_console.storage import claims as queries
from cs_console.storage.claims import ClaimRow
from cs_console.storage.customers import open_name
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.events import append_event
from cs_console.storage.tables import Claim, ClaimEvidence, max_chars
from cs_console.storage.work_orders import complaint_id_of, team_member_ids

CLAIMABLE = frozenset({Category.LOSS, Category.DAMAGE})
APPROVE_ABOVE_AGENTS = frozenset({Role.SPECIALIST, Role.SUPERVISOR})


@dataclass(frozen=True)
class ClaimView:
    """A claim as its lists and screens show it (the claimant's name masked)."""

    id: int
    complaint_id: int | None
    complaint_reference: str
    tracking_no: str
    claimant: str
    kind: ClaimKind
    status: ClaimStatus
    claimed_fen: int
    payable: Payable
    proposed_fen: int | None
    proposal_reason: str
    proposer: str
    proposed_by: int | None
    required: tuple[EvidenceItem, ...]
    evidence: dict[EvidenceItem, tuple[EvidenceStatus, str]]
    missing: tuple[EvidenceItem, ...]
    owner: str
    owner_id: int
    approver: str
    waiting_for: Role | None  # the lowest role that may approve a pending proposal
    opened_at: datetime
    decision_due: datetime
    decided_at: datetime | None
    payout_due: datetime | None
    paid_fen: int | None
    payout_method: str
    payout_reference: str
    payout_date: date | None
    paid_at: datetime | None
    version: int

    @property
    def clocks(self) -> tuple[Clock, ...]:
        """The decision clock, then the payout clock once decided."""
        found = [Clock(ClockKind.CLAIM_DECISION, self.opened_at, self.decision_due,
                       self.decided_at)]  # fmt: skip
        if self.decided_at is not None and self.payout_due is not None:
            found.append(
                Clock(ClockKind.CLAIM_PAYOUT, self.decided_at, self.payout_due, self.paid_at)
            )
        return tuple(found)


def facts_of(row: ClaimRow | Claim) -> ClaimFacts:
    return ClaimFacts(
        ClaimKind(row.kind),
        row.claimed_fen,
        row.declared_value_fen,
        row.insured,
        row.insured_amount_fen,
        row.shipping_fee_fen,
    )


def view_of(console: ServiceContext, actor: Actor, row: ClaimRow) -> ClaimView:
    evidence = {EvidenceItem(e.item): (EvidenceStatus(e.status), e.note) for e in row.evidence}
    settled = {item: status for item, (status, _) in evidence.items()}
    required = required_evidence(ClaimKind(row.kind), row.insured, console.policy.claims)
    status = ClaimStatus(row.status)
    waiting = (
        lowest_approver(row.proposed_fen, console.policy.approval_limits)
        if status is ClaimStatus.PENDING
        else None
    )
    return ClaimView(
        row.id, row.complaint_id, row.complaint_reference, row.tracking_no,
        mask_name(open_name(row.customer_name, data_key_of(actor))), ClaimKind(row.kind),
        status, row.claimed_fen,
        payable_amount(facts_of(row), settled, console.policy.compensation),
        row.proposed_fen, row.proposal_reason, row.proposer, row.proposed_by, required,
        evidence, missing_evidence(required, settled), row.owner, row.owner_id, row.approver,
        waiting, row.opened_at, row.decision_due, row.decided_at, row.payout_due, row.paid_fen,
        row.payout_method, row.payout_reference, row.payout_date, row.paid_at, row.version,
    )  # fmt: skip


def check_amount(console: ServiceContext, field: str, amount_fen: int) -> None:
    """Refuse a sum below zero or above the policy's largest amount."""
    if amount_fen < 0:
        raise InvalidInput({field: "negative"})
    if amount_fen > console.policy.limits.max_amount_fen:
        raise InvalidInput({field: "too_large"})


def open_claim(
    console: ServiceContext,
    actor: Actor,
    reference: str,
    kind: ClaimKind,
    claimed_fen: int,
    *,
    insured: bool | None = None,
    insured_amount_fen: int | None = None,
    declared_value_fen: int | None = None,
) -> ClaimView:
    """Open a claim on the loss or damage complaint ``reference`` (its owner or a
    supervisor): the claimant and parcel are the complaint's, the declared value, insurance
    and fee too unless given. One unpaid claim per complaint."""
    require(actor, Action.WORK_CLAIM)
    check_amount(console, "amount", claimed_fen)
    for field, value in (("insured_amount", insured_amount_fen), ("value", declared_value_fen)):
        if value is not None:
            check_amount(console, field, value)
    printed = normalize_reference(reference)
    now = console.now()
    with write_session(console.engine) as session:
        found = complaint_id_of(session=session, reference=printed) if printed else None
        if found is None:
            raise NotFound("no_such_complaint")
        complaint = load_for_update(session, actor, found, None)
        if Category(complaint.category) not in CLAIMABLE:
            raise ServiceError("claim_needs_loss_or_damage")
        if (existing := queries.unpaid_claim_of(session=session, complaint_id=found)) is not None:
            raise ServiceError("claim_exists", id=existing)
        is_insured = complaint.insured if insured is None else insured
        claim = Claim(
            complaint_id=found,
            customer_id=complaint.customer_id,
            parcel_id=complaint.parcel_id,
            kind=kind.value,
            status=ClaimStatus.OPEN.value,
            claimed_fen=claimed_fen,
            declared_value_fen=(
                complaint.declared_value_fen if declared_value_fen is None else declared_value_fen
            ),
            insured=is_insured,
            insured_amount_fen=(
                (complaint.insured_amount_fen if is_insured else 0)
                if insured_amount_fen is None
                else insured_amount_fen
            ),
            shipping_fee_fen=complaint.shipping_fee_fen,
            owner_id=actor.id,
            opened_at=now,
            decision_due=decision_due(
                now, console.policy.claims, console.policy.calendar, console.zone
            ),
        )
        session.add(claim)
        session.flush()
        assert claim.id is not None
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="claim_opened",
            complaint_id=found,
            claim=claim.id,
            claim_kind=kind.value,
            amount_fen=claimed_fen,
            due=claim.decision_due.isoformat(),
        )
        claim_id = claim.id
    return claim_view(console, actor, claim_id)


def load_claim(
    session: Session, actor: Actor, claim_id: int, expected_version: int | None = None
) -> Claim:
    """The claim, row-locked, for its owner or a supervisor; refused if it changed since
    ``expected_version`` was read."""
    claim = session.get(Claim, claim_id, with_for_update=True)
    if claim is None:
        raise NotFound("no_such_claim")
    if not may_work(actor.role, owner=claim.owner_id == actor.id):
        raise PermissionDenied("not_owner")
    if expected_version is not None and claim.version != expected_version:
        raise ServiceError("claim_changed", id=claim_id)
    return claim


# Why a step is refused in each state.
_REFUSED_IN = {
    ClaimStatus.OPEN: "claim_open",
    ClaimStatus.PENDING: "claim_pending",
    ClaimStatus.APPROVED: "claim_approved",
    ClaimStatus.PAID: "claim_paid",
}


def check_status(claim: Claim, *allowed: ClaimStatus) -> None:
    """Refuse a step the claim's state does not allow, saying where it stands."""
    status = ClaimStatus(claim.status)
    if status not in allowed:
        raise ServiceError(_REFUSED_IN[status], id=claim.id)


def record_evidence(
    console: ServiceContext,
    actor: Actor,
    claim_id: int,
    item: EvidenceItem,
    status: EvidenceStatus,
    note: str,
    *,
    expected_version: int | None = None,
) -> ClaimView:
    """One item of the claim's checklist received (the note says what and where it is
    kept) or waived (the note is the reason, a few real words); recorded again, it replaces
    what was recorded before. Only while the claim is open."""
    require(actor, Action.WORK_CLAIM)
    note = typed_note(console, "note", note)
    if len(note) > max_chars(ClaimEvidence, "note"):
        raise InvalidInput({"note": "too_long"})
    if (problem := reason_problem(note, console.policy.security)) is not None:
        raise InvalidInput({"note": problem.value})
    now = console.now()
    with write_session(console.engine) as session:
        claim = load_claim(session, actor, claim_id, expected_version)
        check_status(claim, ClaimStatus.OPEN)
        if item not in required_evidence(ClaimKind(claim.kind), claim.insured,
                                         console.policy.claims):  # fmt: skip
            raise ServiceError("evidence_not_asked", item=item.value)
        recorded = session.exec(
            select(ClaimEvidence).where(
                col(ClaimEvidence.claim_id) == claim_id, col(ClaimEvidence.item) == item.value
            )
        ).first()
        if recorded is not None:
            session.delete(recorded)
            session.flush()
        session.add(ClaimEvidence(claim_id=claim_id, item=item.value, status=status.value,
                                  note=note, recorded_by=actor.id, recorded_at=now))  # fmt: skip
        claim.version += 1
        session.add(claim)
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="claim_evidence",
            complaint_id=claim.complaint_id,
            claim=claim_id,
            item=item.value,
            status=status.value,
            note=note,
        )
    return claim_view(console, actor, claim_id)


def _owners_seen(session: Session, actor: Actor) -> list[int] | None:
    scope = VIEW_SCOPE[actor.role]
    if scope is Scope.ALL:
        return None
    if scope is Scope.TEAM and actor.team:
        return team_member_ids(session=session, team=actor.team)
    return [actor.id]


def claim_view(console: ServiceContext, actor: Actor, claim_id: int) -> ClaimView:
    """One claim, for those who see it (as they see complaints), for whoever proposed or
    approved its sum, and while a sum waits, for specialists and supervisors."""
    require(actor, Action.VIEW_CLAIMS)
    with read_session(console.engine) as session:
        row = queries.claim_row(session=session, claim_id=claim_id)
        owners = _owners_seen(session, actor)
    if row is None:
        raise NotFound("no_such_claim")
    involved = actor.id in (row.proposed_by, row.decided_by)  # proposed or approved it
    # A sum waiting is seen by those who approve above an agent's limit (the approvals list).
    waiting = row.status == ClaimStatus.PENDING.value and actor.role in APPROVE_ABOVE_AGENTS
    if owners is not None and row.owner_id not in owners and not (involved or waiting):
        raise PermissionDenied("claim_not_visible")
    return view_of(console, actor, row)


def claim_of_complaint(console: ServiceContext, actor: Actor, complaint_id: int) -> int | None:
    """The id of the complaint's newest claim (paid or not), or None."""
    require(actor, Action.VIEW_CLAIMS)
    with read_session(console.engine) as session:
        return queries.latest_claim_of(session=session, complaint_id=complaint_id)


def list_claims(
    console: ServiceContext, actor: Actor, *, limit: int | None = None
) -> list[ClaimView]:
    """The claims the actor sees, unpaid first and soonest due first."""
    require(actor, Action.VIEW_CLAIMS)
    with read_session(console.engine) as session:
        rows = queries.list_claims(
            session=session, owner_ids=_owners_seen(session, actor), limit=limit
        )
    return [view_of(console, actor, row) for row in rows]
