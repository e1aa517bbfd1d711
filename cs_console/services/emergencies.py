"""Natural disasters and system outages: declare, end, and call back who made contact.

A disaster's regions are matched against the parcel's route and hub (domain.incidents);
an outage affects everyone. Ending either queues one callback per affected customer who
made contact (a call, or a complaint registered) while it lasted, due the policy's time
after the end, for the person who last spoke to them (the supervisor ending it when that
person cannot take calls). Ending is done once, so the callbacks are queued once.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from cs_console.domain.enums import CallbackKind
from cs_console.domain.incidents import (
    IncidentKind,
    IncidentStatus,
    match_regions,
    parse_regions,
)
from cs_console.domain.permissions import Action
from cs_console.services.context import (
    Actor,
    InvalidInput,
    NotFound,
    ServiceContext,
    ServiceError,
    require,
)
from cs_console.storage.callbacks import queue_callback
from cs_console.storage.engine import write_session
from cs_console.storage.events import append_event
from cs_console.storage.incident_callbacks import (
    Touch,
    call_desk_people,
    customers_called_for,
    touches_between,
)
from cs_console.storage.tables import Incident, MassAlert, max_chars

REGION_CHARS = 50  # one region's name; the column holds them one per line


def declare_disaster(console: ServiceContext, actor: Actor, regions: str, delay_days: int) -> int:
    """A natural disaster in ``regions`` (typed as a list), delaying parcels ``delay_days``."""
    require(actor, Action.DECLARE_INCIDENT)
    problems: dict[str, str] = {}
    names: tuple[str, ...] = ()
    try:
        names = parse_regions(regions, max_chars=REGION_CHARS)
    except ValueError as exc:
        problems["regions"] = str(exc)
    if len("\n".join(names)) > max_chars(Incident, "regions"):
        problems["regions"] = "too_long"
    if not 1 <= delay_days <= console.policy.limits.max_days_late:
        problems["delay_days"] = "out_of_range"
    if problems:
        raise InvalidInput(problems)
    return _declare(console, actor, IncidentKind.DISASTER, console.now(), names, delay_days)


def declare_outage(
    console: ServiceContext, actor: Actor, started_at: datetime | None = None
) -> int:
    """A system outage that began at ``started_at`` (default: now; never in the future)."""
    require(actor, Action.DECLARE_INCIDENT)
    now = console.now()
    start = started_at or now
    if start > now:
        raise InvalidInput({"started_at": "in_future"})
    return _declare(console, actor, IncidentKind.OUTAGE, start, (), 0)


def _declare(
    console: ServiceContext,
    actor: Actor,
    kind: IncidentKind,
    start: datetime,
    regions: tuple[str, ...],
    delay_days: int,
) -> int:
    now = console.now()
    with write_session(console.engine) as session:
        incident = Incident(
            kind=kind.value,
            status=IncidentStatus.OPEN.value,
            regions="\n".join(regions),
            delay_days=delay_days,
            started_at=start,
            declared_by=actor.id,
        )
        session.add(incident)
        session.flush()
        assert incident.id is not None
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind=f"{kind.value}_declared",
            incident_id=incident.id,
            started_at=start.isoformat(),
            regions=list(regions),
            delay_days=delay_days,
        )
        return incident.id


def _latest_per_customer(touches: list[Touch]) -> dict[int, Touch]:
    latest: dict[int, Touch] = {}
    for touch in sorted(touches, key=lambda t: t.at):
        latest[touch.customer_id] = touch
    return latest


def end_incident(console: ServiceContext, actor: Actor, incident_id: int) -> int:
    """End an open incident now; returns how many callbacks it queued.

    A mass complaint's alert closes with it (a new one may fire later); a disaster or an
    outage queues its callbacks (CallbackKind.DISASTER / OUTAGE).
    """
    require(actor, Action.DECLARE_INCIDENT)
    now = console.now()
    with write_session(console.engine) as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise NotFound("no_such_incident")
        if incident.status != IncidentStatus.OPEN.value:
            raise ServiceError("incident_ended")
        incident.status, incident.ended_at, incident.ended_by = (
            IncidentStatus.ENDED.value,
            now,
            actor.id,
        )
        session.add(incident)
        kind = IncidentKind(incident.kind)
        queued = 0
        if kind is IncidentKind.MASS_COMPLAINT:
            for alert in session.exec(
                select(MassAlert).where(col(MassAlert.incident_id) == incident_id)
            ):
                alert.open_key, alert.closed_at = None, now
                session.add(alert)
        else:
            queued = _queue_callbacks(session, console, actor, incident, now)
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="incident_ended",
            incident_id=incident_id,
            callbacks=queued,
        )
        return queued


def _queue_callbacks(
    session: Session, console: ServiceContext, actor: Actor, incident: Incident, now: datetime
) -> int:
    assert incident.id is not None
    touches = touches_between(session=session, since=incident.started_at, until=now)
    if incident.kind == IncidentKind.DISASTER.value:
        regions = [r for r in incident.regions.split("\n") if r]
        kind, wait = CallbackKind.DISASTER, console.policy.callbacks.disaster_callback
        touches = [t for t in touches if t.place and match_regions(regions, t.place)]
    else:
        kind, wait = CallbackKind.OUTAGE, console.policy.callbacks.outage_callback
    latest = _latest_per_customer(touches)
    done = customers_called_for(session=session, incident_id=incident.id)
    desk = call_desk_people(session=session, ids={t.person_id for t in latest.values()})
    queued = 0
    for customer_id, touch in sorted(latest.items()):
        if customer_id in done:
            continue
        queue_callback(
            session=session,
            at=now,
            actor_id=actor.id,
            event="callback_queued",
            customer_id=customer_id,
            owner_id=touch.person_id if touch.person_id in desk else actor.id,
            kind=kind,
            due_at=now + wait,
            complaint_id=touch.complaint_id,
            incident_id=incident.id,
        )
        queued += 1
    return queued
