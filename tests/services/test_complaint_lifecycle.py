"""A complaint's life: verify, negotiate, resolve, follow up (maybe twice), close; hand-overs."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cs_console.domain.enums import (
    AttemptOutcome,
    CallbackStatus,
    CompensationKind,
    Role,
)
from cs_console.services.callback_attempts import record_attempt
from cs_console.services.complaint_progress import hand_over, mark_verified, record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, InvalidInput, NotFound, ServiceContext, ServiceError
from cs_console.storage.tables import Callback, Complaint, Event
from tests.conftest import FakeClock, add_person
from tests.injections import NO_VISIBLE_WORDS

from .helpers import delay_form, one, rows


def _complaint(console: ServiceContext, complaint_id: int) -> Complaint:
    return one(console, Complaint, Complaint.id == complaint_id)


def _kinds(console: ServiceContext, complaint_id: int) -> list[str]:
    return [e.kind for e in rows(console, Event, Event.complaint_id == complaint_id)]


def _resolve(
    console: ServiceContext, actor: Actor, complaint_id: int, accepted: bool = True
) -> None:
    record_resolution(
        console,
        actor,
        complaint_id,
        kind=CompensationKind.COUPON,
        amount_fen=1000,
        accepted=accepted,
        note="十元优惠券",
    )


def _code(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError) as caught:
        call(*args, **kwargs)
    return caught.value.code


@pytest.fixture
def registered(console: ServiceContext, agent: Actor) -> int:
    return register_complaint(console, agent, delay_form(2)).id


# --- verify ------------------------------------------------------------------------------


def test_mark_verified(
    console: ServiceContext, clock: FakeClock, agent: Actor, registered: int
) -> None:
    clock.advance(minutes=40)

    mark_verified(console, agent, registered, note="已核实：中转延误")

    stored = _complaint(console, registered)
    assert (stored.status, stored.verified_at, stored.version) == ("verified", clock.now, 2)
    event = rows(console, Event, Event.complaint_id == registered)[-1]
    assert (event.kind, event.actor_id, event.at) == ("verified", agent.id, clock.now)
    assert json.loads(event.detail) == {"late": False, "note": "已核实：中转延误"}


def test_late_verification_is_recorded(
    console: ServiceContext, clock: FakeClock, agent: Actor, registered: int
) -> None:
    clock.advance(hours=1, seconds=1)

    mark_verified(console, agent, registered)

    assert json.loads(rows(console, Event, Event.kind == "verified")[0].detail)["late"] is True


def test_verifying_twice_is_refused(
    console: ServiceContext, clock: FakeClock, agent: Actor, registered: int
) -> None:
    mark_verified(console, agent, registered)
    first = _complaint(console, registered).verified_at
    clock.advance(minutes=5)

    assert _code(mark_verified, console, agent, registered) == "already_verified"
    assert _complaint(console, registered).verified_at == first
    assert _kinds(console, registered) == ["registered", "verified"]


def test_notes_longer_than_the_limit_are_refused(
    console: ServiceContext, agent: Actor, registered: int
) -> None:
    too_long = "记" * (console.policy.limits.max_description_chars + 1)

    with pytest.raises(InvalidInput) as caught:
        mark_verified(console, agent, registered, note=too_long)
    assert caught.value.fields == {"note": "too_long"}
    with pytest.raises(InvalidInput) as caught:
        record_resolution(
            console,
            agent,
            registered,
            kind=CompensationKind.APOLOGY,
            amount_fen=None,
            accepted=False,
            note=too_long,
        )
    assert caught.value.fields == {"note": "too_long"}
    assert _kinds(console, registered) == ["registered"]


def test_unknown_complaint(console: ServiceContext, agent: Actor) -> None:
    with pytest.raises(NotFound):
        mark_verified(console, agent, 4242)


def test_another_agent_cannot_verify_but_a_supervisor_can(
    console: ServiceContext, agent: Actor, registered: int
) -> None:
    colleague = add_person(console, "lisi", agent_no="1025")
    boss = add_person(console, "chen", Role.SUPERVISOR, agent_no="9001")

    assert _code(mark_verified, console, colleague, registered) == "not_owner"
    assert _complaint(console, registered).verified_at is None
    assert _code(_resolve, console, colleague, registered) == "not_owner"

    mark_verified(console, boss, registered)
    assert _complaint(console, registered).status == "verified"
    assert rows(console, Event, Event.kind == "verified")[0].actor_id == boss.id


def test_a_specialist_verifies_what_was_handed_to_them(
    console: ServiceContext, agent: Actor, registered: int
) -> None:
    specialist = add_person(console, "zhou", Role.SPECIALIST, agent_no="5001")
    assert _code(mark_verified, console, specialist, registered) == "not_owner"

    hand_over(console, agent, registered, "zhou", "转专员")
    mark_verified(console, specialist, registered)

    assert _complaint(console, registered).status == "verified"


# --- negotiation and resolution ----------------------------------------------------------


def test_a_refused_offer_is_a_negotiation_round(
    console: ServiceContext, clock: FakeClock, agent: Actor, registered: int
) -> None:
    clock.advance(hours=2)

    _resolve(console, agent, registered, accepted=False)
    _resolve(console, agent, registered, accepted=False)

    stored = _complaint(console, registered)
    assert stored.status == "registered"
    assert stored.resolved_at is None and stored.followup_due is None
    assert rows(console, Callback) == []
    rounds = rows(console, Event, Event.kind == "negotiation_round")
    assert len(rounds) == 2
    assert json.loads(rounds[0].detail) == {
        "compensation": "coupon",
        "amount_fen": 1000,
        "note": "十元优惠券",
    }


def test_accepted_resolution_schedules_the_followup(
    console: ServiceContext, clock: FakeClock, agent: Actor, registered: int
) -> None:
    mark_verified(console, agent, registered)
    _resolve(console, agent, registered, accepted=False)
    clock.advance(hours=3)

    _resolve(console, agent, registered)

    stored = _complaint(console, registered)
    assert (stored.status, stored.resolved_at) == ("resolved", clock.now)
    assert stored.followup_due == clock.now + timedelta(hours=24)
    assert (stored.compensation_kind, stored.compensation_fen) == ("coupon", 1000)
    callback = one(console, Callback)
    assert (callback.kind, callback.status, callback.complaint_id) == (
        "followup",
        "pending",
        registered,
    )
    assert (callback.owner_id, callback.customer_id) == (agent.id, stored.customer_id)
    assert (callback.due_at, callback.created_at) == (clock.now + timedelta(hours=24), clock.now)
    assert _kinds(console, registered) == [
        "registered",
        "verified",
        "negotiation_round",
        "resolution_accepted",
    ]


def test_resolution_without_verification_verifies(
    console: ServiceContext, clock: FakeClock, agent: Actor, registered: int
) -> None:
    clock.advance(minutes=30)

    _resolve(console, agent, registered)

    assert _complaint(console, registered).verified_at == clock.now


@pytest.mark.parametrize(("amount", "code"), [(-1, "negative"), (10**12, "too_large")])
def test_resolution_amount_is_checked(
    console: ServiceContext, agent: Actor, registered: int, amount: int, code: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        record_resolution(
            console,
            agent,
            registered,
            kind=CompensationKind.COUPON,
            amount_fen=amount,
            accepted=True,
        )

    assert caught.value.fields == {"amount": code}
    assert _complaint(console, registered).status == "registered"


# --- follow-ups --------------------------------------------------------------------------


def _followup(console: ServiceContext, kind: str = "followup") -> Callback:
    return one(console, Callback, Callback.kind == kind, Callback.status == "pending")


def test_satisfied_followup_closes(
    console: ServiceContext, clock: FakeClock, agent: Actor, registered: int
) -> None:
    _resolve(console, agent, registered)
    clock.advance(hours=20)

    result = record_attempt(
        console, agent, _followup(console).id, AttemptOutcome.REACHED, satisfaction=5
    )

    assert result.status is CallbackStatus.DONE and result.closed_complaint
    stored = _complaint(console, registered)
    assert (stored.status, stored.closed_at, stored.satisfaction) == ("closed", clock.now, 5)
    assert stored.followup_done_at == clock.now
    assert _kinds(console, registered)[-2:] == ["closed", "callback_reached"]
    assert _code(mark_verified, console, agent, registered) == "complaint_closed"


def test_unsatisfied_followup_reopens_then_second_followup_closes(
    console: ServiceContext, clock: FakeClock, agent: Actor, registered: int
) -> None:
    _resolve(console, agent, registered)
    clock.advance(hours=20)
    first = _followup(console)

    result = record_attempt(console, agent, first.id, AttemptOutcome.REACHED, satisfaction=2)

    assert result.status is CallbackStatus.DONE
    assert result.second_followup_due == clock.now + timedelta(hours=12)

    reopened = _complaint(console, registered)
    assert (reopened.status, reopened.satisfaction) == ("verified", 2)
    assert reopened.second_followup_due == clock.now + timedelta(hours=12)
    assert reopened.followup_done_at == clock.now
    assert reopened.closed_at is None
    second = _followup(console, "second_followup")
    assert (second.due_at, second.owner_id, second.complaint_id) == (
        clock.now + timedelta(hours=12),
        agent.id,
        registered,
    )
    assert "reopened" in _kinds(console, registered)

    clock.advance(hours=10)
    record_attempt(console, agent, second.id, AttemptOutcome.REACHED, satisfaction=4)

    closed = _complaint(console, registered)
    assert (closed.status, closed.closed_at, closed.satisfaction) == ("closed", clock.now, 4)
    assert {c.status for c in rows(console, Callback)} == {"done"}


def test_reopened_complaint_counts_as_unresolved_for_the_repeat_rule(
    console: ServiceContext, clock: FakeClock, agent: Actor, registered: int
) -> None:
    first_reference = _complaint(console, registered).reference
    _resolve(console, agent, registered)
    record_attempt(console, agent, _followup(console).id, AttemptOutcome.REACHED, satisfaction=1)

    again = register_complaint(console, agent, delay_form(1))

    assert again.classification.severity.value == "major"
    assert _complaint(console, again.id).repeat_of == first_reference


def test_a_second_accepted_resolution_schedules_no_new_followup(
    console: ServiceContext, clock: FakeClock, agent: Actor, registered: int
) -> None:
    _resolve(console, agent, registered)
    record_attempt(console, agent, _followup(console).id, AttemptOutcome.REACHED, satisfaction=2)
    clock.advance(hours=2)

    _resolve(console, agent, registered)

    assert _complaint(console, registered).status == "resolved"
    assert [c.kind for c in rows(console, Callback, Callback.status == "pending")] == [
        "second_followup"
    ]


# --- hand-over ---------------------------------------------------------------------------


def test_hand_over_changes_owner_and_records_why(
    console: ServiceContext, clock: FakeClock, agent: Actor, registered: int
) -> None:
    specialist = add_person(console, "zhou", Role.SPECIALIST, agent_no="5001")
    clock.advance(minutes=10)

    hand_over(console, agent, registered, "zhou", "  重大投诉，转专员处理 ")

    stored = _complaint(console, registered)
    assert (stored.owner_id, stored.status, stored.version) == (specialist.id, "verifying", 2)
    event = rows(console, Event, Event.kind == "handed_over")[0]
    assert (event.actor_id, event.at, event.complaint_id) == (agent.id, clock.now, registered)
    assert json.loads(event.detail) == {
        "from_user": agent.id,
        "to_user": specialist.id,
        "reason": "重大投诉，转专员处理",
    }
    # The former owner may no longer act on it; the new one may.
    assert _code(mark_verified, console, agent, registered) == "not_owner"
    mark_verified(console, specialist, registered)


def test_hand_over_moves_pending_callbacks_too(
    console: ServiceContext, agent: Actor, registered: int
) -> None:
    colleague = add_person(console, "lisi", agent_no="1025")
    _resolve(console, agent, registered)

    hand_over(console, agent, registered, "lisi", "换班")

    assert _followup(console).owner_id == colleague.id


@pytest.mark.parametrize(
    ("target", "reason", "fields"),
    [
        ("pudong", "交网点", {"to": "cannot_own_complaints"}),
        ("root", "交管理员", {"to": "cannot_own_complaints"}),
        ("lisi", "", {"reason": "required"}),
        ("lisi", "   ", {"reason": "required"}),
        *(("lisi", typed, {"reason": "reason_too_vague"}) for typed in NO_VISIBLE_WORDS),
        ("lisi", "..!?", {"reason": "reason_too_vague"}),
        ("nobody", "转交", {"to": "no_such_user"}),
        ("wangfang", "转交", {"to": "already_owner"}),
    ],
)
def test_refused_hand_overs(
    console: ServiceContext,
    agent: Actor,
    registered: int,
    target: str,
    reason: str,
    fields: dict[str, str],
) -> None:
    add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet="浦东网点")
    add_person(console, "root", Role.ADMIN, agent_no="0001")
    add_person(console, "lisi", agent_no="1025")

    with pytest.raises(InvalidInput) as caught:
        hand_over(console, agent, registered, target, reason)

    assert caught.value.fields == fields
    assert _complaint(console, registered).owner_id == agent.id
    assert _kinds(console, registered) == ["registered"]


def test_someone_else_cannot_hand_over_my_complaint(
    console: ServiceContext, agent: Actor, registered: int
) -> None:
    add_person(console, "lisi", agent_no="1025")
    thief = add_person(console, "zhao", agent_no="1026")

    assert _code(hand_over, console, thief, registered, "zhao", "我来") == "not_owner"
    assert _code(hand_over, console, thief, registered, "lisi", "给他") == "not_owner"
    assert _complaint(console, registered).owner_id == agent.id
