"""What the parcels table holds about a parcel's way: route, hub, outlet, batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from cs_console.storage.tables import Parcel


@dataclass(frozen=True)
class ParcelRoute:
    tracking_no: str
    route: str  # "杭州-北京", "" when unknown
    hub: str
    outlet: str
    batch: str
    created_at: datetime


def parcel_route(*, session: Session, tracking_no: str) -> ParcelRoute | None:
    """The stored way of the parcel ``tracking_no``, or None when it is not on file."""
    parcel = session.exec(select(Parcel).where(Parcel.tracking_no == tracking_no)).first()
    if parcel is None:
        return None
    return ParcelRoute(
        parcel.tracking_no, parcel.route, parcel.hub, parcel.outlet, parcel.batch, parcel.created_at
    )
