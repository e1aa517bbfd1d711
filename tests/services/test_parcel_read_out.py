"""What the call keeps of the parcel: the state read out on the stored contact (and in the
outage journal), and the lookup's memory in front of the shared cache."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from cs_console.domain.enums import ContactType
from cs_console.services.calls import end_call, start_call
from cs_console.services.context import Actor, InvalidInput, ServiceContext
from cs_console.services.journal.ops import EndCall
from cs_console.storage.engine import write_session
from cs_console.storage.tables import Contact, TrackingAnswer
from tests.conftest import FakeClock
from tests.services.kuaidi100_server import (
    Kuaidi100Server,
    answer,
    event,
    kuaidi100_fixture,  # noqa: F401  (the fixture "kuaidi100")
)
from tests.services.test_tracking_lookup import lookup_on

from .helpers import one

NUMBER = "SF1311230000001"
TIMELINE = [event("2026-11-22 13:20:00", "【北京转运中心】已发出 下一站【北京朝阳网点】")]


def test_the_state_read_out_is_stored_with_the_contact(
    console: ServiceContext, agent: Actor
) -> None:
    read_out, quiet = start_call(console, agent), start_call(console, agent)
    end_call(
        console,
        agent,
        read_out,
        contact_type=ContactType.TRACKING,
        notes="",
        outcome="",
        tracking_no=NUMBER,
        tracking_state="in_transit",
    )
    end_call(console, agent, quiet, contact_type=ContactType.OTHER, notes="", outcome="")
    assert one(console, Contact, Contact.id == read_out).tracking_state == "in_transit"
    assert one(console, Contact, Contact.id == quiet).tracking_state is None


def test_a_state_that_is_none_of_the_trackings_is_refused(
    console: ServiceContext, agent: Actor
) -> None:
    contact_id = start_call(console, agent)
    with pytest.raises(InvalidInput) as caught:
        end_call(
            console,
            agent,
            contact_id,
            contact_type=ContactType.TRACKING,
            notes="",
            outcome="",
            tracking_state="lost in space",
        )
    assert caught.value.fields == {"tracking_state": "tracking_state_invalid"}
    assert one(console, Contact, Contact.id == contact_id).ended_at is None


def test_an_end_call_journalled_before_the_state_existed_replays_without_one() -> None:
    earlier = {"contact_id": -1, "contact_type": "tracking", "notes": "", "outcome": ""}
    assert EndCall.from_json(earlier).tracking_state == ""


def test_a_hit_is_answered_from_memory_under_the_same_30_minute_rule(
    console: ServiceContext, kuaidi100: Kuaidi100Server, clock: FakeClock
) -> None:
    kuaidi100.known[NUMBER] = answer(NUMBER, 0, TIMELINE)
    lookup = lookup_on(console, kuaidi100)
    first = lookup.track(NUMBER)
    with write_session(console.engine) as session:  # the database's copy is gone ...
        session.execute(delete(TrackingAnswer))
    clock.advance(minutes=29)
    assert lookup.track(NUMBER) == first  # ... the memory still answers
    assert kuaidi100.hits == 1
    clock.advance(minutes=2)  # 31 minutes: neither may answer any more
    lookup.track(NUMBER)
    assert kuaidi100.hits == 2


def test_a_console_remembers_what_another_stored_in_the_database(
    console: ServiceContext, kuaidi100: Kuaidi100Server, clock: FakeClock
) -> None:
    kuaidi100.known[NUMBER] = answer(NUMBER, 0, TIMELINE)
    lookup_on(console, kuaidi100).track(NUMBER)  # another console asked
    mine = lookup_on(console, kuaidi100)
    mine.track(NUMBER)  # from the database, then remembered
    with write_session(console.engine) as session:
        session.execute(delete(TrackingAnswer))
    clock.advance(minutes=10)
    mine.track(NUMBER)
    assert kuaidi100.hits == 1
