"""What the lists show: my clocks by urgency, my callback queue, one complaint in full."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cs_console.domain.clocks import clock_state
from cs_console.domain.enums import (
    AttemptOutcome,
    ClockKind,
    ClockState,
    CompensationKind,
    Role,
)
from cs_console.services.callback_attempts import record_attempt
from cs_console.services.callbacks import promise_reply
from cs_console.services.changes import changes_since
from cs_console.services.complaint_progress import hand_over, mark_verified, record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, NotFound, PermissionDenied, ServiceContext
from cs_console.services.worklists import callback_queue, complaint_view, my_clocks
from cs_console.storage.tables import Callback
from tests.conftest import FakeClock, add_person

from .helpers import (
    PHONE,
    TRACKING,
    delay_form,
    distinct_form,
    loss_form,
    one,
    phone,
    rows,
    tracking,
)

Row = tuple[str, ClockKind, ClockState]


def _rows(console: ServiceContext, actor: Actor) -> list[Row]:
    """(reference, most urgent clock, its state) of each row of "my clocks", in order."""
    now, policy = console.now(), console.policy.clocks
    return [
        (row.reference, row.clocks[0].kind, clock_state(row.clocks[0], now, policy))
        for row in my_clocks(console, actor)
    ]


def _resolve(console: ServiceContext, actor: Actor, complaint_id: int) -> None:
    record_resolution(
        console, actor, complaint_id, kind=CompensationKind.COUPON, amount_fen=500, accepted=True
    )


def _register(console: ServiceContext, actor: Actor, i: int) -> str:
    return register_complaint(console, actor, distinct_form(i)).reference


# --- my clocks ---------------------------------------------------------------------------


def test_my_clocks_lists_only_my_open_complaints(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    colleague = add_person(console, "lisi", agent_no="1025")
    mine = register_complaint(console, agent, distinct_form(1))
    resolved = register_complaint(console, agent, distinct_form(2))
    closed = register_complaint(console, agent, distinct_form(3))
    theirs = _register(console, colleague, 4)
    _resolve(console, agent, resolved.id)
    _resolve(console, agent, closed.id)
    followup = one(console, Callback, Callback.complaint_id == closed.id)
    record_attempt(console, agent, followup.id, AttemptOutcome.REACHED, satisfaction=5)

    listed = my_clocks(console, agent)

    assert {r.reference for r in listed} == {mine.reference, resolved.reference}
    by_reference = {r.reference: r for r in listed}
    assert [c.kind for c in by_reference[mine.reference].clocks] == [
        ClockKind.VERIFY,
        ClockKind.RESOLVE,
    ]
    assert [c.kind for c in by_reference[resolved.reference].clocks] == [ClockKind.FOLLOWUP]
    assert all(r.customer == "张*" for r in listed)  # masked
    assert by_reference[mine.reference].status == "registered"
    assert [r.reference for r in my_clocks(console, colleague)] == [theirs]


def test_my_clocks_most_urgent_first_as_the_clock_moves(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    start = clock.now
    major = register_complaint(console, agent, loss_form(phone=phone(1), tracking_no=tracking(1)))
    clock.advance(hours=3)
    b = _register(console, agent, 2)  # verify due start+4h

    assert _rows(console, agent) == [
        (b, ClockKind.VERIFY, ClockState.OK),
        (major.reference, ClockKind.VERIFY, ClockState.OK),  # due start+6h
    ]

    clock.advance(minutes=50)
    g = _register(console, agent, 3)  # verify due start+4h50

    assert _rows(console, agent) == [
        (b, ClockKind.VERIFY, ClockState.AMBER),  # 10 of 60 minutes left
        (g, ClockKind.VERIFY, ClockState.OK),
        (major.reference, ClockKind.VERIFY, ClockState.OK),  # 130 of 360 minutes left
    ]

    clock.now = start + timedelta(hours=4, minutes=49)
    h = _register(console, agent, 4)  # verify due start+5h49, before the major's

    assert _rows(console, agent) == [
        (b, ClockKind.VERIFY, ClockState.BREACHED),
        (g, ClockKind.VERIFY, ClockState.RED),  # 1 of 60 minutes left
        (major.reference, ClockKind.VERIFY, ClockState.AMBER),  # 71 of 360 minutes left
        (h, ClockKind.VERIFY, ClockState.OK),
    ]

    verified = next(r for r in my_clocks(console, agent) if r.reference == b)
    mark_verified(console, agent, verified.complaint_id)

    assert _rows(console, agent) == [
        (g, ClockKind.VERIFY, ClockState.RED),
        (major.reference, ClockKind.VERIFY, ClockState.AMBER),
        (h, ClockKind.VERIFY, ClockState.OK),
        (b, ClockKind.RESOLVE, ClockState.OK),  # its verify clock is done
    ]


def test_a_handed_over_complaint_leaves_my_clocks(console: ServiceContext, agent: Actor) -> None:
    specialist = add_person(console, "zhou", Role.SPECIALIST, agent_no="5001")
    result = register_complaint(console, agent, delay_form(2))

    hand_over(console, agent, result.id, "zhou", "转专员")

    assert my_clocks(console, agent) == []
    assert [r.reference for r in my_clocks(console, specialist)] == [result.reference]


# --- my callback queue -------------------------------------------------------------------


def test_callback_queue_in_due_order_and_masked(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    colleague = add_person(console, "lisi", agent_no="1025")
    start = clock.now
    promise_reply(console, agent, phone=PHONE, name="张伟")
    clock.advance(minutes=10)
    promise_reply(console, agent, phone=phone(2), name="欧阳娜娜")
    promise_reply(console, colleague, phone=phone(3), name="别人")
    promise_reply(console, agent, phone=phone(4), name="错号")
    first, second, theirs, wrong = (c.id for c in rows(console, Callback))
    record_attempt(console, agent, wrong, AttemptOutcome.WRONG_NUMBER, reason="空号")

    queue = callback_queue(console, agent)

    assert [r.callback_id for r in queue] == [first, second]
    assert [(r.customer, r.phone) for r in queue] == [
        ("张*", "138****5678"),
        ("欧***", "139****0002"),
    ]
    assert [r.due_at for r in queue] == [start + timedelta(hours=1), start + timedelta(minutes=70)]
    assert all(r.kind == "reply_promise" and r.complaint_reference is None for r in queue)

    clock.now = start + timedelta(minutes=50)
    record_attempt(console, agent, first, AttemptOutcome.NO_ANSWER)  # due again at +80 min

    queue = callback_queue(console, agent)
    assert [(r.callback_id, r.attempts) for r in queue] == [(second, 0), (first, 1)]
    assert queue[1].due_at == start + timedelta(minutes=80)
    assert [r.callback_id for r in callback_queue(console, colleague)] == [theirs]


def test_followups_show_their_complaint(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    result = register_complaint(console, agent, delay_form(2))
    _resolve(console, agent, result.id)

    (row,) = callback_queue(console, agent)

    assert (row.kind, row.complaint_id, row.complaint_reference) == (
        "followup",
        result.id,
        result.reference,
    )
    assert row.due_at == clock.now + timedelta(hours=24)


# --- one complaint in full ---------------------------------------------------------------


def test_complaint_view_has_events_in_order(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    specialist = add_person(console, "zhou", Role.SPECIALIST, agent_no="5001", display_name="周敏")
    result = register_complaint(console, agent, delay_form(2))
    clock.advance(minutes=5)
    hand_over(console, agent, result.id, "zhou", "转专员")
    clock.advance(minutes=20)
    mark_verified(console, specialist, result.id)
    clock.advance(hours=1)
    record_resolution(
        console, specialist, result.id, kind=CompensationKind.COUPON, amount_fen=500, accepted=False
    )
    clock.advance(hours=1)
    _resolve(console, specialist, result.id)

    view = complaint_view(console, specialist, result.id)

    assert [(e.kind, e.actor) for e in view.events] == [
        ("registered", "王芳"),
        ("handed_over", "王芳"),
        ("verified", "周敏"),
        ("negotiation_round", "周敏"),
        ("resolution_accepted", "周敏"),
    ]
    assert [e.at for e in view.events] == sorted(e.at for e in view.events)
    assert view.events[1].detail["reason"] == "转专员"
    assert (view.reference, view.status, view.severity) == (result.reference, "resolved", "general")
    assert view.severity_reasons == ("general",)
    assert (view.customer, view.phone_masked, view.tracking_no) == ("张*", "138****5678", TRACKING)
    assert (view.owner, view.owner_id) == ("周敏", specialist.id)
    assert (view.compensation_kind, view.compensation_fen) == ("coupon", 500)
    assert [c.kind for c in view.clocks] == [
        ClockKind.VERIFY,
        ClockKind.RESOLVE,
        ClockKind.FOLLOWUP,
    ]
    assert [c.done_at is not None for c in view.clocks] == [True, True, False]
    assert view.version == 5  # every save moves it, a refused offer (negotiation round) too


def test_complaint_view_for_outlets(console: ServiceContext, agent: Actor) -> None:
    pudong = add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet="浦东网点")
    minhang = add_person(console, "minhang", Role.OUTLET, agent_no="7002", outlet="闵行网点")
    boss = add_person(console, "chen", Role.SUPERVISOR, agent_no="9001")
    result = register_complaint(console, pudong, delay_form(2))

    assert complaint_view(console, pudong, result.id).channel == "walk_in"
    assert complaint_view(console, boss, result.id).reference == result.reference
    for outsider in (minhang, agent):  # another outlet; an agent of no team of the owner's
        with pytest.raises(PermissionDenied):
            complaint_view(console, outsider, result.id)
    with pytest.raises(NotFound):
        complaint_view(console, agent, 999)


# --- the change marker -------------------------------------------------------------------


def test_changes_since_moves_after_every_write(console: ServiceContext, agent: Actor) -> None:
    marker = changes_since(console)
    assert marker == 0  # creating accounts records no event

    result = register_complaint(console, agent, delay_form(2))
    after_register = changes_since(console)
    assert after_register > marker

    my_clocks(console, agent)
    complaint_view(console, agent, result.id)
    assert changes_since(console) == after_register  # reading changes nothing

    mark_verified(console, agent, result.id)
    after_verify = changes_since(console)
    assert after_verify > after_register

    promise_reply(console, agent, phone=phone(9))
    assert changes_since(console) > after_verify
