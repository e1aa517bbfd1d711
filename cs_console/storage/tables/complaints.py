"""Complaints and the per-day counter behind their references."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from cs_console.domain.enums import Approval, Category, Channel, ComplaintStatus, Severity
from cs_console.storage.tables.columns import one_of, utc_column

OPEN_CONDITION = "status <> 'closed'"  # the partial index of open complaints (exact text)


class Complaint(SQLModel, table=True):
    __tablename__ = "complaints"
    __table_args__ = (
        one_of("category", Category, "ck_complaints_category"),
        one_of("severity", Severity, "ck_complaints_severity"),
        one_of("status", ComplaintStatus, "ck_complaints_status"),
        one_of("channel", Channel, "ck_complaints_channel"),
        one_of("approval_status", Approval, "ck_complaints_approval_status"),
        Index("ix_complaints_owner_status", "owner_id", "status"),
        Index("ix_complaints_customer_status", "customer_id", "status"),
        Index("ix_complaints_parcel_status", "parcel_id", "status"),
        Index("ix_complaints_status_registered", "status", "registered_at"),
        UniqueConstraint("import_key", name="uq_complaints_import_key"),
        Index("ix_complaints_responsible_registered", "responsible_agent_id", "registered_at"),
        # The overview reads open complaints only: a partial index finds them without the
        # closed million (SQLite's statistics would otherwise scan the table).
        Index(
            "ix_complaints_open",
            "owner_id",
            "severity",
            "status",
            sqlite_where=text(OPEN_CONDITION),
            postgresql_where=text(OPEN_CONDITION),
        ),
        # Measures and the monthly report count outcomes by registration time, index only.
        Index(
            "ix_complaints_registered_outcome",
            "registered_at",
            "verified_at",
            "closed_at",
            "verify_due",
            "owner_id",
        ),
        # First-contact resolution asks, per contact, whether a complaint was left open.
        Index("ix_complaints_contact_resolved", "contact_id", "resolved_at"),
        # Mass-complaint detection counts one category's complaints of the last hour.
        Index("ix_complaints_category_registered", "category", "registered_at"),
        # The outlet counter lists its outlet's newest complaints (a small outlet's few
        # would otherwise be found by reading every complaint).
        Index("ix_complaints_outlet_id", "outlet", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=30, unique=True)
    # Found by ix_complaints_contact_resolved (it leads with contact_id), so deleting
    # contacts (the purge) need not scan every complaint.
    contact_id: int | None = Field(default=None, foreign_key="contacts.id")
    customer_id: int = Field(foreign_key="customers.id")
    parcel_id: int = Field(foreign_key="parcels.id")
    category: str = Field(max_length=20)
    severity: str = Field(max_length=20)
    severity_reasons: str = Field(default="", max_length=100)
    severity_override: str = Field(default="", max_length=500)
    status: str = Field(max_length=20)
    channel: str = Field(max_length=20)
    outlet: str = Field(default="", max_length=50)
    description: str = Field(max_length=10000)
    request: str = Field(max_length=10000)
    days_late: int = 0
    declared_value_fen: int = 0
    insured: bool = False
    insured_amount_fen: int = 0
    shipping_fee_fen: int = 0
    item_damaged: bool = False
    repairable: bool = False
    repeat_of: str | None = Field(default=None, max_length=30)
    owner_id: int = Field(foreign_key="users.id")
    registered_at: datetime = Field(sa_column=utc_column(index=True))
    verify_due: datetime = Field(sa_column=utc_column())
    verified_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    resolve_due: datetime = Field(sa_column=utc_column())
    resolved_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    followup_due: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    followup_done_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    second_followup_due: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    compensation_kind: str = Field(default="", max_length=30)
    compensation_fen: int | None = None
    responsibility: str = Field(default="", max_length=30)
    satisfaction: int | None = None
    version: int = 1
    # A row backfilled from a paper or spreadsheet register: the hash of the normalised
    # row (services/complaint_import.py), so importing the same file twice adds nothing.
    import_key: str | None = Field(default=None, max_length=64)
    # The import batch that published it (storage/unpublished.py): hidden from every read
    # until that batch is done. Not a foreign key: the batch's row is deleted when it is.
    import_batch_id: int | None = None
    # Another person on the customer's number (NameChoice.OTHER_PERSON): their name, sealed
    # like the customer's (storage.customers), "" when the complaint is the customer's own.
    contact_name: str = Field(default="", max_length=1200)
    # The agent a complaint counts against (docs/domain.md Measures), set with the responsibility.
    responsible_agent_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("users.id", name="fk_complaints_responsible_agent"), nullable=True
        ),
    )
    # A resolution the customer accepted that offers more than the policy suggests
    # (domain.compensation.needs_approval): held, with its reason, until a supervisor other
    # than its proposer approves it; only then does it count as agreed.
    approval_status: str = Field(default="", max_length=20)  # domain.enums.Approval
    approval_reason: str = Field(default="", max_length=500)
    proposed_kind: str = Field(default="", max_length=30)
    proposed_fen: int | None = None
    proposed_by: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("users.id", name="fk_complaints_proposed_by"), nullable=True
        ),
    )


class ReferenceCounter(SQLModel, table=True):
    """Per-day sequence behind complaint references C-YYYYMMDD-NNNN."""

    __tablename__ = "reference_counters"

    day: str = Field(primary_key=True, max_length=8)
    last: int = 0
