"""What a registration works out before its write transaction, and the reference it is
given last in it (services.complaints): the write lock, and on PostgreSQL the day's counter
row, are held for the inserts only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from cs_console.domain.classification import Classification, classify
from cs_console.domain.complaint_entry import ValidComplaint
from cs_console.services.context import ServiceContext
from cs_console.storage import complaints as complaint_queries
from cs_console.storage import customers as customer_queries
from cs_console.storage.sealing import DataKey


@dataclass(frozen=True)
class Groundwork:
    """What a registration works out before its write transaction."""

    customer: dict[str, object]  # the caller's row, sealed (customers.customer_values)
    name_read: str | None  # the sealed name on file then (None: the phone was unknown)
    on_file: str | None  # that name in clear
    repeat: str | None  # the unresolved complaint found then
    classification: Classification  # with that repeat


def groundwork(
    session: Session,
    console: ServiceContext,
    valid: ValidComplaint,
    *,
    key: DataKey,
    registered_at: datetime,
) -> Groundwork:
    """Read the name on file and the repeat, seal the caller's row, classify."""
    customer = customer_queries.customer_values(
        key=key, phone=valid.phone, name=valid.customer_name, now=registered_at
    )
    on_file = customer_queries.customer_on_file(session=session, key=key, phone=valid.phone)
    parcel = customer_queries.parcel_id(session=session, tracking_no=valid.tracking_no)
    repeat = complaint_queries.open_complaint_reference(
        session=session, customer_id=on_file[0] if on_file else None, parcel_id=parcel
    )
    name_read = on_file[1] if on_file else None
    return Groundwork(
        customer,
        name_read,
        customer_queries.open_name(name_read, key) if name_read is not None else None,
        repeat,
        classify(replace(valid.facts, repeat_of=repeat), console.policy.severity),
    )


def give_reference(
    session: Session, console: ServiceContext, complaint_id: int, *, registered_at: datetime
) -> str:
    """Give a stored complaint the day's next reference (C-YYYYMMDD-NNNN), in its
    transaction: a rolled-back registration leaves no gap."""
    day = registered_at.astimezone(console.zone).strftime("%Y%m%d")
    number = complaint_queries.next_reference_number(session=session, day=day)
    reference = f"C-{day}-{number:04d}"
    complaint_queries.set_reference(session=session, complaint_id=complaint_id, reference=reference)
    return reference
