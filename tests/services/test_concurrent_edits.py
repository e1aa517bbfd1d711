"""Two people saving the same complaint: the second save is refused, never overwrites."""

from __future__ import annotations

import pytest

from cs_console.domain.enums import CompensationKind, Role
from cs_console.services.complaint_lock import ComplaintChanged
from cs_console.services.complaint_progress import hand_over, mark_verified, record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.worklists import complaint_view
from cs_console.storage.tables import Complaint, Event
from tests.conftest import add_person

from .helpers import delay_form, one, rows


@pytest.fixture
def supervisor(console: ServiceContext) -> Actor:
    return add_person(console, "zhaolei", Role.SUPERVISOR, agent_no="9001")


@pytest.fixture
def specialist(console: ServiceContext) -> Actor:
    return add_person(console, "lizhuan", Role.SPECIALIST, agent_no="2001")


def _resolve(console: ServiceContext, actor: Actor, cid: int, version: int, note: str) -> None:
    record_resolution(
        console,
        actor,
        cid,
        kind=CompensationKind.COUPON,
        amount_fen=1000,
        accepted=True,
        note=note,
        expected_version=version,
    )


def test_the_second_resolution_on_the_same_version_is_refused(
    console: ServiceContext, agent: Actor, supervisor: Actor
) -> None:
    cid = register_complaint(console, agent, delay_form(2)).id
    loaded = complaint_view(console, agent, cid).version  # both screens loaded this
    assert complaint_view(console, supervisor, cid).version == loaded
    _resolve(console, agent, cid, loaded, "客户接受十元券")
    with pytest.raises(ComplaintChanged) as refused:
        _resolve(console, supervisor, cid, loaded, "主管给了二十元")
    assert refused.value.code == "complaint_changed"
    assert refused.value.details["reference"].startswith("C-")
    kinds = [e.kind for e in rows(console, Event, Event.complaint_id == cid)]
    assert kinds.count("resolution_accepted") == 1  # the refused one left no trace
    assert "主管给了二十元" not in "".join(
        e.detail for e in rows(console, Event, Event.complaint_id == cid)
    )
    assert one(console, Complaint, Complaint.id == cid).version == loaded + 1


def test_a_negotiation_round_moves_the_version_too(console: ServiceContext, agent: Actor) -> None:
    cid = register_complaint(console, agent, delay_form(2)).id
    loaded = complaint_view(console, agent, cid).version
    record_resolution(
        console,
        agent,
        cid,
        kind=CompensationKind.COUPON,
        amount_fen=500,
        accepted=False,
        note="客户嫌少",
        expected_version=loaded,
    )
    with pytest.raises(ComplaintChanged):
        mark_verified(console, agent, cid, expected_version=loaded)
    mark_verified(console, agent, cid, expected_version=loaded + 1)
    assert complaint_view(console, agent, cid).status == "verified"


def test_hand_over_after_someone_else_saved_is_refused(
    console: ServiceContext, agent: Actor, supervisor: Actor, specialist: Actor
) -> None:
    cid = register_complaint(console, agent, delay_form(2)).id
    loaded = complaint_view(console, supervisor, cid).version
    mark_verified(console, agent, cid, expected_version=loaded)
    with pytest.raises(ComplaintChanged):
        hand_over(console, supervisor, cid, "lizhuan", "转专员", expected_version=loaded)
    assert one(console, Complaint, Complaint.id == cid).owner_id == agent.id
    hand_over(console, supervisor, cid, "lizhuan", "转专员", expected_version=loaded + 1)
    assert one(console, Complaint, Complaint.id == cid).owner_id == specialist.id


def test_without_a_loaded_version_the_save_goes_through(
    console: ServiceContext, agent: Actor
) -> None:
    cid = register_complaint(console, agent, delay_form(2)).id
    mark_verified(console, agent, cid)  # command-line and scripted callers load and act at once
    assert complaint_view(console, agent, cid).version == 2


def test_two_saves_at_the_same_moment_one_wins(
    console: ServiceContext, agent: Actor, supervisor: Actor
) -> None:
    import threading

    cid = register_complaint(console, agent, delay_form(2)).id
    loaded = complaint_view(console, agent, cid).version
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(actor: Actor, note: str) -> None:
        start.wait()
        try:
            _resolve(console, actor, cid, loaded, note)
        except ComplaintChanged:
            outcomes.append("refused")
        else:
            outcomes.append("saved")

    threads = [
        threading.Thread(target=save, args=(agent, "甲")),
        threading.Thread(target=save, args=(supervisor, "乙")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["refused", "saved"]
    kinds = [e.kind for e in rows(console, Event, Event.complaint_id == cid)]
    assert kinds.count("resolution_accepted") == 1
