"""Walk-ins waiting for an owner: open complaints still held by the outlet account that
registered them (outlets may not verify, resolve or call back, so nobody works them yet).

Read through the partial index ix_complaints_open (owner_id first): the outlet accounts are
a handful of users, each looked up in the index of open complaints, never the closed million.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import literal_column
from sqlalchemy import select as wide_select  # more columns than sqlmodel's select is typed for
from sqlmodel import Session, col, func, select

from cs_console.domain.complaint_clocks import ComplaintTimes
from cs_console.domain.enums import Role
from cs_console.storage.complaints import TIME_COLUMNS
from cs_console.storage.customers import open_name
from cs_console.storage.overview import IS_OPEN
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import Complaint, Customer, User

_OUTLET_ACCOUNTS = select(col(User.id)).where(
    col(User.role) == literal_column(f"'{Role.OUTLET.value}'")
)
_HELD_BY_AN_OUTLET = (IS_OPEN, col(Complaint.owner_id).in_(_OUTLET_ACCOUNTS))


@dataclass(frozen=True)
class WalkInRow:
    id: int
    reference: str
    outlet: str
    category: str
    severity: str
    customer_name: str  # in clear; "" without a data key
    owner_id: int  # the outlet account
    times: ComplaintTimes


def walk_ins_waiting(
    *, session: Session, key: DataKey | None, limit: int
) -> tuple[list[WalkInRow], int]:
    """The oldest ``limit`` open complaints owned by an outlet account, oldest first, and
    how many there are in all."""
    total = session.exec(select(func.count()).where(*_HELD_BY_AN_OUTLET)).one()
    rows = session.connection().execute(
        wide_select(
            col(Complaint.id),
            col(Complaint.reference),
            col(Complaint.outlet),
            col(Complaint.category),
            col(Complaint.severity),
            col(Customer.name),
            col(Complaint.owner_id),
            *TIME_COLUMNS,
        )
        .join(Customer, col(Customer.id) == col(Complaint.customer_id))
        .where(*_HELD_BY_AN_OUTLET)
        .order_by(col(Complaint.registered_at), col(Complaint.id))
        .limit(limit)
    )
    found = [
        WalkInRow(
            complaint_id,
            reference,
            outlet,
            category,
            severity,
            open_name(name, key) if key is not None else "",
            owner_id,
            ComplaintTimes(*times),
        )
        for complaint_id, reference, outlet, category, severity, name, owner_id, *times in rows
        if complaint_id is not None  # always: a stored row's primary key
    ]
    return found, int(total)
