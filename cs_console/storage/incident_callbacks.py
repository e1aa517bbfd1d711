"""Who an incident's callbacks go to: customers who made contact, and who calls them back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as wide_select  # more columns than sqlmodel's select is typed for
from sqlmodel import Session, col, select

from cs_console.domain.incidents import ParcelPlace
from cs_console.domain.permissions import CALL_DESK
from cs_console.storage.tables import Callback, Complaint, Contact, Parcel, ParcelHub, User


@dataclass(frozen=True)
class Touch:
    """One contact or complaint of a customer: when, with whom, about which parcel."""

    customer_id: int
    person_id: int
    at: datetime
    complaint_id: int | None
    place: ParcelPlace | None


def touches_between(*, session: Session, since: datetime, until: datetime) -> list[Touch]:
    """Every contact started and every complaint registered in [since, until] with a known
    customer (complaints cover walk-ins and registers backfilled after an outage)."""
    contacts = session.execute(
        wide_select(
            col(Contact.customer_id),
            col(Contact.agent_id),
            col(Contact.started_at),
            col(Parcel.id),
            col(Parcel.route),
            col(Parcel.outlet),
            col(Parcel.batch),
        )
        .join(Parcel, col(Parcel.id) == col(Contact.parcel_id), isouter=True)
        .where(
            col(Contact.started_at) >= since,
            col(Contact.started_at) <= until,
            col(Contact.customer_id).is_not(None),
        )
    ).all()
    complaints = session.execute(
        wide_select(
            col(Complaint.customer_id),
            col(Complaint.owner_id),
            col(Complaint.registered_at),
            col(Complaint.id),
            col(Parcel.id),
            col(Parcel.route),
            col(Parcel.outlet),
            col(Parcel.batch),
        )
        .join(Parcel, col(Parcel.id) == col(Complaint.parcel_id))
        .where(col(Complaint.registered_at) >= since, col(Complaint.registered_at) <= until)
    ).all()
    parcels = {row[3] for row in contacts if row[3] is not None}
    parcels |= {row[4] for row in complaints}
    hubs = _hubs_of(session, parcels)
    touches = [
        Touch(c, p, at, None, ParcelPlace(r, hubs.get(pid, ()), o, b) if pid else None)
        for c, p, at, pid, r, o, b in contacts
        if c is not None
    ]
    touches += [
        Touch(c, p, at, cid, ParcelPlace(r, hubs.get(pid, ()), o, b))
        for c, p, at, cid, pid, r, o, b in complaints
    ]
    return touches


def _hubs_of(session: Session, parcel_ids: set[int]) -> dict[int, tuple[str, ...]]:
    """The hubs of these parcels, in the order each passed them."""
    found: dict[int, list[str]] = {}
    ids = sorted(parcel_ids)
    for start in range(0, len(ids), 500):
        rows = session.exec(
            select(col(ParcelHub.parcel_id), col(ParcelHub.hub))
            .where(col(ParcelHub.parcel_id).in_(ids[start : start + 500]))
            .order_by(col(ParcelHub.parcel_id), col(ParcelHub.position))
        )
        for parcel_id, hub in rows:
            found.setdefault(parcel_id, []).append(hub)
    return {parcel_id: tuple(hubs) for parcel_id, hubs in found.items()}


def call_desk_people(*, session: Session, ids: set[int]) -> set[int]:
    """Which of these people are active and on the call desk (may own callbacks)."""
    if not ids:
        return set()
    desk = [role.value for role in CALL_DESK]
    found = session.exec(
        select(col(User.id)).where(
            col(User.id).in_(ids), col(User.role).in_(desk), col(User.active).is_(True)
        )
    )
    return {user_id for user_id in found if user_id is not None}


def customers_called_for(*, session: Session, incident_id: int) -> set[int]:
    """Customers who already have a callback queued by this incident."""
    return set(
        session.exec(
            select(col(Callback.customer_id)).where(col(Callback.incident_id) == incident_id)
        ).all()
    )
