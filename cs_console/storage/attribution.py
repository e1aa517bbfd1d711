"""The complaints of a period that count against agents (DOMAIN.md Measures): those naming
them as responsible, and those whose verify clock ran out while they owned them.

Counted in SQL per agent. Only the late complaints that were handed over (a few in a
hundred) are read, with their hand-overs, to find who owned them when the clock ran out
(``owner_at``); the hand-overs are found through the partial index ix_events_handed_over.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, literal_column, or_
from sqlalchemy import select as wide_select  # more columns than sqlmodel's select is typed for
from sqlmodel import Session, col, select

from cs_console.domain.enums import Category, Responsibility
from cs_console.domain.scorecard import Handover, owner_at
from cs_console.storage.measures import any_row, count_if
from cs_console.storage.tables import Complaint, Event

# Written as in the partial index ix_events_handed_over (a literal, not a bound parameter)
# so that SQLite may use that index.
IS_HANDOVER = col(Event.kind) == literal_column("'handed_over'")


@dataclass(frozen=True)
class AttributedCounts:
    """Per agent id: complaints of the period counting against them."""

    breaches: dict[int, int]  # responsibility "agent", naming them
    attitude: dict[int, int]  # attitude complaints naming them
    late: dict[int, int]  # verify clock ran out while they owned the complaint


def attributed_counts(
    *, session: Session, start: datetime, end: datetime, now: datetime
) -> AttributedCounts:
    """The complaints registered in ``[start, end)`` that count against agents."""
    named = session.exec(
        select(
            col(Complaint.responsible_agent_id),
            count_if(col(Complaint.responsibility) == Responsibility.AGENT.value),
            count_if(col(Complaint.category) == Category.ATTITUDE.value),
        )
        .where(
            col(Complaint.responsible_agent_id).is_not(None),
            col(Complaint.registered_at) >= start,
            col(Complaint.registered_at) < end,
        )
        .group_by(col(Complaint.responsible_agent_id))
    ).all()
    return AttributedCounts(
        {agent: int(b) for agent, b, _ in named if agent is not None and b},
        {agent: int(a) for agent, _, a in named if agent is not None and a},
        _late(session, start, end, now),
    )


def _late(session: Session, start: datetime, end: datetime, now: datetime) -> dict[int, int]:
    """Per agent: complaints registered in ``[start, end)`` whose verify clock ran out (by
    ``now``) while they owned them."""
    late_verify = or_(
        and_(
            col(Complaint.verified_at).is_not(None),
            col(Complaint.verified_at) > col(Complaint.verify_due),
        ),
        and_(col(Complaint.verified_at).is_(None), col(Complaint.verify_due) < now),
    )
    late_in_period: ColumnElement[bool] = and_(
        col(Complaint.registered_at) >= start, col(Complaint.registered_at) < end, late_verify
    )
    handed_over = any_row(IS_HANDOVER, col(Event.complaint_id) == col(Complaint.id))
    # Never handed over: late against the owner they have now.
    late: dict[int, int] = defaultdict(int)
    for owner, count in session.exec(
        select(col(Complaint.owner_id), func.count())
        .where(late_in_period, ~handed_over)
        .group_by(col(Complaint.owner_id))
    ):
        late[owner] += count
    moves: dict[int, list[Handover]] = defaultdict(list)
    facts: dict[int, tuple[int, datetime]] = {}
    for complaint_id, owner, due, at, detail in session.execute(
        wide_select(
            col(Complaint.id),
            col(Complaint.owner_id),
            col(Complaint.verify_due),
            col(Event.at),
            col(Event.detail),
        )
        .join(Event, col(Event.complaint_id) == col(Complaint.id))
        .where(IS_HANDOVER, late_in_period)
        .order_by(col(Event.id))
    ):
        moves[complaint_id].append(_handover(at, detail))
        facts[complaint_id] = (owner, due)
    for complaint_id, (owner, due) in facts.items():
        late[owner_at(owner, moves[complaint_id], due)] += 1
    return dict(late)


def _handover(at: datetime, detail: str) -> Handover:
    data = json.loads(detail)
    return Handover(at, int(data["from_user"]), int(data["to_user"]))
