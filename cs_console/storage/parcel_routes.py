"""What the database holds about a parcel's way: route, hubs (parcel_hubs), outlet, batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

from cs_console.storage.tables import Parcel, ParcelHub, max_chars


@dataclass(frozen=True)
class ParcelRoute:
    tracking_no: str
    route: str  # "杭州-北京", "" when unknown
    hub: str
    outlet: str
    batch: str
    created_at: datetime
    hubs: tuple[str, ...] = ()  # every hub it passed, in order (parcel_hubs)


def parcel_route(*, session: Session, tracking_no: str) -> ParcelRoute | None:
    """The stored way of the parcel ``tracking_no``, or None when it is not on file."""
    parcel = session.exec(select(Parcel).where(Parcel.tracking_no == tracking_no)).first()
    if parcel is None:
        return None
    hubs = session.exec(
        select(col(ParcelHub.hub))
        .where(col(ParcelHub.parcel_id) == parcel.id)
        .order_by(col(ParcelHub.position))
    ).all()
    return ParcelRoute(
        parcel.tracking_no,
        parcel.route,
        parcel.hub,
        parcel.outlet,
        parcel.batch,
        parcel.created_at,
        tuple(hubs),
    )


def has_way(*, session: Session, tracking_no: str) -> bool:
    """Whether the parcel is on file with a route, hub, outlet or batch (a way to keep)."""
    found = session.exec(
        select(col(Parcel.id)).where(
            col(Parcel.tracking_no) == tracking_no,
            (col(Parcel.route) != "")
            | (col(Parcel.hub) != "")
            | (col(Parcel.outlet) != "")
            | (col(Parcel.batch) != ""),
        )
    ).first()
    return found is not None


def numbers_with_way(*, session: Session, numbers: Sequence[str]) -> set[str]:
    """Which of ``numbers`` are on file with a route, hub, outlet or batch."""
    found: set[str] = set()
    for start in range(0, len(numbers), 500):
        found.update(
            session.exec(
                select(col(Parcel.tracking_no)).where(
                    col(Parcel.tracking_no).in_(numbers[start : start + 500]),
                    (col(Parcel.route) != "")
                    | (col(Parcel.hub) != "")
                    | (col(Parcel.outlet) != "")
                    | (col(Parcel.batch) != ""),
                )
            )
        )
    return found


_FILL_WAY = text(
    "UPDATE parcels SET route = :route, hub = :hub, outlet = :outlet, batch = :batch "
    "WHERE id = :id AND route = '' AND hub = '' AND outlet = '' AND batch = '' "
    "AND NOT EXISTS (SELECT 1 FROM parcel_hubs WHERE parcel_id = :id)"
)
_ADD_HUB = text("INSERT INTO parcel_hubs (parcel_id, hub, position) VALUES (:id, :hub, :position)")


def fill_parcel_way(
    *,
    session: Session,
    parcel_id: int,
    route: str,
    hubs: Sequence[str],
    outlet: str,
    batch: str,
) -> bool:
    """Store the way a tracking gave for a parcel that has none on file yet.

    A parcel with any route, hub, outlet or batch stored keeps it (the demo's, an earlier
    tracking's): only an empty one is filled. Values are cut to their columns; hubs are kept
    once each, in order. Returns whether it was filled.
    """
    hub_chars = max_chars(ParcelHub, "hub")
    ordered = [h for h in dict.fromkeys(h.strip()[:hub_chars] for h in hubs) if h]
    values = {
        "id": parcel_id,
        "route": route.strip()[: max_chars(Parcel, "route")],
        "hub": ordered[0] if ordered else "",
        "outlet": outlet.strip()[: max_chars(Parcel, "outlet")],
        "batch": batch.strip()[: max_chars(Parcel, "batch")],
    }
    if not any(values[k] for k in ("route", "hub", "outlet", "batch")):
        return False
    connection = session.connection()
    if not connection.execute(_FILL_WAY, values).rowcount:
        return False
    if ordered:
        connection.execute(
            _ADD_HUB,
            [{"id": parcel_id, "hub": hub, "position": n} for n, hub in enumerate(ordered)],
        )
    return True
