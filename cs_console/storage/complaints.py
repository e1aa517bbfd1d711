"""Queries on complaints: references, repeats, an owner's open work, one complaint in full."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, insert, text
from sqlmodel import Session, col, or_, select

from cs_console.domain.complaint_clocks import ComplaintTimes
from cs_console.domain.enums import ComplaintStatus
from cs_console.storage.customers import open_contact_name, open_name, open_phone
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import Complaint, Customer, Parcel, User

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
    return ComplaintTimes(*(getattr(c, column.key) for column in TIME_COLUMNS))


def next_reference_number(*, session: Session, day: str) -> int:
    """Allocate the next sequence number of ``day`` (YYYYMMDD) inside the write transaction."""
    return session.connection().execute(_NEXT_REFERENCE, {"day": day}).scalar_one()


_NEXT_REFERENCE = text(
    "INSERT INTO reference_counters (day, last) VALUES (:day, 1) "
    "ON CONFLICT (day) DO UPDATE SET last = reference_counters.last + 1 "
    "RETURNING last"
)


def open_complaint_reference(
    *, session: Session, customer_id: int | None, parcel_id: int | None
) -> str | None:
    """The reference of the oldest unresolved complaint by this customer or about this parcel.

    Unresolved means not yet accepted by the customer, or reopened by an unsatisfied
    follow-up (the repeat rule of DOMAIN.md).
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
    return session.connection().execute(_INSERT_COMPLAINT, values).scalar_one()


# Built once: both run on every complaint saved. A NULL id matches nothing.
_OPEN_REFERENCE = (
    select(Complaint.reference)
    .where(
        or_(
            Complaint.customer_id == bindparam("customer_id"),
            Complaint.parcel_id == bindparam("parcel_id"),
        ),
        col(Complaint.status).in_(UNRESOLVED_STATUSES),
    )
    .order_by(Complaint.id)
    .limit(1)
)
_INSERT_COMPLAINT = insert(Complaint).returning(Complaint.id)


def open_complaints_of(*, session: Session, key: DataKey, owner_id: int) -> list[OpenComplaintRow]:
    """Every open complaint an owner holds, with the customer's name (in clear): the
    complaint's own contact name where another person on the number complained.

    Only the listed columns are read (no ORM objects): a busy agent holds hundreds.
    """
    rows = session.connection().execute(_OPEN_OF_OWNER, {"owner_id": owner_id})
    return [
        OpenComplaintRow(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            open_contact_name(row[6], key) or open_name(row[5], key),
            owner_id,
            ComplaintTimes(*row[7:]),
        )
        for row in rows
    ]


TIME_COLUMNS = (  # the columns of ComplaintTimes, in its order
    Complaint.registered_at,
    Complaint.verify_due,
    Complaint.verified_at,
    Complaint.resolve_due,
    Complaint.resolved_at,
    Complaint.followup_due,
    Complaint.followup_done_at,
    Complaint.second_followup_due,
    Complaint.closed_at,
)
_OPEN_OF_OWNER = (
    select(
        Complaint.id,
        Complaint.reference,
        Complaint.category,
        Complaint.severity,
        Complaint.status,
        Customer.name,
        Complaint.contact_name,
        *TIME_COLUMNS,
    )
    .join(Customer, Customer.id == Complaint.customer_id)
    .where(Complaint.owner_id == bindparam("owner_id"), col(Complaint.status).in_(OPEN_STATUSES))
)


def complaint_record(
    *, session: Session, key: DataKey, complaint_id: int
) -> ComplaintRecord | None:
    """One complaint with customer (name and phone in clear), parcel and owner."""
    row = session.exec(
        select(Complaint, Customer.name, Customer.phone, Parcel.tracking_no, User.display_name)
        .join(Customer, Customer.id == Complaint.customer_id)
        .join(Parcel, Parcel.id == Complaint.parcel_id)
        .join(User, User.id == Complaint.owner_id)
        .where(Complaint.id == complaint_id)
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
        select(Complaint, Customer.name)
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(Complaint.outlet == outlet)
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
