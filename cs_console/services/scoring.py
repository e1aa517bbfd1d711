"""The supervisor's part of the scorecard: monthly ratings, and whom a complaint counts against."""

from __future__ import annotations

from sqlmodel import Session, col, select

from cs_console.domain.enums import Responsibility
from cs_console.domain.permissions import Action
from cs_console.domain.scorecard import Rating
from cs_console.domain.validation import normalize_reference
from cs_console.services.context import Actor, InvalidInput, NotFound, ServiceContext, require
from cs_console.services.recorded_reasons import checked_reason
from cs_console.services.reports import AgentCard, agent_cards, month_bounds
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.events import append_event
from cs_console.storage.overview import DESK_ROLES, StaffRow, desk_staff
from cs_console.storage.tables import AgentRating, Complaint
from cs_console.storage.users import user_by_name


def _staff(session: Session, username: str) -> StaffRow:
    user = user_by_name(session=session, username=username)
    if user is None or user.id is None or user.role not in DESK_ROLES:
        raise NotFound("no_such_agent")
    return StaffRow(user.id, user.username, user.agent_no, user.display_name, user.role)


def agent_card(console: ServiceContext, actor: Actor, username: str, month: str) -> AgentCard:
    """One agent's scorecard for ``month`` ("YYYY-MM")."""
    require(actor, Action.RATE_AGENTS)
    month_bounds(month, console.zone)  # refuses a malformed month
    with read_session(console.engine) as session:
        return agent_cards(console, session, month, [_staff(session, username)])[0]


def rate_agent(
    console: ServiceContext, actor: Actor, username: str, month: str, rating: Rating
) -> AgentCard:
    """Enter (or correct) the supervisor's 40 % for an agent's month; returns the new card.

    Attitude and compliance are whole numbers 0-100; the row keeps who rated and when.
    """
    require(actor, Action.RATE_AGENTS)
    month_bounds(month, console.zone)
    problems = {
        name: "rating_range"
        for name, value in (("attitude", rating.attitude), ("compliance", rating.compliance))
        if not 0 <= value <= 100
    }
    if problems:
        raise InvalidInput(problems)
    now = console.now()
    with write_session(console.engine) as session:
        agent = _staff(session, username)
        row = session.exec(
            select(AgentRating).where(
                col(AgentRating.agent_id) == agent.id, col(AgentRating.month) == month
            )
        ).first()
        if row is None:
            row = AgentRating(agent_id=agent.id, month=month, attitude=0, compliance=0,
                              rated_by=actor.id, rated_at=now)  # fmt: skip
        row.attitude, row.compliance = rating.attitude, rating.compliance
        row.rated_by, row.rated_at = actor.id, now
        session.add(row)
    return agent_card(console, actor, username, month)


def scored_staff(console: ServiceContext, actor: Actor) -> list[StaffRow]:
    """The people a complaint may be counted against: active agents and specialists."""
    require(actor, Action.RATE_AGENTS)
    with read_session(console.engine) as session:
        return desk_staff(session=session)


def attribute_complaint(
    console: ServiceContext,
    actor: Actor,
    complaint_id: int,
    responsibility: Responsibility | None,
    agent_username: str | None = None,
    reason: str = "",
) -> None:
    """Record who is responsible for a complaint (DOMAIN.md: courier, outlet, agent …).

    With responsibility "agent" the agent is named: the complaint then counts against them
    (5 points; an attitude complaint also towards retraining). Recorded as an event, with
    the supervisor's ``reason`` when given (cleaned of escapes; a few real words, never
    only invisible characters or markup).
    """
    require(actor, Action.RATE_AGENTS)
    if responsibility is Responsibility.AGENT and not agent_username:
        raise InvalidInput({"agent": "required"})
    reason = checked_reason(  # optional, but when given a few real words
        console, reason, limit=console.policy.limits.max_description_chars, optional=True
    )
    now = console.now()
    with write_session(console.engine) as session:
        complaint = session.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound("no_such_complaint")
        agent = None
        if responsibility is Responsibility.AGENT:
            agent = _staff(session, agent_username or "")
        complaint.responsibility = responsibility.value if responsibility else ""
        complaint.responsible_agent_id = agent.id if agent else None
        complaint.version += 1
        session.add(complaint)
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="responsibility_recorded",
            complaint_id=complaint_id,
            responsibility=complaint.responsibility,
            agent=agent.username if agent else None,
            reason=reason,
        )


def attribute_by_reference(
    console: ServiceContext,
    actor: Actor,
    reference: str,
    responsibility: Responsibility | None,
    agent_username: str | None = None,
    reason: str = "",
) -> None:
    """``attribute_complaint`` for the complaint with this reference (C-YYYYMMDD-NNNN, also
    typed without dashes, in either case)."""
    require(actor, Action.RATE_AGENTS)
    printed = normalize_reference(reference)
    with read_session(console.engine) as session:
        found = (
            session.exec(
                select(col(Complaint.id)).where(col(Complaint.reference) == printed)
            ).first()
            if printed
            else None
        )
    if found is None:
        raise NotFound("no_such_complaint")
    attribute_complaint(console, actor, found, responsibility, agent_username, reason)
