"""Queries on complaints: references, repeats, an owner's open work, one complaint in full."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, insert, text
from sqlalchemy import select as wide_select  # more columns than sqlmodel's select is typed for
from sqlmodel import Session, col, or_, select

from cs_console.domain.complaint_clocks import ComplaintTimes
from cs_console.domain.enums import ComplaintStatus
from cs_console.storage.customers import open_contact_name, open_name, open_phone
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import Complaint, Customer, Parcel, User
from cs_console.storage.unpublished import hidden

OPEN_STATUSES = tuple(s.value for s in ComplaintStatus if s.is_open)
# Not (or no longer) resolved: an unsatisfied follow-up sends a resolved complaint back to
# "verified" (negotiation reopens) while its first resolved_at stays recorded.
UNRESOLVED_STATUSES = (
    ComplaintStatus.REGISTERED.value,
    ComplaintStatus.VERIFYING.value,
    ComplaintStatus.VERIFIED.value,
)


@dataclass(frozen=True)
class OpenComplaintRow:
    id: int
    reference: str
    category: str
    severity: str
    status: str
    customer_name: str
    owner_id: int
    times: ComplaintTimes


@dataclass(frozen=True)
class ComplaintRecord:
    """A complaint with its customer and parcel, for the detail view."""

    complaint: Complaint
    customer_name: str
    customer_phone: str
    tracking_no: str
    owner_name: str
    contact_name: str = ""  # another person on the customer's number, in clear


def times_of(c: Complaint) -> ComplaintTimes:
    """The clock timestamps of a complaint row."""
    return ComplaintTimes(
        c.registered_at,
        c.verify_due,
        c.verified_at,
        c.resolve_due,
        c.resolved_at,
        c.followup_due,
        c.followup_done_at,
        c.second_followup_due,
        c.closed_at,
    )


def next_reference_number(*, session: Session, day: str) -> int:
    """Allocate the next sequence number of ``day`` (YYYYMMDD) inside the write transaction."""
    return session.connection().execute(_NEXT_REFERENCE, {"day": day}).scalar_one()


_NEXT_REFERENCE = text(
    "INSERT INTO reference_counters (day, last) VALUES (:day, 1) "
    "ON CONFLICT (day) DO UPDATE SET last = reference_counters.last + 1 "
    "RETURNING last"
)


def set_reference(*, session: Session, complaint_id: int, reference: str) -> None:
    """Give a complaint inserted in this transaction its reference (the last statement of a
    registration: the day's counter row is locked from the number to the commit)."""
    session.connection().execute(_SET_REFERENCE, {"id": complaint_id, "reference": reference})


_SET_REFERENCE = text("UPDATE complaints SET reference = :reference WHERE id = :id")


def open_complaint_reference(
    *, session: Session, customer_id: int | None, parcel_id: int | None
) -> str | None:
    """The reference of the oldest unresolved complaint by this customer or about this parcel.

    Unresolved means not yet accepted by the customer, or reopened by an unsatisfied
    follow-up (the repeat rule of docs/domain.md).
    """
    if customer_id is None and parcel_id is None:
        return None
    return (
        session.connection()
        .execute(_OPEN_REFERENCE, {"customer_id": customer_id, "parcel_id": parcel_id})
        .scalar()
    )


def insert_complaint(*, session: Session, **values: object) -> int:
    """Insert one complaint row (columns as keywords) and return its id."""
    complaint_id = session.connection().execute(_INSERT_COMPLAINT, values).scalar_one()
    assert complaint_id is not None  # RETURNING the new row's primary key
    return complaint_id


# Built once: both run on every complaint saved. A NULL id matches nothing.
_OPEN_REFERENCE = (
    select(col(Complaint.reference))
    .where(
        or_(
            col(Complaint.customer_id) == bindparam("customer_id"),
            col(Complaint.parcel_id) == bindparam("parcel_id"),
        ),
        col(Complaint.status).in_(UNRESOLVED_STATUSES),
    )
    .order_by(col(Complaint.id))
    .limit(1)
)
_INSERT_COMPLAINT = insert(Complaint).returning(col(Complaint.id))


def open_complaints_of(*, session: Session, key: DataKey, owner_id: int) -> list[OpenComplaintRow]:
    """Every open complaint an owner holds, with the customer's name (in clear): the
    complaint's own contact name where another person on the number complained.

    Only the listed columns are read (no ORM objects): a busy agent holds hundreds.
    """
    query = _OPEN_OF_OWNER
    if unpublished := hidden(session):
        query = query.where(*unpublished)
    rows = session.connection().execute(query, {"owner_id": owner_id})
    return [
        OpenComplaintRow(
            complaint_id,
            reference,
            category,
            severity,
            status,
            open_contact_name(contact_name, key) or open_name(name, key),
            owner_id,
            ComplaintTimes(*times),
        )
        for complaint_id, reference, category, severity, status, name, contact_name, *times in rows
        if complaint_id is not None  # always: a stored row's primary key
    ]


TIME_COLUMNS = (  # the columns of ComplaintTimes, in its order
    col(Complaint.registered_at),
    col(Complaint.verify_due),
    col(Complaint.verified_at),
    col(Complaint.resolve_due),
    col(Complaint.resolved_at),
    col(Complaint.followup_due),
    col(Complaint.followup_done_at),
    col(Complaint.second_followup_due),
    col(Complaint.closed_at),
)
_OPEN_OF_OWNER = (
    wide_select(
        col(Complaint.id),
        col(Complaint.reference),
        col(Complaint.category),
        col(Complaint.severity),
        col(Complaint.status),
        col(Customer.name),
        col(Complaint.contact_name),
        *TIME_COLUMNS,
    )
    .join(Customer, col(Customer.id) == col(Complaint.customer_id))
    .where(
        col(Complaint.owner_id) == bindparam("owner_id"), col(Complaint.status).in_(OPEN_STATUSES)
    )
)


def complaint_record(
    *, session: Session, key: DataKey, complaint_id: int
) -> ComplaintRecord | None:
    """One complaint with customer (name and phone in clear), parcel and owner."""
    row = session.execute(
        wide_select(
            Complaint,
            col(Customer.name),
            col(Customer.phone),
            col(Parcel.tracking_no),
            col(User.display_name),
        )
        .join(Customer, col(Customer.id) == col(Complaint.customer_id))
        .join(Parcel, col(Parcel.id) == col(Complaint.parcel_id))
        .join(User, col(User.id) == col(Complaint.owner_id))
        .where(col(Complaint.id) == complaint_id)
    ).first()
    if row is None:
        return None
    complaint, name, phone, tracking_no, owner = row
    return ComplaintRecord(
        complaint,
        open_name(name, key),
        open_phone(phone, key),
        tracking_no,
        owner,
        open_contact_name(complaint.contact_name, key),
    )


def complaints_of_outlet(
    *, session: Session, key: DataKey, outlet: str, limit: int
) -> list[OpenComplaintRow]:
    """The newest ``limit`` complaints registered at ``outlet``, open or closed, newest first
    (the customer's name in clear, or the complaint's own contact name where one is set)."""
    rows = session.exec(
        select(Complaint, col(Customer.name))
        .join(Customer, col(Customer.id) == col(Complaint.customer_id))
        .where(col(Complaint.outlet) == outlet)
        .order_by(col(Complaint.registered_at).desc(), col(Complaint.id).desc())
        .limit(limit)
    )
    return [
        OpenComplaintRow(
            c.id,
            c.reference,
            c.category,
            c.severity,
            c.status,
            open_contact_name(c.contact_name, key) or open_name(name, key),
            c.owner_id,
            times_of(c),
        )
        for c, name in rows
        if c.id is not None
    ]
