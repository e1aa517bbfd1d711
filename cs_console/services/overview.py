"""The supervisor's overview: the queue now, clocks at risk, the agents, today's measures,
the walk-ins waiting for an owner.

One read transaction of queries bounded to open or recent rows (storage/overview.py, and
storage/clocks_at_risk.py: the clocks at risk are found and counted in SQL, only those shown
loaded). The measures come from services/reports.py, the same code as ``cs-console report``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from cs_console.domain.measures import Measure, MeasureCounts, Tally
from cs_console.domain.permissions import Action
from cs_console.services.calendar_check import unknown_calendar_year
from cs_console.services.context import Actor, ServiceContext, require
from cs_console.services.reports import day_start, floor_measures
from cs_console.services.walk_ins import WALK_INS_SHOWN, WalkIn, walk_ins_in
from cs_console.storage.clocks_at_risk import AtRisk, ClocksAtRisk, clocks_at_risk
from cs_console.storage.engine import read_session
from cs_console.storage.incidents import AlertRow, open_alerts
from cs_console.storage.measures import agent_counts
from cs_console.storage.overview import (
    agents_on_call,
    callback_counts,
    contacts_by_agent,
    desk_staff,
    open_complaints_by_owner,
    open_queue,
    registered_per_hour,
)
from cs_console.storage.work_orders import OrderRow, overdue_orders

CALLBACK_SOON = timedelta(hours=1)  # pending callbacks due within this show as at risk
# The overview lists this many of the most urgent clocks and says how many more there are
# (``cs-console sla`` lists them all): loading thousands would cost more than the rest of
# the refresh, and no screen shows them at once.
AT_RISK_SHOWN = 100
NOTHING = MeasureCounts()
ORDERS_SHOWN = 50  # overdue work orders listed (the count says how many in all)


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
class Overview:
    at: datetime
    measures: tuple[Measure, ...]
    queue: QueueNow
    agents: tuple[AgentNow, ...]
    at_risk: tuple[AtRisk, ...]  # the AT_RISK_SHOWN most urgent
    at_risk_total: int  # all clocks and callbacks at risk, shown or not
    per_hour: tuple[tuple[datetime, int], ...]  # local hour start, complaints registered
    alerts: tuple[AlertRow, ...]  # open mass-complaint alerts, newest first
    walk_ins: tuple[WalkIn, ...]  # the WALK_INS_SHOWN oldest waiting for an owner
    walk_ins_total: int  # all open walk-ins still held by an outlet
    overdue_orders: tuple[OrderRow, ...] = ()  # work orders past due, longest overdue first
    overdue_orders_total: int = 0
    unknown_calendar_year: int | None = None  # next year, while its calendar is unknown


def _at_risk(
    console: ServiceContext, session: Session, now: datetime, limit: int | None
) -> ClocksAtRisk:
    return clocks_at_risk(
        session=session,
        now=now,
        policy=console.policy.clocks,
        callbacks_before=now + CALLBACK_SOON,
        limit=limit,
    )


def _per_hour(
    console: ServiceContext, session: Session, now: datetime
) -> list[tuple[datetime, int]]:
    hours = console.policy.overview.chart_hours
    local = now.astimezone(console.zone)
    offset = int((local.utcoffset() or timedelta(0)).total_seconds())
    this_hour = (int(now.timestamp()) + offset) // 3600
    first = local.replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours - 1)
    counts = registered_per_hour(session=session, since=first, offset=offset)
    return [
        (first + timedelta(hours=i), counts.get(this_hour - hours + 1 + i, 0)) for i in range(hours)
    ]


def overview(console: ServiceContext, actor: Actor) -> Overview:
    """Everything the overview pane shows, as of now."""
    require(actor, Action.VIEW_OVERVIEW)
    now, policy = console.now(), console.policy
    today = day_start(now, console.zone)
    with read_session(console.engine) as session:
        until = now + timedelta(seconds=1)
        counts = agent_counts(session=session, start=today, end=until, policy=policy)
        found = floor_measures(console, session, today, until, counts)
        queue = QueueNow(open_queue(session=session), *callback_counts(session=session, now=now))
        at_risk = _at_risk(console, session, now, AT_RISK_SHOWN)
        staff = desk_staff(session=session)
        holding = open_complaints_by_owner(session=session)
        calling = agents_on_call(session=session, since=now - policy.overview.call_stale)
        contacts = contacts_by_agent(session=session, since=today)
        per_hour = _per_hour(console, session, now)
        alerts = tuple(open_alerts(session=session))
        walk_ins = walk_ins_in(console, actor, session, now, WALK_INS_SHOWN)
        late_orders, late_total = overdue_orders(session=session, now=now, limit=ORDERS_SHOWN)
    agents = tuple(
        AgentNow(p.id, p.username, p.agent_no, p.display_name, p.id in calling,
                 holding.get(p.id, 0), at_risk.breached.get(p.id, 0), contacts.get(p.id, 0),
                 counts.get(p.id, NOTHING).answered, counts.get(p.id, NOTHING).satisfaction)
        for p in staff
    )  # fmt: skip
    return Overview(
        now, found, queue, agents, at_risk.shown, at_risk.total, tuple(per_hour), alerts,
        walk_ins.shown, walk_ins.total, tuple(late_orders), late_total,
        unknown_calendar_year(policy, console.zone, now),
    )  # fmt: skip


def sla_clocks(console: ServiceContext, actor: Actor) -> tuple[AtRisk, ...]:
    """Open complaint clocks and callbacks that are amber, red or breached, with owners:
    all of them, most urgent first."""
    require(actor, Action.VIEW_REPORTS)
    with read_session(console.engine) as session:
        return _at_risk(console, session, console.now(), None).shown
