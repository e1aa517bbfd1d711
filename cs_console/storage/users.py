"""Queries on accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from cs_console.storage.tables import User


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    agent_no: str
    role: str
    team: str
    outlet: str
    active: bool
    locked_until: datetime | None
    password_changed_at: datetime


def _row(user: User) -> UserRow:
    assert user.id is not None
    return UserRow(
        user.id,
        user.username,
        user.display_name,
        user.agent_no,
        user.role,
        user.team,
        user.outlet,
        user.active,
        user.locked_until,
        user.password_changed_at,
    )


def user_by_name(*, session: Session, username: str) -> User | None:
    """The account row for ``username`` (live, for updates inside a write session)."""
    return session.exec(select(User).where(col(User.username) == username)).first()


def user_row(*, session: Session, user_id: int) -> UserRow | None:
    """The account with this id, as plain values (None when there is none)."""
    user = session.get(User, user_id)
    return _row(user) if user is not None else None


def list_users(*, session: Session, role: str | None = None) -> list[UserRow]:
    """Every account, by agent number; optionally only one role."""
    query = select(User).order_by(col(User.agent_no))
    if role is not None:
        query = query.where(col(User.role) == role)
    return [_row(user) for user in session.exec(query)]


def count_users(*, session: Session) -> int:
    """How many accounts exist."""
    return len(session.exec(select(col(User.id))).all())


def agent_no_taken(*, session: Session, agent_no: str) -> bool:
    """Whether an account already has this agent number (工号)."""
    return (
        session.exec(select(col(User.id)).where(col(User.agent_no) == agent_no)).first() is not None
    )
