"""The callback queue: reply promises, attempts, retries, giving up, follow-up scores."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cs_console.domain.enums import AttemptOutcome, CallbackStatus, CompensationKind
from cs_console.services.callback_attempts import RetryNotDue, record_attempt, undo_attempt
from cs_console.services.callbacks import promise_reply
from cs_console.services.calls import start_call
from cs_console.services.complaint_progress import record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, InvalidInput, NotFound, ServiceContext, ServiceError
from cs_console.services.customers import reveal_callback_phone
from cs_console.services.worklists import callback_queue
from cs_console.storage.tables import (
    AuditEntry,
    Callback,
    CallbackAttempt,
    Complaint,
    Contact,
    Customer,
    Event,
)
from tests.conftest import FakeClock, add_person

from .helpers import PHONE, count, delay_form, in_clear, one, phone, rows


def _callback(console: ServiceContext, callback_id: int) -> Callback:
    return one(console, Callback, Callback.id == callback_id)


def _only_callback_id(console: ServiceContext) -> int:
    return one(console, Callback).id


def _followup_id(console: ServiceContext, agent: Actor) -> int:
    complaint = register_complaint(console, agent, delay_form(2))
    record_resolution(
        console, agent, complaint.id, kind=CompensationKind.COUPON, amount_fen=1000, accepted=True
    )
    return one(console, Callback, Callback.complaint_id == complaint.id).id


# --- promise_reply -----------------------------------------------------------------------


def test_promise_reply_for_a_new_phone(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    due = promise_reply(console, agent, phone="138-1234-5678", name="张伟", note="查询理赔进度")

    assert due == clock.now + console.policy.call.reply_promise == clock.now + timedelta(hours=1)
    stored = one(console, Customer)
    customer = in_clear(stored)
    assert (customer.phone, customer.name, stored.created_at) == (
        "+8613812345678",
        "张伟",
        clock.now,
    )
    callback = one(console, Callback)
    assert (callback.kind, callback.status, callback.owner_id) == (
        "reply_promise",
        "pending",
        agent.id,
    )
    assert (callback.customer_id, callback.due_at, callback.created_at) == (
        customer.id,
        due,
        clock.now,
    )
    assert (callback.attempts, callback.note, callback.complaint_id) == (0, "查询理赔进度", None)
    event = one(console, Event)
    assert (event.kind, event.callback_id, event.actor_id) == (
        "callback_promised",
        callback.id,
        agent.id,
    )


def test_promise_reply_reuses_a_known_customer(console: ServiceContext, agent: Actor) -> None:
    register_complaint(console, agent, delay_form(2))

    promise_reply(console, agent, phone=PHONE)

    assert in_clear(one(console, Customer)).name == "张伟"  # no name given: the known one is kept
    assert one(console, Callback).customer_id == one(console, Customer).id


def test_promise_reply_links_the_call(console: ServiceContext, agent: Actor) -> None:
    contact_id = start_call(console, agent)

    promise_reply(console, agent, phone=PHONE, contact_id=contact_id)

    contact = one(console, Contact)
    callback = one(console, Callback)
    assert callback.contact_id == contact_id
    assert contact.customer_id == callback.customer_id


@pytest.mark.parametrize(("typed", "code"), [("12345", "phone_invalid"), ("  ", "required")])
def test_promise_reply_refuses_a_bad_phone(
    console: ServiceContext, agent: Actor, typed: str, code: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        promise_reply(console, agent, phone=typed)

    assert caught.value.fields == {"phone": code}
    assert count(console, Callback) == count(console, Customer) == count(console, Event) == 0


@pytest.mark.parametrize(
    ("changes", "fields"),
    [({"note": "备" * 1001}, {"note": "too_long"}), ({"name": "名" * 201}, {"name": "too_long"})],
)
def test_promise_reply_refuses_text_too_long(
    console: ServiceContext, agent: Actor, changes: dict[str, str], fields: dict[str, str]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        promise_reply(console, agent, phone=PHONE, **changes)

    assert caught.value.fields == fields
    assert count(console, Callback) == 0


# --- attempts ----------------------------------------------------------------------------


def test_no_answer_retries_then_gives_up(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    policy = console.policy.callbacks
    promise_reply(console, agent, phone=PHONE)
    callback_id = _only_callback_id(console)

    for attempt in range(1, policy.max_attempts):
        clock.advance(hours=1)
        result = record_attempt(console, agent, callback_id, AttemptOutcome.NO_ANSWER)
        assert result.status is CallbackStatus.PENDING
        assert result.retry_due == clock.now + policy.retry_after
        callback = _callback(console, callback_id)
        assert (callback.attempts, callback.due_at) == (attempt, clock.now + policy.retry_after)
        assert callback.done_at is None

    clock.advance(minutes=30)
    result = record_attempt(console, agent, callback_id, AttemptOutcome.NO_ANSWER, note="关机")

    assert result.status is CallbackStatus.GAVE_UP
    callback = _callback(console, callback_id)
    assert (callback.status, callback.attempts, callback.done_at) == (
        "gave_up",
        policy.max_attempts,
        clock.now,
    )
    attempts = rows(console, CallbackAttempt, CallbackAttempt.callback_id == callback_id)
    assert [a.outcome for a in attempts] == ["no_answer"] * policy.max_attempts
    assert all(a.actor_id == agent.id for a in attempts)
    assert attempts[-1].note == "关机"
    assert attempts[-1].at == clock.now
    assert count(console, Contact) == 0  # nobody was reached


def test_a_done_callback_takes_no_more_attempts(console: ServiceContext, agent: Actor) -> None:
    promise_reply(console, agent, phone=PHONE)
    callback_id = _only_callback_id(console)
    record_attempt(console, agent, callback_id, AttemptOutcome.WRONG_NUMBER, reason="空号")

    with pytest.raises(ServiceError) as caught:
        record_attempt(console, agent, callback_id, AttemptOutcome.REACHED)

    assert caught.value.code == "callback_done"
    assert count(console, CallbackAttempt) == 1


def test_wrong_number_asks_for_the_right_number_or_a_reason(
    console: ServiceContext, agent: Actor
) -> None:
    promise_reply(console, agent, phone=PHONE)
    callback_id = _only_callback_id(console)

    for typed, problem in (("", "number_or_reason"), ("12", "phone_invalid")):
        with pytest.raises(InvalidInput) as caught:
            record_attempt(console, agent, callback_id, AttemptOutcome.WRONG_NUMBER, phone=typed)
        assert caught.value.fields == {"phone": problem}

    assert count(console, CallbackAttempt) == 0
    assert _callback(console, callback_id).status == "pending"


def test_wrong_number_with_the_right_one_goes_on_with_it(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    promise_reply(console, agent, phone=PHONE, name="张伟")
    callback_id = _only_callback_id(console)
    clock.advance(minutes=10)

    result = record_attempt(
        console, agent, callback_id, AttemptOutcome.WRONG_NUMBER, phone="139 0000 1111"
    )

    assert (result.status, result.corrected) == (CallbackStatus.PENDING, True)
    callback = _callback(console, callback_id)
    assert (callback.status, callback.attempts, callback.due_at) == ("pending", 1, clock.now)
    assert "13900001111" not in callback.phone  # sealed
    [row] = callback_queue(console, agent)
    assert (row.customer, row.phone) == ("张*", "139****1111")
    assert reveal_callback_phone(console, agent, callback_id, "回拨客户") == "13900001111"
    event = one(console, Event, Event.kind == "callback_wrong_number")
    assert json.loads(event.detail)["phone"] == "139****1111"
    # the retry is due at once: the new number is called now, and may not answer
    assert record_attempt(console, agent, callback_id, AttemptOutcome.NO_ANSWER).retry_due


def test_wrong_number_closed_with_a_reason_stops_the_follow_up_clock(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    callback_id = _followup_id(console, agent)
    clock.advance(hours=3)

    result = record_attempt(
        console, agent, callback_id, AttemptOutcome.WRONG_NUMBER, reason="空号，无其他联系方式"
    )

    assert result.status is CallbackStatus.GAVE_UP
    callback = _callback(console, callback_id)
    assert (callback.status, callback.attempts, callback.done_at) == ("gave_up", 1, clock.now)
    complaint = one(console, Complaint)
    assert complaint.followup_done_at == clock.now  # the follow-up clock stopped
    attempt = one(console, CallbackAttempt)
    assert (attempt.outcome, attempt.note) == ("wrong_number", "空号，无其他联系方式")
    event = one(console, Event, Event.kind == "callback_wrong_number")
    assert json.loads(event.detail)["reason"] == "空号，无其他联系方式"


def test_no_answer_before_the_retry_is_due_records_nothing(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    promise_reply(console, agent, phone=PHONE)
    callback_id = _only_callback_id(console)
    clock.advance(hours=1)
    retry = record_attempt(console, agent, callback_id, AttemptOutcome.NO_ANSWER).retry_due
    clock.advance(minutes=5)

    with pytest.raises(RetryNotDue) as caught:
        record_attempt(console, agent, callback_id, AttemptOutcome.NO_ANSWER)

    assert caught.value.due == retry == clock.now + timedelta(minutes=25)
    assert (count(console, CallbackAttempt), _callback(console, callback_id).attempts) == (1, 1)
    assert count(console, Event, Event.kind == "callback_no_answer") == 1
    clock.advance(minutes=25)  # due now: recorded
    assert record_attempt(console, agent, callback_id, AttemptOutcome.NO_ANSWER).retry_due


def test_undo_puts_an_unsatisfied_follow_up_back(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    callback_id = _followup_id(console, agent)
    before = one(console, Complaint)
    clock.advance(hours=3)
    result = record_attempt(
        console, agent, callback_id, AttemptOutcome.REACHED, satisfaction=2, note="不满意"
    )
    assert result.second_followup_due == clock.now + timedelta(hours=12)
    assert count(console, Callback) == 2 and count(console, Contact) == 1
    clock.advance(seconds=20)

    status = undo_attempt(console, agent, result.attempt_id)

    assert status is CallbackStatus.PENDING
    callback = _callback(console, callback_id)
    assert (callback.status, callback.attempts, callback.done_at) == ("pending", 0, None)
    complaint = one(console, Complaint)
    assert (complaint.status, complaint.satisfaction) == (before.status, None)
    assert (complaint.followup_done_at, complaint.second_followup_due) == (None, None)
    assert count(console, Callback) == 1 and count(console, Contact) == 0
    attempt = one(console, CallbackAttempt)
    assert (attempt.undone_at, attempt.satisfaction) == (clock.now, 2)  # kept, marked
    undone = one(console, Event, Event.kind == "callback_attempt_undone")
    assert (undone.callback_id, undone.actor_id) == (callback_id, agent.id)
    assert json.loads(undone.detail)["attempt_id"] == result.attempt_id
    with pytest.raises(ServiceError) as caught:
        undo_attempt(console, agent, result.attempt_id)
    assert caught.value.code == "undo_done"


def test_undo_of_no_answer_and_of_a_closed_wrong_number(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    callback_id = _followup_id(console, agent)
    due = _callback(console, callback_id).due_at
    first = record_attempt(console, agent, callback_id, AttemptOutcome.NO_ANSWER)
    undo_attempt(console, agent, first.attempt_id)
    assert (_callback(console, callback_id).attempts, _callback(console, callback_id).due_at) == (
        0,
        due,
    )
    closed = record_attempt(console, agent, callback_id, AttemptOutcome.WRONG_NUMBER, reason="空号")
    undo_attempt(console, agent, closed.attempt_id)
    assert _callback(console, callback_id).status == "pending"
    assert one(console, Complaint).followup_done_at is None  # the clock runs again


def test_undo_only_within_the_window_and_by_whoever_recorded_it(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    colleague = add_person(console, "lisi", agent_no="1025")
    promise_reply(console, agent, phone=PHONE)
    result = record_attempt(console, agent, _only_callback_id(console), AttemptOutcome.REACHED)
    assert result.undo_until == clock.now + console.policy.callbacks.undo_window

    with pytest.raises(ServiceError) as caught:
        undo_attempt(console, colleague, result.attempt_id)
    assert caught.value.code == "not_your_callback"
    clock.advance(seconds=console.policy.callbacks.undo_window.total_seconds() + 1)
    with pytest.raises(ServiceError) as caught:
        undo_attempt(console, agent, result.attempt_id)
    assert caught.value.code == "undo_expired"
    assert _callback(console, result_callback := _only_callback_id(console)).status == "done"
    assert result_callback
    assert count(console, Event, Event.kind == "callback_attempt_undone") == 0


def test_reveal_of_a_callback_number_is_audited(console: ServiceContext, agent: Actor) -> None:
    promise_reply(console, agent, phone=PHONE)
    callback_id = _only_callback_id(console)

    with pytest.raises(InvalidInput):
        reveal_callback_phone(console, agent, callback_id, "  ")
    shown = reveal_callback_phone(console, agent, callback_id, "回拨拨号")

    assert shown == "13812345678"
    entry = one(console, AuditEntry, AuditEntry.action == "reveal")
    assert (entry.action, entry.target, entry.actor_id) == (
        "reveal",
        f"callback:{callback_id}",
        agent.id,
    )
    assert "回拨拨号" in entry.detail and "5678" not in entry.detail


def test_reached_reply_promise_is_done_and_logged_as_a_contact(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    promise_reply(console, agent, phone=PHONE)
    callback_id = _only_callback_id(console)
    clock.advance(minutes=40)

    status = record_attempt(
        console, agent, callback_id, AttemptOutcome.REACHED, note="已告知"
    ).status

    assert status is CallbackStatus.DONE
    callback = _callback(console, callback_id)
    assert (callback.status, callback.done_at, callback.attempts) == ("done", clock.now, 1)
    attempt = one(console, CallbackAttempt)
    assert (attempt.outcome, attempt.satisfaction, attempt.note) == ("reached", None, "已告知")
    contact = one(console, Contact)
    assert (contact.agent_id, contact.customer_id, contact.started_at) == (
        agent.id,
        callback.customer_id,
        clock.now,
    )
    assert contact.outcome == "callback:reply_promise"


def test_attempts_are_events(console: ServiceContext, clock: FakeClock, agent: Actor) -> None:
    promise_reply(console, agent, phone=PHONE)
    callback_id = _only_callback_id(console)
    record_attempt(console, agent, callback_id, AttemptOutcome.NO_ANSWER)
    record_attempt(console, agent, callback_id, AttemptOutcome.REACHED)

    events = rows(console, Event, Event.callback_id == callback_id)

    assert [e.kind for e in events] == [
        "callback_promised",
        "callback_no_answer",
        "callback_reached",
    ]
    assert json.loads(events[1].detail)["status"] == "pending"
    assert json.loads(events[2].detail)["status"] == "done"
    assert all(e.actor_id == agent.id for e in events)


def test_unknown_callback(console: ServiceContext, agent: Actor) -> None:
    with pytest.raises(NotFound):
        record_attempt(console, agent, 777, AttemptOutcome.REACHED)


# --- follow-ups need a score -------------------------------------------------------------


@pytest.mark.parametrize("satisfaction", [None, 0, 6])
def test_reached_followup_needs_satisfaction_1_to_5(
    console: ServiceContext, agent: Actor, satisfaction: int | None
) -> None:
    callback_id = _followup_id(console, agent)

    with pytest.raises(InvalidInput) as caught:
        record_attempt(
            console, agent, callback_id, AttemptOutcome.REACHED, satisfaction=satisfaction
        )

    assert caught.value.fields == {"satisfaction": "satisfaction_required"}
    assert _callback(console, callback_id).status == "pending"
    assert count(console, CallbackAttempt) == 0
    assert one(console, Complaint).status == "resolved"


def test_unreached_followup_needs_no_score(console: ServiceContext, agent: Actor) -> None:
    callback_id = _followup_id(console, agent)

    assert record_attempt(console, agent, callback_id, AttemptOutcome.NO_ANSWER).status is (
        CallbackStatus.PENDING
    )
    assert one(console, Complaint).status == "resolved"


def test_score_out_of_range_is_refused_on_any_callback(
    console: ServiceContext, agent: Actor
) -> None:
    promise_reply(console, agent, phone=PHONE)

    with pytest.raises(InvalidInput) as caught:
        record_attempt(
            console, agent, _only_callback_id(console), AttemptOutcome.REACHED, satisfaction=9
        )

    assert caught.value.fields == {"satisfaction": "satisfaction_required"}


def test_followup_score_is_recorded_with_the_attempt(console: ServiceContext, agent: Actor) -> None:
    callback_id = _followup_id(console, agent)

    record_attempt(console, agent, callback_id, AttemptOutcome.REACHED, satisfaction=5)

    attempt = one(console, CallbackAttempt)
    assert (attempt.outcome, attempt.satisfaction) == ("reached", 5)
    assert one(console, Complaint).satisfaction == 5


def test_attempt_note_too_long_is_refused(console: ServiceContext, agent: Actor) -> None:
    promise_reply(console, agent, phone=PHONE)

    with pytest.raises(InvalidInput) as caught:
        record_attempt(
            console, agent, _only_callback_id(console), AttemptOutcome.NO_ANSWER, note="x" * 1001
        )

    assert caught.value.fields == {"note": "too_long"}
    assert count(console, CallbackAttempt) == 0


def test_undo_of_a_corrected_number_dials_the_old_one_again(
    console: ServiceContext, agent: Actor
) -> None:
    promise_reply(console, agent, phone=PHONE)
    callback_id = _only_callback_id(console)
    result = record_attempt(
        console, agent, callback_id, AttemptOutcome.WRONG_NUMBER, phone=phone(7)
    )

    undo_attempt(console, agent, result.attempt_id)

    callback = _callback(console, callback_id)
    assert (callback.phone, callback.attempts, callback.status) == ("", 0, "pending")
    assert [r.phone for r in callback_queue(console, agent)] == ["138****5678"]


def test_an_outcome_someone_carried_on_from_is_not_undone(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    promise_reply(console, agent, phone=PHONE)
    callback_id = _only_callback_id(console)
    first = record_attempt(console, agent, callback_id, AttemptOutcome.NO_ANSWER)
    record_attempt(console, agent, callback_id, AttemptOutcome.REACHED)  # rang back at once

    with pytest.raises(ServiceError) as caught:
        undo_attempt(console, agent, first.attempt_id)

    assert caught.value.code == "undo_superseded"
    assert _callback(console, callback_id).status == "done"
    complaint_callback = _followup_id(console, agent)
    reopened = record_attempt(
        console, agent, complaint_callback, AttemptOutcome.REACHED, satisfaction=1
    )
    complaint_id = _callback(console, complaint_callback).complaint_id
    record_resolution(  # the complaint moved on: a new round, not accepted
        console,
        agent,
        complaint_id,
        kind=CompensationKind.COUPON,
        amount_fen=2000,
        accepted=False,
        reason="客户坚持要求更高的补偿",  # above the table's coupon: a reason is needed
    )
    with pytest.raises(ServiceError) as caught:
        undo_attempt(console, agent, reopened.attempt_id)
    assert caught.value.code == "undo_superseded"
