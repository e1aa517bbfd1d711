"""claims: a claim (理赔) from a loss or damage complaint or a claim call, its evidence,
its approval and its payout

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_UTC = sa.DateTime(timezone=True)


def _cascade(column: str, target: str, name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [target], name=name, ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("kind", _STR(length=20), nullable=False),
        sa.Column("status", _STR(length=20), nullable=False),
        sa.Column("claimed_fen", sa.Integer(), nullable=False),
        sa.Column("declared_value_fen", sa.Integer(), nullable=False),
        sa.Column("insured", sa.Boolean(), nullable=False),
        sa.Column("insured_amount_fen", sa.Integer(), nullable=False),
        sa.Column("shipping_fee_fen", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", _UTC, nullable=False),
        sa.Column("decision_due", _UTC, nullable=False),
        sa.Column("proposed_fen", sa.Integer(), nullable=True),
        sa.Column("proposal_reason", _STR(length=500), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=True),
        sa.Column("proposed_at", _UTC, nullable=True),
        sa.Column("decided_at", _UTC, nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("payout_due", _UTC, nullable=True),
        sa.Column("paid_fen", sa.Integer(), nullable=True),
        sa.Column("payout_method", _STR(length=20), nullable=False),
        sa.Column("payout_reference", _STR(length=100), nullable=False),
        sa.Column("payout_date", sa.Date(), nullable=True),
        sa.Column("paid_at", _UTC, nullable=True),
        sa.Column("paid_by", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('loss', 'damage', 'partial_loss')", name="ck_claims_kind"),
        sa.CheckConstraint(
            "status IN ('open', 'pending', 'approved', 'paid')", name="ck_claims_status"
        ),
        sa.CheckConstraint(
            "complaint_id IS NOT NULL OR contact_id IS NOT NULL", name="ck_claims_source"
        ),
        _cascade("complaint_id", "complaints.id", "fk_claims_complaint"),
        _cascade("contact_id", "contacts.id", "fk_claims_contact"),
        _cascade("customer_id", "customers.id", "fk_claims_customer"),
        _cascade("parcel_id", "parcels.id", "fk_claims_parcel"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_claims_owner"),
        sa.ForeignKeyConstraint(["proposed_by"], ["users.id"], name="fk_claims_proposed_by"),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name="fk_claims_decided_by"),
        sa.ForeignKeyConstraint(["paid_by"], ["users.id"], name="fk_claims_paid_by"),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
    )
    for column in ("complaint_id", "contact_id", "customer_id", "parcel_id"):
        op.create_index(f"ix_claims_{column}", "claims", [column])
    op.create_index("ix_claims_owner_status", "claims", ["owner_id", "status"])
    op.create_index("ix_claims_status_decision", "claims", ["status", "decision_due"])
    op.create_index("ix_claims_status_payout", "claims", ["status", "payout_due"])
    op.create_table(
        "claim_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("item", _STR(length=30), nullable=False),
        sa.Column("status", _STR(length=20), nullable=False),
        sa.Column("note", _STR(length=500), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", _UTC, nullable=False),
        sa.CheckConstraint(
            "item IN ('proof_of_value', 'photos', 'insurance_record', 'identity')",
            name="ck_claim_evidence_item",
        ),
        sa.CheckConstraint("status IN ('received', 'waived')", name="ck_claim_evidence_status"),
        sa.UniqueConstraint("claim_id", "item", name="uq_claim_evidence_item"),
        _cascade("claim_id", "claims.id", "fk_claim_evidence_claim"),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name="fk_claim_evidence_recorded_by"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_claim_evidence"),
    )
    op.create_index("ix_claim_evidence_claim_id", "claim_evidence", ["claim_id"])


def downgrade() -> None:
    op.drop_table("claim_evidence")
    op.drop_table("claims")
