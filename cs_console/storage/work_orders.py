"""Queries of work orders to outlets: keyword-only session, plain values back.

The outlet's inbox and the overdue orders read through the partial indexes of open orders
(``ix_work_orders_open_outlet_due``, ``ix_work_orders_open_due``), never the answered ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, select, update
from sqlmodel import Session, col

from cs_console.domain.enums import Role
from cs_console.domain.work_orders import OrderKind, OrderResult, OrderState, OrderStatus
from cs_console.storage.complaints import OPEN_STATUSES
from cs_console.storage.tables import Complaint, Event, User, WorkOrder

_OPEN = OrderStatus.OPEN.value
# Written into the statement, not bound: a planner proves the partial indexes' condition
# (``status = 'open'``) from a literal, not from a parameter (PostgreSQL's generic plans).
_IS_OPEN = col(WorkOrder.status) == literal_column(f"'{_OPEN}'")


@dataclass(frozen=True)
class OrderRow:
    id: int
    complaint_id: int
    complaint_reference: str
    complaint_owner_id: int
    kind: str
    outlet: str
    status: str  # stored: open or answered (domain.work_orders.OrderStatus)
    instructions: str
    created_by: int
    created_at: datetime
    due_at: datetime
    answered_at: datetime | None
    result: str  # "" until answered
    answer: str


_COLUMNS = (
    col(WorkOrder.id),
    col(WorkOrder.complaint_id),
    col(Complaint.reference),
    col(Complaint.owner_id),
    col(WorkOrder.kind),
    col(WorkOrder.outlet),
    col(WorkOrder.status),
    col(WorkOrder.instructions),
    col(WorkOrder.created_by),
    col(WorkOrder.created_at),
    col(WorkOrder.due_at),
    col(WorkOrder.answered_at),
    col(WorkOrder.result),
    col(WorkOrder.answer),
)


def _rows(session: Session, query: Select[*tuple[Any, ...]]) -> list[OrderRow]:
    return [OrderRow(*row) for row in session.connection().execute(query)]


def _select(*where: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    return (
        select(*_COLUMNS)
        .join(Complaint, col(Complaint.id) == col(WorkOrder.complaint_id))
        .where(*where)
        .order_by(col(WorkOrder.due_at), col(WorkOrder.id))
    )


def add_work_order(
    *,
    session: Session,
    complaint_id: int,
    kind: str,
    outlet: str,
    instructions: str,
    created_by: int,
    created_at: datetime,
    due_at: datetime,
) -> int:
    """Store a new open order and return its id."""
    order = WorkOrder(
        complaint_id=complaint_id,
        kind=kind,
        outlet=outlet,
        status=_OPEN,
        instructions=instructions,
        created_by=created_by,
        created_at=created_at,
        due_at=due_at,
    )
    session.add(order)
    session.flush()
    assert order.id is not None
    return order.id


def work_order(*, session: Session, order_id: int) -> OrderRow | None:
    """One order with its complaint's reference and owner, or None."""
    found = _rows(session, _select(col(WorkOrder.id) == order_id))
    return found[0] if found else None


def record_answer(
    *,
    session: Session,
    order_id: int,
    result: str,
    answer: str,
    answered_by: int,
    answered_at: datetime,
) -> bool:
    """Answer an open order; False when it was answered already (by someone else meanwhile:
    the update only matches an open order, so two answers never both land)."""
    done = session.connection().execute(
        update(WorkOrder)
        .where(col(WorkOrder.id) == order_id, _IS_OPEN)
        .values(
            status=OrderStatus.ANSWERED.value,
            result=result,
            answer=answer,
            answered_by=answered_by,
            answered_at=answered_at,
        )
    )
    return bool(done.rowcount)


def _in_state(state: OrderState, now: datetime) -> ColumnElement[bool]:
    if state is OrderState.ANSWERED:
        return col(WorkOrder.status) == OrderStatus.ANSWERED.value
    if state is OrderState.OVERDUE:
        return and_(_IS_OPEN, col(WorkOrder.due_at) < now)
    return and_(_IS_OPEN, col(WorkOrder.due_at) >= now)


def list_work_orders(
    *,
    session: Session,
    now: datetime,
    outlet: str | None = None,
    owner_ids: Sequence[int] | None = None,
    state: OrderState | None = None,
) -> list[OrderRow]:
    """Orders by due time: to ``outlet`` only, on complaints held by ``owner_ids`` only,
    in ``state`` only (each when given)."""
    where: list[ColumnElement[bool]] = []
    if outlet is not None:
        where.append(col(WorkOrder.outlet) == outlet)
    if owner_ids is not None:
        where.append(col(Complaint.owner_id).in_(owner_ids))
    if state is not None:
        where.append(_in_state(state, now))
    return _rows(session, _select(*where))


def open_orders_of_outlet(
    *, session: Session, outlet: str, limit: int
) -> tuple[list[OrderRow], int]:
    """The outlet's inbox: its ``limit`` most urgent open orders, and how many are open."""
    where = (_IS_OPEN, col(WorkOrder.outlet) == outlet)
    total = session.execute(select(func.count()).select_from(WorkOrder).where(*where)).scalar()
    return _rows(session, _select(*where).limit(limit)), total or 0


def overdue_orders(*, session: Session, now: datetime, limit: int) -> tuple[list[OrderRow], int]:
    """The ``limit`` orders longest overdue, of every outlet, and how many are overdue."""
    where = (_IS_OPEN, col(WorkOrder.due_at) < now)
    total = session.execute(select(func.count()).select_from(WorkOrder).where(*where)).scalar()
    return _rows(session, _select(*where).limit(limit)), total or 0


def outlet_has_account(*, session: Session, outlet: str) -> bool:
    """Whether an active outlet account serves ``outlet`` (someone can answer its orders)."""
    found = session.execute(
        select(col(User.id))
        .where(
            col(User.role) == Role.OUTLET.value,
            col(User.outlet) == outlet,
            col(User.active).is_(True),
        )
        .limit(1)
    ).first()
    return found is not None


def complaint_id_of(*, session: Session, reference: str) -> int | None:
    """The id of the complaint with this (printed) reference, or None."""
    return session.execute(
        select(col(Complaint.id)).where(col(Complaint.reference) == reference)
    ).scalar()


def team_member_ids(*, session: Session, team: str) -> list[int]:
    """The ids of everyone in ``team``."""
    return list(session.execute(select(col(User.id)).where(col(User.team) == team)).scalars())


def replied_complaints(*, session: Session, owner_id: int) -> set[int]:
    """The complaints ``owner_id`` holds whose outlet answered an order and on which the
    owner has done nothing since (no event of theirs after the answer): "outlet replied"."""
    acted = (
        select(col(Event.id))
        .where(
            col(Event.complaint_id) == col(WorkOrder.complaint_id),
            col(Event.actor_id) == owner_id,
            col(Event.at) > col(WorkOrder.answered_at),
        )
        .exists()
    )
    found = session.execute(
        select(col(WorkOrder.complaint_id))
        .join(Complaint, col(Complaint.id) == col(WorkOrder.complaint_id))
        .where(
            col(Complaint.owner_id) == owner_id,
            col(Complaint.status).in_(OPEN_STATUSES),
            col(WorkOrder.status) == OrderStatus.ANSWERED.value,
            ~acted,
        )
    )
    return set(found.scalars())


def latest_finding(*, session: Session, complaint_id: int) -> OrderRow | None:
    """The complaint's verify order answered last with what the outlet found (facts, or
    done), or None; a "cannot" answer found nothing."""
    found = _rows(
        session,
        _select(
            col(WorkOrder.complaint_id) == complaint_id,
            col(WorkOrder.kind) == OrderKind.VERIFY.value,
            col(WorkOrder.status) == OrderStatus.ANSWERED.value,
            col(WorkOrder.result) != OrderResult.CANNOT.value,
        )
        .order_by(None)
        .order_by(col(WorkOrder.answered_at).desc(), col(WorkOrder.id).desc())
        .limit(1),
    )
    return found[0] if found else None


@dataclass(frozen=True)
class OutletOrders:
    """One outlet's orders sent in a period: how many, how many answered by their due
    time, and how long each answer took (seconds), for the month report."""

    outlet: str
    sent: int
    answered_in_time: int
    reply_seconds: tuple[float, ...]


def orders_by_outlet(*, session: Session, start: datetime, end: datetime) -> list[OutletOrders]:
    """Every outlet's orders sent in ``[start, end)``, by outlet name."""
    rows = session.execute(
        select(
            col(WorkOrder.outlet),
            col(WorkOrder.created_at),
            col(WorkOrder.due_at),
            col(WorkOrder.answered_at),
        ).where(col(WorkOrder.created_at) >= start, col(WorkOrder.created_at) < end)
    )
    sent: dict[str, int] = {}
    in_time: dict[str, int] = {}
    took: dict[str, list[float]] = {}
    for outlet, created, due, answered in rows:
        sent[outlet] = sent.get(outlet, 0) + 1
        in_time.setdefault(outlet, 0)
        took.setdefault(outlet, [])
        if answered is not None:
            in_time[outlet] += answered <= due
            took[outlet].append((answered - created).total_seconds())
    return [
        OutletOrders(name, sent[name], in_time[name], tuple(took[name])) for name in sorted(sent)
    ]
