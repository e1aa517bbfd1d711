"""Queries of the supervisor's overview: what is open now, and what happened recently.

Each reads only open or recent rows through an index (open complaints by status, pending
callbacks by status and due time, contacts and complaints by time), never the whole history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, case, cast, func, literal_column
from sqlalchemy import select as wide_select  # more columns than sqlmodel's select is typed for
from sqlmodel import Session, col, select

from cs_console.domain.enums import CallbackStatus, Role
from cs_console.storage.tables import Callback, Complaint, Contact, User

DESK_ROLES = (Role.AGENT.value, Role.SPECIALIST.value)  # the people scored and listed
# Open = not closed, written as in the partial index ix_complaints_open (with a literal, not
# a bound parameter) so that SQLite may use that index.
IS_OPEN = col(Complaint.status) != literal_column("'closed'")


@dataclass(frozen=True)
class StaffRow:
    id: int
    username: str
    agent_no: str
    display_name: str
    role: str


def desk_staff(*, session: Session) -> list[StaffRow]:
    """Active agents and specialists, by 工号."""
    rows = session.execute(
        wide_select(
            col(User.id),
            col(User.username),
            col(User.agent_no),
            col(User.display_name),
            col(User.role),
        )
        .where(col(User.role).in_(DESK_ROLES), col(User.active) == True)  # noqa: E712
        .order_by(col(User.agent_no))
    )
    return [StaffRow(*row) for row in rows]


def open_queue(*, session: Session) -> dict[tuple[str, str], int]:
    """Open complaints counted by (severity, status)."""
    rows = session.exec(
        select(col(Complaint.severity), col(Complaint.status), func.count())
        .where(IS_OPEN)
        .group_by(col(Complaint.severity), col(Complaint.status))
    )
    return {(severity, status): n for severity, status, n in rows}


def callback_counts(*, session: Session, now: datetime) -> tuple[int, int]:
    """(pending callbacks, of which overdue at ``now``)."""
    pending, overdue = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(case((col(Callback.due_at) < now, 1), else_=0)), 0),
        ).where(col(Callback.status) == CallbackStatus.PENDING.value)
    ).one()
    return int(pending), int(overdue)


def open_complaints_by_owner(*, session: Session) -> dict[int, int]:
    """How many open complaints each person holds."""
    rows = session.exec(
        select(col(Complaint.owner_id), func.count())
        .where(IS_OPEN)
        .group_by(col(Complaint.owner_id))
    )
    return dict(rows.all())


def agents_on_call(*, session: Session, since: datetime) -> set[int]:
    """Who has a contact started after ``since`` and not ended: on a call now."""
    rows = session.exec(
        select(col(Contact.agent_id))
        .where(col(Contact.started_at) >= since, col(Contact.ended_at).is_(None))
        .distinct()
    )
    return set(rows.all())


def contacts_by_agent(*, session: Session, since: datetime) -> dict[int, int]:
    """How many contacts each agent started after ``since``."""
    rows = session.exec(
        select(col(Contact.agent_id), func.count())
        .where(col(Contact.started_at) >= since)
        .group_by(col(Contact.agent_id))
    )
    return dict(rows.all())


def registered_per_hour(*, session: Session, since: datetime, offset: int) -> dict[int, int]:
    """Complaints registered after ``since`` per hour: the key is the hour counted from the
    epoch in local time (``offset``: seconds east of UTC), counted in SQL."""
    if session.get_bind().dialect.name == "sqlite":
        epoch = cast(func.strftime("%s", col(Complaint.registered_at)), BigInteger)
    else:
        epoch = cast(func.extract("epoch", col(Complaint.registered_at)), BigInteger)
    hour = func.floor((epoch + offset) / 3600)
    rows = session.exec(
        select(hour, func.count()).where(col(Complaint.registered_at) >= since).group_by(hour)
    )
    return {int(key): int(n) for key, n in rows}
