"""A shift through a real PostgreSQL outage: the test's own server is stopped mid-shift,
the agent keeps working, the server comes back (and dies once more mid-replay), and every
record is on it exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from cs_console.config.policy_file import default_policy
from cs_console.domain.enums import CallbackKind, ContactType
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.journal.replay import replay_journal
from cs_console.services.journal.writes import JournalledWrites, open_journal
from cs_console.storage.engine import make_engine
from cs_console.storage.migrate import upgrade_to_head
from cs_console.storage.tables import AppliedWrite, Callback, Complaint, Contact
from tests.conftest import START, TEST_DATA_KEY, FakeClock, add_person

from .helpers import count, distinct_form, phone, rows
from .private_postgres import PrivateServer, why_not_available

pytestmark = pytest.mark.skipif(bool(why_not_available()), reason=why_not_available())


@pytest.fixture(scope="module")
def server() -> Iterator[PrivateServer]:
    server = PrivateServer()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def console(server: PrivateServer, clock: FakeClock) -> Iterator[ServiceContext]:
    engine = make_engine(server.url)
    upgrade_to_head(engine)
    yield ServiceContext(engine, default_policy(), ZoneInfo("Asia/Shanghai"), clock)
    engine.dispose()


def _call(writes: JournalledWrites, agent: Actor, clock: FakeClock, i: int) -> str:
    """One call with a complaint: started, registered, ended. The (maybe pending) reference."""
    contact = writes.start_call(agent)
    clock.advance(minutes=2)
    reference = writes.register_complaint(agent, distinct_form(i), contact_id=contact).reference
    clock.advance(minutes=2)
    writes.end_call(
        agent, contact, contact_type=ContactType.COMPLAINT, notes="", outcome="", phone=phone(i)
    )
    return reference


def test_a_server_stopped_mid_shift_gets_every_record_once(
    server: PrivateServer,
    console: ServiceContext,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    agent = add_person(console, "wangfang", agent_no="1024", display_name="王芳")
    journal = open_journal(console)
    writes = JournalledWrites(console, journal)
    assert _call(writes, agent, clock, 1) == "C-20261122-0001"  # the server answers

    server.stop()
    offline = [_call(writes, agent, clock, i) for i in (2, 3, 4)]
    writes.promise_reply(agent, phone=phone(5), name="李娜")
    assert writes.offline and all("-P" in reference for reference in offline)
    assert replay_journal(console, journal, TEST_DATA_KEY).unreachable  # still down: nothing sent

    server.start()
    mark_sent = journal.mark_sent
    sent: list[int] = []

    def dies_again_after_four(seq: int, result: object, at: object) -> None:
        mark_sent(seq, result, at)  # type: ignore[arg-type]
        sent.append(seq)
        if len(sent) == 4:
            server.stop()

    monkeypatch.setattr(journal, "mark_sent", dies_again_after_four)
    first = replay_journal(console, journal, TEST_DATA_KEY)
    monkeypatch.setattr(journal, "mark_sent", mark_sent)
    assert first.unreachable
    server.start()
    clock.advance(minutes=5)
    rest = replay_journal(console, journal, TEST_DATA_KEY)

    assert not rest.unreachable and rest.failed == first.failed == []
    assert first.references + rest.references == [
        "C-20261122-0002",
        "C-20261122-0003",
        "C-20261122-0004",
    ]
    complaints = rows(console, Complaint)
    assert [c.reference for c in complaints] == [f"C-20261122-000{i}" for i in (1, 2, 3, 4)]
    # each call took 4 minutes, its complaint typed 2 minutes in: clocks count from then
    assert [c.registered_at for c in complaints] == [
        START + timedelta(minutes=4 * (i - 1) + 2) for i in (1, 2, 3, 4)
    ]
    contacts = rows(console, Contact)
    assert len(contacts) == 4 and all(c.ended_at is not None for c in contacts)
    assert [c.contact_id for c in complaints] == [c.id for c in contacts]
    assert count(console, Callback, Callback.kind == CallbackKind.REPLY_PROMISE.value) == 1
    assert count(console, Callback, Callback.kind == CallbackKind.OUTAGE.value) == 4
    # three calls of three writes, the promise, the outage's callbacks: each applied once;
    # the first call's three writes, online, carry their keys too
    assert len(journal.entries()) == 3 * 3 + 1 + 1
    assert count(console, AppliedWrite) == len(journal.entries()) + 3
    assert journal.pending_count() == 0
    journal.close()
