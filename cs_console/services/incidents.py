"""Mass complaints (群体投诉): detection at registration, alerts, incidents opened from them.

Detection runs inside ``register_complaint``'s transaction (``check_new_complaint``): one
indexed count of the category's complaints of the last window, per place of the parcel.
A complaint that matches an open incident is linked to it at once, and the person who
registered it is told ("matches incident I0003, linked"); nobody has to confirm the link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from cs_console.domain.enums import CallbackKind
from cs_console.domain.incidents import (
    IncidentKind,
    IncidentStatus,
    incident_label,
    is_mass,
    issues_of,
    match_regions,
    window_start,
)
from cs_console.domain.permissions import Action
from cs_console.domain.policy import Policy
from cs_console.services.context import Actor, NotFound, ServiceContext, ServiceError, require
from cs_console.storage import incidents as queries
from cs_console.storage.callbacks import queue_callback
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.events import append_event
from cs_console.storage.incident_callbacks import call_desk_people, customers_called_for
from cs_console.storage.tables import Incident, MassAlert


@dataclass(frozen=True)
class IncidentBoard:
    """What every console shows of incidents: open alerts and open incidents."""

    alerts: tuple[queries.AlertRow, ...]
    incidents: tuple[queries.IncidentRow, ...]


def incident_board(console: ServiceContext, actor: Actor) -> IncidentBoard:
    """Open alerts and incidents: the call desk's banner and the supervisor's board (no
    personal data, but places and counts of complaints); acting on them needs
    DECLARE_INCIDENT."""
    require(actor, Action.VIEW_INCIDENTS)
    with read_session(console.engine) as session:
        return IncidentBoard(
            tuple(queries.open_alerts(session=session)),
            tuple(queries.open_incidents(session=session)),
        )


@dataclass(frozen=True)
class Detection:
    """What one registration did to incidents: the open incidents it was linked to (I0003)
    and the alerts it raised (new ones only: a later complaint counts on silently)."""

    linked: tuple[str, ...] = ()
    raised: tuple[queries.AlertRow, ...] = ()


def check_new_complaint(
    session: Session,
    policy: Policy,
    *,
    complaint_id: int,
    category: str,
    parcel_id: int,
    now: datetime,
    actor_id: int,
) -> Detection:
    """The registration hook: link to open incidents, raise alerts.

    Counts the complaints of ``category`` registered within the window ending ``now`` about
    each place of the parcel; more than the threshold raises one open alert per issue (a
    later matching complaint only updates its count).
    """
    rules = policy.incidents
    place = queries.parcel_place(session=session, parcel_id=parcel_id)
    issues = issues_of(category, place)
    if not issues:
        return Detection()
    counts = queries.window_counts(
        session=session,
        category=category,
        place=place,
        since=window_start(now, rules.mass_complaint_window),
        until=now,
    )
    open_incidents = queries.open_mass_incidents(session=session, category=category)
    linked: list[str] = []
    raised: list[queries.AlertRow] = []
    for issue in issues:
        incident_id = open_incidents.get((issue.dimension.value, issue.value))
        if incident_id is not None:
            queries.link_complaints(
                session=session,
                incident_id=incident_id,
                complaint_ids=[complaint_id],
                at=now,
                by=actor_id,
            )
            append_event(
                session=session,
                at=now,
                actor_id=actor_id,
                kind="incident_linked",
                complaint_id=complaint_id,
                incident_id=incident_id,
            )
            linked.append(incident_label(incident_id))
        count = counts.get(issue, 0)
        if not is_mass(count, rules.mass_complaint_threshold):
            continue
        alert_id = queries.raise_alert(session=session, issue=issue, count=count, at=now)
        if alert_id is not None:
            raised.append(queries.AlertRow(alert_id, issue, count, now, now, None))
            append_event(
                session=session,
                at=now,
                actor_id=actor_id,
                kind="mass_alert",
                complaint_id=complaint_id,
                alert_id=alert_id,
                category=issue.category,
                dimension=issue.dimension.value,
                value=issue.value,
                count=count,
            )
    return Detection(tuple(linked), tuple(raised))


def _open_alert(session: Session, alert_id: int) -> MassAlert:
    alert = session.get(MassAlert, alert_id)
    if alert is None or alert.open_key is None:
        raise NotFound("no_such_alert")
    return alert


def open_incident(console: ServiceContext, actor: Actor, alert_id: int) -> int:
    """Open an incident from an alert: the issue's open complaints of the window are linked,
    and the incident's clock for closing them all starts (policy: 48 h)."""
    require(actor, Action.DECLARE_INCIDENT)
    rules = console.policy.incidents
    now = console.now()
    with write_session(console.engine) as session:
        alert = _open_alert(session, alert_id)
        if alert.incident_id is not None:
            raise ServiceError("incident_already_open")
        incident = Incident(
            kind=IncidentKind.MASS_COMPLAINT.value,
            status=IncidentStatus.OPEN.value,
            category=alert.category,
            dimension=alert.dimension,
            value=alert.value,
            started_at=now,
            close_due=now + rules.close_within,
            declared_by=actor.id,
        )
        session.add(incident)
        session.flush()
        assert incident.id is not None
        alert.incident_id = incident.id
        session.add(alert)
        matching = queries.matching_complaints(
            session=session,
            issue=queries.issue_from(alert.category, alert.dimension, alert.value),
            since=window_start(alert.fired_at, rules.mass_complaint_window),
            until=now,
        )
        linked = queries.link_complaints(
            session=session, incident_id=incident.id, complaint_ids=matching, at=now, by=actor.id
        )
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="incident_opened",
            incident_id=incident.id,
            alert_id=alert_id,
            linked=len(linked),
        )
        for complaint_id in linked:
            append_event(
                session=session,
                at=now,
                actor_id=actor.id,
                kind="incident_linked",
                complaint_id=complaint_id,
                incident_id=incident.id,
            )
        return incident.id


def dismiss_alert(console: ServiceContext, actor: Actor, alert_id: int) -> None:
    """A false alarm: the alert closes without an incident (a new one may fire later)."""
    require(actor, Action.DECLARE_INCIDENT)
    now = console.now()
    with write_session(console.engine) as session:
        alert = _open_alert(session, alert_id)
        if alert.incident_id is not None:
            raise ServiceError("incident_already_open")
        alert.open_key, alert.closed_at = None, now
        session.add(alert)
        append_event(
            session=session, at=now, actor_id=actor.id, kind="alert_dismissed", alert_id=alert_id
        )


def queue_incident_callbacks(console: ServiceContext, actor: Actor, incident_id: int) -> int:
    """One callback per linked customer, due when the plan is promised (policy: 2 h).

    Each goes to the owner of the customer's complaint (首问负责制; the supervisor when the
    owner cannot take calls). Customers already queued by this incident are skipped, so
    pressing it again queues only the customers linked since. Returns how many were queued.
    """
    require(actor, Action.DECLARE_INCIDENT)
    now = console.now()
    due = now + console.policy.incidents.plan_within
    with write_session(console.engine) as session:
        incident = session.get(Incident, incident_id)
        if incident is None or incident.kind != IncidentKind.MASS_COMPLAINT.value:
            raise NotFound("no_such_incident")
        if incident.status != IncidentStatus.OPEN.value:
            raise ServiceError("incident_ended")
        done = customers_called_for(session=session, incident_id=incident_id)
        complaints = queries.linked_complaints(session=session, incident_id=incident_id)
        desk = call_desk_people(session=session, ids={c.owner_id for c in complaints})
        queued = 0
        for complaint in complaints:
            if complaint.customer_id in done:
                continue
            done.add(complaint.customer_id)
            queue_callback(
                session=session,
                at=now,
                actor_id=actor.id,
                event="callback_queued",
                customer_id=complaint.customer_id,
                owner_id=complaint.owner_id if complaint.owner_id in desk else actor.id,
                kind=CallbackKind.REPLY_PROMISE,
                due_at=due,
                complaint_id=complaint.id,
                incident_id=incident_id,
                note=incident_label(incident_id),
            )
            queued += 1
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="incident_callbacks_queued",
            incident_id=incident_id,
            queued=queued,
        )
        return queued


@dataclass(frozen=True)
class IncidentNotice:
    """An open incident a caller's parcel is caught in: what the script panel says."""

    kind: IncidentKind
    label: str  # I0003
    region: str  # disasters: the region the parcel matched
    delay_days: int  # disasters: the expected delay


def notices_for_parcel(session: Session, tracking_no: str | None) -> tuple[IncidentNotice, ...]:
    """The open mass-complaint incidents and disasters the parcel matches (by its place)."""
    if not tracking_no or not queries.has_open_incidents(session=session):
        return ()
    place = queries.parcel_place_by_tracking(session=session, tracking_no=tracking_no)
    if place is None:
        return ()
    notices = []
    for row in queries.open_incidents(session=session):
        label = incident_label(row.id)
        if row.kind is IncidentKind.MASS_COMPLAINT and row.issue is not None:
            if row.issue.value in place.values(row.issue.dimension):
                notices.append(IncidentNotice(row.kind, label, "", 0))
        elif row.kind is IncidentKind.DISASTER:
            region = match_regions(row.regions, place)
            if region is not None:
                notices.append(IncidentNotice(row.kind, label, region, row.delay_days))
    return tuple(notices)
