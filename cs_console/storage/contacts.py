"""Queries on contacts (calls, chats, counter visits)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, bindparam, func, update
from sqlmodel import Session, col, select

from cs_console.domain.enums import ContactType
from cs_console.storage.tables import Contact, Parcel


@dataclass(frozen=True)
class ContactSummary:
    started_at: datetime
    contact_type: str | None
    outcome: str
    tracking_no: str | None = None  # the parcel the contact was about


def contact_history(
    *, session: Session, customer_id: int, excluding: int | None = None, limit: int = 5
) -> tuple[int, list[ContactSummary]]:
    """How many contacts a customer made, and the latest few (each with the parcel it was
    about); ``excluding`` is the contact now being taken (once a complaint or a promise
    ties it to them, it is not history)."""
    return _history(col(Contact.customer_id) == customer_id, session, excluding, limit)


def parcel_contact_history(
    *, session: Session, parcel_id: int, excluding: int | None = None, limit: int = 1
) -> tuple[int, list[ContactSummary]]:
    """How many contacts were about this parcel, whoever made them, and the latest few;
    ``excluding`` as for ``contact_history``."""
    return _history(col(Contact.parcel_id) == parcel_id, session, excluding, limit)


def _history(
    which: ColumnElement[bool], session: Session, excluding: int | None, limit: int
) -> tuple[int, list[ContactSummary]]:
    if excluding is not None:
        which = and_(which, col(Contact.id) != excluding)
    total = session.exec(select(func.count()).select_from(Contact).where(which)).one()
    rows = session.exec(
        select(
            col(Contact.started_at),
            col(Contact.contact_type),
            col(Contact.outcome),
            col(Parcel.tracking_no),
        )
        .outerjoin(Parcel, col(Parcel.id) == col(Contact.parcel_id))
        .where(which)
        .order_by(col(Contact.started_at).desc())
        .limit(limit)
    )
    return total, [ContactSummary(*row) for row in rows]


def contact_agent(*, session: Session, contact_id: int) -> int | None:
    """Who took this contact (None when there is no such contact)."""
    return session.connection().execute(_CONTACT_AGENT, {"id": contact_id}).scalar()


def attach_complaint(
    *, session: Session, contact_id: int, customer_id: int, parcel_id: int
) -> None:
    """Mark a contact as a complaint call about this parcel; the complainant becomes the
    contact's customer only when the caller is not known yet (the number rung from, set by
    a reply promise or at the end of the call, wins: the caller may complain for someone)."""
    session.connection().execute(
        _ATTACH, {"contact": contact_id, "customer": customer_id, "parcel": parcel_id}
    )


# Built once: these run on every complaint saved from a call.
_CONTACT_AGENT = select(col(Contact.agent_id)).where(col(Contact.id) == bindparam("id"))
_ATTACH = (
    update(Contact)
    .where(col(Contact.id) == bindparam("contact"))
    .values(
        customer_id=func.coalesce(col(Contact.customer_id), bindparam("customer")),
        parcel_id=bindparam("parcel"),
        contact_type=ContactType.COMPLAINT.value,
    )
)
