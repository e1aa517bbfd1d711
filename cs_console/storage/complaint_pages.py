"""Complaints read page by page for exports: every column an export shows, keyset-paged.

Personal data is not read here: the page carries the customer's id, and the exporter asks
storage/customers.py for that page's customers (the one place personal data is read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlmodel import Session, col

from cs_console.storage.tables import Complaint, Parcel, User


@dataclass(frozen=True)
class ComplaintLine:
    """One complaint as an export writes it (times are UTC; money in fen)."""

    id: int
    reference: str
    tracking_no: str
    category: str
    severity: str
    status: str
    channel: str
    outlet: str
    registered_at: datetime
    verify_due: datetime
    resolve_due: datetime
    followup_due: datetime | None
    verified_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    compensation_kind: str
    compensation_fen: int | None
    owner: str  # the owner's user name
    customer_id: int
    days_late: int
    description: str
    request: str
    contact_name: str = ""  # sealed; storage/customers.py opens it (open_contact_name)


_COLUMNS = (
    col(Complaint.id),
    col(Complaint.reference),
    col(Parcel.tracking_no),
    col(Complaint.category),
    col(Complaint.severity),
    col(Complaint.status),
    col(Complaint.channel),
    col(Complaint.outlet),
    col(Complaint.registered_at),
    col(Complaint.verify_due),
    col(Complaint.resolve_due),
    col(Complaint.followup_due),
    col(Complaint.verified_at),
    col(Complaint.resolved_at),
    col(Complaint.closed_at),
    col(Complaint.compensation_kind),
    col(Complaint.compensation_fen),
    col(User.username),
    col(Complaint.customer_id),
    col(Complaint.days_late),
    col(Complaint.description),
    col(Complaint.request),
    col(Complaint.contact_name),
)


def _registered_between(
    since: datetime | None, until: datetime | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if since is not None:
        conditions.append(col(Complaint.registered_at) >= since)
    if until is not None:
        conditions.append(col(Complaint.registered_at) < until)
    return conditions


def count_complaints(
    *, session: Session, since: datetime | None = None, until: datetime | None = None
) -> int:
    """How many complaints were registered from ``since`` (inclusive) to ``until`` (exclusive)."""
    query = select(func.count()).select_from(Complaint)
    return session.execute(query.where(*_registered_between(since, until))).scalar_one()


def complaint_page(
    *,
    session: Session,
    after_id: int,
    limit: int,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[ComplaintLine]:
    """Up to ``limit`` complaints with an id above ``after_id``, registered from ``since``
    (inclusive) to ``until`` (exclusive), in id order; the last line's id starts the next
    page, so a million complaints are read without holding them all."""
    # More columns than sqlmodel's select() is typed for: SQLAlchemy's select.
    rows = session.execute(
        select(*_COLUMNS)
        .join(Parcel, col(Parcel.id) == col(Complaint.parcel_id))
        .join(User, col(User.id) == col(Complaint.owner_id))
        .where(col(Complaint.id) > after_id, *_registered_between(since, until))
        .order_by(col(Complaint.id))
        .limit(limit)
    ).all()
    return [ComplaintLine(*row) for row in rows]
