"""Callbacks (回访, reply promises, incident calls) and every attempt at one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from cs_console.domain.enums import AttemptOutcome, CallbackKind, CallbackStatus
from cs_console.storage.tables.columns import one_of, utc_column


class Callback(SQLModel, table=True):
    __tablename__ = "callbacks"
    __table_args__ = (
        one_of("kind", CallbackKind, "ck_callbacks_kind"),
        one_of("status", CallbackStatus, "ck_callbacks_status"),
        Index("ix_callbacks_owner_status_due", "owner_id", "status", "due_at"),
        Index("ix_callbacks_customer_status", "customer_id", "status"),
        Index("ix_callbacks_status_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id")
    complaint_id: int | None = Field(default=None, foreign_key="complaints.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True)
    kind: str = Field(max_length=20)
    status: str = Field(max_length=20)
    owner_id: int = Field(foreign_key="users.id")
    due_at: datetime = Field(sa_column=utc_column())
    attempts: int = 0
    note: str = Field(default="", max_length=1000)
    created_at: datetime = Field(sa_column=utc_column())
    done_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # The incident (disaster, outage, mass complaint) that queued it: queued once per customer.
    incident_id: int | None = Field(default=None, foreign_key="incidents.id", index=True)
    # The number to dial when the customer's was wrong and the right one was given (sealed
    # like customers.phone, under its own associated data); "" dials the customer's.
    phone: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})


class CallbackAttempt(SQLModel, table=True):
    __tablename__ = "callback_attempts"
    __table_args__ = (
        one_of("outcome", AttemptOutcome, "ck_callback_attempts_outcome"),
        Index("ix_callback_attempts_at", "at", "actor_id", "satisfaction"),
    )

    id: int | None = Field(default=None, primary_key=True)
    callback_id: int = Field(foreign_key="callbacks.id", index=True)
    actor_id: int = Field(foreign_key="users.id")
    at: datetime = Field(sa_column=utc_column())
    outcome: str = Field(max_length=20)
    satisfaction: int | None = None
    note: str = Field(default="", max_length=1000)
    # An outcome taken back within the policy's undo window: kept, marked, and not counted.
    undone_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # What the attempt changed, as JSON, so that the undo can put it back.
    prior: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
