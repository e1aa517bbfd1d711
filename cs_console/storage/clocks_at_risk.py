"""Clocks at risk: the open complaints' clocks, the pending callbacks and the unpaid claims'
clocks (decision, payout) that are amber, red or breached, found, ordered and counted in SQL,
so that only the rows shown are loaded.

A complaint clock's state is ``clock_state``'s (domain/clocks.py) in each engine's date
arithmetic, to the millisecond: breached once past due; else red when the time left is at
most ``red_fraction`` of the clock's length, amber at most ``amber_fraction``. A pending
callback is breached once due and amber before (those due before ``callbacks_before``).
Open complaints are read through the partial index ix_complaints_open, pending callbacks
through ix_callbacks_status_due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    Subquery,
    and_,
    case,
    func,
    label,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col
from sqlmodel.sql.sqltypes import UTCDateTime

from cs_console.domain.claims import ClaimStatus
from cs_console.domain.complaint_clocks import URGENCY, assumed_length, clock_start
from cs_console.domain.enums import CallbackStatus, ClockKind, ClockState
from cs_console.domain.policy import ClockPolicy
from cs_console.storage.intervals import millis_between
from cs_console.storage.measures import count_if
from cs_console.storage.overview import IS_OPEN
from cs_console.storage.tables import Callback, Claim, Complaint, User
from cs_console.storage.unpublished import hidden

BREACHED, RED, AMBER, OK = (
    URGENCY[s] for s in (ClockState.BREACHED, ClockState.RED, ClockState.AMBER, ClockState.OK)
)
STATE_OF = {rank: state for state, rank in URGENCY.items()}
_Time = Mapped[datetime | None]
# Each clock of a complaint: its kind, due time, start (when stored) and when it was done,
# as in domain/complaint_clocks.py (``all_clocks``).
CLOCKS: tuple[tuple[ClockKind, _Time, _Time | None, _Time], ...] = (
    (
        ClockKind.VERIFY,
        col(Complaint.verify_due),
        col(Complaint.registered_at),
        col(Complaint.verified_at),
    ),
    (
        ClockKind.RESOLVE,
        col(Complaint.resolve_due),
        col(Complaint.registered_at),
        col(Complaint.resolved_at),
    ),
    (
        ClockKind.FOLLOWUP,
        col(Complaint.followup_due),
        col(Complaint.resolved_at),
        col(Complaint.followup_done_at),
    ),
    (ClockKind.SECOND_FOLLOWUP, col(Complaint.second_followup_due), None, col(Complaint.closed_at)),
)


@dataclass(frozen=True)
class AtRisk:
    """A complaint clock or a callback that is amber, red or breached, with its owner."""

    kind: str  # "complaint", "callback" or "claim"
    id: int  # complaint id, callback id or claim id
    label: str  # the complaint's reference, or the callback's or claim's complaint's, or ""
    severity: str  # "" for a callback
    clock: str  # the clock kind, or the callback kind
    state: ClockState
    start: datetime
    due: datetime
    owner_id: int
    owner: str  # the owner's display name


@dataclass(frozen=True)
class ClocksAtRisk:
    shown: tuple[AtRisk, ...]  # the most urgent, as many as asked for
    total: int  # complaint clocks and callbacks at risk, shown or not
    breached: dict[int, int]  # per owner id: the breached complaint clocks they hold


def _text(value: str) -> ColumnElement[str]:
    # A literal, not a bound parameter: both engines type it as text in the union.
    return literal_column(f"'{value}'")


def _clock_state(
    session: Session,
    kind: ClockKind,
    due: _Time,
    started: _Time | None,
    now: SQLColumnExpression[datetime],
    policy: ClockPolicy,
) -> ColumnElement[int]:
    """The urgency of the clock's state at ``now`` (BREACHED, RED, AMBER or OK)."""
    length: ColumnElement[int] | ColumnElement[float] | None = (
        None if started is None else millis_between(session, due, started)
    )
    assumed = assumed_length(kind, policy)
    if assumed is not None:
        fallback = literal(assumed.total_seconds() * 1000)
        length = fallback if length is None else func.coalesce(length, fallback)
    if length is None:  # domain.complaint_clocks: a clock without a stored start has one
        raise ValueError(f"the {kind.value} clock has neither a start nor an assumed length")
    left = millis_between(session, due, now)
    return case(
        (due < now, BREACHED),
        (left <= length * policy.red_fraction, RED),
        (left <= length * policy.amber_fraction, AMBER),
        else_=OK,
    )


def _at_risk(
    session: Session, now: datetime, policy: ClockPolicy, callbacks_before: datetime
) -> Subquery:
    """Every running clock of the open complaints and every pending callback due before
    ``callbacks_before``, with its state's urgency (``state``: BREACHED … OK)."""
    at = literal(now, UTCDateTime())
    unpublished = hidden(session)
    branches = [
        select(
            _text("complaint").label("source"),
            col(Complaint.id),
            label("label", col(Complaint.reference)),
            col(Complaint.severity),
            _text(kind.value).label("clock"),
            _clock_state(session, kind, due, started, at, policy).label("state"),
            label("due", due),
            label("started", null() if started is None else started),
            col(Complaint.owner_id),
        ).where(IS_OPEN, due.is_not(None), done.is_(None), *unpublished)
        for kind, due, started, done in CLOCKS
    ]
    callbacks = (
        select(
            _text("callback"),
            col(Callback.id),
            func.coalesce(col(Complaint.reference), _text("")),
            _text(""),
            col(Callback.kind),
            case((col(Callback.due_at) < at, BREACHED), else_=AMBER),
            col(Callback.due_at),
            col(Callback.created_at),
            col(Callback.owner_id),
        )
        .join(Complaint, col(Complaint.id) == col(Callback.complaint_id), isouter=True)
        .where(
            col(Callback.status) == CallbackStatus.PENDING.value,
            col(Callback.due_at) < callbacks_before,
        )
    )
    return union_all(*branches, callbacks, *_claim_clocks(session, at, policy)).subquery("at_risk")


def _claim_clocks(
    session: Session, at: SQLColumnExpression[datetime], policy: ClockPolicy
) -> list[Select[*tuple[Any, ...]]]:
    """The claims' running clocks: the decision while evidence is collected or a sum waits
    for approval, the payout once decided (counted in working days, stored as due times)."""
    deciding = (ClaimStatus.OPEN.value, ClaimStatus.PENDING.value)
    clocks = (
        (ClockKind.CLAIM_DECISION, col(Claim.decision_due), col(Claim.opened_at),
         col(Claim.status).in_(deciding)),
        (ClockKind.CLAIM_PAYOUT, col(Claim.payout_due), col(Claim.decided_at),
         col(Claim.status) == ClaimStatus.APPROVED.value),
    )  # fmt: skip
    return [
        select(
            _text("claim"),
            col(Claim.id),
            func.coalesce(col(Complaint.reference), _text("")),
            _text(""),
            _text(kind.value),
            _clock_state(session, kind, due, started, at, policy),
            due,
            started,
            col(Claim.owner_id),
        )
        .join(Complaint, col(Complaint.id) == col(Claim.complaint_id), isouter=True)
        .where(running, due.is_not(None))
        for kind, due, started, running in clocks
    ]


def clocks_at_risk(
    *,
    session: Session,
    now: datetime,
    policy: ClockPolicy,
    callbacks_before: datetime,
    limit: int | None = None,
) -> ClocksAtRisk:
    """The amber, red and breached clocks and callbacks at ``now``: breached first, then
    red, then amber, soonest due first within each, the first ``limit`` of them loaded (all
    without one); all of them counted."""
    risky = _at_risk(session, now, policy, callbacks_before)
    total, breached = _counted(session, risky)
    return ClocksAtRisk(_listed(session, risky, policy, limit), total, breached)


def _listed(
    session: Session, risky: Subquery, policy: ClockPolicy, limit: int | None
) -> tuple[AtRisk, ...]:
    query = (
        select(risky, col(User.display_name))
        .join(User, col(User.id) == risky.c.owner_id)
        .where(risky.c.state < OK)
        # A complaint's follow-up clock before its follow-up callback, due at the same time.
        .order_by(risky.c.state, risky.c.due, risky.c.source.desc(), risky.c.id, risky.c.clock)
        .limit(limit)
    )
    shown = []
    for row in session.connection().execute(query):
        start = row.started
        if row.source == "complaint":
            start = clock_start(ClockKind(row.clock), row.due, row.started, policy)
        shown.append(
            AtRisk(row.source, row.id, row.label, row.severity, row.clock, STATE_OF[row.state],
                   start, row.due, row.owner_id, row.display_name)
        )  # fmt: skip
    return tuple(shown)


def _counted(session: Session, risky: Subquery) -> tuple[int, dict[int, int]]:
    """How many are at risk, and per owner id how many breached complaint clocks."""
    breached = and_(risky.c.source == _text("complaint"), risky.c.state == BREACHED)
    counts = session.connection().execute(
        select(risky.c.owner_id, func.count(), count_if(breached))
        .where(risky.c.state < OK)
        .group_by(risky.c.owner_id)
    )
    total, by_owner = 0, {}
    for owner, n, breaches in counts:
        total += n
        if breaches:
            by_owner[owner] = int(breaches)
    return total, by_owner
