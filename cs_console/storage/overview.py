"""Queries of the supervisor's overview: what is open now, and what happened recently.

Each reads only open or recent rows through an index (open complaints by status, pending
callbacks by status and due time, contacts and complaints by time), never the whole history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import BigInteger, String, case, cast, func, literal_column, type_coerce
from sqlmodel import Session, col, select

from cs_console.domain.complaint_clocks import ComplaintTimes
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


@dataclass(frozen=True)
class OpenClockRow:
    """An open complaint's clock timestamps and owner (no customer data)."""

    id: int
    reference: str
    severity: str
    category: str
    status: str
    owner_id: int
    times: ComplaintTimes


@dataclass(frozen=True)
class PendingCallbackRow:
    id: int
    kind: str
    owner_id: int
    due_at: datetime
    created_at: datetime
    complaint_reference: str | None


def desk_staff(*, session: Session) -> list[StaffRow]:
    """Active agents and specialists, by 工号."""
    rows = session.exec(
        select(User.id, User.username, User.agent_no, User.display_name, User.role)
        .where(col(User.role).in_(DESK_ROLES), User.active == True)  # noqa: E712
        .order_by(User.agent_no)
    )
    return [StaffRow(*row) for row in rows]  # type: ignore[arg-type]


def open_queue(*, session: Session) -> dict[tuple[str, str], int]:
    """Open complaints counted by (severity, status)."""
    rows = session.exec(
        select(Complaint.severity, Complaint.status, func.count())
        .where(IS_OPEN)
        .group_by(Complaint.severity, Complaint.status)
    )
    return {(severity, status): n for severity, status, n in rows}


TIMES = (
    Complaint.registered_at,
    Complaint.verify_due,
    Complaint.verified_at,
    Complaint.resolve_due,
    Complaint.resolved_at,
    Complaint.followup_due,
    Complaint.followup_done_at,
    Complaint.second_followup_due,
    Complaint.closed_at,
)


def _utc(value: object) -> datetime | None:
    """A stored time as an aware UTC datetime: SQLite gives its text, PostgreSQL a datetime.

    Parsed here (``fromisoformat``) because the column type's own conversion costs several
    times the query for the thousands of open complaints the overview reads.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.astimezone(UTC)  # type: ignore[attr-defined]


def open_clock_rows(*, session: Session) -> list[OpenClockRow]:
    """Every open complaint's clock timestamps, owner and reference."""
    query = select(
        Complaint.id,
        Complaint.reference,
        Complaint.severity,
        Complaint.category,
        Complaint.status,
        Complaint.owner_id,
        *(type_coerce(column, String) for column in TIMES),
    ).where(IS_OPEN)
    # Plain rows (Core), not ORM-loaded ones: a third of the time for thousands of rows.
    rows = session.connection().execute(query).all()
    return [
        OpenClockRow(*row[:6], ComplaintTimes(*map(_utc, row[6:])))  # type: ignore[arg-type]
        for row in rows
    ]  # type: ignore[arg-type]


def pending_callbacks(*, session: Session, due_before: datetime) -> list[PendingCallbackRow]:
    """Pending callbacks due before ``due_before`` (overdue ones included), soonest first."""
    rows = session.exec(
        select(
            Callback.id,
            Callback.kind,
            Callback.owner_id,
            Callback.due_at,
            Callback.created_at,
            Complaint.reference,
        )
        .join(Complaint, Complaint.id == Callback.complaint_id, isouter=True)
        .where(Callback.status == CallbackStatus.PENDING.value, Callback.due_at < due_before)
        .order_by(Callback.due_at)
    )
    return [PendingCallbackRow(*row) for row in rows]  # type: ignore[arg-type]


def callback_counts(*, session: Session, now: datetime) -> tuple[int, int]:
    """(pending callbacks, of which overdue at ``now``)."""
    pending, overdue = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(case((col(Callback.due_at) < now, 1), else_=0)), 0),
        ).where(Callback.status == CallbackStatus.PENDING.value)
    ).one()
    return int(pending), int(overdue)


def open_complaints_by_owner(*, session: Session) -> dict[int, int]:
    """How many open complaints each person holds."""
    rows = session.exec(
        select(Complaint.owner_id, func.count()).where(IS_OPEN).group_by(Complaint.owner_id)
    )
    return dict(rows.all())  # type: ignore[arg-type]


def agents_on_call(*, session: Session, since: datetime) -> set[int]:
    """Who has a contact started after ``since`` and not ended: on a call now."""
    rows = session.exec(
        select(Contact.agent_id)
        .where(col(Contact.started_at) >= since, col(Contact.ended_at).is_(None))
        .distinct()
    )
    return set(rows.all())


def contacts_by_agent(*, session: Session, since: datetime) -> dict[int, int]:
    """How many contacts each agent started after ``since``."""
    rows = session.exec(
        select(Contact.agent_id, func.count())
        .where(col(Contact.started_at) >= since)
        .group_by(Contact.agent_id)
    )
    return dict(rows.all())  # type: ignore[arg-type]


def registered_per_hour(*, session: Session, since: datetime, offset: int) -> dict[int, int]:
    """Complaints registered after ``since`` per hour: the key is the hour counted from the
    epoch in local time (``offset``: seconds east of UTC), counted in SQL."""
    if session.get_bind().dialect.name == "sqlite":
        epoch = cast(func.strftime("%s", Complaint.registered_at), BigInteger)
    else:
        epoch = cast(func.extract("epoch", Complaint.registered_at), BigInteger)
    hour = func.floor((epoch + offset) / 3600)
    rows = session.exec(
        select(hour, func.count()).where(col(Complaint.registered_at) >= since).group_by(hour)
    )
    return {int(key): int(n) for key, n in rows}


def display_names(*, session: Session, user_ids: set[int]) -> dict[int, str]:
    """The display names of ``user_ids``."""
    if not user_ids:
        return {}
    rows = session.exec(
        select(User.id, User.display_name).where(col(User.id).in_(sorted(user_ids)))
    )
    return dict(rows.all())  # type: ignore[arg-type]
