"""The complaints a caller's history lists, each with the caller's role in it.

A caller is a person (found by the number they ring from), not a parcel: a complaint is
theirs when they registered it, and it concerns them as sender or recipient when it is
about a parcel on file under them but someone else complained. A complaint about the
parcel being discussed in the call is listed too, named as such. A complaint registered
during the call being taken is marked ``this_call``: it is news to the caller, not history.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select as wide_select  # more columns than sqlmodel's select is typed for
from sqlmodel import Session, col, or_

from cs_console.storage.complaints import UNRESOLVED_STATUSES
from cs_console.storage.tables import Complaint, Parcel


class CallerRole(StrEnum):
    """How a listed complaint relates to the caller."""

    COMPLAINANT = "complainant"  # the caller registered it
    PARTY = "party"  # about a parcel the caller sends or receives; someone else complained
    PARCEL = "parcel"  # about the parcel of this call; neither of the above


@dataclass(frozen=True)
class HistoryComplaint:
    id: int
    reference: str
    category: str
    severity: str
    status: str
    role: CallerRole
    this_call: bool = False  # registered during the call now being taken

    @property
    def unresolved(self) -> bool:
        return self.status in UNRESOLVED_STATUSES


@dataclass(frozen=True)
class ReferencedComplaint:
    """A complaint found by the reference a caller quoted: whose it is, about which parcel."""

    id: int
    reference: str
    customer_id: int
    parcel_id: int
    tracking_no: str


def complaints_touching(
    *,
    session: Session,
    customer_id: int | None,
    parcel_id: int | None,
    contact_id: int | None = None,
    limit: int = 20,
) -> list[HistoryComplaint]:
    """The latest complaints registered by this customer, about parcels on file under them,
    or about this parcel; newest first, each with the customer's role in it, and marked
    ``this_call`` when registered during the contact ``contact_id`` (the call now taken)."""
    if customer_id is None and parcel_id is None:
        return []
    rows = session.execute(
        wide_select(
            col(Complaint.id),
            col(Complaint.reference),
            col(Complaint.category),
            col(Complaint.severity),
            col(Complaint.status),
            col(Complaint.customer_id),
            col(Parcel.customer_id),
            col(Complaint.contact_id),
        )
        .join(Parcel, col(Parcel.id) == col(Complaint.parcel_id))
        .where(
            or_(
                col(Complaint.customer_id) == customer_id,
                col(Parcel.customer_id) == customer_id,
                col(Complaint.parcel_id) == parcel_id,
            )
        )
        .order_by(col(Complaint.id).desc())
        .limit(limit)
    ).all()
    return [
        HistoryComplaint(
            complaint_id,
            reference,
            category,
            severity,
            status,
            role=_role(customer_id, complainant, owner),
            this_call=contact_id is not None and contact == contact_id,
        )
        for complaint_id, reference, category, severity, status, complainant, owner, contact in rows
    ]


def _role(caller: int | None, complainant: int, owner: int | None) -> CallerRole:
    if caller is not None and complainant == caller:
        return CallerRole.COMPLAINANT
    if caller is not None and owner == caller:
        return CallerRole.PARTY
    return CallerRole.PARCEL


def complaint_by_reference(*, session: Session, reference: str) -> ReferencedComplaint | None:
    """The complaint with this reference (as printed, C-YYYYMMDD-NNNN), or None."""
    row = session.execute(
        wide_select(
            col(Complaint.id),
            col(Complaint.reference),
            col(Complaint.customer_id),
            col(Complaint.parcel_id),
            col(Parcel.tracking_no),
        )
        .join(Parcel, col(Parcel.id) == col(Complaint.parcel_id))
        .where(col(Complaint.reference) == reference)
    ).first()
    return ReferencedComplaint(*row) if row is not None else None
