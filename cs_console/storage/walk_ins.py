"""Walk-ins waiting for an owner: open complaints still held by the outlet account that
registered them (outlets may not verify, resolve or call back, so nobody works them yet).

Read through the partial index ix_complaints_open (owner_id first): the outlet accounts are
a handful of users, each looked up in the index of open complaints, never the closed million.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import literal_column
from sqlmodel import Session, col, func, select

from cs_console.domain.complaint_clocks import ComplaintTimes
from cs_console.domain.enums import Role
from cs_console.storage.complaints import TIME_COLUMNS
from cs_console.storage.customers import open_name
from cs_console.storage.overview import IS_OPEN
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import Complaint, Customer, User

_OUTLET_ACCOUNTS = select(User.id).where(User.role == literal_column(f"'{Role.OUTLET.value}'"))
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
        select(
            Complaint.id,
            Complaint.reference,
            Complaint.outlet,
            Complaint.category,
            Complaint.severity,
            Customer.name,
            Complaint.owner_id,
            *TIME_COLUMNS,
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(*_HELD_BY_AN_OUTLET)
        .order_by(Complaint.registered_at, Complaint.id)
        .limit(limit)
    )
    found = [
        WalkInRow(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            open_name(row[5], key) if key is not None else "",
            row[6],
            ComplaintTimes(*row[7:]),
        )
        for row in rows
    ]
    return found, int(total)
