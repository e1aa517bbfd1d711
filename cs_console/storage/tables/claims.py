"""Claims (理赔, domain/claims.py) and the evidence recorded for each.

Kinds and statuses are short strings under named CHECK constraints; money is in fen. A
claim is a service record of its complaint (or its claim call): purged with it. Its life is
also in the complaint's history (``events``: ``claim_opened`` … ``claim_paid``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from cs_console.domain.claims import ClaimKind, ClaimStatus, EvidenceItem, EvidenceStatus
from cs_console.storage.tables.columns import one_of, utc_column


def _cascade(target: str, name: str, *, nullable: bool = False) -> Column[int]:
    """A foreign key whose row goes with its target's (the purge deletes complaints,
    contacts, customers and parcels)."""
    return Column(
        Integer,
        ForeignKey(target, name=name, ondelete="CASCADE"),
        nullable=nullable,
        index=True,
    )


class Claim(SQLModel, table=True):
    __tablename__ = "claims"
    __table_args__ = (
        one_of("kind", ClaimKind, "ck_claims_kind"),
        one_of("status", ClaimStatus, "ck_claims_status"),
        CheckConstraint(
            "complaint_id IS NOT NULL OR contact_id IS NOT NULL", name="ck_claims_source"
        ),
        Index("ix_claims_owner_status", "owner_id", "status"),
        Index("ix_claims_status_decision", "status", "decision_due"),
        Index("ix_claims_status_payout", "status", "payout_due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int | None = Field(
        default=None, sa_column=_cascade("complaints.id", "fk_claims_complaint", nullable=True)
    )
    contact_id: int | None = Field(
        default=None, sa_column=_cascade("contacts.id", "fk_claims_contact", nullable=True)
    )
    customer_id: int = Field(sa_column=_cascade("customers.id", "fk_claims_customer"))
    parcel_id: int = Field(sa_column=_cascade("parcels.id", "fk_claims_parcel"))
    kind: str = Field(max_length=20)
    status: str = Field(max_length=20)
    claimed_fen: int
    declared_value_fen: int = 0
    insured: bool = False
    insured_amount_fen: int = 0
    shipping_fee_fen: int = 0
    owner_id: int = Field(foreign_key="users.id")
    opened_at: datetime = Field(sa_column=utc_column())
    decision_due: datetime = Field(sa_column=utc_column())
    proposed_fen: int | None = None
    proposal_reason: str = Field(default="", max_length=500)
    proposed_by: int | None = Field(default=None, foreign_key="users.id")
    proposed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    decided_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    decided_by: int | None = Field(default=None, foreign_key="users.id")
    payout_due: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    paid_fen: int | None = None
    payout_method: str = Field(default="", max_length=20)
    payout_reference: str = Field(default="", max_length=100)
    payout_date: date | None = Field(default=None, sa_column=Column(Date(), nullable=True))
    paid_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    paid_by: int | None = Field(default=None, foreign_key="users.id")
    version: int = 1


class ClaimEvidence(SQLModel, table=True):
    """One item of a claim's evidence: received (what, where kept) or waived (why)."""

    __tablename__ = "claim_evidence"
    __table_args__ = (
        one_of("item", EvidenceItem, "ck_claim_evidence_item"),
        one_of("status", EvidenceStatus, "ck_claim_evidence_status"),
        UniqueConstraint("claim_id", "item", name="uq_claim_evidence_item"),
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(sa_column=_cascade("claims.id", "fk_claim_evidence_claim"))
    item: str = Field(max_length=30)
    status: str = Field(max_length=20)
    note: str = Field(max_length=500)
    recorded_by: int = Field(foreign_key="users.id")
    recorded_at: datetime = Field(sa_column=utc_column())
