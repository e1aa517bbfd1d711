"""Counts behind the service measures and the scorecards, per period, computed in SQL.

Every query is bounded by an indexed time range (contacts by ``started_at``, complaints by
``registered_at``, follow-up attempts by ``at``), so a day costs little on a database of
millions and a month stays within the report's budget. What is counted is described in
domain/measures.py; the per-agent variants group the same counts by agent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Exists, and_, case, func, literal_column, or_
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from cs_console.domain.enums import Channel
from cs_console.domain.measures import MeasureCounts, Tally
from cs_console.domain.policy import Policy
from cs_console.storage.intervals import millis_between
from cs_console.storage.tables import Callback, CallbackAttempt, Complaint, Contact


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet ``condition`` (0 for none, never NULL)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def any_row(*conditions: ColumnElement[bool]) -> Exists:
    """``EXISTS (SELECT 1 ... WHERE conditions)``, correlated with the enclosing query.

    ``SELECT 1``, not SQLAlchemy's ``SELECT *``: SQLite then answers from a covering index
    without reading each row, which halves the first-contact resolution of a month.
    """
    return select(literal_column("1")).where(*conditions).exists()


def _by_agent(rows: Iterable[tuple[int, float | None, int | None]]) -> dict[int, Tally]:
    return {key: Tally(float(hits or 0), int(total or 0)) for key, hits, total in rows}


def answered_tallies(
    *, session: Session, start: datetime, end: datetime, policy: Policy
) -> dict[int, Tally]:
    """Phone and online contacts of the period answered in time, of those answered or
    abandoned (a contact still ringing is not counted yet)."""
    # In whole milliseconds on both engines: an answer right on the limit is in time.
    waited = millis_between(session, col(Contact.answered_at), col(Contact.started_at))
    in_time = and_(
        col(Contact.answered_at).is_not(None),
        or_(
            and_(
                col(Contact.channel) == Channel.PHONE.value,
                waited <= policy.call.answer_phone_seconds * 1000,
            ),
            and_(
                col(Contact.channel) == Channel.ONLINE.value,
                waited <= policy.call.answer_online_seconds * 1000,
            ),
        ),
    )
    query = select(col(Contact.agent_id), count_if(in_time), func.count()).where(
        col(Contact.started_at) >= start,
        col(Contact.started_at) < end,
        col(Contact.channel).in_((Channel.PHONE.value, Channel.ONLINE.value)),
        or_(col(Contact.answered_at).is_not(None), col(Contact.ended_at).is_not(None)),
    )
    return _by_agent(session.exec(query.group_by(col(Contact.agent_id))))


def first_contact_tallies(*, session: Session, start: datetime, end: datetime) -> dict[int, Tally]:
    """Ended contacts of the period that left nothing to follow up: no callback promised
    from them, no complaint registered during them still unresolved when they ended."""
    promised = any_row(col(Callback.contact_id) == col(Contact.id))
    left_open = any_row(
        col(Complaint.contact_id) == col(Contact.id),
        or_(
            col(Complaint.resolved_at).is_(None),
            col(Complaint.resolved_at) > col(Contact.ended_at),
        ),
    )
    resolved = and_(~promised, ~left_open)
    query = select(col(Contact.agent_id), count_if(resolved), func.count()).where(
        col(Contact.started_at) >= start,
        col(Contact.started_at) < end,
        col(Contact.ended_at).is_not(None),
    )
    return _by_agent(session.exec(query.group_by(col(Contact.agent_id))))


def satisfaction_tallies(*, session: Session, start: datetime, end: datetime) -> dict[int, Tally]:
    """Follow-up scores (1-5) recorded in the period: their sum and how many."""
    query = select(
        col(CallbackAttempt.actor_id),
        func.coalesce(func.sum(col(CallbackAttempt.satisfaction)), 0),
        func.count(),
    ).where(
        col(CallbackAttempt.at) >= start,
        col(CallbackAttempt.at) < end,
        col(CallbackAttempt.satisfaction).is_not(None),
        col(CallbackAttempt.undone_at).is_(None),  # a score taken back does not count
    )
    return _by_agent(session.exec(query.group_by(col(CallbackAttempt.actor_id))))


def complaint_tallies(
    *, session: Session, start: datetime, end: datetime, now: datetime, policy: Policy
) -> tuple[Tally, Tally]:
    """(responded in time, closed in time) of the complaints registered in the period whose
    outcome is known: done, or the allowed hours have passed by ``now``."""
    respond, close = policy.targets.responded_within, policy.targets.closed_within

    def tally(
        done_at: Mapped[datetime | None], within: timedelta
    ) -> tuple[ColumnElement[int], ColumnElement[int]]:
        decided = or_(done_at.is_not(None), col(Complaint.registered_at) <= now - within)
        took = millis_between(session, done_at, col(Complaint.registered_at))
        hit = and_(done_at.is_not(None), took <= within.total_seconds() * 1000)
        return count_if(hit), count_if(decided)

    row = session.exec(
        select(
            *tally(col(Complaint.verified_at), respond), *tally(col(Complaint.closed_at), close)
        ).where(col(Complaint.registered_at) >= start, col(Complaint.registered_at) < end)
    ).one()
    return Tally(float(row[0]), int(row[1])), Tally(float(row[2]), int(row[3]))


def agent_counts(
    *, session: Session, start: datetime, end: datetime, policy: Policy
) -> dict[int, MeasureCounts]:
    """Per agent id: the contact and follow-up counts of ``[start, end)``."""
    answered = answered_tallies(session=session, start=start, end=end, policy=policy)
    first = first_contact_tallies(session=session, start=start, end=end)
    scores = satisfaction_tallies(session=session, start=start, end=end)
    return {
        agent: MeasureCounts(
            answered=answered.get(agent, Tally()),
            first_contact=first.get(agent, Tally()),
            satisfaction=scores.get(agent, Tally()),
        )
        for agent in answered.keys() | first.keys() | scores.keys()
    }


def period_counts(
    *,
    session: Session,
    start: datetime,
    end: datetime,
    now: datetime,
    policy: Policy,
    agents: dict[int, MeasureCounts],
) -> MeasureCounts:
    """The whole floor's counts over ``[start, end)``: the contacts and scores summed from
    ``agents`` (``agent_counts`` of the same period), the complaints counted here."""
    responded, closed = complaint_tallies(
        session=session, start=start, end=end, now=now, policy=policy
    )
    parts = agents.values()
    return MeasureCounts(
        answered=sum((c.answered for c in parts), Tally()),
        first_contact=sum((c.first_contact for c in parts), Tally()),
        satisfaction=sum((c.satisfaction for c in parts), Tally()),
        responded=responded,
        closed=closed,
    )
