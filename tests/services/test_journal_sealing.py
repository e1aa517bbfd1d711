"""Journal entries are authenticated: the seal of an entry's arguments binds its place, key,
operation, actor and time, so an entry changed in the file (replayed as someone else, with
other arguments, or swapped with another) is refused at replay and reported, and nothing is
written; entries of earlier versions are refused as unauthenticated. The journal file, its
``-wal`` and ``-shm`` are owner-only."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from cs_console.domain.enums import Role
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.journal.operation import actor_json
from cs_console.services.journal.replay import replay_journal
from cs_console.services.journal.store import ARGS, TAMPERED, UNAUTHENTICATED, Journal
from cs_console.services.journal.writes import JournalledWrites
from cs_console.storage.tables import AppliedWrite, Complaint, Contact
from tests.conftest import START, TEST_DATA_KEY, FakeClock, add_person

from .helpers import count, distinct_form, one, rows
from .outage import ServerGate, gate_fixture, writes_fixture  # noqa: F401 (fixtures)


@pytest.fixture
def two_offline(agent: Actor, writes: JournalledWrites, gate: ServerGate) -> Iterator[Path]:
    """Two complaints kept while the server was away; the journal file's path."""
    gate.down()
    writes.register_complaint(agent, distinct_form(1))
    writes.register_complaint(agent, distinct_form(2))
    gate.up()
    yield writes.journal.path


def _edit(path: Path, sql: str, *params: object) -> None:
    """What someone with the file and a SQLite shell could do (no data key)."""
    with sqlite3.connect(path) as db:
        db.execute(sql, params)


def _replay_refuses(console: ServiceContext, writes: JournalledWrites, seqs: list[int]) -> None:
    report = replay_journal(console, writes.journal, TEST_DATA_KEY)
    assert [(f.seq, f.error) for f in report.failed] == [(seq, TAMPERED) for seq in seqs]
    assert [f.provisional for f in report.failed] == [f"C-20261122-P00{s}" for s in seqs]
    assert [e.status for e in writes.journal.entries() if e.seq in seqs] == ["failed"] * len(seqs)


def test_an_entry_whose_actor_was_edited_is_refused_and_reported(
    console: ServiceContext, writes: JournalledWrites, two_offline: Path
) -> None:
    boss = add_person(console, "zhaolei", Role.SUPERVISOR, agent_no="2048")
    _edit(two_offline, "UPDATE entries SET actor = ? WHERE seq = 1", json.dumps(actor_json(boss)))

    _replay_refuses(console, writes, [1])

    (complaint,) = rows(console, Complaint)  # the other one, by whom it was made
    assert complaint.owner_id != boss.id


def test_an_entry_whose_arguments_were_changed_is_refused(
    console: ServiceContext, writes: JournalledWrites, two_offline: Path
) -> None:
    with sqlite3.connect(two_offline) as db:
        (sealed,) = db.execute("SELECT args FROM entries WHERE seq = 2").fetchone()
    flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    _edit(two_offline, "UPDATE entries SET args = ? WHERE seq = 2", flipped)
    resealed = TEST_DATA_KEY.seal(json.dumps({"form": {}}), ARGS)  # the key's old label
    _edit(two_offline, "UPDATE entries SET args = ? WHERE seq = 1", resealed)

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert [(f.seq, f.error) for f in report.failed] == [(1, UNAUTHENTICATED), (2, TAMPERED)]
    assert count(console, Complaint) == count(console, AppliedWrite) == 0


def test_entries_whose_arguments_were_swapped_are_both_refused(
    console: ServiceContext, writes: JournalledWrites, two_offline: Path
) -> None:
    with sqlite3.connect(two_offline) as db:
        first, second = [row[0] for row in db.execute("SELECT args FROM entries ORDER BY seq")]
    _edit(two_offline, "UPDATE entries SET args = ? WHERE seq = 1", second)
    _edit(two_offline, "UPDATE entries SET args = ? WHERE seq = 2", first)

    _replay_refuses(console, writes, [1, 2])

    assert count(console, Complaint) == count(console, AppliedWrite) == 0


def test_an_entry_moved_to_another_place_is_refused(
    console: ServiceContext, writes: JournalledWrites, two_offline: Path
) -> None:
    _edit(two_offline, "UPDATE entries SET seq = 5 WHERE seq = 2")

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert [(f.seq, f.error) for f in report.failed] == [(5, TAMPERED)]
    assert count(console, Complaint) == 1


def test_an_entry_of_an_earlier_version_is_refused_as_unauthenticated(
    console: ServiceContext, agent: Actor, writes: JournalledWrites, two_offline: Path
) -> None:
    # kept in clear by an early version: anyone with the file could have written it
    forged = {"form": {"phone": "13800000000"}, "contact_id": None}
    _edit(two_offline, "UPDATE entries SET args = ? WHERE seq = 1", json.dumps(forged))

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert [(f.seq, f.error) for f in report.failed] == [(1, UNAUTHENTICATED)]
    assert report.references == ["C-20261122-0001"]  # the authentic one is sent
    assert count(console, Complaint) == 1


def test_the_journal_and_its_wal_and_shm_are_owner_only(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        journal = Journal(tmp_path / "journal.db")
        journal.unlock(TEST_DATA_KEY)
        journal.keep_draft(1, "workspace", {"customer_name": "王芳"}, START)
        kept = [tmp_path / name for name in ("journal.db", "journal.db-wal", "journal.db-shm")]
        assert all(path.exists() for path in kept)
        assert [stat.S_IMODE(path.stat().st_mode) for path in kept] == [0o600] * 3
        journal.close()
    finally:
        os.umask(mask)


def test_an_older_journals_wal_and_shm_are_made_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    older = sqlite3.connect(path)
    older.execute("PRAGMA journal_mode = WAL")
    older.execute("CREATE TABLE t (x)")  # -wal and -shm exist, as the process left them
    kept = [path, path.with_name("journal.db-wal"), path.with_name("journal.db-shm")]
    for each in kept:
        each.chmod(0o644)

    journal = Journal(path)

    assert [stat.S_IMODE(each.stat().st_mode) for each in kept] == [0o600] * 3
    journal.close()
    older.close()


def test_an_erasure_keeps_entries_as_authentic_as_they_were(
    writes: JournalledWrites, two_offline: Path
) -> None:
    # an entry in clear (forged, or kept by an early version) is scrubbed, never authenticated
    forged = {"form": {"phone": "13800000000"}, "contact_id": None}
    _edit(two_offline, "UPDATE entries SET args = ? WHERE seq = 1", json.dumps(forged))

    def mentions(value: object) -> bool:
        return isinstance(value, dict) and "form" in value

    erased = writes.journal.erase_mentions(mentions, lambda value: ({"form": {}}, 1))

    assert erased == 2
    first, second = writes.journal.entries()
    assert (first.refused, first.args) == (UNAUTHENTICATED, {})
    assert (second.refused, second.args) == ("", {"form": {}})


def test_a_sent_entrys_result_changed_in_the_file_gives_no_real_id(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = writes.start_call(agent)  # online: someone else's call, in a way
    gate.down()
    contact = writes.start_call(agent)
    clock.advance(minutes=1)
    writes.mark_answered(agent, contact, clock.now)
    gate.up()
    mark_sent = writes.journal.mark_sent

    def server_gone_after_one(seq: int, result: object, at: datetime) -> None:
        mark_sent(seq, result, at)
        gate.down()

    monkeypatch.setattr(writes.journal, "mark_sent", server_gone_after_one)
    assert replay_journal(console, writes.journal, TEST_DATA_KEY).unreachable
    monkeypatch.setattr(writes.journal, "mark_sent", mark_sent)
    gate.up()
    redirect = json.dumps({"id": other})
    _edit(writes.journal.path, "UPDATE entries SET result = ? WHERE seq = 1", redirect)

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert [(f.seq, f.error) for f in report.failed] == [(2, "no_such_contact")]
    assert one(console, Contact, Contact.id == other).answered_at is None
