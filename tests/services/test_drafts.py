"""Drafts: what is typed comes back exactly, one draft per person and form."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cs_console.domain.complaint_entry import from_payload, to_payload
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.drafts import discard_draft, load_draft, save_draft
from cs_console.storage.drafts import put_draft
from cs_console.storage.engine import write_session
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import Draft
from tests.conftest import FakeClock, add_person
from tests.injections import INJECTIONS

from .helpers import complaint_form, count, one, stored_drafts


def test_round_trip_of_a_complaint_form(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    form = complaint_form(
        customer_name="欧阳娜娜 [bold red]x",
        description="快递员态度恶劣😡\n第二行\t缩进 " + "".join(INJECTIONS),
        request="道歉；赔偿 ¥20",
        insured=True,
        insured_amount="１２３",
    )

    save_draft(console, agent, "workspace", to_payload(form))
    loaded = load_draft(console, agent, "workspace")

    assert loaded is not None
    payload, saved_at = loaded
    assert saved_at == clock.now
    assert from_payload(payload) == form  # exactly as typed, nothing cleaned or parsed


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_come_back_literally(
    console: ServiceContext, agent: Actor, value: str
) -> None:
    payload = {"customer_name": f"张{value}伟", "nested": {"list": [value, 1, True, None]}}

    save_draft(console, agent, "workspace", payload)

    assert load_draft(console, agent, "workspace") == (payload, console.now())


def test_one_row_per_person_and_kind(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    colleague = add_person(console, "lisi", agent_no="1025")
    save_draft(console, agent, "workspace", {"v": 1})
    clock.advance(seconds=2)
    save_draft(console, agent, "workspace", {"v": 2})
    save_draft(console, agent, "call_notes", {"v": "notes"})
    save_draft(console, colleague, "workspace", {"v": "theirs"})

    assert count(console, Draft) == 3
    assert count(console, Draft, Draft.user_id == agent.id, Draft.kind == "workspace") == 1
    assert load_draft(console, agent, "workspace") == ({"v": 2}, clock.now)
    assert load_draft(console, agent, "call_notes") == ({"v": "notes"}, clock.now)
    assert load_draft(console, colleague, "workspace") == ({"v": "theirs"}, clock.now)


def test_discard(console: ServiceContext, agent: Actor) -> None:
    colleague = add_person(console, "lisi", agent_no="1025")
    save_draft(console, agent, "workspace", {"v": 1})
    save_draft(console, colleague, "workspace", {"v": 2})

    discard_draft(console, agent, "workspace")
    discard_draft(console, agent, "workspace")  # nothing left: no error

    assert load_draft(console, agent, "workspace") is None
    assert load_draft(console, colleague, "workspace") is not None
    assert count(console, Draft) == 1


def test_missing_draft(console: ServiceContext, agent: Actor) -> None:
    assert load_draft(console, agent, "workspace") is None


def test_stored_sealed_and_opened_with_the_data_key(console: ServiceContext, agent: Actor) -> None:
    save_draft(console, agent, "workspace", {"customer_name": "张伟", "phone": "13812345678"})

    stored = one(console, Draft).payload
    assert "张伟" not in stored and "13812345678" not in stored  # personal data, sealed
    assert stored_drafts(console) == [
        ("workspace", {"customer_name": "张伟", "phone": "13812345678"})
    ]
    other_key = replace(agent, data_key=DataKey.generate())
    assert load_draft(console, other_key, "workspace") is None  # another database's key


def test_a_draft_kept_in_clear_by_an_older_version_is_offered_back(
    console: ServiceContext, agent: Actor, clock: FakeClock
) -> None:
    with write_session(console.engine) as session:
        put_draft(
            session=session, user_id=agent.id, kind="workspace", payload={"v": 1}, now=clock.now
        )

    assert load_draft(console, agent, "workspace") == ({"v": 1}, clock.now)


def test_forms_kept_for_later_are_listed_newest_first_sealed_and_apart(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    from cs_console.services.drafts import kept_drafts, kept_kind

    colleague = add_person(console, "lisi", agent_no="1025")
    first = kept_kind(clock.now)
    save_draft(console, agent, first, {"form": {"customer_name": "张伟"}})
    second = kept_kind(clock.now, first)  # the same millisecond: the next one
    assert second > first
    clock.advance(minutes=1)
    save_draft(console, agent, second, {"form": {"customer_name": "李娜"}})
    save_draft(console, agent, "workspace", {"form": {"customer_name": "正在输入"}})
    save_draft(console, colleague, kept_kind(clock.now), {"form": {"customer_name": "王五"}})

    kept = kept_drafts(console, agent)
    assert [(k.kind, k.payload["form"]["customer_name"]) for k in kept] == [
        (second, "李娜"),
        (first, "张伟"),
    ]
    stored = " ".join(d.payload for d in every_draft(console))
    assert "张伟" not in stored and "李娜" not in stored  # sealed like every draft
    discard_draft(console, agent, first)
    assert [k.kind for k in kept_drafts(console, agent)] == [second]


def every_draft(console: ServiceContext) -> list[Draft]:
    from sqlmodel import Session, select

    with Session(console.engine) as session:
        return list(session.exec(select(Draft)).all())
