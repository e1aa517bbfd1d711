"""Callback attempts through an outage: checked and journalled offline with what was asked,
refused at replay when another console closed the callback meanwhile; online, the result
comes back with its undo."""

from __future__ import annotations

import pytest

from cs_console.domain.enums import AttemptOutcome, CallbackStatus
from cs_console.services.callback_attempts import record_attempt, undo_attempt
from cs_console.services.callbacks import promise_reply
from cs_console.services.context import Actor, InvalidInput, ServiceContext
from cs_console.services.journal.replay import replay_journal
from cs_console.services.journal.writes import JournalledWrites
from cs_console.services.worklists import callback_queue
from cs_console.storage.tables import Callback, CallbackAttempt
from tests.conftest import TEST_DATA_KEY, FakeClock

from .helpers import distinct_form, one, phone, rows
from .outage import ServerGate, gate_fixture, writes_fixture  # noqa: F401 (fixtures)


def test_a_write_the_server_refuses_at_replay_is_reported_not_retried(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
) -> None:
    promise_reply(console, agent, phone=phone(1))
    callback_id = one(console, Callback).id
    gate.down()
    attempt = writes.record_attempt(agent, callback_id, AttemptOutcome.REACHED)
    writes.register_complaint(agent, distinct_form(2))
    gate.up()
    record_attempt(console, agent, callback_id, AttemptOutcome.REACHED)  # another console

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert attempt.pending
    assert [f.error for f in report.failed] == ["callback_done"]
    assert report.references == ["C-20261122-0001"]
    assert one(console, Callback, Callback.id == callback_id).status == CallbackStatus.DONE.value
    assert replay_journal(console, writes.journal, TEST_DATA_KEY).failed == []


def test_callback_outcomes_are_journalled_offline_with_what_was_asked(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
) -> None:
    promise_reply(console, agent, phone=phone(1), name="李娜")
    promise_reply(console, agent, phone=phone(2), name="赵磊")
    first, second = (c.id for c in rows(console, Callback))
    gate.down()

    with pytest.raises(InvalidInput) as refused:  # neither the right number nor a reason
        writes.record_attempt(agent, first, AttemptOutcome.WRONG_NUMBER)
    corrected = writes.record_attempt(agent, first, AttemptOutcome.WRONG_NUMBER, phone=phone(3))
    reached = writes.record_attempt(agent, second, AttemptOutcome.REACHED, note="已告知进度")
    gate.up()
    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert refused.value.fields == {"phone": "number_or_reason"}
    assert corrected.pending and reached.pending and report.failed == []
    [row] = callback_queue(console, agent)  # the corrected one goes on, with the new number
    assert (row.callback_id, row.phone, row.attempts) == (first, "139****0003", 1)
    assert one(console, Callback, Callback.id == second).status == CallbackStatus.DONE.value
    assert one(console, CallbackAttempt, CallbackAttempt.callback_id == second).note == "已告知进度"


def test_online_an_attempt_answers_with_its_undo(
    console: ServiceContext, clock: FakeClock, agent: Actor, writes: JournalledWrites
) -> None:
    promise_reply(console, agent, phone=phone(1))
    callback_id = one(console, Callback).id

    written = writes.record_attempt(agent, callback_id, AttemptOutcome.NO_ANSWER)

    assert not written.pending and written.result is not None
    assert written.result.status is CallbackStatus.PENDING
    assert written.result.retry_due == clock.now + console.policy.callbacks.retry_after
    assert written.result.undo_until == clock.now + console.policy.callbacks.undo_window
    undo_attempt(console, agent, written.result.attempt_id)
    assert one(console, Callback).attempts == 0
