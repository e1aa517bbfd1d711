"""What happened: the append-only history of complaints, callbacks and contacts, and the
writes replayed from outage journals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from cs_console.storage.tables.columns import utc_column

HANDED_OVER_CONDITION = "kind = 'handed_over'"  # the partial index of hand-overs (exact text)


class Event(SQLModel, table=True):
    """Append-only history: every change to a complaint, callback or contact.

    The largest id doubles as the cheap change marker other consoles poll.
    """

    __tablename__ = "events"
    __table_args__ = (
        # The hand-overs of a complaint: the monthly report asks, for every complaint whose
        # verify clock ran out, whether it was handed over (a few in a hundred were).
        Index(
            "ix_events_handed_over",
            "complaint_id",
            sqlite_where=text(HANDED_OVER_CONDITION),
            postgresql_where=text(HANDED_OVER_CONDITION),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=utc_column())
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    complaint_id: int | None = Field(default=None, foreign_key="complaints.id", index=True)
    callback_id: int | None = Field(default=None, foreign_key="callbacks.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True)
    kind: str = Field(max_length=40)
    detail: str = Field(default="{}", max_length=20000)  # JSON


class AppliedWrite(SQLModel, table=True):
    """A write replayed from a console's outage journal, by its idempotency key.

    Inserted in the same transaction as the write itself, so a replay that crashed after
    the commit finds the key here and never applies the write twice; ``result`` holds what
    the write returned (a contact id, a complaint's reference) as JSON for the journal.
    """

    __tablename__ = "applied_writes"
    __table_args__ = (UniqueConstraint("key", name="uq_applied_writes_key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=36)
    operation: str = Field(max_length=40)
    applied_at: datetime = Field(sa_column=utc_column())
    result: str = Field(default="null", max_length=400)
