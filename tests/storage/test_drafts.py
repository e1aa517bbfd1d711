"""Draft queries: upsert by (person, kind), damaged payloads read as nothing."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from cs_console.services.context import Actor, ServiceContext
from cs_console.storage.drafts import delete_draft, get_draft, put_draft
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.tables import Draft
from tests.conftest import FakeClock


def test_put_replaces_in_place(console: ServiceContext, clock: FakeClock, agent: Actor) -> None:
    with write_session(console.engine) as session:
        put_draft(
            session=session, user_id=agent.id, kind="workspace", payload={"a": 1}, now=clock.now
        )
    clock.advance(minutes=1)
    with write_session(console.engine) as session:
        put_draft(
            session=session, user_id=agent.id, kind="workspace", payload={"a": 2}, now=clock.now
        )

    with read_session(console.engine) as session:
        drafts = session.exec(select(Draft)).all()
        assert len(drafts) == 1
        assert (drafts[0].payload, drafts[0].updated_at) == ('{"a": 2}', clock.now)
        assert get_draft(session=session, user_id=agent.id, kind="workspace") == (
            {"a": 2},
            clock.now,
        )


def test_the_database_refuses_a_second_row(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    with write_session(console.engine) as session:
        put_draft(session=session, user_id=agent.id, kind="workspace", payload={}, now=clock.now)

    with pytest.raises(IntegrityError), write_session(console.engine) as session:
        session.add(Draft(user_id=agent.id, kind="workspace", payload="{}", updated_at=clock.now))


@pytest.mark.parametrize(("payload", "expected"), [("not json", None), ("[1, 2]", {}), ("{}", {})])
def test_damaged_payloads(
    console: ServiceContext, clock: FakeClock, agent: Actor, payload: str, expected: dict | None
) -> None:
    with write_session(console.engine) as session:
        session.add(
            Draft(user_id=agent.id, kind="workspace", payload=payload, updated_at=clock.now)
        )

    with read_session(console.engine) as session:
        found = get_draft(session=session, user_id=agent.id, kind="workspace")

    assert (found[0] if found else None) == expected


def test_delete(console: ServiceContext, clock: FakeClock, agent: Actor) -> None:
    with write_session(console.engine) as session:
        put_draft(session=session, user_id=agent.id, kind="workspace", payload={}, now=clock.now)
    with write_session(console.engine) as session:
        delete_draft(session=session, user_id=agent.id, kind="workspace")
        delete_draft(session=session, user_id=agent.id, kind="other")

    with read_session(console.engine) as session:
        assert get_draft(session=session, user_id=agent.id, kind="workspace") is None
