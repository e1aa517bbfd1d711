"""Work orders (工单) to outlets: sent from a complaint, listed by who may see them, answered
by the outlet they were sent to; one transaction each.

The parcel's signed state is not stored yet (the tracking provider will tell it): whoever
sends an order says whether the parcel is signed for (``parcel_signed``), and intercepts and
address changes are refused when it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from cs_console.domain.enums import CallbackKind, Role
from cs_console.domain.permissions import VIEW_SCOPE, Action, Scope
from cs_console.domain.reasons import no_visible_words
from cs_console.domain.text import clean_line
from cs_console.domain.validation import normalize_reference
from cs_console.domain.work_orders import (
    TELL_THE_CUSTOMER,
    OrderKind,
    OrderResult,
    OrderState,
    OrderStatus,
    answer_problems,
    order_due,
    order_state,
    refused_for_signed_parcel,
)
from cs_console.services.callbacks import followup_callback
from cs_console.services.complaint_lock import load_for_update
from cs_console.services.context import (
    Actor,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceContext,
    ServiceError,
    require,
)
from cs_console.services.owners import typed_note
from cs_console.services.visibility import check_visible
from cs_console.storage import work_orders as queries
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.events import append_event
from cs_console.storage.tables import Callback, Complaint, Parcel, WorkOrder, max_chars
from cs_console.storage.work_orders import OrderRow

# The outlet's inbox and the overview show this many; the count says how many more.
SHOWN = 100


@dataclass(frozen=True)
class WorkOrderView:
    id: int
    complaint_reference: str
    kind: OrderKind
    outlet: str
    state: OrderState
    instructions: str
    created_at: datetime
    due_at: datetime
    answered_at: datetime | None
    result: OrderResult | None
    answer: str


@dataclass(frozen=True)
class OrderPage:
    """The first orders of a list (most urgent first) and how many there are in all."""

    shown: tuple[WorkOrderView, ...]
    total: int


def _view(row: OrderRow, now: datetime) -> WorkOrderView:
    return WorkOrderView(
        row.id,
        row.complaint_reference,
        OrderKind(row.kind),
        row.outlet,
        order_state(OrderStatus(row.status), row.due_at, now),
        row.instructions,
        row.created_at,
        row.due_at,
        row.answered_at,
        OrderResult(row.result) if row.result else None,
        row.answer,
    )


def _typed(console: ServiceContext, text: str, *, required: bool) -> str:
    """An order's or an answer's text as stored: cleaned of escapes, within the policy's
    and the column's size (``instructions`` and ``answer`` are the same size), holding a
    visible word when ``required``."""
    cleaned = typed_note(console, "text", text)
    if required and no_visible_words(cleaned):
        raise InvalidInput({"text": "required"})
    if len(cleaned) > max_chars(WorkOrder, "answer"):
        raise InvalidInput({"text": "too_long"})
    return cleaned


@dataclass(frozen=True)
class OrderStart:
    """What a new order about a complaint starts from: the outlet it goes to by default
    (the complaint's, else the outlet delivering its parcel) and what the
    customer said (the complaint's description), for the agent to edit."""

    reference: str
    outlet: str
    said: str
    signed: bool = False  # the tracking says the parcel was signed for


def delivering_outlet(session: Session, complaint: Complaint) -> str:
    """Where an order goes by default: the complaint's outlet (a walk-in's, or as typed),
    else the outlet delivering its parcel (from the tracking, stored with the parcel)."""
    if complaint.outlet:
        return complaint.outlet
    parcel = _parcel_of(session, complaint)
    return parcel.outlet if parcel is not None else ""


def _complaint_of(session: Session, reference: str | None) -> Complaint | None:
    """The complaint a printed reference names, if there is one."""
    found = queries.complaint_id_of(session=session, reference=reference) if reference else None
    return session.get(Complaint, found) if found is not None else None


def _parcel_of(session: Session, complaint: Complaint) -> Parcel | None:
    return session.get(Parcel, complaint.parcel_id) if complaint.parcel_id else None


def _tracking_no_of(console: ServiceContext, reference: str | None) -> str:
    """The tracking number of the complaint ``reference``'s parcel ("" when none)."""
    with read_session(console.engine) as session:
        complaint = _complaint_of(session, reference)
        parcel = _parcel_of(session, complaint) if complaint is not None else None
        return parcel.tracking_no if parcel is not None else ""


def order_start(console: ServiceContext, actor: Actor, reference: str) -> OrderStart:
    """The defaults of a new order about the complaint ``reference``, for one who may send
    orders and sees the complaint."""
    require(actor, Action.SEND_WORK_ORDER)
    with read_session(console.engine) as session:
        complaint = _complaint_of(session, normalize_reference(reference))
        if complaint is None:
            raise NotFound("no_such_complaint")
        check_visible(session, actor, complaint)
        parcel = _parcel_of(session, complaint)
        printed, said = complaint.reference, complaint.description
        outlet = delivering_outlet(session, complaint)
    # Asked after the session: a network provider may take its 2 s.
    signed = parcel is not None and _signed_by_tracking(console, parcel.tracking_no)
    return OrderStart(printed, outlet, said, signed)


def _signed_by_tracking(console: ServiceContext, tracking_no: str) -> bool:
    """Whether the tracking says the parcel was signed for; False when it cannot tell (no
    provider, an unknown number, the provider away): then the agent's word stands."""
    from cs_console.domain.tracking import TrackingState
    from cs_console.services.tracking.provider import TrackingUnavailable

    if console.tracking is None or not tracking_no:
        return False
    try:
        state = console.tracking.track(tracking_no).state
    except (ServiceError, TrackingUnavailable):
        return False
    return state in (TrackingState.SIGNED, TrackingState.RETURNED)


def send_work_order(
    console: ServiceContext,
    actor: Actor,
    reference: str,
    kind: OrderKind,
    text: str,
    *,
    outlet: str | None = None,
    parcel_signed: bool = False,
) -> WorkOrderView:
    """Send the outlet (by default the complaint's) an order of ``kind`` about the
    complaint ``reference``, saying what to do and what the customer said. Its owner or a
    supervisor sends it; due per the policy (a verify order before the complaint's verify
    clock runs out). Intercepts and address changes are refused for a signed parcel."""
    require(actor, Action.SEND_WORK_ORDER)
    text = _typed(console, text, required=True)
    chosen = clean_line(outlet or "").strip()
    printed = normalize_reference(reference)
    if refused_for_signed_parcel(kind, True) and not parcel_signed:  # ask the tracking too
        parcel_signed = _signed_by_tracking(console, _tracking_no_of(console, printed))
    if refused_for_signed_parcel(kind, parcel_signed):
        raise ServiceError("order_parcel_signed", kind=kind.value)
    now = console.now()
    with write_session(console.engine) as session:
        found = queries.complaint_id_of(session=session, reference=printed) if printed else None
        if found is None:
            raise NotFound("no_such_complaint")
        complaint = load_for_update(session, actor, found, None)  # owner or supervisor; open
        chosen = chosen or delivering_outlet(session, complaint)
        if not chosen:
            raise InvalidInput({"outlet": "required"})
        if not queries.outlet_has_account(session=session, outlet=chosen):
            raise ServiceError("no_such_outlet", outlet=chosen)
        running = complaint.verify_due if complaint.verified_at is None else None
        due = order_due(kind, now, console.policy.work_orders, running)
        order_id = queries.add_work_order(
            session=session,
            complaint_id=found,
            kind=kind.value,
            outlet=chosen,
            instructions=text,
            created_by=actor.id,
            created_at=now,
            due_at=due,
        )
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="order_sent",
            complaint_id=found,
            order=order_id,
            order_kind=kind.value,
            outlet=chosen,
            due=due.isoformat(),
        )
        row = queries.work_order(session=session, order_id=order_id)
    assert row is not None
    return _view(row, now)


def _owners_seen(session: Session, actor: Actor) -> list[int] | None:
    """The owners whose complaints' orders the actor sees; None for everyone's."""
    scope = VIEW_SCOPE[actor.role]
    if scope is Scope.ALL:
        return None
    if scope is Scope.TEAM and actor.team:
        return queries.team_member_ids(session=session, team=actor.team)
    return [actor.id]


def list_work_orders(
    console: ServiceContext,
    actor: Actor,
    *,
    outlet: str | None = None,
    state: OrderState | None = None,
) -> list[WorkOrderView]:
    """Orders by due time, as far as the actor may see them: an outlet its own outlet's,
    an agent those on their own and their team's complaints, a specialist those on their
    own, a supervisor all. ``outlet`` and ``state`` narrow the list."""
    require(actor, Action.VIEW_WORK_ORDERS)
    if actor.role is Role.OUTLET:
        if not actor.outlet or (outlet and outlet != actor.outlet):
            raise PermissionDenied("not_your_outlet")
        outlet = actor.outlet
    now = console.now()
    with read_session(console.engine) as session:
        owners = None if actor.role is Role.OUTLET else _owners_seen(session, actor)
        rows = queries.list_work_orders(
            session=session, now=now, outlet=outlet or None, owner_ids=owners, state=state
        )
    return [_view(row, now) for row in rows]


def outlet_inbox(console: ServiceContext, actor: Actor, limit: int = SHOWN) -> OrderPage:
    """The outlet's open orders, most urgent first (overdue ones lead), for its clerk."""
    require(actor, Action.ANSWER_WORK_ORDER)
    if not actor.outlet:
        raise PermissionDenied("not_your_outlet")
    now = console.now()
    with read_session(console.engine) as session:
        rows, total = queries.open_orders_of_outlet(
            session=session, outlet=actor.outlet, limit=limit
        )
    return OrderPage(tuple(_view(row, now) for row in rows), total)


def overdue_work_orders(console: ServiceContext, actor: Actor, limit: int = SHOWN) -> OrderPage:
    """Orders past due and unanswered, of every outlet, longest overdue first (the
    supervisor's overview)."""
    require(actor, Action.VIEW_OVERVIEW)
    now = console.now()
    with read_session(console.engine) as session:
        rows, total = queries.overdue_orders(session=session, now=now, limit=limit)
    return OrderPage(tuple(_view(row, now) for row in rows), total)


def answer_work_order(
    console: ServiceContext, actor: Actor, order_id: int, result: OrderResult, text: str = ""
) -> WorkOrderView:
    """The outlet's answer to one of its orders: done, cannot (with the reason) or the
    facts found. It goes into the complaint's history at once; the answer to an intercept
    or an address change queues a callback to tell the customer."""
    require(actor, Action.ANSWER_WORK_ORDER)
    text = _typed(console, text, required=False)
    if problems := answer_problems(result, text):
        raise InvalidInput(problems)
    now = console.now()
    with write_session(console.engine) as session:
        row = queries.work_order(session=session, order_id=order_id)
        if row is None:
            raise NotFound("no_such_order")
        if not actor.outlet or row.outlet != actor.outlet:
            raise PermissionDenied("not_your_outlet")
        answered = queries.record_answer(
            session=session,
            order_id=order_id,
            result=result.value,
            answer=text,
            answered_by=actor.id,
            answered_at=now,
        )
        if not answered:
            raise ServiceError("order_answered")
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="order_answered",
            complaint_id=row.complaint_id,
            order=order_id,
            order_kind=row.kind,
            outlet=row.outlet,
            result=result.value,
            answer=text,
            late=now > row.due_at,
        )
        if OrderKind(row.kind) in TELL_THE_CUSTOMER:
            _tell_the_customer(session, console, row, text, now)
        answered_row = queries.work_order(session=session, order_id=order_id)
    assert answered_row is not None
    return _view(answered_row, now)


def _tell_the_customer(
    session: Session, console: ServiceContext, row: OrderRow, text: str, now: datetime
) -> None:
    """A callback for the complaint's owner to tell the customer the outlet's answer."""
    complaint = session.get(Complaint, row.complaint_id)
    assert complaint is not None  # the order's foreign key
    due = now + console.policy.work_orders.result_callback
    callback = followup_callback(complaint, CallbackKind.REPLY_PROMISE, due, now)
    callback.note = text[: max_chars(Callback, "note")]
    session.add(callback)
