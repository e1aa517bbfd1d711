"""Customers (their personal data sealed, storage/sealing.py), their parcels, and contacts
(calls, chats, counter visits)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from cs_console.domain.enums import Channel, ContactType
from cs_console.domain.tracking import TrackingState
from cs_console.storage.tables.columns import one_of, utc_column


class Customer(SQLModel, table=True):
    __tablename__ = "customers"

    id: int | None = Field(default=None, primary_key=True)
    phone_key: str = Field(max_length=100, unique=True)  # HMAC-SHA256 of the E.164 number
    # Sealed (base64 of nonce, ciphertext, tag): room for the longest clear value allowed
    # (storage.customers.MAX_CHARS) in 4-byte UTF-8.
    name: str = Field(default="", max_length=1200)
    phone: str = Field(max_length=100)
    address: str = Field(default="", max_length=2800)
    created_at: datetime = Field(sa_column=utc_column())
    id_number: str = Field(default="", max_length=100)  # 身份证号, sealed
    # Their latest contact, complaint or callback (retention counts from it, storage.retention).
    last_contact_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class Parcel(SQLModel, table=True):
    __tablename__ = "parcels"

    id: int | None = Field(default=None, primary_key=True)
    tracking_no: str = Field(max_length=30, unique=True)
    customer_id: int | None = Field(default=None, foreign_key="customers.id", index=True)
    route: str = Field(default="", max_length=100)
    # One hub of the parcel (the demo's main one, a provider's first): every hub it passed
    # is in parcel_hubs, which mass-complaint detection reads.
    hub: str = Field(default="", max_length=100)
    outlet: str = Field(default="", max_length=50)
    batch: str = Field(default="", max_length=50)
    created_at: datetime = Field(sa_column=utc_column())


class ParcelHub(SQLModel, table=True):
    """A hub (转运中心) a parcel passed; ``position`` orders them (0 the first).

    The primary key (parcel_id, hub) is what detection looks up: a complaint's parcel by id,
    then whether it passed a hub, from the index alone.
    """

    __tablename__ = "parcel_hubs"

    parcel_id: int = Field(foreign_key="parcels.id", primary_key=True)
    hub: str = Field(max_length=100, primary_key=True)
    position: int = Field(default=0)


class Contact(SQLModel, table=True):
    """One call, chat or counter visit."""

    __tablename__ = "contacts"
    __table_args__ = (
        one_of("channel", Channel, "ck_contacts_channel"),
        CheckConstraint(
            "contact_type IS NULL OR contact_type IN ("
            + ", ".join(f"'{m.value}'" for m in ContactType)
            + ")",
            name="ck_contacts_type",
        ),
        CheckConstraint(
            "tracking_state IS NULL OR tracking_state IN ("
            + ", ".join(f"'{m.value}'" for m in TrackingState)
            + ")",
            name="ck_contacts_tracking_state",
        ),
        # Also covers the measures per agent (answered in time, first-contact resolution).
        Index(
            "ix_contacts_agent_started",
            "agent_id",
            "started_at",
            "channel",
            "answered_at",
            "ended_at",
        ),
        Index("ix_contacts_customer_started", "customer_id", "started_at"),
        # The same by start time first: the overview counts today's contacts of everyone,
        # and PostgreSQL (before 18) cannot skip-scan the index above agent by agent.
        Index(
            "ix_contacts_started",
            "started_at",
            "agent_id",
            "channel",
            "answered_at",
            "ended_at",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    agent_id: int = Field(foreign_key="users.id")
    customer_id: int | None = Field(default=None, foreign_key="customers.id")
    parcel_id: int | None = Field(default=None, foreign_key="parcels.id", index=True)
    channel: str = Field(max_length=20)
    contact_type: str | None = Field(default=None, max_length=20)
    started_at: datetime = Field(sa_column=utc_column())
    answered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    ended_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    notes: str = Field(default="", max_length=4000)
    outcome: str = Field(default="", max_length=1000)
    # The parcel's state read out to the caller (the SAY NEXT box's status line), if any.
    tracking_state: str | None = Field(default=None, max_length=20)
