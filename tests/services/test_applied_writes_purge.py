"""The idempotency keys of applied writes (``applied_writes``) do not grow for ever: the
purge destroys those older than ``retention.applied_writes``, and the outage journal's
replay refuses an entry older than that (its key may be gone: it could apply twice)."""

from __future__ import annotations

from datetime import timedelta

from cs_console.domain.enums import Role
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.journal.replay import EXPIRED, replay_journal
from cs_console.services.journal.writes import JournalledWrites
from cs_console.services.purge import purge
from cs_console.storage.tables import AppliedWrite, Complaint
from tests.conftest import START, TEST_DATA_KEY, FakeClock, add_person

from .helpers import count, distinct_form, rows
from .outage import ServerGate, gate_fixture, writes_fixture  # noqa: F401 (fixtures)

MINUTE = timedelta(minutes=1)


def test_keys_older_than_the_policy_are_purged_and_newer_ones_kept(
    console: ServiceContext, clock: FakeClock, agent: Actor, writes: JournalledWrites
) -> None:
    keep_for = console.policy.retention.applied_writes
    admin = add_person(console, "root", Role.ADMIN, agent_no="0001")
    writes.register_complaint(agent, distinct_form(1))  # online: its key recorded at START
    clock.now = START + keep_for - timedelta(days=1)
    writes.register_complaint(agent, distinct_form(2))
    assert count(console, AppliedWrite) == 2
    clock.now = START + keep_for + MINUTE

    dry = purge(console, admin, dry_run=True)
    report = purge(console, admin, dry_run=False)

    assert dry.counts["applied_writes"] == report.counts["applied_writes"] == 1
    (kept,) = rows(console, AppliedWrite)
    assert kept.applied_at == START + keep_for - timedelta(days=1)
    assert count(console, Complaint) == 2  # the keys go, never the writes


def test_a_journal_entry_older_than_the_keys_is_refused_not_sent(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
) -> None:
    keep_for = console.policy.retention.applied_writes
    gate.down()
    writes.register_complaint(agent, distinct_form(1))  # kept at START
    clock.now = START + MINUTE
    writes.register_complaint(agent, distinct_form(2))
    gate.up()
    clock.now = START + keep_for + MINUTE // 2  # the first is past the keys' retention

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert [(f.seq, f.error) for f in report.failed] == [(1, EXPIRED)]
    assert report.references == ["C-20261122-0001"]  # the second, inside it, is sent
    assert count(console, Complaint) == 1
    assert writes.journal.pending_count() == 0  # refused entries stay in the file, not pending
