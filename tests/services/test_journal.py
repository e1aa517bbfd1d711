"""The outage journal: writes made while the server is away are kept locally and sent once,
in order, when it answers again; the callers get their callback after the outage."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from cs_console.domain.enums import (
    CallbackKind,
    Channel,
    ContactType,
    Role,
    Severity,
)
from cs_console.services.context import Actor, InvalidInput, ServiceContext
from cs_console.services.journal.replay import replay_journal
from cs_console.services.journal.store import Journal
from cs_console.services.journal.writes import JournalledWrites
from cs_console.storage.tables import (
    AppliedWrite,
    Callback,
    Complaint,
    Contact,
    Parcel,
)
from tests.conftest import TEST_DATA_KEY, FakeClock, add_person

from .helpers import complaint_form, count, distinct_form, one, phone, rows
from .outage import ServerGate, gate_fixture, writes_fixture  # noqa: F401 (fixtures)


def _offline_call(writes: JournalledWrites, agent: Actor, clock: FakeClock, i: int) -> str:
    """A call taken offline: started, a complaint registered, ended. Its pending reference."""
    contact = writes.start_call(agent)
    assert contact < 0
    clock.advance(minutes=2)
    registered = writes.register_complaint(agent, distinct_form(i), contact_id=contact)
    clock.advance(minutes=1)
    assert writes.end_call(
        agent, contact, contact_type=ContactType.COMPLAINT, notes="", outcome="登记", phone=phone(i)
    )
    return registered.reference


def test_a_call_ended_offline_records_its_parcel_once_replayed(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
) -> None:
    gate.down()
    contact = writes.start_call(agent)
    assert writes.end_call(
        agent,
        contact,
        contact_type=ContactType.TRACKING,
        notes="",
        outcome="已告知",
        phone=phone(1),
        tracking_no="YT1234567890123",
    )
    gate.up()

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert not report.unreachable and report.failed == []
    (stored,) = rows(console, Contact)
    parcel = one(console, Parcel, Parcel.tracking_no == "YT1234567890123")
    assert (stored.parcel_id, parcel.customer_id) == (parcel.id, None)
    assert stored.customer_id is not None


def test_online_writes_go_straight_to_the_server(
    console: ServiceContext, agent: Actor, writes: JournalledWrites
) -> None:
    registered = writes.register_complaint(agent, distinct_form(1))

    assert not registered.pending
    assert registered.reference.endswith("-0001")
    assert writes.journal.entries() == []
    assert not writes.offline


def test_offline_writes_are_journalled_and_sent_once_in_order(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
) -> None:
    gate.down()
    typed_at = []
    references = []
    for i in (1, 2):
        typed_at.append(clock.now + timedelta(minutes=2))
        references.append(_offline_call(writes, agent, clock, i))
    promised = writes.promise_reply(agent, phone=phone(3), name="李娜")

    assert writes.offline
    assert references == ["C-20261122-P002", "C-20261122-P005"]
    assert promised.pending
    gate.up()
    assert count(console, Complaint) == count(console, Contact) == 0  # nothing reached it
    clock.advance(minutes=30)
    recovered = clock.now

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)
    again = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert not report.unreachable and report.failed == []
    assert report.references == ["C-20261122-0001", "C-20261122-0002"]
    assert again.sent == []
    complaints = rows(console, Complaint)
    assert [c.reference for c in complaints] == report.references
    assert [c.registered_at for c in complaints] == typed_at  # clocks from when it was typed
    assert [c.verify_due for c in complaints] == [t + timedelta(hours=1) for t in typed_at]
    contacts = rows(console, Contact)
    assert len(contacts) == 2
    assert [c.contact_type for c in contacts] == ["complaint", "complaint"]
    assert [c.id for c in contacts] == [c.contact_id for c in complaints]
    assert all(c.ended_at is not None for c in contacts)
    assert count(console, Callback, Callback.kind == CallbackKind.REPLY_PROMISE.value) == 1
    outage = rows(console, Callback, Callback.kind == CallbackKind.OUTAGE.value)
    assert len(outage) == 3  # the two complainants and the caller promised a reply
    assert {c.due_at for c in outage} == {recovered + timedelta(hours=1)}
    assert writes.journal.pending_count() == 0
    assert count(console, AppliedWrite) == len(writes.journal.entries())


def test_writes_wait_behind_the_journal_while_it_is_sent(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
) -> None:
    gate.down()
    first = writes.register_complaint(agent, distinct_form(1))
    gate.up()  # back, but the journal is not sent yet: the next write must not overtake it

    second = writes.register_complaint(agent, distinct_form(2))

    assert first.pending and second.pending
    report = replay_journal(console, writes.journal, TEST_DATA_KEY)
    assert report.references == ["C-20261122-0001", "C-20261122-0002"]
    after = writes.register_complaint(agent, distinct_form(3))
    assert not after.pending and after.reference == "C-20261122-0003"


def _three_kept_offline(writes: JournalledWrites, agent: Actor, gate: ServerGate) -> Journal:
    """Three complaints saved while the server was away, waiting in the journal."""
    gate.down()
    for i in (1, 2, 3):
        writes.register_complaint(agent, distinct_form(i))
    gate.up()
    return writes.journal


def test_a_replay_that_died_after_the_commit_does_not_apply_twice(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    journal = _three_kept_offline(writes, agent, gate)
    mark_sent = journal.mark_sent

    def dies_on_the_second(seq: int, result: object, at: object) -> None:
        if seq == 2:
            raise SystemExit("killed after the server committed entry 2")
        mark_sent(seq, result, at)  # type: ignore[arg-type]

    monkeypatch.setattr(journal, "mark_sent", dies_on_the_second)
    with pytest.raises(SystemExit):
        replay_journal(console, journal, TEST_DATA_KEY)
    assert count(console, Complaint) == 2  # the second is on the server, not marked sent
    monkeypatch.setattr(journal, "mark_sent", mark_sent)

    report = replay_journal(console, journal, TEST_DATA_KEY)

    assert report.references == ["C-20261122-0002", "C-20261122-0003"]  # 0002: stored result
    assert [c.reference for c in rows(console, Complaint)] == [
        "C-20261122-0001",
        "C-20261122-0002",
        "C-20261122-0003",
    ]
    assert journal.pending_count() == 0


def test_the_server_going_away_mid_replay_leaves_the_rest_for_later(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    journal = _three_kept_offline(writes, agent, gate)
    mark_sent = journal.mark_sent

    def outage_after_the_first(seq: int, result: object, at: object) -> None:
        mark_sent(seq, result, at)  # type: ignore[arg-type]
        gate.down()

    monkeypatch.setattr(journal, "mark_sent", outage_after_the_first)
    report = replay_journal(console, journal, TEST_DATA_KEY)
    monkeypatch.setattr(journal, "mark_sent", mark_sent)

    assert report.unreachable and report.references == ["C-20261122-0001"]
    assert journal.pending_count() == 3  # two complaints and the outage's callbacks
    gate.up()
    rest = replay_journal(console, journal, TEST_DATA_KEY)
    assert rest.references == ["C-20261122-0002", "C-20261122-0003"]
    assert count(console, Complaint) == 3
    assert count(console, Callback, Callback.kind == CallbackKind.OUTAGE.value) == 3


def test_invalid_input_is_refused_offline_not_journalled(
    agent: Actor, writes: JournalledWrites, gate: ServerGate
) -> None:
    gate.down()

    with pytest.raises(InvalidInput) as refused:
        writes.register_complaint(agent, complaint_form(phone="12"))
    with pytest.raises(InvalidInput):
        writes.promise_reply(agent, phone="")

    assert "phone" in refused.value.fields
    assert writes.journal.entries() == []


def test_a_provisional_complaint_says_what_is_known_offline(
    clock: FakeClock, agent: Actor, writes: JournalledWrites, gate: ServerGate
) -> None:
    gate.down()

    registered = writes.register_complaint(agent, distinct_form(1, days_late="4"))

    assert registered.pending and registered.id < 0
    assert registered.classification.severity is Severity.MAJOR
    assert registered.verify.due == clock.now + timedelta(hours=6)


def test_the_journal_is_a_private_file_in_the_data_directory(
    agent: Actor, writes: JournalledWrites, gate: ServerGate
) -> None:
    gate.down()
    writes.start_call(agent)

    path = writes.journal.path
    assert path.parent == Path(os.environ["CS_CONSOLE_HOME"]) / "data"
    assert path.name.startswith("journal-") and path.suffix == ".db"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_only_an_unreachable_server_counts_as_an_outage(
    console: ServiceContext, agent: Actor
) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError, OperationalError

    from cs_console.storage.engine import server_unreachable

    with pytest.raises(IntegrityError) as duplicate, console.engine.begin() as conn:
        conn.execute(text("INSERT INTO users SELECT * FROM users"))
    locked = OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
    refused = OperationalError("connect", {}, Exception("connection refused"))

    assert not server_unreachable(duplicate.value)
    assert not server_unreachable(locked)
    assert not server_unreachable(InvalidInput({"phone": "required"}))
    assert server_unreachable(refused)


def test_an_entry_that_fails_unexpectedly_is_set_aside_not_retried_forever(
    console: ServiceContext,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cs_console.services.journal import ops

    class Broken(ops.StartCall):
        def send(self, console: ServiceContext, actor: Actor) -> int:
            return 1 // 0

    gate.down()
    writes.start_call(agent)
    writes.register_complaint(agent, distinct_form(1))
    gate.up()
    monkeypatch.setitem(ops.OPERATIONS, "start_call", Broken)

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert [f.error for f in report.failed] == ["replay_failed"]
    assert report.references == ["C-20261122-0001"]
    assert [e.status for e in writes.journal.entries()][:1] == ["failed"]  # kept in the file
    assert replay_journal(console, writes.journal, TEST_DATA_KEY).failed == []


def test_the_journal_file_keeps_no_personal_data_in_clear(
    console: ServiceContext, agent: Actor, writes: JournalledWrites, gate: ServerGate
) -> None:
    form = distinct_form(7)
    gate.down()
    writes.register_complaint(agent, form)
    writes.save_draft(agent, "workspace", {"customer_name": "欧阳娜娜"})
    gate.up()

    path = writes.journal.path
    wal = path.with_name(path.name + "-wal")
    raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    for typed in ("欧阳娜娜", form.customer_name, form.phone, form.description):
        assert typed.encode() not in raw
    (entry,) = writes.journal.entries()  # opened with the signed-in person's key
    assert entry.args["form"]["phone"] == form.phone


def test_an_outlets_walk_in_is_sent_as_a_walk_in_without_a_callback_it_cannot_hold(
    console: ServiceContext, agent: Actor, writes: JournalledWrites, gate: ServerGate
) -> None:
    clerk = add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet="浦东网点")
    gate.down()
    walk_in = writes.register_complaint(clerk, distinct_form(1))
    writes.register_complaint(agent, distinct_form(2))
    gate.up()

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert walk_in.pending and walk_in.reference == "C-20261122-P001"
    assert report.failed == []  # no outage callback journalled for the outlet: none refused
    assert [(s.provisional, s.result["reference"]) for s in report.sent] == [
        ("C-20261122-P001", "C-20261122-0001"),
        ("C-20261122-P002", "C-20261122-0002"),
    ]
    first = one(console, Complaint, Complaint.reference == "C-20261122-0001")
    assert (first.channel, first.outlet, first.owner_id) == (
        Channel.WALK_IN.value,
        "浦东网点",
        clerk.id,
    )
    outage = rows(console, Callback, Callback.kind == CallbackKind.OUTAGE.value)
    assert [c.owner_id for c in outage] == [agent.id]  # the agent's caller only
