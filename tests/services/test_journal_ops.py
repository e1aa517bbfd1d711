"""The outage journal's table of operations: every write goes through it; online the use
case gets the typed values (nothing is turned into JSON), and only a journalled write is
kept as JSON, in the journal file's format, which reads back as it was written."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import timedelta
from typing import Any

import pytest

from cs_console.domain.enums import AttemptOutcome, Channel, ContactType, NameChoice
from cs_console.services.callback_attempts import AttemptResult
from cs_console.services.callbacks import promise_reply
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.journal.operation import Operation, actor_json
from cs_console.services.journal.ops import (
    OPERATIONS,
    EndCall,
    MarkAnswered,
    OutageCallbacks,
    PromiseReply,
    RecordAttempt,
    RegisterComplaint,
    StartCall,
)
from cs_console.services.journal.replay import replay_journal
from cs_console.services.journal.writes import JournalledWrites
from cs_console.storage.tables import AppliedWrite, Callback, CallbackAttempt, Complaint, Contact
from tests.conftest import START, TEST_DATA_KEY, FakeClock

from .helpers import count, distinct_form, one, phone
from .outage import ServerGate, gate_fixture, writes_fixture  # noqa: F401 (fixtures)

FORM = distinct_form(1)
# One write of each operation, and its arguments in the journal file's format (the format
# earlier versions wrote: an entry kept before an upgrade must still be replayed).
KEPT: list[tuple[Operation[Any], dict[str, Any]]] = [
    (StartCall(Channel.PHONE), {"channel": "phone"}),
    (MarkAnswered(-1, START), {"contact_id": -1, "at": START.isoformat()}),
    (
        EndCall(-1, ContactType.TRACKING, "说明", "登记", phone(1), "YT1234567890123", "signed"),
        {
            "contact_id": -1,
            "contact_type": "tracking",
            "notes": "说明",
            "outcome": "登记",
            "phone": phone(1),
            "tracking_no": "YT1234567890123",
            "tracking_state": "signed",
        },
    ),
    (
        RegisterComplaint(FORM, -1, NameChoice.CORRECTION),
        {"form": asdict(FORM), "contact_id": -1, "name_choice": "correction"},
    ),
    (
        PromiseReply(phone(2), "李娜"),
        {"phone": phone(2), "name": "李娜", "contact_id": None, "note": ""},
    ),
    (
        RecordAttempt(7, AttemptOutcome.REACHED, 4, "已告知进度"),
        {
            "callback_id": 7,
            "outcome": "reached",
            "satisfaction": 4,
            "note": "已告知进度",
            "phone": "",
            "reason": "",
        },
    ),
    (OutageCallbacks((phone(1), phone(2))), {"phones": [phone(1), phone(2)]}),
]


def test_every_operation_is_in_the_one_table() -> None:
    assert {type(write) for write, _kept in KEPT} == set(OPERATIONS.values())
    assert all(OPERATIONS[write.operation] is type(write) for write, _kept in KEPT)


@pytest.mark.parametrize(("write", "kept"), KEPT, ids=[w.operation for w, _k in KEPT])
def test_a_journalled_write_is_kept_in_the_files_format_and_reads_back_as_it_was(
    write: Operation[Any], kept: dict[str, Any]
) -> None:
    assert write.to_json() == kept
    assert json.loads(json.dumps(write.to_json())) == kept
    assert type(write).from_json(kept) == write


def test_online_writes_reach_the_use_cases_with_their_typed_values_never_as_json(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(*_args: object) -> object:
        raise AssertionError("turned into JSON online")

    kept: list[str] = []  # only the answer is kept as JSON, beside the write's key

    def answer_kept(write: Operation[Any], result: object) -> object:
        kept.append(write.operation)
        return None

    for kind in OPERATIONS.values():
        for name in ("to_json", "from_json"):
            monkeypatch.setattr(kind, name, never)
        monkeypatch.setattr(kind, "result_json", answer_kept)
    promise_reply(console, agent, phone=phone(9))
    callback_id = one(console, Callback).id

    contact = writes.start_call(agent)
    writes.mark_answered(agent, contact, clock.now)
    registered = writes.register_complaint(agent, FORM, contact_id=contact)
    promised = writes.promise_reply(agent, phone=phone(2), contact_id=contact)
    ended = writes.end_call(
        agent,
        contact,
        contact_type=ContactType.COMPLAINT,
        notes="",
        outcome="登记",
        phone=FORM.phone,
    )
    attempt = writes.record_attempt(agent, callback_id, AttemptOutcome.NO_ANSWER)

    assert contact > 0 and not ended and not promised.pending and not attempt.pending
    assert not registered.pending and registered.reference.endswith("-0001")
    assert one(console, Complaint).contact_id == contact
    assert promised.result == clock.now + console.policy.call.reply_promise
    assert isinstance(attempt.result, AttemptResult) and attempt.result.attempt_id > 0
    assert one(console, Contact).answered_at == clock.now
    assert writes.journal.entries() == []
    sent = ["start_call", "mark_answered", "register_complaint", "promise_reply", "end_call"]
    assert kept == [*sent, "record_attempt"]
    assert count(console, AppliedWrite) == len(kept)  # each with its key, in its transaction


def test_an_entry_kept_before_wrong_numbers_were_asked_is_still_replayed(
    console: ServiceContext, clock: FakeClock, agent: Actor, writes: JournalledWrites
) -> None:
    promise_reply(console, agent, phone=phone(1))
    callback_id = one(console, Callback).id
    clock.advance(minutes=5)
    typed_at = clock.now
    writes.journal.unlock(TEST_DATA_KEY)
    earlier = {"callback_id": callback_id, "outcome": "reached", "satisfaction": None}
    writes.journal.append("record_attempt", actor_json(agent), {**earlier, "note": "旧"}, typed_at)
    clock.advance(minutes=5)

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert report.failed == [] and [s.operation for s in report.sent] == ["record_attempt"]
    attempt = one(console, CallbackAttempt, CallbackAttempt.callback_id == callback_id)
    assert (attempt.note, attempt.at) == ("旧", typed_at)


def test_a_registration_replayed_without_a_name_choice_keeps_the_stored_name() -> None:
    asked = RegisterComplaint(FORM)
    chosen = RegisterComplaint(FORM, name_choice=NameChoice.CORRECTION)

    assert asked.at_replay().name_choice is NameChoice.OTHER_PERSON
    assert chosen.at_replay() == chosen
    assert RegisterComplaint.from_json({"form": asdict(FORM)}) == asked  # an earlier entry


def test_an_entry_made_on_a_provisional_contact_is_sent_with_the_real_one(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
) -> None:
    gate.down()
    contact = writes.start_call(agent)
    clock.advance(minutes=1)
    gate.up()
    writes.mark_answered(agent, contact, clock.now)  # waits behind the journal: provisional
    (_started, answered) = writes.journal.entries()
    assert answered.args["contact_id"] == contact < 0

    replay_journal(console, writes.journal, TEST_DATA_KEY)

    stored = one(console, Contact)
    assert (stored.started_at, stored.answered_at) == (START, START + timedelta(minutes=1))
