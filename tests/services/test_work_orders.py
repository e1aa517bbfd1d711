"""Work orders to outlets: sent from a complaint to its outlet, due per the policy, seen by
whom the roles allow, answered only by the outlet they were sent to; the answer lands in
the complaint's history, and an intercept's answer queues a callback to the customer."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text

from cs_console.domain.enums import CallbackKind, Role
from cs_console.domain.tracking import Tracking, TrackingEvent, build_tracking
from cs_console.domain.work_orders import OrderKind, OrderResult, OrderState
from cs_console.services.complaint_progress import mark_verified
from cs_console.services.complaints import register_complaint
from cs_console.services.context import (
    Actor,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceContext,
    ServiceError,
)
from cs_console.services.work_orders import (
    answer_work_order,
    list_work_orders,
    order_start,
    outlet_inbox,
    overdue_work_orders,
    send_work_order,
)
from cs_console.services.worklists import complaint_view
from cs_console.storage.tables import Callback, Complaint
from tests.conftest import START, FakeClock, add_person
from tests.injections import FEW_INJECTIONS

from .helpers import distinct_form, one, rows

PUDONG, XUHUI = "浦东网点", "徐汇网点"
SAID = "客户说快递员没有打电话就放在了驿站" + "".join(FEW_INJECTIONS)


@pytest.fixture
def desk(console: ServiceContext, agent: Actor) -> dict[str, Actor]:
    """The agent wangfang, a teammate and an outsider, a specialist, a supervisor, and the
    counters of two outlets."""
    return {
        "agent": agent,
        "boss": add_person(console, "boss", Role.SUPERVISOR, agent_no="9001"),
        "specialist": add_person(console, "zhao", Role.SPECIALIST, agent_no="3001"),
        "pudong": add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet=PUDONG),
        "xuhui": add_person(console, "xuhui", Role.OUTLET, agent_no="7002", outlet=XUHUI),
    }


def _complaint(console: ServiceContext, actor: Actor, i: int = 1, outlet: str = PUDONG) -> str:
    return register_complaint(console, actor, distinct_form(i, outlet=outlet)).reference


def test_a_verify_order_goes_to_the_complaints_outlet_before_its_verify_clock(
    console: ServiceContext, desk: dict[str, Actor]
) -> None:
    reference = _complaint(console, desk["agent"])  # general: verify within 1 h

    order = send_work_order(console, desk["agent"], reference, OrderKind.VERIFY, SAID)

    assert (order.outlet, order.kind, order.state) == (PUDONG, OrderKind.VERIFY, OrderState.OPEN)
    assert order.instructions.startswith("客户说") and "\x1b" not in order.instructions
    assert (order.created_at, order.due_at) == (START, START + timedelta(minutes=45))
    events = complaint_view(console, desk["agent"], _id(console, desk, reference)).events
    assert events[-1].kind == "order_sent"
    assert events[-1].detail["order"] == order.id and events[-1].detail["outlet"] == PUDONG


def _id(console: ServiceContext, desk: dict[str, Actor], reference: str) -> int:
    found: int = one(console, Complaint, Complaint.reference == reference).id
    return found


def test_a_phone_complaint_goes_to_the_outlet_delivering_its_parcel(
    console: ServiceContext, desk: dict[str, Actor]
) -> None:
    """No outlet typed on a phone complaint: the parcel's delivering outlet (as the tracking
    stored it) is the default, in the dialog and when sent."""
    reference = _complaint(console, desk["agent"], outlet="")
    complaint = one(console, Complaint, Complaint.reference == reference)
    with console.engine.begin() as conn:
        conn.execute(
            text("UPDATE parcels SET outlet = :o WHERE id = :p"),
            {"o": PUDONG, "p": complaint.parcel_id},
        )

    assert order_start(console, desk["agent"], reference).outlet == PUDONG
    order = send_work_order(console, desk["agent"], reference, OrderKind.VERIFY, SAID)
    assert order.outlet == PUDONG


def test_once_verified_a_verify_order_gets_the_policy_hours(
    console: ServiceContext, desk: dict[str, Actor]
) -> None:
    reference = _complaint(console, desk["agent"])
    mark_verified(console, desk["agent"], _id(console, desk, reference))
    order = send_work_order(console, desk["agent"], reference, OrderKind.VERIFY, SAID)
    assert order.due_at == START + timedelta(hours=4)


def test_another_outlet_can_be_named_and_an_unknown_one_is_refused(
    console: ServiceContext, desk: dict[str, Actor]
) -> None:
    reference = _complaint(console, desk["agent"], outlet="")
    with pytest.raises(InvalidInput) as missing:
        send_work_order(console, desk["agent"], reference, OrderKind.URGE, SAID)
    assert missing.value.fields == {"outlet": "required"}
    with pytest.raises(ServiceError) as unknown:
        send_work_order(console, desk["agent"], reference, OrderKind.URGE, SAID, outlet="无此网点")
    assert unknown.value.code == "no_such_outlet"
    order = send_work_order(console, desk["agent"], reference, OrderKind.URGE, SAID, outlet=XUHUI)
    assert (order.outlet, order.due_at) == (XUHUI, START + timedelta(hours=4))


def test_intercept_and_readdress_are_refused_for_a_signed_parcel(
    console: ServiceContext, desk: dict[str, Actor]
) -> None:
    reference = _complaint(console, desk["agent"])
    for kind in (OrderKind.INTERCEPT, OrderKind.READDRESS):
        with pytest.raises(ServiceError) as refused:
            send_work_order(console, desk["agent"], reference, kind, SAID, parcel_signed=True)
        assert refused.value.code == "order_parcel_signed"
    redeliver = send_work_order(
        console, desk["agent"], reference, OrderKind.REDELIVER, SAID, parcel_signed=True
    )
    assert redeliver.due_at == START + timedelta(hours=24)
    assert len(list_work_orders(console, desk["boss"])) == 1


def test_only_the_owner_or_a_supervisor_sends_and_text_is_required(
    console: ServiceContext, desk: dict[str, Actor]
) -> None:
    reference = _complaint(console, desk["agent"])
    with pytest.raises(PermissionDenied) as refused:
        send_work_order(console, desk["specialist"], reference, OrderKind.URGE, SAID)
    assert refused.value.code == "not_owner"
    with pytest.raises(InvalidInput) as empty:
        send_work_order(console, desk["agent"], reference, OrderKind.URGE, " \n ")
    assert empty.value.fields == {"text": "required"}
    with pytest.raises(NotFound):
        send_work_order(console, desk["agent"], "C-20261122-9999", OrderKind.URGE, SAID)
    assert send_work_order(console, desk["boss"], reference, OrderKind.URGE, SAID).id


def test_the_outlet_answers_and_the_answer_reaches_the_complaint(
    console: ServiceContext, desk: dict[str, Actor], clock: FakeClock
) -> None:
    reference = _complaint(console, desk["agent"])
    order = send_work_order(console, desk["agent"], reference, OrderKind.VERIFY, SAID)
    assert [o.id for o in outlet_inbox(console, desk["pudong"]).shown] == [order.id]
    clock.advance(minutes=20)

    answered = answer_work_order(
        console, desk["pudong"], order.id, OrderResult.FACTS, "快递员承认未电话联系[/b]"
    )

    assert (answered.state, answered.result) == (OrderState.ANSWERED, OrderResult.FACTS)
    assert answered.answered_at == START + timedelta(minutes=20)
    assert outlet_inbox(console, desk["pudong"]).total == 0
    last = complaint_view(console, desk["agent"], _id(console, desk, reference)).events[-1]
    assert (last.kind, last.actor) == ("order_answered", "pudong")
    assert last.detail["answer"] == "快递员承认未电话联系[/b]" and last.detail["late"] is False
    assert rows(console, Callback) == []  # a verify order tells the customer nothing itself
    with pytest.raises(ServiceError) as twice:
        answer_work_order(console, desk["pudong"], order.id, OrderResult.DONE)
    assert twice.value.code == "order_answered"


def test_an_intercept_answered_queues_a_callback_to_the_customer(
    console: ServiceContext, desk: dict[str, Actor], clock: FakeClock
) -> None:
    reference = _complaint(console, desk["agent"])
    order = send_work_order(console, desk["agent"], reference, OrderKind.INTERCEPT, SAID)
    clock.advance(hours=3)  # past its 2 h

    answer_work_order(console, desk["pudong"], order.id, OrderResult.CANNOT, "包裹已出站")

    [callback] = rows(console, Callback)
    assert (callback.kind, callback.owner_id) == (CallbackKind.REPLY_PROMISE, desk["agent"].id)
    assert callback.due_at == START + timedelta(hours=4) and callback.note == "包裹已出站"
    last = complaint_view(console, desk["agent"], _id(console, desk, reference)).events[-1]
    assert last.detail["late"] is True and last.detail["result"] == "cannot"


def test_only_the_outlet_it_was_sent_to_answers_and_cannot_needs_a_reason(
    console: ServiceContext, desk: dict[str, Actor]
) -> None:
    reference = _complaint(console, desk["agent"])
    order = send_work_order(console, desk["agent"], reference, OrderKind.URGE, SAID)
    with pytest.raises(PermissionDenied) as other:
        answer_work_order(console, desk["xuhui"], order.id, OrderResult.DONE)
    assert other.value.code == "not_your_outlet"
    with pytest.raises(PermissionDenied) as agent:
        answer_work_order(console, desk["agent"], order.id, OrderResult.DONE)
    assert agent.value.code == "refused_answer_work_order"
    with pytest.raises(InvalidInput) as reasonless:
        answer_work_order(console, desk["pudong"], order.id, OrderResult.CANNOT, "")
    assert reasonless.value.fields == {"text": "required"}
    with pytest.raises(NotFound):
        answer_work_order(console, desk["pudong"], 999_999, OrderResult.DONE)
    assert answer_work_order(console, desk["pudong"], order.id, OrderResult.DONE).answer == ""


def test_who_sees_which_orders(console: ServiceContext, desk: dict[str, Actor]) -> None:
    mate = add_person(console, "li", agent_no="1025", team="一组")
    wang = add_person(console, "wang2", agent_no="1026", team="一组")
    outsider = add_person(console, "chen", agent_no="1027", team="二组")
    mine = _complaint(console, wang, 1)
    theirs = _complaint(console, mate, 2, outlet=XUHUI)
    send_work_order(console, wang, mine, OrderKind.URGE, SAID)
    send_work_order(console, mate, theirs, OrderKind.REDELIVER, SAID)

    def seen(actor: Actor, **narrow: object) -> list[str]:
        return [o.complaint_reference for o in list_work_orders(console, actor, **narrow)]  # type: ignore[arg-type]

    assert seen(wang) == [mine, theirs]  # own and team's, by due time
    assert seen(outsider) == []
    assert seen(desk["boss"]) == [mine, theirs]
    assert seen(desk["boss"], outlet=XUHUI) == [theirs]
    assert seen(desk["pudong"]) == [mine]
    assert seen(desk["xuhui"]) == [theirs]
    with pytest.raises(PermissionDenied):
        seen(desk["pudong"], outlet=XUHUI)
    admin = add_person(console, "root", Role.ADMIN, agent_no="0001")
    with pytest.raises(PermissionDenied):
        seen(admin)


def test_open_overdue_and_answered(
    console: ServiceContext, desk: dict[str, Actor], clock: FakeClock
) -> None:
    first = _complaint(console, desk["agent"], 1)
    second = _complaint(console, desk["agent"], 2)
    third = _complaint(console, desk["agent"], 3, outlet=XUHUI)
    late = send_work_order(console, desk["agent"], first, OrderKind.INTERCEPT, SAID)  # 2 h
    waiting = send_work_order(console, desk["agent"], second, OrderKind.REDELIVER, SAID)
    done = send_work_order(console, desk["agent"], third, OrderKind.URGE, SAID)
    answer_work_order(console, desk["xuhui"], done.id, OrderResult.DONE)
    clock.advance(hours=3)

    def ids(state: OrderState) -> list[int]:
        return [o.id for o in list_work_orders(console, desk["boss"], state=state)]

    assert ids(OrderState.OVERDUE) == [late.id]
    assert ids(OrderState.OPEN) == [waiting.id]
    assert ids(OrderState.ANSWERED) == [done.id]
    overdue = overdue_work_orders(console, desk["boss"])
    assert overdue.total == 1 and [(o.id, o.outlet) for o in overdue.shown] == [(late.id, PUDONG)]
    with pytest.raises(PermissionDenied):
        overdue_work_orders(console, desk["agent"])
    inbox = outlet_inbox(console, desk["pudong"], limit=1)
    assert inbox.total == 2 and [o.state for o in inbox.shown] == [OrderState.OVERDUE]


class _SignedFor:
    """A tracking that says every parcel was signed for."""

    def track(self, tracking_no: str, phone_last4: str | None = None) -> Tracking:
        return build_tracking(
            tracking_no=tracking_no,
            state_code=3,
            events_newest_first=[TrackingEvent(START, "【浦东网点】快件已签收，签收人：本人")],
            carrier="own",
            source="test",
            fetched_at=START,
        )


def test_the_tracking_says_signed_for_so_an_intercept_is_refused_unasked(
    console: ServiceContext, desk: dict[str, Actor]
) -> None:
    """The agent need not say the parcel was signed for when the tracking knows it: the
    dialog starts so, and an intercept is refused even if the agent said nothing."""
    reference = _complaint(console, desk["agent"])
    tracked = replace(console, tracking=_SignedFor())

    assert order_start(tracked, desk["agent"], reference).signed
    assert not order_start(console, desk["agent"], reference).signed  # no tracking: unknown
    with pytest.raises(ServiceError) as refused:
        send_work_order(tracked, desk["agent"], reference, OrderKind.INTERCEPT, SAID)
    assert refused.value.code == "order_parcel_signed"
    order = send_work_order(tracked, desk["agent"], reference, OrderKind.VERIFY, SAID)
    assert order.kind is OrderKind.VERIFY
