"""The supervisor's overview: the queue now, clocks at risk, the agents, today's measures.

One read transaction of queries bounded to open or recent rows (storage/overview.py). The
measures come from services/reports.py, the same code as ``cs-console report``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from cs_console.domain.clocks import clock_state
from cs_console.domain.complaint_clocks import pending_clocks
from cs_console.domain.enums import ClockState
from cs_console.domain.measures import Measure, MeasureCounts, Tally
from cs_console.domain.permissions import Action
from cs_console.services.context import Actor, Console, require
from cs_console.services.reports import day_start, floor_measures
from cs_console.storage.engine import read_session
from cs_console.storage.events import change_marker
from cs_console.storage.incidents import AlertRow, open_alerts
from cs_console.storage.measures import agent_counts
from cs_console.storage.overview import (
    agents_on_call,
    callback_counts,
    contacts_by_agent,
    desk_staff,
    display_names,
    open_clock_rows,
    open_complaints_by_owner,
    open_queue,
    pending_callbacks,
    registered_per_hour,
)

AT_RISK = (ClockState.BREACHED, ClockState.RED, ClockState.AMBER)
CALLBACK_SOON = timedelta(hours=1)  # pending callbacks due within this show as at risk
NOTHING = MeasureCounts()


@dataclass(frozen=True)
class QueueNow:
    open_by: dict[tuple[str, str], int]  # (severity, status) -> open complaints
    callbacks_pending: int
    callbacks_overdue: int

    @property
    def open_total(self) -> int:
        return sum(self.open_by.values())

    def by_severity(self, severity: str) -> int:
        return sum(n for (s, _), n in self.open_by.items() if s == severity)

    def by_status(self, status: str) -> int:
        return sum(n for (_, s), n in self.open_by.items() if s == status)


@dataclass(frozen=True)
class AgentNow:
    id: int
    username: str
    agent_no: str
    display_name: str
    on_call: bool
    open_complaints: int
    breaches: int  # breached clocks of complaints they hold
    contacts_today: int
    answered_today: Tally  # answered in time, of today's contacts
    satisfaction_today: Tally


@dataclass(frozen=True)
class AtRisk:
    """A complaint clock or a callback that is amber, red or breached, with its owner."""

    kind: str  # "complaint" or "callback"
    id: int  # complaint id or callback id
    label: str  # the complaint's reference, or the callback's complaint reference or ""
    severity: str  # "" for a callback
    clock: str  # the clock kind, or the callback kind
    state: ClockState
    start: datetime
    due: datetime
    owner_id: int
    owner: str


@dataclass(frozen=True)
class Overview:
    at: datetime
    marker: int
    measures: tuple[Measure, ...]
    queue: QueueNow
    agents: tuple[AgentNow, ...]
    at_risk: tuple[AtRisk, ...]
    per_hour: tuple[tuple[datetime, int], ...]  # local hour start, complaints registered
    alerts: tuple[AlertRow, ...]  # open mass-complaint alerts, newest first


def _at_risk(console: Console, session: Session, now: datetime) -> list[AtRisk]:
    policy = console.policy.clocks
    found: list[AtRisk] = []
    for row in open_clock_rows(session=session):
        for clock in pending_clocks(row.times, policy):
            state = clock_state(clock, now, policy)
            if state in AT_RISK:
                found.append(
                    AtRisk("complaint", row.id, row.reference, row.severity, clock.kind.value,
                           state, clock.start, clock.due, row.owner_id, "")
                )  # fmt: skip
    for cb in pending_callbacks(session=session, due_before=now + CALLBACK_SOON):
        state = ClockState.BREACHED if cb.due_at < now else ClockState.AMBER
        found.append(
            AtRisk("callback", cb.id, cb.complaint_reference or "", "", cb.kind, state,
                   cb.created_at, cb.due_at, cb.owner_id, "")
        )  # fmt: skip
    order = {ClockState.BREACHED: 0, ClockState.RED: 1, ClockState.AMBER: 2}
    found.sort(key=lambda r: (order[r.state], r.due))
    return found


def _per_hour(console: Console, session: Session, now: datetime) -> list[tuple[datetime, int]]:
    hours = console.policy.overview.chart_hours
    local = now.astimezone(console.zone)
    offset = int((local.utcoffset() or timedelta(0)).total_seconds())
    this_hour = (int(now.timestamp()) + offset) // 3600
    first = local.replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours - 1)
    counts = registered_per_hour(session=session, since=first, offset=offset)
    return [
        (first + timedelta(hours=i), counts.get(this_hour - hours + 1 + i, 0)) for i in range(hours)
    ]


def overview(console: Console, actor: Actor) -> Overview:
    """Everything the overview pane shows, as of now."""
    require(actor, Action.VIEW_OVERVIEW)
    now, policy = console.now(), console.policy
    today = day_start(now, console.zone)
    with read_session(console.engine) as session:
        marker = change_marker(session=session)
        until = now + timedelta(seconds=1)
        counts = agent_counts(session=session, start=today, end=until, policy=policy)
        found = floor_measures(console, session, today, until, counts)
        queue = QueueNow(open_queue(session=session), *callback_counts(session=session, now=now))
        at_risk = _at_risk(console, session, now)
        staff = desk_staff(session=session)
        owners = {r.owner_id for r in at_risk} | {p.id for p in staff}
        names = display_names(session=session, user_ids=owners)
        holding = open_complaints_by_owner(session=session)
        calling = agents_on_call(session=session, since=now - policy.overview.call_stale)
        contacts = contacts_by_agent(session=session, since=today)
        per_hour = _per_hour(console, session, now)
        alerts = tuple(open_alerts(session=session))
    breaches: dict[int, int] = defaultdict(int)
    for row in at_risk:
        if row.kind == "complaint" and row.state is ClockState.BREACHED:
            breaches[row.owner_id] += 1
    agents = tuple(
        AgentNow(p.id, p.username, p.agent_no, p.display_name, p.id in calling,
                 holding.get(p.id, 0), breaches.get(p.id, 0), contacts.get(p.id, 0),
                 counts.get(p.id, NOTHING).answered, counts.get(p.id, NOTHING).satisfaction)
        for p in staff
    )  # fmt: skip
    named = tuple(
        AtRisk(**{**r.__dict__, "owner": names.get(r.owner_id, str(r.owner_id))}) for r in at_risk
    )
    return Overview(now, marker, found, queue, agents, named, tuple(per_hour), alerts)


def sla_clocks(console: Console, actor: Actor) -> tuple[AtRisk, ...]:
    """Open complaint clocks and callbacks that are amber, red or breached, with owners."""
    require(actor, Action.VIEW_REPORTS)
    now = console.now()
    with read_session(console.engine) as session:
        rows = _at_risk(console, session, now)
        names = display_names(session=session, user_ids={r.owner_id for r in rows})
    return tuple(
        AtRisk(**{**r.__dict__, "owner": names.get(r.owner_id, str(r.owner_id))}) for r in rows
    )
