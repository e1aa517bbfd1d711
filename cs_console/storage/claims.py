"""Queries of claims (理赔) and their evidence: keyword-only session, plain values back.

The claims list reads one page of claims (unpaid first, soonest due first) and then only
those claims' evidence, so a list on a large database costs the rows shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from cs_console.domain.claims import ClaimStatus
from cs_console.storage.tables import Claim, ClaimEvidence, Complaint, Customer, Parcel, User


@dataclass(frozen=True)
class EvidenceRow:
    item: str
    status: str  # received or waived
    note: str
    recorded_at: datetime


@dataclass(frozen=True)
class ClaimRow:
    id: int
    complaint_id: int | None
    complaint_reference: str  # "" for a claim from a claim call
    tracking_no: str
    customer_name: str  # sealed (storage.customers.open_name)
    kind: str
    status: str
    claimed_fen: int
    declared_value_fen: int
    insured: bool
    insured_amount_fen: int
    shipping_fee_fen: int
    owner_id: int
    owner: str
    opened_at: datetime
    decision_due: datetime
    proposed_fen: int | None
    proposal_reason: str
    proposed_by: int | None
    proposer: str
    decided_at: datetime | None
    decided_by: int | None
    approver: str
    payout_due: datetime | None
    paid_fen: int | None
    payout_method: str
    payout_reference: str
    payout_date: date | None
    paid_at: datetime | None
    version: int
    evidence: tuple[EvidenceRow, ...] = ()


_OWNER, _PROPOSER, _APPROVER = aliased(User), aliased(User), aliased(User)


def _query() -> Any:
    return (
        select(
            Claim,
            func.coalesce(col(Complaint.reference), ""),
            col(Parcel.tracking_no),
            col(Customer.name),
            col(_OWNER.display_name),
            func.coalesce(col(_PROPOSER.display_name), ""),
            func.coalesce(col(_APPROVER.display_name), ""),
        )
        .join(Parcel, col(Parcel.id) == col(Claim.parcel_id))
        .join(Customer, col(Customer.id) == col(Claim.customer_id))
        .join(_OWNER, col(_OWNER.id) == col(Claim.owner_id))
        .join(Complaint, col(Complaint.id) == col(Claim.complaint_id), isouter=True)
        .join(_PROPOSER, col(_PROPOSER.id) == col(Claim.proposed_by), isouter=True)
        .join(_APPROVER, col(_APPROVER.id) == col(Claim.decided_by), isouter=True)
    )


def _row(found: tuple[Any, ...], evidence: tuple[EvidenceRow, ...]) -> ClaimRow:
    claim, reference, tracking_no, name, owner, proposer, approver = found
    return ClaimRow(
        claim.id, claim.complaint_id, reference, tracking_no, name, claim.kind, claim.status,
        claim.claimed_fen, claim.declared_value_fen, claim.insured, claim.insured_amount_fen,
        claim.shipping_fee_fen, claim.owner_id, owner, claim.opened_at, claim.decision_due,
        claim.proposed_fen, claim.proposal_reason, claim.proposed_by, proposer,
        claim.decided_at, claim.decided_by, approver, claim.payout_due, claim.paid_fen,
        claim.payout_method, claim.payout_reference, claim.payout_date, claim.paid_at,
        claim.version, evidence,
    )  # fmt: skip


def evidence_of(*, session: Session, claim_ids: list[int]) -> dict[int, tuple[EvidenceRow, ...]]:
    """The evidence recorded for each of ``claim_ids``."""
    found: dict[int, list[EvidenceRow]] = {}
    if not claim_ids:
        return {}
    rows = session.execute(
        select(ClaimEvidence)
        .where(col(ClaimEvidence.claim_id).in_(claim_ids))
        .order_by(col(ClaimEvidence.id))
    ).scalars()
    for e in rows:
        found.setdefault(e.claim_id, []).append(
            EvidenceRow(e.item, e.status, e.note, e.recorded_at)
        )
    return {claim_id: tuple(items) for claim_id, items in found.items()}


def claim_row(*, session: Session, claim_id: int) -> ClaimRow | None:
    """One claim with its evidence, or None."""
    found = session.execute(_query().where(col(Claim.id) == claim_id)).first()
    if found is None:
        return None
    return _row(tuple(found), evidence_of(session=session, claim_ids=[claim_id]).get(claim_id, ()))


def list_claims(
    *,
    session: Session,
    owner_ids: list[int] | None,
    pending_only: bool = False,
    limit: int | None = None,
) -> list[ClaimRow]:
    """Claims held by ``owner_ids`` (None: everyone's), unpaid first and soonest due first,
    then the paid ones; ``pending_only``: those awaiting an approval. The page of ids is
    chosen from the claims table alone, then only those rows are joined (their complaint,
    customer, parcel, people): a first page costs its rows, not every claim's."""
    due = func.coalesce(col(Claim.payout_due), col(Claim.decision_due))
    paid = case((col(Claim.status) == ClaimStatus.PAID.value, 1), else_=0)
    page = select(col(Claim.id)).order_by(paid, due, col(Claim.id)).limit(limit)
    if owner_ids is not None:
        page = page.where(col(Claim.owner_id).in_(owner_ids))
    if pending_only:
        page = page.where(col(Claim.status) == ClaimStatus.PENDING.value)
    ids = list(session.execute(page).scalars())
    if not ids:
        return []
    found = {r[0].id: tuple(r) for r in session.execute(_query().where(col(Claim.id).in_(ids)))}
    evidence = evidence_of(session=session, claim_ids=ids)
    return [_row(found[i], evidence.get(i, ())) for i in ids if i in found]


def unpaid_claim_of(*, session: Session, complaint_id: int) -> int | None:
    """The id of the complaint's claim not paid yet, or None."""
    return session.execute(
        select(col(Claim.id)).where(
            col(Claim.complaint_id) == complaint_id,
            col(Claim.status) != ClaimStatus.PAID.value,
        )
    ).scalar()


def latest_claim_of(*, session: Session, complaint_id: int) -> int | None:
    """The id of the complaint's newest claim, or None."""
    return session.execute(
        select(func.max(col(Claim.id))).where(col(Claim.complaint_id) == complaint_id)
    ).scalar()


def running_claim_clocks(
    *, session: Session, complaint_ids: list[int]
) -> list[tuple[int, datetime, datetime, datetime | None, datetime | None]]:
    """Per unpaid claim of ``complaint_ids``: complaint id, opened at, decision due,
    decided at and payout due (for "my clocks")."""
    if not complaint_ids:
        return []
    rows = session.execute(
        select(
            col(Claim.complaint_id),
            col(Claim.opened_at),
            col(Claim.decision_due),
            col(Claim.decided_at),
            col(Claim.payout_due),
        ).where(
            col(Claim.complaint_id).in_(complaint_ids),
            col(Claim.status) != ClaimStatus.PAID.value,
        )
    )
    return [tuple(r) for r in rows]
