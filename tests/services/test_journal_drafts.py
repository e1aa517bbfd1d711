"""Drafts through an outage: what is typed while the server is away is kept in the journal
file, and goes to the database once it answers again."""

from __future__ import annotations

from cs_console.services.context import Actor, ServiceContext
from cs_console.services.journal.writes import JournalledWrites
from tests.conftest import FakeClock

from .outage import ServerGate, gate_fixture, writes_fixture  # noqa: F401 (fixtures)


def test_a_draft_typed_during_the_outage_is_kept_locally_until_the_server_has_it(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
) -> None:
    writes.save_draft(agent, "workspace", {"form": {"customer_name": "旧"}})
    gate.down()
    clock.advance(minutes=1)

    writes.save_draft(agent, "workspace", {"form": {"customer_name": "张伟"}})

    assert writes.load_draft(agent, "workspace") == ({"form": {"customer_name": "张伟"}}, clock.now)
    gate.up()
    back = writes.load_draft(agent, "workspace")
    assert back is not None and back[0] == {"form": {"customer_name": "张伟"}}
    writes.save_draft(agent, "workspace", None)  # discarded once the server answers
    assert writes.load_draft(agent, "workspace") is None
    assert writes.journal.draft(agent.id, "workspace") is None


def test_a_form_kept_for_later_during_the_outage_is_listed_and_reaches_the_server(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    writes: JournalledWrites,
    gate: ServerGate,
) -> None:
    from cs_console.services.drafts import kept_drafts, kept_kind

    gate.down()
    kind = kept_kind(clock.now)
    writes.save_draft(agent, kind, {"form": {"customer_name": "张伟"}})

    (offline,) = writes.kept_drafts(agent)  # from the journal while the server is away
    assert (offline.kind, offline.payload) == (kind, {"form": {"customer_name": "张伟"}})
    gate.up()
    (online,) = writes.kept_drafts(agent)  # sent to the server on the next look
    assert online.kind == kind
    assert [k.kind for k in kept_drafts(console, agent)] == [kind]
    assert writes.journal.draft_kinds(agent.id, "kept-") == []
