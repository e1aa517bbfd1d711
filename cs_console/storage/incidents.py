"""Queries on incidents and mass-complaint alerts: window counts, open alerts, links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, case, func, literal, text
from sqlmodel import Session, col, select
from sqlmodel.sql.sqltypes import UTCDateTime

from cs_console.domain.enums import ComplaintStatus
from cs_console.domain.incidents import (
    IncidentKind,
    IncidentStatus,
    Issue,
    IssueDimension,
    ParcelPlace,
)
from cs_console.storage.tables import (
    Complaint,
    Incident,
    IncidentComplaint,
    MassAlert,
    Parcel,
    ParcelHub,
    table_of,
)
from cs_console.storage.unpublished import hidden, shown_sql


@dataclass(frozen=True)
class AlertRow:
    id: int
    issue: Issue
    count: int
    fired_at: datetime
    last_at: datetime
    incident_id: int | None


@dataclass(frozen=True)
class IncidentRow:
    id: int
    kind: IncidentKind
    issue: Issue | None  # mass complaints
    regions: tuple[str, ...]  # disasters
    delay_days: int
    started_at: datetime
    close_due: datetime | None
    linked: int  # complaints linked (mass complaints)
    linked_open: int  # of which not closed yet


_PARCEL_PLACE = text("SELECT route, outlet, batch FROM parcels WHERE id = :id")
_PARCEL_HUBS = text("SELECT hub FROM parcel_hubs WHERE parcel_id = :id ORDER BY position, hub")


def _place(session: Session, parcel_id: int) -> ParcelPlace | None:
    connection = session.connection()
    row = connection.execute(_PARCEL_PLACE, {"id": parcel_id}).first()
    if row is None:
        return None
    hubs = tuple(connection.execute(_PARCEL_HUBS, {"id": parcel_id}).scalars())
    route, outlet, batch = row
    return ParcelPlace(route, hubs, outlet, batch)


def parcel_place(*, session: Session, parcel_id: int) -> ParcelPlace:
    """The route, hubs, outlet and batch of a parcel (empty values for an unknown one)."""
    return _place(session, parcel_id) or ParcelPlace()


def parcel_place_by_tracking(*, session: Session, tracking_no: str) -> ParcelPlace | None:
    """The place of the parcel with this tracking number, or None if it is not known."""
    found = session.exec(select(col(Parcel.id)).where(col(Parcel.tracking_no) == tracking_no))
    parcel_id = found.first()
    return None if parcel_id is None else _place(session, parcel_id)


# Plain SQL, prepared once: the hook runs on every registration and SQLAlchemy's statement
# building would cost more than the query (scripts/bench.py mass_detection).
_WINDOW_SQL = (
    "SELECT "
    "COALESCE(SUM(CASE WHEN p.route = :route THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN p.outlet = :outlet THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN p.batch = :batch THEN 1 ELSE 0 END), 0) "
    "FROM complaints c JOIN parcels p ON p.id = c.parcel_id "
    "WHERE c.category = :category AND c.registered_at >= :since AND c.registered_at <= :until"
)
_WINDOW_TIMES = (bindparam("since", type_=UTCDateTime()), bindparam("until", type_=UTCDateTime()))
# Each as it is, and without the complaints of an import still publishing (unpublished.py).
_WINDOW_COUNTS = (
    text(_WINDOW_SQL).bindparams(*_WINDOW_TIMES),
    text(f"{_WINDOW_SQL} AND {shown_sql('c')}").bindparams(*_WINDOW_TIMES),
)
_ONE_PLACE = (IssueDimension.ROUTE, IssueDimension.OUTLET, IssueDimension.BATCH)
# Per hub of the new parcel: the window's complaints whose parcel passed it (anywhere on its
# way), each looked up in parcel_hubs' primary key (parcel_id, hub).
_HUB_SQL = (
    "SELECT h.hub, COUNT(*) FROM complaints c JOIN parcel_hubs h ON h.parcel_id = c.parcel_id "
    "WHERE c.category = :category AND c.registered_at >= :since AND c.registered_at <= :until "
    "AND h.hub IN :hubs{shown} GROUP BY h.hub"
)
_HUB_COUNTS = tuple(
    text(_HUB_SQL.format(shown=shown)).bindparams(*_WINDOW_TIMES, bindparam("hubs", expanding=True))
    for shown in ("", f" AND {shown_sql('c')}")
)
_OPEN_MASS_INCIDENTS = text(
    "SELECT id, dimension, value FROM incidents "
    "WHERE status = :status AND kind = :kind AND category = :category"
)


def window_counts(
    *,
    session: Session,
    category: str,
    place: ParcelPlace,
    since: datetime,
    until: datetime,
) -> dict[Issue, int]:
    """Complaints of ``category`` registered in [since, until] per issue of ``place``.

    One indexed range scan over the category's complaints of the window (the index
    ``ix_complaints_category_registered``), each joined to its parcel by primary key; one
    more for the hubs when the parcel passed any. Issues the parcel has no value for are
    left out; a hub is counted over every parcel that passed it, first, middle or last.
    """
    connection = session.connection()
    shown = 1 if hidden(session) else 0  # leave out an import still publishing, if one is
    window = {"category": category, "since": since, "until": until}
    counts: dict[Issue, int] = {}
    row = connection.execute(
        _WINDOW_COUNTS[shown],
        {"route": place.route, "outlet": place.outlet, "batch": place.batch, **window},
    ).one()
    for dimension, count in zip(_ONE_PLACE, row, strict=True):
        for value in place.values(dimension):
            counts[Issue(category, dimension, value)] = int(count)
    hubs = place.values(IssueDimension.HUB)
    if hubs:
        rows = connection.execute(_HUB_COUNTS[shown], {"hubs": list(hubs), **window}).all()
        found: dict[str, int] = {hub: int(n) for hub, n in rows}
        for hub in hubs:
            counts[Issue(category, IssueDimension.HUB, hub)] = found.get(hub, 0)
    return counts


def open_mass_incidents(*, session: Session, category: str) -> dict[tuple[str, str], int]:
    """The open mass-complaint incidents about ``category``: (dimension, value) -> id."""
    rows = (
        session.connection()
        .execute(
            _OPEN_MASS_INCIDENTS,
            {
                "status": IncidentStatus.OPEN.value,
                "kind": IncidentKind.MASS_COMPLAINT.value,
                "category": category,
            },
        )
        .all()
    )
    return {(dimension, value): incident_id for incident_id, dimension, value in rows}


_RAISE_ALERT = text(
    "INSERT INTO mass_alerts (open_key, category, dimension, value, count, fired_at, last_at) "
    "VALUES (:key, :category, :dimension, :value, :count, :at, :at) "
    "ON CONFLICT (open_key) DO NOTHING RETURNING id"
).bindparams(bindparam("at", type_=UTCDateTime()))
_COUNT_ALERT = text(
    "UPDATE mass_alerts SET count = :count, last_at = :at WHERE open_key = :key"
).bindparams(bindparam("at", type_=UTCDateTime()))


def raise_alert(*, session: Session, issue: Issue, count: int, at: datetime) -> int | None:
    """Store an open alert for ``issue``; its id, or None if one was open (then counted on).

    The open alert's count is updated first (one statement past the 21st complaint); when
    there is none, ``INSERT … ON CONFLICT DO NOTHING`` on the unique open key, so two
    consoles registering the 21st and 22nd complaint at the same moment still make one.
    """
    connection = session.connection()  # plain statements: no ORM work on the hot path
    counted = connection.execute(_COUNT_ALERT, {"key": issue.key, "count": count, "at": at})
    if counted.rowcount:  # the usual case past the 21st: one statement
        return None
    values = {
        "key": issue.key,
        "category": issue.category,
        "dimension": issue.dimension.value,
        "value": issue.value,
        "count": count,
        "at": at,
    }
    alert_id = connection.execute(_RAISE_ALERT, values).scalar_one_or_none()
    if alert_id is None:  # another console raised it between the two statements
        connection.execute(_COUNT_ALERT, {"key": issue.key, "count": count, "at": at})
    return alert_id


def issue_from(category: str, dimension: str, value: str) -> Issue:
    """The issue stored as category, dimension and value."""
    return Issue(category, IssueDimension(dimension), value)


def open_alerts(*, session: Session) -> list[AlertRow]:
    """Every open alert, newest first."""
    rows = session.exec(
        select(MassAlert)
        .where(col(MassAlert.open_key).is_not(None))
        .order_by(col(MassAlert.fired_at).desc(), col(MassAlert.id).desc())
    )
    return [
        AlertRow(
            a.id,
            issue_from(a.category, a.dimension, a.value),
            a.count,
            a.fired_at,
            a.last_at,
            a.incident_id,
        )
        for a in rows
        if a.id is not None
    ]


def open_incidents(*, session: Session) -> list[IncidentRow]:
    """Every open incident, oldest first, with its linked complaints counted."""
    closed = ComplaintStatus.CLOSED.value
    linked = (
        select(
            col(IncidentComplaint.incident_id),
            func.count().label("linked"),
            func.sum(case((col(Complaint.status) == closed, 0), else_=1)).label("linked_open"),
        )
        .join(Complaint, col(Complaint.id) == col(IncidentComplaint.complaint_id))
        .group_by(col(IncidentComplaint.incident_id))
        .subquery()
    )
    rows = session.exec(
        select(Incident, linked.c.linked, linked.c.linked_open)
        .join(linked, linked.c.incident_id == col(Incident.id), isouter=True)
        .where(col(Incident.status) == IncidentStatus.OPEN.value)
        .order_by(col(Incident.started_at), col(Incident.id))
    )
    return [
        IncidentRow(
            i.id,
            IncidentKind(i.kind),
            issue_from(i.category, i.dimension, i.value) if i.dimension else None,
            tuple(r for r in i.regions.split("\n") if r),
            i.delay_days,
            i.started_at,
            i.close_due,
            int(n or 0),
            int(n_open or 0),
        )
        for i, n, n_open in rows
        if i.id is not None
    ]


def matching_complaints(
    *, session: Session, issue: Issue, since: datetime, until: datetime
) -> list[int]:
    """Ids of the complaints about ``issue`` registered in [since, until] and not closed
    (about a hub: whose parcel passed it anywhere on its way)."""
    query = select(col(Complaint.id)).where(
        col(Complaint.category) == issue.category,
        col(Complaint.registered_at) >= since,
        col(Complaint.registered_at) <= until,
        col(Complaint.status) != ComplaintStatus.CLOSED.value,
    )
    if issue.dimension is IssueDimension.HUB:
        query = query.join(ParcelHub, col(ParcelHub.parcel_id) == col(Complaint.parcel_id)).where(
            col(ParcelHub.hub) == issue.value
        )
    else:
        column = table_of(Parcel).c[issue.dimension.value]
        query = query.join(Parcel, col(Parcel.id) == col(Complaint.parcel_id)).where(
            column == issue.value
        )
    found = session.exec(query.order_by(col(Complaint.id)))
    return [complaint_id for complaint_id in found if complaint_id is not None]


def link_complaints(
    *,
    session: Session,
    incident_id: int,
    complaint_ids: list[int],
    at: datetime,
    by: int | None,
) -> list[int]:
    """Link complaints to an incident; returns the ids that were not linked before."""
    if not complaint_ids:
        return []
    already = set(
        session.exec(
            select(col(IncidentComplaint.complaint_id)).where(
                col(IncidentComplaint.incident_id) == incident_id,
                col(IncidentComplaint.complaint_id).in_(complaint_ids),
            )
        ).all()
    )
    new = [c for c in complaint_ids if c not in already]
    for complaint_id in new:
        session.add(
            IncidentComplaint(
                incident_id=incident_id, complaint_id=complaint_id, linked_at=at, linked_by=by
            )
        )
    return new


def linked_complaints(*, session: Session, incident_id: int) -> list[Complaint]:
    """The complaints linked to an incident, by id."""
    return list(
        session.exec(
            select(Complaint)
            .join(IncidentComplaint, col(IncidentComplaint.complaint_id) == col(Complaint.id))
            .where(col(IncidentComplaint.incident_id) == incident_id)
            .order_by(col(Complaint.id))
        ).all()
    )


def has_open_incidents(*, session: Session) -> bool:
    """Whether any incident is open (the caller lookup skips matching when none is)."""
    found = session.exec(
        select(literal(1)).where(col(Incident.status) == IncidentStatus.OPEN.value).limit(1)
    ).first()
    return found is not None
